import { NormalizedEventSchema } from '../../core/event/normalized-event';
import legalesignModule from '../../node-red/src/legalhooks-legalesign';
import legitoModule from '../../node-red/src/legalhooks-legito';
import quicklysignModule from '../../node-red/src/legalhooks-quicklysign';
import { capturing, collect, helper, httpNodeServer } from '../node-red/helper';
import * as legitoSim from '../../sandbox/simulators/legito';
import * as legalesignSim from '../../sandbox/simulators/legalesign';
import * as quicklysignSim from '../../sandbox/simulators/quicklysign';
import type { RunningServer } from '../../sandbox/simulators/server';
import { waitFor } from '../wait-for';

/**
 * Issue 23, polling in a Node-RED runtime (node-red-node-test-helper): no webhook registered, each
 * event once over three polls. Catch-up across a restart is in node-red-catchup-restart.test.ts.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let counter = 0;

function flow(type: string, accountType: string, baseUrl: string, id: string, trigger: Record<string, unknown>) {
	return [
		{ id: 'acct', type: accountType, name: 'account', baseUrl },
		{ id, type, account: 'acct', path: `inbox-${id}`, wires: [['out']], ...trigger },
		{ id: 'out', type: 'helper' },
	];
}

const payloads = (messages: any[]) => messages.map((m) => NormalizedEventSchema.parse(m.payload));

describe('Node-RED catch-up: Legito', () => {
	const nodes = capturing(legitoModule as any);
	let sim: legitoSim.LegitoSimulator;
	let server: RunningServer;
	let id: string;
	const credentials = () => ({ acct: { apiKey: sim.apiKey, privateKey: sim.privateKey, region: 'custom', apiBaseUrl: sim.baseUrl } });
	const load = (extra: Record<string, unknown> = {}) =>
		helper.load(nodes.module as any, flow('legalhooks-legito-trigger', 'legalhooks-legito-account', server.url, id, { legitoEvents: '', catchUp: true, legitoSettleSeconds: 1, pollSeconds: 1, ...extra }), credentials());

	beforeEach(async () => {
		id = `legito-cu-${++counter}`;
		sim = await legitoSim.start();
		server = await httpNodeServer(nodes.red as any);
	});
	afterEach(async () => {
		await helper.unload();
		await server.close();
		await sim.close();
	});

	it('polling alone: no push connection, each event once over three polls', async () => {
		await load({ receive: 'poll', catchUp: false });
		await sleep(1200);
		const received = collect(helper.getNode('out'));
		sim.happen('SignStarted', { code: 'doc-p' });
		sim.happen('SignCompleted', { code: 'doc-p' });
		const polls = () => sim.state.calls.filter((c) => c.path.endsWith('/event')).length;
		const before = polls();
		await waitFor(() => polls() >= before + 3 && received.length >= 2, 'three polls', 30_000);
		expect(sim.state.connections.size).toBe(0);
		expect(payloads(received).map((e) => [e.vendorEventType, e.data.source])).toEqual([
			['SignStarted', 'poll'],
			['SignCompleted', 'poll'],
		]);
	});
	it('catch-up at start is sent before a live delivery that arrives while it reads', async () => {
		sim.happen('SignStarted', { code: 'doc-old', at: new Date(Date.now() - 30_000) });
		sim.faults.delayNext(1500, { path: '/event' }); // a slow timeline read
		await load({ startFrom: new Date(Date.now() - 60_000).toISOString() });
		await waitFor(() => sim.state.connections.size === 1, 'the push connection');
		const received = collect(helper.getNode('out'));
		await sleep(200); // the catch-up is reading now
		const [live] = await sim.fire('SignCompleted', { code: 'doc-live' });
		expect(live.status).toBe(200); // answered at once; the event waits
		await waitFor(() => received.length >= 2, 'both events');
		expect(payloads(received).map((e) => [e.document.id, e.data.source])).toEqual([
			['doc-old', 'catch-up'],
			['doc-live', 'webhook'],
		]);
	});

	it('switching the trigger to Poll and deploying removes its push connection at Legito; back to the webhook registers again', async () => {
		const trigger = (extra: Record<string, unknown>) => flow('legalhooks-legito-trigger', 'legalhooks-legito-account', server.url, id, { legitoEvents: '', legitoSettleSeconds: 1, pollSeconds: 1, ...extra });
		await load({ catchUp: false });
		await waitFor(() => sim.state.connections.size === 1, 'the push connection');
		await helper.setFlows(trigger({ receive: 'poll' }), 'nodes', credentials());
		await waitFor(() => sim.state.connections.size === 0, 'the old connection removed');
		const polls = () => sim.state.calls.filter((c) => c.path.endsWith('/event')).length;
		await waitFor(() => polls() >= 1, 'a poll');
		await helper.setFlows(trigger({ receive: 'webhook' }), 'nodes', credentials());
		await waitFor(() => sim.state.connections.size === 1, 'a new push connection');
		await sleep(1500);
		expect(sim.state.connections.size).toBe(1);
		const [connection] = [...sim.state.connections.values()];
		expect(connection.url).toBe(`${server.url}/legalhooks/legito/inbox-${id}`);
	});

	it('an account that does not register (another instance does) neither catches up nor polls', async () => {
		await helper.load(nodes.module as any, [
			{ id: 'acct', type: 'legalhooks-legito-account', name: 'account', baseUrl: server.url, registers: false },
			{ id, type: 'legalhooks-legito-trigger', account: 'acct', path: `inbox-${id}`, receive: 'poll', pollSeconds: 1, startFrom: new Date(Date.now() - 60_000).toISOString(), wires: [['out']] },
			{ id: 'out', type: 'helper' },
		], credentials());
		sim.happen('SignStarted', { code: 'doc-x', at: new Date(Date.now() - 30_000) });
		await sleep(2500);
		expect(sim.state.calls.filter((c) => c.path.endsWith('/event'))).toEqual([]);
	});
});

describe('Node-RED catch-up: Legalesign', () => {
	const nodes = capturing(legalesignModule as any);
	let sim: legalesignSim.LegalesignSimulator;
	let server: RunningServer;
	let id: string;
	const credentials = () => ({ acct: { username: sim.username, apiKey: sim.apiKey, apiBaseUrl: sim.baseUrl, certificate: sim.certificate } });
	const load = (extra: Record<string, unknown> = {}) =>
		helper.load(nodes.module as any, flow('legalhooks-legalesign-trigger', 'legalhooks-legalesign-account', server.url, id, { group: 'main', catchUp: true, pollSeconds: 1, ...extra }), credentials());

	beforeEach(async () => {
		id = `legalesign-cu-${++counter}`;
		sim = await legalesignSim.start();
		server = await httpNodeServer(nodes.red as any);
	});
	afterEach(async () => {
		await helper.unload();
		await server.close();
		await sim.close();
	});

	it('polling alone: no subscription, each change once over three polls', async () => {
		await load({ receive: 'poll', catchUp: false });
		const lists = () => sim.state.calls.filter((c) => c.path === '/api/v1/document/').length;
		await waitFor(() => lists() >= 1, 'the first read poll');
		const received = collect(helper.getNode('out'));
		sim.changeDocument('doc-p');
		await waitFor(() => received.length >= 2, 'sent');
		sim.changeDocument('doc-p', { status: 30, signerStatus: 40 });
		const before = lists();
		await waitFor(() => lists() >= before + 3, 'three more polls', 30_000);
		expect(sim.state.subscriptions).toHaveLength(0);
		expect(payloads(received).map((e) => e.type)).toEqual(['recipient.sent', 'document.sent', 'recipient.completed', 'document.completed']);
	});

	it('polling: a read failing at the second document (after the list and the first one) emits nothing; the retry emits each once', async () => {
		await load({ receive: 'poll', catchUp: false });
		const lists = () => sim.state.calls.filter((c) => c.path === '/api/v1/document/').length;
		await waitFor(() => lists() >= 1, 'the first read poll');
		const received = collect(helper.getNode('out'));
		sim.changeDocument('doc-1', { status: 30, signerStatus: 40 });
		sim.changeDocument('doc-2', { status: 50, signerStatus: 60 });
		sim.faults.failNext(500, { path: '/api/v1/document/doc-2/' });
		await waitFor(() => sim.state.calls.some((c) => c.path === '/api/v1/document/doc-2/'), 'the failing read');
		await sleep(300);
		expect(received).toHaveLength(0);
		await waitFor(() => received.length >= 4, 'the retry after the backoff', 30_000);
		const before = lists();
		await waitFor(() => lists() >= before + 3, 'three more polls', 30_000);
		expect(payloads(received).map((e) => `${e.type} ${e.document.id}`)).toEqual(['recipient.completed doc-1', 'document.completed doc-1', 'recipient.rejected doc-2', 'document.rejected doc-2']);
	}, 60_000);

	it('a status heard by webhook is not emitted again by the catch-up sweeps (the snapshot learns it: the ids differ, the webhook\'s timestamp has an offset)', async () => {
		await load();
		await waitFor(() => sim.state.subscriptions.length === 1, 'the subscription');
		const received = collect(helper.getNode('out'));
		sim.changeDocument('doc-w'); // sent: read by a sweep, so the snapshot knows the document and its signer
		await waitFor(() => received.length >= 2, 'the sweep');
		const at = new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00');
		const [delivery] = await sim.deliverBatch([
			{ value: '40', timestamp: at, resource_uri: '/api/v1/signer/doc-w-s1/', name: 'status' },
			{ value: '30', timestamp: at, resource_uri: '/api/v1/document/doc-w/', name: 'status' },
		]);
		expect(delivery.status).toBe(200);
		// What the API answers from now on; its `modified` a few seconds after the webhook's time (Legalesign may record them apart).
		sim.changeDocument('doc-w', { status: 30, signerStatus: 40, at: new Date(Date.now() + 3000) });
		const lists = () => sim.state.calls.filter((c) => c.path === '/api/v1/document/').length;
		const before = lists();
		await waitFor(() => lists() >= before + 3, 'three more sweeps', 30_000);
		await sleep(300);
		expect(payloads(received).map((e) => [e.type, e.data.source])).toEqual([
			['recipient.sent', 'catch-up'],
			['document.sent', 'catch-up'],
			['recipient.completed', 'webhook'],
			['document.completed', 'webhook'],
		]);
	});
});


describe('Node-RED polling: QuicklySign, and reads that fail part-way (Legalesign, QuicklySign)', () => {
	const qsNodes = capturing(quicklysignModule as any);
	let sim: quicklysignSim.QuicklysignSimulator;
	let server: RunningServer;
	let id: string;
	const credentials = () => ({ acct: { clientId: sim.clientId, clientSecret: sim.clientSecret, apiKey: sim.apiKey, environment: 'custom', apiBaseUrl: sim.baseUrl } });
	const packReads = () => sim.state.calls.filter((c) => c.path.startsWith('/v1/document_packs/')).length;

	beforeEach(async () => {
		id = `quicklysign-cu-${++counter}`;
		sim = await quicklysignSim.start();
		server = await httpNodeServer(qsNodes.red as any);
	});
	afterEach(async () => {
		await helper.unload();
		await server.close();
		await sim.close();
	});

	it('QuicklySign polling alone: no webhook, each change of the watched packs once over three polls; a read failing at the second pack emits nothing until the retry', async () => {
		sim.addPack('pack-1');
		sim.addPack('pack-2');
		await helper.load(qsNodes.module as any, flow('legalhooks-quicklysign-trigger', 'legalhooks-quicklysign-account', server.url, id, { documentPackKeys: 'pack-1, pack-2', receive: 'poll', pollSeconds: 1 }), credentials());
		await waitFor(() => packReads() >= 2, 'the baseline read');
		const received = collect(helper.getNode('out'));
		await sleep(5);
		sim.audit('pack-1', 'user_signed');
		sim.setPackStatus('pack-1', 'complete');
		sim.audit('pack-2', 'user_viewed');
		sim.faults.failNext(500, { path: '/v1/audit_trail/pack-2' }); // after pack-1 was read in full
		await waitFor(() => sim.state.calls.some((c) => c.path === '/v1/audit_trail/pack-2'), 'the failing read');
		await sleep(300);
		expect(received).toHaveLength(0);
		await waitFor(() => received.length >= 3, 'the retry after the backoff', 30_000);
		const before = packReads();
		await waitFor(() => packReads() >= before + 3 * 2, 'three more polls', 30_000);
		expect(sim.state.webhooks.size).toBe(0);
		expect(payloads(received).map((e) => [e.vendorEventType, e.document.id, e.data.source])).toEqual([
			['audit_trail_updated', 'pack-1', 'poll'],
			['document_status_changed', 'pack-1', 'poll'],
			['audit_trail_updated', 'pack-2', 'poll'],
		]);
	}, 60_000);
});
