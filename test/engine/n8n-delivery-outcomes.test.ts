import { sampleSets } from '../../core/samples/sets';
import { buildPlexusDelivery, plexusSamples } from '../../core/vendors/plexus/samples';
import { PlexusTrigger } from '../../n8n/plexus-gateway/nodes/PlexusTrigger/PlexusTrigger.node';
import { N8nTriggerHarness } from '../n8n/trigger-harness';

/**
 * Issues 22 and 24 in n8n: one log line per delivery outcome, each naming the workflow and the
 * node; a refusal at warn level with its reason (a secret mismatch must not look like silence),
 * never the secret.
 */
const secret = 'outcome-n8n-secret-0123456789abcdef';
const executed = (id: string, createdAt: Date, key = secret) => buildPlexusDelivery({ ...plexusSamples.executed(createdAt.toISOString()), id }, key);

async function post(url: string, delivery: { headers: Record<string, string>; body: string | Buffer }) {
	return (await fetch(url, { method: 'POST', headers: delivery.headers, body: String(delivery.body) })).status;
}

describe('n8n: every delivery outcome in the log, with workflow and node', () => {
	let harness: N8nTriggerHarness;
	afterEach(() => harness?.stop());

	async function start(parameters: Record<string, unknown> = {}) {
		harness = await new N8nTriggerHarness(new PlexusTrigger(), { credentials: { plexusGatewayApi: { secret } }, workflowId: 'wf-outcomes', parameters }).start();
		return harness;
	}

	/** The log lines one delivery added. */
	async function linesOf(send: () => Promise<number>) {
		const before = harness.logs.length;
		const status = await send();
		await harness.idle();
		return { status, lines: harness.logs.slice(before) };
	}

	const where = /\(workflow "Test" wf-outcomes, node "Trigger"\)$/;

	it('refusals (tampered, wrong secret, junk) are one warn line each naming workflow, node and reason, without the secret', async () => {
		await start();
		const tampered = await linesOf(() => post(harness.url(), sampleSets.plexus!.build('executed', { secret }, { tamper: true, now: new Date() })));
		const wrongSecret = await linesOf(() => post(harness.url(), executed('evt-w', new Date(), 'another-secret-0123456789abcdef')));
		const junk = await linesOf(() => post(harness.url(), { headers: { 'content-type': 'application/json' }, body: '{"hello":' }));
		for (const { status, lines } of [tampered, wrongSecret, junk]) {
			expect(status).toBe(401);
			expect(lines).toEqual([{ level: 'warn', message: expect.stringMatching(where), meta: { workflowId: 'wf-outcomes', nodeName: 'Trigger' } }]);
			expect(lines[0].message).toMatch(/^Plexus Gateway delivery refused with HTTP 401: \S/);
			expect(lines[0].message).not.toContain(secret);
		}
		expect(harness.executions).toHaveLength(0);
	});

	it('an emitted delivery and its repeat are one info line each, the repeat naming its id', async () => {
		await start();
		const delivery = executed('evt-n8n-1', new Date());
		const first = await linesOf(() => post(harness.url(), delivery));
		const again = await linesOf(() => post(harness.url(), delivery));
		expect(first.lines).toEqual([{ level: 'info', message: expect.stringMatching(where), meta: expect.any(Object) }]);
		expect(first.lines[0].message).toMatch(/emitted 1 event\(s\) \(document\.completed evt-n8n-1\)/);
		expect(again.lines).toEqual([{ level: 'info', message: expect.stringMatching(where), meta: expect.any(Object) }]);
		expect(again.lines[0].message).toMatch(/not emitted, a repeat of evt-n8n-1/);
		expect(harness.executions).toHaveLength(1);
	});

	it('an older update and a filtered event are one info line each, saying why nothing ran', async () => {
		await start({ options: { dropOutOfOrder: true } });
		const now = Date.now();
		await linesOf(() => post(harness.url(), executed('evt-new', new Date(now))));
		const older = await linesOf(() => post(harness.url(), executed('evt-old', new Date(now - 5000))));
		expect(older.lines).toEqual([{ level: 'info', message: expect.stringMatching(/older than an update already emitted.*evt-old/), meta: expect.any(Object) }]);
		harness.setParameter('options', { eventTypes: ['document.created'] });
		const filtered = await linesOf(() => post(harness.url(), executed('evt-f', new Date())));
		expect(filtered.lines).toEqual([{ level: 'info', message: expect.stringMatching(/filtered out by the event-type options.*\(workflow "Test"/), meta: expect.any(Object) }]);
		expect(harness.executions).toHaveLength(1);
	});
});
