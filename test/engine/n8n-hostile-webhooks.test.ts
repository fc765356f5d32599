import { createHmac } from 'node:crypto';
import { sampleSets } from '../../core/samples/sets';
import { LegalesignTrigger } from '../../n8n/legalesign/nodes/LegalesignTrigger/LegalesignTrigger.node';
import { LegitoTrigger } from '../../n8n/legito/nodes/LegitoTrigger/LegitoTrigger.node';
import { PhenixIdTrigger } from '../../n8n/phenixid-signing/nodes/PhenixIdTrigger/PhenixIdTrigger.node';
import { PlexusTrigger } from '../../n8n/plexus-gateway/nodes/PlexusTrigger/PlexusTrigger.node';
import { QuicklySignTrigger } from '../../n8n/quicklysign/nodes/QuicklySignTrigger/QuicklySignTrigger.node';
import { N8nTriggerHarness } from '../n8n/trigger-harness';
import * as legalesignSim from '../../sandbox/simulators/legalesign';
import { startPhenixidApi } from '../../sandbox/simulators/phenixid';

/**
 * Issue 8 §2 in n8n: webhook() answers every request itself with a short JSON body and never
 * throws (n8n answers a throw with 500 and starts a run with an empty item); a verified delivery
 * is acknowledged with exactly `{"received":true}` (not n8n's `firstEntryJson` default), before
 * any follow-up fetch.
 */
const secret = 'hostile-n8n-secret-0123456789abcdef';
const key = 'hostile-n8n-key';

async function post(url: string, init: { headers?: Record<string, string>; body?: string }) {
	const response = await fetch(url, { method: 'POST', headers: init.headers, body: init.body });
	return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text(), retryAfter: response.headers.get('retry-after') };
}

function expectJsonError(response: { contentType: string; text: string }) {
	expect(response.contentType).toMatch(/^application\/json/);
	expect(JSON.parse(response.text)).toEqual({ error: expect.any(String) });
}

