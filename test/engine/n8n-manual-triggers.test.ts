import { NormalizedEventSchema } from '../../core/event/normalized-event';
import { sampleSets } from '../../core/samples/sets';
import { PhenixIdTrigger } from '../../n8n/phenixid-signing/nodes/PhenixIdTrigger/PhenixIdTrigger.node';
import { PlexusTrigger } from '../../n8n/plexus-gateway/nodes/PlexusTrigger/PlexusTrigger.node';
import { N8nTriggerHarness } from '../n8n/trigger-harness';
import { startPhenixidApi } from '../../sandbox/simulators/phenixid';

const secret = 'a3f1c9e2b7d4a6f8c0e1b2d3f4a5b6c7';

async function post(url: string, delivery: { headers: Record<string, string>; query: Record<string, string>; body: string | Buffer }) {
	const target = new URL(url);
	for (const [k, v] of Object.entries(delivery.query)) target.searchParams.set(k, v);
	const response = await fetch(target, { method: 'POST', headers: delivery.headers, body: delivery.body as BodyInit });
	return { status: response.status, body: await response.json().catch(() => undefined) };
}

describe('n8n: Plexus Gateway Trigger', () => {
	let harness: N8nTriggerHarness;
	beforeEach(async () => {
		harness = await new N8nTriggerHarness(new PlexusTrigger(), { credentials: { plexusGatewayApi: { secret } } }).start();
	});
	afterEach(() => harness.stop());

	it('emits one normalized item per signed delivery', async () => {
		await harness.activate();
		const delivery = sampleSets.plexus!.build('executed', { secret }, {});
		const response = await post(harness.url(), delivery);
		expect(response.status).toBe(200);
		expect(harness.executions).toHaveLength(1);
		const [item] = harness.executions[0];
		expect(NormalizedEventSchema.parse(item.json)).toMatchObject({ vendor: 'plexus', type: 'document.completed', document: { status: 'completed' } });
		expect(item.json.raw).toBeDefined();
	});

	it('answers 401 to a tampered delivery, starts nothing, and logs once without the secret', async () => {
		const response = await post(harness.url(), sampleSets.plexus!.build('executed', { secret }, { tamper: true }));
		expect(response.status).toBe(401);
		expect(harness.executions).toHaveLength(0);
		const warnings = harness.logs.filter((l) => l.level === 'warn');
		expect(warnings).toHaveLength(1);
		expect(JSON.stringify(harness.logs)).not.toContain(secret);
		expect(JSON.stringify(response.body)).not.toContain(secret);
	});

	it('emits a redelivery (same event id) only once', async () => {
		const delivery = sampleSets.plexus!.build('documentCreated', { secret }, {});
		expect((await post(harness.url(), delivery)).status).toBe(200);
		expect((await post(harness.url(), delivery)).status).toBe(200);
		expect(harness.executions).toHaveLength(1);
	});

	it('answers 400 with a shape summary for a signed body of the wrong shape', async () => {
		const body = JSON.stringify({ id: 'x', type: 'documentCreated', data: {} });
		const { createHmac } = await import('node:crypto');
		const signature = createHmac('sha512', secret).update(body).digest('hex');
		const response = await post(harness.url(), { headers: { 'content-type': 'application/json', 'plexus-webhook-signature': signature }, query: {}, body });
		expect(response.status).toBe(400);
		expect(response.body.error).toMatch(/createdAt|document/);
		expect(harness.executions).toHaveLength(0);
	});

	it('answers 413 over the configured maximum body size', async () => {
		harness.setParameter('options', { maxBodyMb: 1 });
		const delivery = sampleSets.plexus!.build('executed', { secret }, {});
		const big = JSON.parse(delivery.body as string);
		big.data.document.additionalFacts.padding = 'x'.repeat(1_100_000);
		const body = JSON.stringify(big);
		const { createHmac } = await import('node:crypto');
		const signature = createHmac('sha512', secret).update(body).digest('hex');
		const response = await post(harness.url(), { headers: { ...delivery.headers, 'plexus-webhook-signature': signature }, query: {}, body });
		expect(response.status).toBe(413);
		expect(harness.executions).toHaveLength(0);
	});

	it('filters by canonical type and drops raw when the option is off', async () => {
		harness.setParameter('options', { eventTypes: ['document.completed'], includeRaw: false });
		expect((await post(harness.url(), sampleSets.plexus!.build('documentCreated', { secret }, {}))).status).toBe(200);
		expect(harness.executions).toHaveLength(0);
		await post(harness.url(), sampleSets.plexus!.build('executed', { secret }, {}));
		expect(harness.executions).toHaveLength(1);
		expect(harness.executions[0][0].json.raw).toBeUndefined();
	});

	it('refuses everything when the credential has no secret', async () => {
		const empty = await new N8nTriggerHarness(new PlexusTrigger(), { credentials: { plexusGatewayApi: { secret: '' } } }).start();
		try {
			const response = await post(empty.url(), sampleSets.plexus!.build('executed', { secret: '' }, {}));
			expect(response.status).toBe(401);
			expect(empty.executions).toHaveLength(0);
		} finally {
			await empty.stop();
		}
	});
});

