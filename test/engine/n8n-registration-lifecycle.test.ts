import { LegitoTrigger } from '../../n8n/legito/nodes/LegitoTrigger/LegitoTrigger.node';
import { QuicklySignTrigger } from '../../n8n/quicklysign/nodes/QuicklySignTrigger/QuicklySignTrigger.node';
import { N8nTriggerHarness } from '../n8n/trigger-harness';
import * as legitoSim from '../../sandbox/simulators/legito';
import * as quicklysignSim from '../../sandbox/simulators/quicklysign';

/** Issue 9 findings under the corrected n8n harness, one test each. */

describe('n8n: Legito registrations never leak', () => {
	let sim: legitoSim.LegitoSimulator;
	let harness: N8nTriggerHarness;
	let other: { apiKey: string; privateKey: string };
	const creds = (a: { apiKey: string; privateKey: string }) => ({ apiKey: a.apiKey, privateKey: a.privateKey, region: 'custom', apiBaseUrl: sim.baseUrl });
	const owners = () => [...sim.state.connections.values()].map((c) => c.owner);

	beforeEach(async () => {
		sim = await legitoSim.start();
		other = sim.addAccount();
		harness = await new N8nTriggerHarness(new LegitoTrigger(), {
			credentials: { legitoApi: creds(sim) },
			credentialIds: { legitoApi: 'cred-a' },
			parameters: { legitoEvents: ['SignCompleted'] },
		}).start();
	});
	afterEach(async () => {
		await harness.stop();
		await sim.close();
	});

	it('publishing with another credential removes the connection at the old account and creates one at the new', async () => {
		await harness.activate();
		await harness.save({ credentials: { legitoApi: creds(other) }, credentialIds: { legitoApi: 'cred-b' } });
		expect(owners()).toEqual([other.apiKey]);
	});

	it('a credential edited to another workspace never deletes with the new key; the old connection is removed once its credential is back', async () => {
		await harness.activate();
		const [original] = [...sim.state.connections.keys()];
		harness.setCredentials('legitoApi', creds(other)); // edited in place: n8n runs nothing until the next start
		await harness.restart();
		expect(owners().sort()).toEqual([sim.apiKey, other.apiKey].sort());
		expect(harness.logs.some((l) => l.level === 'warn' && /made with another Legito account/.test(l.message))).toBe(true);
		expect(sim.state.calls.filter((c) => c.method === 'DELETE')).toEqual([]); // nothing deleted with the wrong key
		harness.setCredentials('legitoApi', creds(sim));
		await harness.restart();
		expect(sim.state.connections.has(original)).toBe(false);
		expect(owners().filter((owner) => owner === sim.apiKey)).toHaveLength(1);
	});

	it('a deactivation whose first delete fails still removes the connection', async () => {
		await harness.activate();
		sim.faults.failNext(500, { method: 'DELETE' });
		await harness.deactivate();
		expect(sim.state.connections.size).toBe(0);
	});

	it('a deactivation whose deletes keep failing keeps the removal and does it on the next activation', async () => {
		await harness.activate();
		const first = [...sim.state.connections.keys()][0];
		sim.faults.failNext(500, { method: 'DELETE' }, { times: 3 });
		await harness.deactivate();
		expect(sim.state.connections.has(first)).toBe(true);
		await harness.activate();
		expect(sim.state.connections.has(first)).toBe(false);
		expect(sim.state.connections.size).toBe(1);
	});

	it('a create that did the work and failed (cleanup failing too) leaves no dead duplicate after the next activation', async () => {
		sim.faults.dropNext({ method: 'POST' }, { after: true });
		sim.faults.failNext(500, { method: 'GET' }, { times: 3 }); // the sweep before, the vendor's cleanup, our cleanup
		await expect(harness.activate()).rejects.toThrow(/Legito creating the push connection failed/);
		expect(harness.active).toBe(false);
		expect(sim.state.connections.size).toBe(1); // n8n dropped the static data that knew about it
		await harness.activate();
		expect(sim.state.connections.size).toBe(1);
		const [connection] = [...sim.state.connections.values()];
		expect((await sim.fire('SignCompleted', { connectionId: connection.id }))[0].status).toBe(200);
	});

	it('a check that could not be made keeps the stored registration (n8n would otherwise delete it and deactivate)', async () => {
		await harness.activate();
		const [before] = [...sim.state.connections.keys()];
		sim.faults.failNext(500, { method: 'GET' });
		await harness.restart();
		expect(harness.active).toBe(true);
		expect(harness.queuedActivation).toBe(false);
		expect([...sim.state.connections.keys()]).toEqual([before]);
		expect(harness.logs.some((l) => /could not check the webhook registration — using the stored registration/.test(l.message))).toBe(true);
	});

	it('a check refused by Legito (a revoked key) is the activation error, not a silent "could not check"', async () => {
		await harness.activate();
		sim.faults.failNext(401, { method: 'GET' });
		await harness.restart();
		expect(harness.queuedActivation).toBe(true);
		expect(harness.logs.some((l) => /Legito listing push connections failed \(HTTP 401\)/.test(l.message))).toBe(true);
	});
});

describe('n8n: QuicklySign test runs', () => {
	let sim: quicklysignSim.QuicklysignSimulator;
	let harness: N8nTriggerHarness;

	beforeEach(async () => {
		sim = await quicklysignSim.start();
		const pack = sim.addPack().key;
		harness = await new N8nTriggerHarness(new QuicklySignTrigger(), {
			credentials: { quicklySignApi: { clientId: sim.clientId, clientSecret: sim.clientSecret, apiKey: sim.apiKey, environment: 'custom', apiBaseUrl: sim.baseUrl } },
			parameters: { documentPackKeys: pack },
		}).start();
	});
	afterEach(async () => {
		await harness.stop();
		await sim.close();
	});

	it('stopping a test run removes the test webhook, never the production one', async () => {
		await harness.activate();
		const production = [...sim.state.webhooks.values()].map((w) => w.callback);
		for (let run = 0; run < 3; run++) {
			await harness.listenForTest();
			await harness.stopListening();
		}
		expect([...sim.state.webhooks.values()].map((w) => w.callback)).toEqual(production);
		await harness.deactivate();
		expect(sim.state.webhooks.size).toBe(0);
	});
});