describe('n8n webhook(): hostile input is answered, never thrown', () => {
	let harness: N8nTriggerHarness;
	afterEach(() => harness?.stop());

	it('acknowledges a signed delivery with exactly {"received":true} and starts one run', async () => {
		harness = await new N8nTriggerHarness(new PlexusTrigger(), { credentials: { plexusGatewayApi: { secret } } }).start();
		const delivery = sampleSets.plexus!.build('executed', { secret }, { now: new Date() });
		const response = await post(harness.url(), { headers: delivery.headers, body: String(delivery.body) });
		expect(response.status).toBe(200);
		expect(response.contentType).toMatch(/^application\/json/);
		expect(response.text).toBe('{"received":true}');
		await harness.idle();
		expect(harness.executions).toHaveLength(1);
		expect(harness.thrown).toHaveLength(0);
	});

	it('a duplicate is acknowledged the same way and starts nothing', async () => {
		harness = await new N8nTriggerHarness(new PlexusTrigger(), { credentials: { plexusGatewayApi: { secret } } }).start();
		const delivery = sampleSets.plexus!.build('documentCreated', { secret }, { now: new Date() });
		await post(harness.url(), { headers: delivery.headers, body: String(delivery.body) });
		const again = await post(harness.url(), { headers: delivery.headers, body: String(delivery.body) });
		expect(again.text).toBe('{"received":true}');
		await harness.idle();
		expect(harness.executions).toHaveLength(1);
	});

	it('an exception inside a signed delivery ("__proto__" key in a PhenixID body) is a JSON answer, no run, no throw', async () => {
		harness = await new N8nTriggerHarness(new PhenixIdTrigger(), { credentials: { phenixIdSigningApi: { secret, key } } }).start();
		const body = '{"__proto__":{"taskId":{"x":1}},"eventType":"OrderCompleted"}';
		const signature = createHmac('sha256', secret).update(body).digest('hex');
		const response = await post(`${harness.url()}?key=${key}`, { headers: { 'content-type': 'application/json', 'x-signature': signature }, body });
		// 500 while the PhenixID parser throws on it, 400 once it refuses such keys
		expect([400, 500]).toContain(response.status);
		expectJsonError(response);
		await harness.idle();
		expect(harness.thrown).toHaveLength(0);
		expect(harness.executions).toHaveLength(0);
		if (response.status === 500) expect(harness.logs.filter((l) => l.level === 'error')).toHaveLength(1);
	});

	it('Legalesign with the right token: a batch value "constructor" is one plain event, a json_signed 20,000 deep a JSON 400, no throw', async () => {
		const sim = await legalesignSim.start();
		try {
			// no certificate in the credential: Legalesign's signature is not checked, the token is all
			harness = await new N8nTriggerHarness(new LegalesignTrigger(), { credentials: { legalesignApi: { username: sim.username, apiKey: sim.apiKey, apiBaseUrl: sim.baseUrl } }, parameters: { notify: 'all' } }).start();
			await harness.activate();
			const url = (harness.staticData.registrations as Record<string, { url: string }>).production.url;
			const form = { 'content-type': 'application/x-www-form-urlencoded' };
			const batch = [{ value: 'constructor', timestamp: new Date().toISOString(), resource_uri: '/api/v1/document/6619179c-95da-4d5c-b7be-7bac0bac4088/', name: 'status' }];
			const deep = '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000);
			// an unknown status value is a vendor string like any other: emitted, mapped through own properties only
			const unknown = await post(url, { headers: form, body: new URLSearchParams({ data: JSON.stringify(batch) }).toString() });
			expect(unknown.status).toBe(200);
			expect(JSON.parse(unknown.text)).toEqual({ received: true });
			const tooDeep = await post(url, { headers: form, body: new URLSearchParams({ json_signed: deep, event: 'signed', resource_uri: '/api/v1/document/x/' }).toString() });
			expect(tooDeep.status).toBe(400);
			expectJsonError(tooDeep);
			await harness.idle();
			expect(harness.thrown).toHaveLength(0);
			expect(harness.executions).toHaveLength(1);
			const [item] = harness.executions[0] as unknown as Array<{ json: { type: unknown; vendorEventType: unknown } }>;
			expect(typeof item.json.type).toBe('string');
			expect(item.json.vendorEventType).toBe('document.constructor');
		} finally {
			await sim.close();
		}
	});

	it('a trigger whose credential cannot be loaded answers 500 JSON and logs once, without throwing', async () => {
		harness = await new N8nTriggerHarness(new PlexusTrigger(), { credentials: {} }).start();
		const delivery = sampleSets.plexus!.build('executed', { secret }, { now: new Date() });
		const response = await post(harness.url(), { headers: delivery.headers, body: String(delivery.body) });
		expect(response.status).toBe(500);
		expectJsonError(response);
		await harness.idle();
		expect(harness.thrown).toHaveLength(0);
		expect(harness.executions).toHaveLength(0);
		expect(harness.logs.filter((l) => l.level === 'error')).toHaveLength(1);
	});

	it.each([
		['Plexus', () => new PlexusTrigger(), { plexusGatewayApi: { secret } }],
		['PhenixID', () => new PhenixIdTrigger(), { phenixIdSigningApi: { secret, key } }],
		['Legito', () => new LegitoTrigger(), { legitoApi: { apiKey: 'k', privateKey: 'p' } }],
		['Legalesign', () => new LegalesignTrigger(), { legalesignApi: { username: 'u', apiKey: 'k' } }],
		['QuicklySign', () => new QuicklySignTrigger(), { quicklySignApi: { clientId: 'c', clientSecret: 's', apiKey: 'k' } }],
	] as const)('%s: unauthenticated junk, empty and odd bodies are JSON 4xx with no run and no throw', async (_name, node, credentials) => {
		harness = await new N8nTriggerHarness(node(), { credentials: credentials as never }).start();
		const inputs: Array<{ headers?: Record<string, string>; body?: string; query?: string }> = [
			{ body: 'x', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
			{ body: '' },
			{ body: '{"__proto__":{"a":1}}', headers: { 'content-type': 'application/json' } },
			{ body: '[]', headers: { 'content-type': 'application/json', 'x-legalhooks-token': 'guess', 'x-signature': 'ab', 'plexus-webhook-signature': 'ab' } },
			{ body: '{}', query: '?token=guess&token=other&key=guess', headers: { 'content-type': 'application/json' } },
			{ body: 'a'.repeat(2048), query: '?token[$ne]=1', headers: { 'content-type': 'text/plain' } },
		];
		for (const input of inputs) {
			const response = await post(`${harness.url()}${input.query ?? ''}`, input);
			expect(response.status).toBeGreaterThanOrEqual(400);
			expect(response.status).toBeLessThan(500);
			expectJsonError(response);
		}
		await harness.idle();
		expect(harness.thrown).toHaveLength(0);
		expect(harness.executions).toHaveLength(0);
	});

	it('a body over the limit is a JSON 413', async () => {
		harness = await new N8nTriggerHarness(new PlexusTrigger(), { credentials: { plexusGatewayApi: { secret } }, parameters: { options: { maxBodyMb: 0.001 } } }).start();
		const response = await post(harness.url(), { headers: { 'content-type': 'application/json', 'plexus-webhook-signature': 'ab' }, body: 'x'.repeat(4096) });
		expect(response.status).toBe(413);
		expectJsonError(response);
		expect(harness.thrown).toHaveLength(0);
	});

	it('answers {"received":true} before a slow order fetch; the run starts once the fetch is over', async () => {
		const api = await startPhenixidApi();
		api.faults.hangNext({ path: '/orders/' });
		harness = await new N8nTriggerHarness(new PhenixIdTrigger(), {
			credentials: { phenixIdSigningApi: { secret, key, apiBaseUrl: api.url } },
			parameters: { options: { fetchOrder: true } },
		}).start();
		try {
			const delivery = sampleSets.phenixid!.build('OrderCanceled', { secret, key }, {});
			const target = new URL(harness.url());
			for (const [name, value] of Object.entries(delivery.query)) target.searchParams.set(name, value);
			const response = await post(target.toString(), { headers: delivery.headers, body: String(delivery.body) });
			expect(response.status).toBe(200);
			expect(response.text).toBe('{"received":true}');
			// the vendor has its answer while the order fetch still hangs: no run yet
			expect(harness.executions).toHaveLength(0);
		} finally {
			await api.close(); // the hung fetch fails; the event goes on with data.orderError
		}
		await harness.idle();
		expect(harness.executions).toHaveLength(1);
		expect(harness.executions[0][0].json.data).toMatchObject({ orderError: expect.stringMatching(/unreachable/) });
	});
});
