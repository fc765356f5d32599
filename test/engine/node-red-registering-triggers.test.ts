import { NormalizedEventSchema } from '../../core/event/normalized-event';
import { LEGALESIGN_SEED_BATCH } from '../../core/vendors/legalesign/samples';
import legalesignModule from '../../node-red/src/legalhooks-legalesign';
import legitoModule from '../../node-red/src/legalhooks-legito';
import quicklysignModule from '../../node-red/src/legalhooks-quicklysign';
import { capturing, collect, helper, httpNodeServer } from '../node-red/helper';
import * as legitoSim from '../../sandbox/simulators/legito';
import * as legalesignSim from '../../sandbox/simulators/legalesign';
import * as quicklysignSim from '../../sandbox/simulators/quicklysign';
import { sendDelivery, type RunningServer } from '../../sandbox/simulators/server';
import { waitFor } from '../wait-for';

/** A public front server for Node-RED's httpNode, so the simulators can call the trigger over real HTTP. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 50));
let counter = 0;

function flow(type: string, accountType: string, baseUrl: string, trigger: Record<string, unknown>): any[] {
	return [
		{ id: 'acct', type: accountType, name: 'account', baseUrl },
		{ type, account: 'acct', path: 'inbox', wires: [['out']], ...trigger },
		{ id: 'out', type: 'helper' },
	];
}

async function close(id: string, removed: boolean) {
	await (helper.getNode(id) as unknown as { close(removed: boolean): Promise<void> }).close(removed);
}

describe('Node-RED: legalhooks-legito-trigger lifecycle', () => {
	const nodes = capturing(legitoModule as any);
	let sim: legitoSim.LegitoSimulator;
	let server: RunningServer;
	let id: string;
	const credentials = () => ({ acct: { apiKey: sim.apiKey, privateKey: sim.privateKey, region: 'custom', apiBaseUrl: sim.baseUrl } });
	const load = (extra: Record<string, unknown> = {}) =>
		helper.load(
			nodes.module as any,
			flow('legalhooks-legito-trigger', 'legalhooks-legito-account', server.url, { id, legitoEvents: 'SignCompleted', attachFilesGenerated: true, fileTypes: 'pdf', ...extra }),
			credentials(),
		);

	beforeEach(async () => {
		id = `legito-${++counter}`;
		sim = await legitoSim.start();
		server = await httpNodeServer(nodes.red as any);
	});
	afterEach(async () => {
		await helper.unload();
		await server.close();
		await sim.close();
	});

	it('an account without a public base URL registers nothing and says what to set', async () => {
		await helper.load(
			nodes.module as any,
			flow('legalhooks-legito-trigger', 'legalhooks-legito-account', '', { id, legitoEvents: 'SignCompleted' }),
			credentials(),
		);
		const trigger = helper.getNode(id) as any;
		await waitFor(() => trigger.error.called === true || (trigger.error as any).callCount > 0, 'the error');
		expect(String((trigger.error as any).firstCall.args[0])).toMatch(/public base URL/);
		expect(sim.state.connections.size).toBe(0);
	});

	it('deploy → registered → push with files → msg.payload + msg.files → redeploy keeps it → delete removes it', async () => {
		await load();
		await waitFor(() => sim.state.connections.size === 1, 'the push connection');
		const [connection] = [...sim.state.connections.values()];
		expect(connection.url).toBe(`${server.url}/legalhooks/legito/inbox`);
		const received = collect(helper.getNode('out'));
		const pdf = Buffer.from('%PDF signed');
		const [sent] = await sim.fire('SignCompleted', { files: [{ fileName: 'signed.pdf', data: pdf }, { fileName: 'annex.txt', data: Buffer.from('annex'), kind: 'uploaded' }] });
		expect(sent.status).toBe(200);
		await waitFor(() => received.length === 1, 'the message');
		expect(NormalizedEventSchema.parse(received[0].payload)).toMatchObject({ vendor: 'legito', type: 'document.completed' });
		expect(received[0].files.map((f: any) => [f.fileName, f.mimeType])).toEqual([['annex.txt', 'text/plain'], ['signed.pdf', 'application/pdf']]);
		expect(Buffer.isBuffer(received[0].files[1].data) && received[0].files[1].data.equals(pdf)).toBe(true);

		await helper.unload(); // a full redeploy / restart: close(removed = false)
		await load();
		await waitFor(() => sim.state.calls.filter((c) => c.method === 'GET').length >= 1, 'the reconcile');
		await tick();
		expect([...sim.state.connections.keys()]).toEqual([connection.id]);

		await close(id, true); // deleted or disabled
		expect(sim.state.connections.size).toBe(0);
	});

	it('a changed setting on redeploy replaces the connection', async () => {
		await load();
		await waitFor(() => sim.state.connections.size === 1, 'the push connection');
		await helper.unload();
		await load({ legitoEvents: 'SignCompleted,SignCanceled' });
		await waitFor(() => [...sim.state.connections.values()].some((c) => c.eventTypes.length === 2), 'the new connection');
		expect(sim.state.connections.size).toBe(1);
	});

	it('a vendor 500 during deploy (after the vendor created it) leaves nothing registered', async () => {
		sim.faults.failNext(500, { method: 'POST' }, { after: true });
		await load();
		await waitFor(() => sim.state.calls.some((c) => c.method === 'POST'), 'the create call');
		await waitFor(() => sim.state.calls.filter((c) => c.method === 'DELETE').length === 1, 'the cleanup');
		expect(sim.state.connections.size).toBe(0);
	});

	it('a connection already gone (404 on delete) still removes cleanly; a wrong token or unknown connection is 401', async () => {
		await load();
		await waitFor(() => sim.state.connections.size === 1, 'the push connection');
		const [connection] = [...sim.state.connections.values()];
		const received = collect(helper.getNode('out'));
		const url = `${server.url}/legalhooks/legito/inbox`;
		expect((await sendDelivery(url, { headers: { 'content-type': 'application/json', 'X-Legalhooks-Token': 'bad' }, body: sim.pushBody(connection, 'SignCompleted') })).status).toBe(401);
		const token = connection.headers[0].value as string;
		const stranger = sim.pushBody({ ...connection, systemName: 'not-ours' }, 'SignCompleted');
		expect((await sendDelivery(url, { headers: { 'content-type': 'application/json', 'X-Legalhooks-Token': token }, body: stranger })).status).toBe(401);
		await tick();
		expect(received).toHaveLength(0);
		sim.state.connections.clear();
		await close(id, true);
		expect(sim.state.calls.filter((c) => c.method === 'DELETE').map((c) => c.status)).toEqual([404]);
	});

	it('takes a 20 MB push with two files', async () => {
		await load({ maxBodyMb: 50 });
		await waitFor(() => sim.state.connections.size === 1, 'the push connection');
		const received = collect(helper.getNode('out'));
		const a = Buffer.alloc(9 * 1024 * 1024, 3);
		const b = Buffer.alloc(6 * 1024 * 1024, 4);
		const [sent] = await sim.fire('SignCompleted', { files: [{ fileName: 'a.pdf', data: a }, { fileName: 'b.docx', data: b }] });
		expect(sent.status).toBe(200);
		await waitFor(() => received.length === 1, 'the message');
		expect(received[0].files.map((f: any) => f.size)).toEqual([a.length, b.length]);
		expect(received[0].files[0].data.equals(a)).toBe(true);
	});
});

describe('Node-RED: legalhooks-legalesign-trigger lifecycle', () => {
	const nodes = capturing(legalesignModule as any);
	let sim: legalesignSim.LegalesignSimulator;
	let server: RunningServer;
	let id: string;
	const load = (extra: Record<string, unknown> = {}) =>
		helper.load(nodes.module as any, flow('legalhooks-legalesign-trigger', 'legalhooks-legalesign-account', server.url, { id, notify: 'all', ...extra }), {
			acct: { username: sim.username, apiKey: sim.apiKey, apiBaseUrl: sim.baseUrl, certificate: sim.certificate },
		});

	beforeEach(async () => {
		id = `legalesign-${++counter}`;
		sim = await legalesignSim.start();
		server = await httpNodeServer(nodes.red as any);
	});
	afterEach(async () => {
		await helper.unload();
		await server.close();
		await sim.close();
	});

	it('deploy → subscribed → signed batch → one message per entry; bad signature 401; redeploy keeps one; delete unsubscribes', async () => {
		await load();
		await waitFor(() => sim.state.subscriptions.length === 1, 'the subscription');
		expect(sim.state.subscriptions[0].url).toMatch(new RegExp(`^${server.url}/legalhooks/legalesign/inbox\\?token=[0-9a-f]{64}$`));
		const received = collect(helper.getNode('out'));
		expect((await sim.deliverBatch(LEGALESIGN_SEED_BATCH))[0].status).toBe(200);
		await waitFor(() => received.length === 8, 'eight messages');
		expect(received.map((m) => m.payload.vendorEventType)).toEqual(['signer.5', 'signer.10', 'signer.20', 'document.20', 'signer.30', 'signer.40', 'document.30', 'document.100']);
		expect((await sim.deliverBatch([{ value: '60', timestamp: '2022-07-12T10:00:00+00:00', resource_uri: '/api/v1/signer/x/', name: 'status' }], { badSignature: true }))[0].status).toBe(401);
		await tick();
		expect(received).toHaveLength(8);

		await helper.unload();
		await load();
		await tick();
		await waitFor(() => sim.state.calls.filter((c) => c.path.endsWith('/notifications/')).length >= 1, 'the reconcile');
		await tick();
		expect(sim.state.subscriptions).toHaveLength(1);
		await close(id, true);
		expect(sim.state.subscriptions).toHaveLength(0);
	});
});

describe('Node-RED: legalhooks-quicklysign-trigger lifecycle', () => {
	const nodes = capturing(quicklysignModule as any);
	let sim: quicklysignSim.QuicklysignSimulator;
	let server: RunningServer;
	let packs: string[];
	let id: string;
	const load = (extra: Record<string, unknown> = {}) =>
		helper.load(
			nodes.module as any,
			flow('legalhooks-quicklysign-trigger', 'legalhooks-quicklysign-account', server.url, { id, documentPackKeys: packs.join(','), fetchDocumentPack: true, ...extra }),
			{ acct: { clientId: sim.clientId, clientSecret: sim.clientSecret, apiKey: sim.apiKey, environment: 'custom', apiBaseUrl: sim.baseUrl } },
		);

	beforeEach(async () => {
		id = `quicklysign-${++counter}`;
		sim = await quicklysignSim.start();
		packs = [sim.addPack().key, sim.addPack().key];
		server = await httpNodeServer(nodes.red as any);
	});
	afterEach(async () => {
		await helper.unload();
		await server.close();
		await sim.close();
	});

	it('deploy → one webhook per pack → callback → enriched message → delete removes both (plural fallback)', async () => {
		await load();
		await waitFor(() => sim.state.webhooks.size === 2, 'two webhooks');
		const received = collect(helper.getNode('out'));
		sim.setPackStatus(packs[0], 'awaiting_signatures');
		expect((await sim.fire(packs[0], 'document_status_changed'))[0].status).toBe(200);
		await waitFor(() => received.length === 1, 'the message');
		expect(received[0].payload).toMatchObject({ type: 'document.sent', document: { id: packs[0], status: 'out_for_signature' }, data: { documentPack: { key: packs[0] } } });
		sim.state.deletePaths.singular = false;
		await close(id, true);
		expect(sim.state.webhooks.size).toBe(0);
	});

	it('two fires of document_status_changed are two status changes: two messages (issue 22: the simulator moves date_updated)', async () => {
		await load();
		await waitFor(() => sim.state.webhooks.size === 2, 'two webhooks');
		const received = collect(helper.getNode('out'));
		expect((await sim.fire(packs[0], 'document_status_changed'))[0].status).toBe(200);
		await waitFor(() => received.length === 1, 'the first message');
		expect((await sim.fire(packs[0], 'document_status_changed'))[0].status).toBe(200);
		await waitFor(() => received.length === 2, 'the second message', 5000);
		expect(received[0].payload.id).not.toBe(received[1].payload.id);
	});

	it('a callback for a subscription that is not ours is 401', async () => {
		await load();
		await waitFor(() => sim.state.webhooks.size === 2, 'two webhooks');
		const [webhook] = [...sim.state.webhooks.values()];
		const received = collect(helper.getNode('out'));
		const body = JSON.stringify({ entity_type: 'Document', entity_key: packs[0], callback_event: 'entity_updated', subscription_key: 'someone-else' });
		expect((await sendDelivery(webhook.callback, { headers: { 'content-type': 'application/json' }, body })).status).toBe(401);
		await tick();
		expect(received).toHaveLength(0);
	});

	it('a vendor timeout on the second pack during deploy leaves nothing registered', async () => {
		sim.faults.hangNext({ method: 'POST', path: '/webhooks' }, { after: true, skip: 1 });
		await load();
		await waitFor(() => sim.state.calls.filter((c) => c.method === 'DELETE').length >= 2, 'the cleanup', 25_000);
		await tick();
		expect(sim.state.webhooks.size).toBe(0);
	}, 40_000);
});
