import express from 'express';
import { LEGALESIGN_SEED_BATCH } from '../../core/vendors/legalesign/samples';
import { LegalesignTrigger } from '../../n8n/legalesign/nodes/LegalesignTrigger/LegalesignTrigger.node';
import legalesignModule from '../../node-red/src/legalhooks-legalesign';
import { N8nTriggerHarness } from '../n8n/trigger-harness';
import { capturing, helper } from '../node-red/helper';
import * as legalesignSim from '../../sandbox/simulators/legalesign';
import { listen, sendDelivery, type RunningServer } from '../../sandbox/simulators/server';
import { waitFor } from '../wait-for';

/**
 * Issue 25 for the registering vendors: when a registration is re-created (a changed setting, an n8n
 * save), the vendor may still deliver what it queued for the old one, with the old token. The new
 * registration keeps accepting the old token (for 24 h), and says so in `verification.secret`.
 */
const batchBody = (sim: legalesignSim.LegalesignSimulator) => {
	const data = JSON.stringify(LEGALESIGN_SEED_BATCH);
	return { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ data, signed: sim.sign(data) }).toString() };
};
const tokenOf = (url: string) => new URL(url).searchParams.get('token') ?? '';
const withToken = (url: string, token: string) => url.replace(/token=[^&]*/, `token=${token}`);

describe('n8n: a re-created Legalesign subscription keeps accepting the old token', () => {
	let sim: legalesignSim.LegalesignSimulator;
	let harness: N8nTriggerHarness;
	beforeEach(async () => {
		sim = await legalesignSim.start();
		harness = await new N8nTriggerHarness(new LegalesignTrigger(), {
			credentials: { legalesignApi: { username: sim.username, apiKey: sim.apiKey, apiBaseUrl: sim.baseUrl, certificate: sim.certificate } },
			parameters: { notify: 'all' },
		}).start();
	});
	afterEach(async () => {
		await harness.stop();
		await sim.close();
	});

	it('a delivery in flight for the old subscription is emitted after the re-creation; another token is refused', async () => {
		await harness.activate();
		const oldUrl = sim.state.subscriptions[0].url;
		harness.setParameter('notify', 'signed');
		await harness.activate();
		expect(sim.state.subscriptions).toHaveLength(1);
		const newUrl = sim.state.subscriptions[0].url;
		expect(tokenOf(newUrl)).not.toBe(tokenOf(oldUrl));

		expect((await sendDelivery(oldUrl, batchBody(sim))).status).toBe(200);
		await harness.idle();
		expect(harness.executions).toHaveLength(1);
		expect(harness.executions[0].map((item) => (item.json.verification as { secret?: string }).secret)).toEqual(Array(8).fill('previous'));

		expect((await sendDelivery(withToken(newUrl, 'f'.repeat(64)), batchBody(sim))).status).toBe(401);
		const fresh = LEGALESIGN_SEED_BATCH.map((entry) => ({ ...entry, timestamp: '2030-01-01T00:00:00+00:00' }));
		const data = JSON.stringify(fresh);
		const sent = await sendDelivery(newUrl, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ data, signed: sim.sign(data) }).toString() });
		expect(sent.status).toBe(200);
		await harness.idle();
		expect(harness.executions).toHaveLength(2);
		expect((harness.executions[1][0].json.verification as { secret?: string }).secret).toBe('current');
	});
});

describe('Node-RED: a re-created Legalesign subscription keeps accepting the old token', () => {
	const nodes = capturing(legalesignModule as any);
	let sim: legalesignSim.LegalesignSimulator;
	let server: RunningServer;
	const flow = (notify: string) => [
		{ id: 'acct', type: 'legalhooks-legalesign-account', name: 'account', baseUrl: server.url },
		{ id: 'overlap', type: 'legalhooks-legalesign-trigger', account: 'acct', path: 'inbox', notify, wires: [['out']] },
		{ id: 'out', type: 'helper' },
	];
	const credentials = () => ({ acct: { username: sim.username, apiKey: sim.apiKey, apiBaseUrl: sim.baseUrl, certificate: sim.certificate } });

	beforeEach(async () => {
		sim = await legalesignSim.start();
		const app = express();
		app.use((req, res, next) => (nodes.red() as any).httpNode(req, res, next));
		server = await listen(app);
	});
	afterEach(async () => {
		await helper.unload();
		await server.close();
		await sim.close();
	});

	it('a delivery in flight for the old subscription is emitted after a redeploy re-created it', async () => {
		await helper.load(nodes.module as any, flow('all'), credentials());
		await waitFor(() => sim.state.subscriptions.length === 1, 'the subscription');
		const oldUrl = sim.state.subscriptions[0].url;
		await helper.unload();
		await helper.load(nodes.module as any, flow('signed'), credentials());
		await waitFor(() => sim.state.subscriptions.length === 1 && sim.state.subscriptions[0].url !== oldUrl, 'the new subscription');
		const received: any[] = [];
		helper.getNode('out').on('input', (message: unknown) => received.push(message));

		expect((await sendDelivery(oldUrl, batchBody(sim))).status).toBe(200);
		await waitFor(() => received.length === 8, 'eight messages');
		expect(received.map((message) => message.payload.verification.secret)).toEqual(Array(8).fill('previous'));
		expect((await sendDelivery(withToken(oldUrl, 'f'.repeat(64)), batchBody(sim))).status).toBe(401);
	});
});