describe('n8n: PhenixID Signing Service Trigger', () => {
	const key = 'installation-key-1';
	let harness: N8nTriggerHarness;
	beforeEach(async () => {
		harness = await new N8nTriggerHarness(new PhenixIdTrigger(), { credentials: { phenixIdSigningApi: { secret, key } } }).start();
	});
	afterEach(() => harness.stop());

	it('emits a normalized item for a signed delivery with the right key', async () => {
		const response = await post(harness.url(), sampleSets.phenixid!.build('OrderSigned', { secret, key }, {}));
		expect(response.status).toBe(200);
		expect(harness.executions).toHaveLength(1);
		expect(NormalizedEventSchema.parse(harness.executions[0][0].json)).toMatchObject({ vendor: 'phenixid', type: 'document.completed' });
	});

	it('answers 401 for a wrong key or a tampered body', async () => {
		expect((await post(harness.url(), sampleSets.phenixid!.build('OrderSigned', { secret, key: 'other' }, {}))).status).toBe(401);
		expect((await post(harness.url(), sampleSets.phenixid!.build('OrderSigned', { secret, key }, { tamper: true }))).status).toBe(401);
		expect(harness.executions).toHaveLength(0);
	});

	it('answers 400 for a body that is not JSON', async () => {
		const { createHmac } = await import('node:crypto');
		const body = 'orderId=1';
		const signature = createHmac('sha256', secret).update(body).digest('hex');
		const url = `${harness.url()}?key=${key}`;
		const response = await post(url, { headers: { 'content-type': 'text/plain', 'x-signature': signature }, query: {}, body });
		expect(response.status).toBe(400);
		expect(harness.executions).toHaveLength(0);
	});

	it('fetches the order into data.order when the Fetch Order option is on', async () => {
		const api = await startPhenixidApi();
		api.orders.set('07c6ad8c-d1ba-4e73-9bbf-c70a085a449c', { id: '07c6ad8c-d1ba-4e73-9bbf-c70a085a449c', state: 'CANCELED' });
		const withApi = await new N8nTriggerHarness(new PhenixIdTrigger(), {
			credentials: { phenixIdSigningApi: { secret, key, apiBaseUrl: api.url } },
			parameters: { options: { fetchOrder: true } },
		}).start();
		try {
			expect((await post(withApi.url(), sampleSets.phenixid!.build('OrderCanceled', { secret, key }, {}))).status).toBe(200);
			await withApi.idle(); // answered before the fetch; the run starts after it
			expect(withApi.executions).toHaveLength(1);
			expect(withApi.executions[0][0].json.data).toMatchObject({ order: { state: 'CANCELED' } });
		} finally {
			await withApi.stop();
			await api.close();
		}
	});
});
