import { sampleSets } from '../../core/samples/sets';
import { PhenixIdTrigger } from '../../n8n/phenixid-signing/nodes/PhenixIdTrigger/PhenixIdTrigger.node';
import { PlexusTrigger } from '../../n8n/plexus-gateway/nodes/PlexusTrigger/PlexusTrigger.node';
import { N8nTriggerHarness } from '../n8n/trigger-harness';
import { startPhenixidApi } from '../../sandbox/simulators/phenixid';
import { makeTestPki } from '../../sandbox/simulators/tls';

// Plexus and PhenixID have no registration API: activation keeps track of the handed-over URL
// (n8n's scanner requires checkExists/create/delete on every webhook trigger).
const secret = 'a3f1c9e2b7d4a6f8c0e1b2d3f4a5b6c7';

describe.each([
	['Plexus Gateway', () => new PlexusTrigger(), 'plexusGatewayApi'],
	['PhenixID Signing Service', () => new PhenixIdTrigger(), 'phenixIdSigningApi'],
] as const)('n8n: %s Trigger activation (manual handover)', (displayName, makeNode, credentialName) => {
	it('records the URL on activation, exists while active, and no longer after deactivation', async () => {
		const harness = await new N8nTriggerHarness(makeNode(), { credentials: { [credentialName]: { secret } } }).start();
		try {
			expect(await harness.checkExists()).toBe(false);
			await harness.activate();
			expect(harness.staticData.handover).toMatchObject({ production: { url: harness.url('production'), active: true } });
			expect(await harness.checkExists()).toBe(true);
			expect(await harness.deactivate()).toBe(true);
			expect(await harness.checkExists()).toBe(false);
			expect(harness.logs.filter((l) => l.level === 'warn')).toHaveLength(0);
		} finally {
			await harness.stop();
		}
	});

	it('warns that the vendor needs the new URL when the production URL changed', async () => {
		const first = await new N8nTriggerHarness(makeNode(), { credentials: { [credentialName]: { secret } } }).start();
		await first.activate();
		await first.stop();
		// same static data, another server (port) → another production URL, as after a WEBHOOK_URL change
		const second = await new N8nTriggerHarness(makeNode(), { credentials: { [credentialName]: { secret } }, staticDataJson: first.persistedStaticData }).start();
		try {
			expect(await second.checkExists()).toBe(false);
			await second.activate();
			const warnings = second.logs.filter((l) => l.level === 'warn').map((l) => l.message);
			expect(warnings).toEqual([expect.stringContaining(`give ${displayName} the new URL`)]);
			expect(warnings[0]).toContain(second.url('production'));
			expect(warnings[0]).not.toContain(secret);
		} finally {
			await second.stop();
		}
	});

	it('keeps test listening apart from production and never warns about the test URL', async () => {
		const harness = await new N8nTriggerHarness(makeNode(), { credentials: { [credentialName]: { secret } } }).start();
		try {
			await harness.activate('production');
			await harness.activate('test');
			// n8n runs "Listen for test event" on an unsaved copy of the static data (see the harness)
			expect(harness.staticData.handover).toMatchObject({ production: { url: harness.url('production') } });
			expect((harness.staticData.handover as Record<string, unknown>).test).toBeUndefined();
			expect(harness.logs.filter((l) => l.level === 'warn')).toHaveLength(0);
		} finally {
			await harness.stop();
		}
	});

	it('refuses to activate with a credential that has no secret, naming what is missing', async () => {
		const harness = await new N8nTriggerHarness(makeNode(), { credentials: { [credentialName]: { secret: ' ' } } }).start();
		try {
			await expect(harness.activate()).rejects.toThrow(`The ${displayName} credential has no webhook secret`);
			expect(await harness.checkExists()).toBe(false);
		} finally {
			await harness.stop();
		}
	});
});

describe('n8n: PhenixID Fetch Order with a client certificate', () => {
	it('keeps the event and says why in data.orderError instead of calling the API without the certificate', async () => {
		const pki = makeTestPki();
		const api = await startPhenixidApi({ key: pki.serverKey, cert: pki.serverCert, ca: pki.ca });
		const key = 'k-123';
		const harness = await new N8nTriggerHarness(new PhenixIdTrigger(), {
			credentials: { phenixIdSigningApi: { secret, key, apiBaseUrl: api.url, clientCertificate: pki.clientCert, clientKey: pki.clientKey } },
			parameters: { options: { fetchOrder: true } },
		}).start();
		try {
			const delivery = sampleSets.phenixid!.build('OrderSigned', { secret, key }, {});
			const target = new URL(harness.url());
			for (const [k, v] of Object.entries(delivery.query)) target.searchParams.set(k, v);
			const response = await fetch(target, { method: 'POST', headers: delivery.headers, body: delivery.body as BodyInit });
			expect(response.status).toBe(200);
			expect(harness.executions).toHaveLength(1);
			const data = harness.executions[0][0].json.data as Record<string, unknown>;
			expect(data.order).toBeUndefined();
			expect(data.orderError).toMatch(/cannot present a TLS client certificate.*HTTP Request node.*SSL Certificates/);
			expect(api.requests).toHaveLength(0);
		} finally {
			await harness.stop();
			await api.close();
		}
	});
});
