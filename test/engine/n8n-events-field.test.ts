import { sampleSets } from '../../core/samples/sets';
import { PhenixIdTrigger } from '../../n8n/phenixid-signing/nodes/PhenixIdTrigger/PhenixIdTrigger.node';
import { PlexusTrigger } from '../../n8n/plexus-gateway/nodes/PlexusTrigger/PlexusTrigger.node';
import { N8nTriggerHarness } from '../n8n/trigger-harness';

// The one top-level "Events" field of a trigger is the vendor-event filter the core applies.
const secret = 'a3f1c9e2b7d4a6f8c0e1b2d3f4a5b6c7';
const key = 'installation-key-1';

async function post(url: string, delivery: { headers: Record<string, string>; query: Record<string, string>; body: string | Buffer }) {
	const target = new URL(url);
	for (const [k, v] of Object.entries(delivery.query)) target.searchParams.set(k, v);
	const response = await fetch(target, { method: 'POST', headers: delivery.headers, body: delivery.body as BodyInit });
	return response.status;
}

describe('n8n: the Events field filters by the vendor event', () => {
	it('Plexus: only the chosen events start a run; the others are answered 200 and dropped', async () => {
		const harness = await new N8nTriggerHarness(new PlexusTrigger(), { credentials: { plexusGatewayApi: { secret } }, parameters: { events: ['documentCreated'] } }).start();
		try {
			expect(await post(harness.url(), sampleSets.plexus!.build('executed', { secret }, {}))).toBe(200);
			expect(harness.executions).toHaveLength(0);
			expect(await post(harness.url(), sampleSets.plexus!.build('documentCreated', { secret }, {}))).toBe(200);
			expect(harness.executions).toHaveLength(1);
			expect(harness.executions[0][0].json).toMatchObject({ vendor: 'plexus', vendorEventType: 'documentCreated' });
		} finally {
			await harness.stop();
		}
	});

	it('PhenixID: an empty Events field emits every event', async () => {
		const harness = await new N8nTriggerHarness(new PhenixIdTrigger(), { credentials: { phenixIdSigningApi: { secret, key } }, parameters: { events: [] } }).start();
		try {
			expect(await post(harness.url(), sampleSets.phenixid!.build('OrderSigned', { secret, key }, {}))).toBe(200);
			expect(harness.executions).toHaveLength(1);
		} finally {
			await harness.stop();
		}
	});
});
