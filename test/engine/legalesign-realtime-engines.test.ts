import express from 'express';
import { EmittedEventSchema } from '../../core/event/normalized-event';
import { LEGALESIGN_SEED_BATCH } from '../../core/vendors/legalesign/samples';
import { LegalesignTrigger } from '../../n8n/legalesign/nodes/LegalesignTrigger/LegalesignTrigger.node';
import legalesignModule from '../../node-red/src/legalhooks-legalesign';
import { N8nTriggerHarness } from '../n8n/trigger-harness';
import { capturing, collect, helper } from '../node-red/helper';
import { rawRequest } from '../node-red/runtime';
import * as legalesignSim from '../../sandbox/simulators/legalesign';
import { listen, sendDelivery, type RunningServer } from '../../sandbox/simulators/server';

/**
 * Legalesign's realtime webhooks in both engines, against the simulator: the trigger subscribes
 * with `notify: "realtime"`, the event filter and the group; a delivery is confirmed with
 * `GET /document/{uuid}/` before one normalized event is emitted; an event the API contradicts is
 * refused (409) and not emitted; a wrong URL token is refused before the body is read; removal
 * sends the same filter and group; a trigger saved before the setting existed stays legacy.
 */

const DOC = '6619179c-95da-4d5c-b7be-7bac0bac4088';
const OTHER = '0b8f1c7e-2222-4a4a-9b9b-333344445555';

const documentGets = (sim: legalesignSim.LegalesignSimulator) => sim.state.calls.filter((c) => c.method === 'GET' && c.path.startsWith('/api/v1/document/'));

async function waitFor(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
	const started = Date.now();
	while (!check()) {
		if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}
const tick = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('n8n: Legalesign Trigger, realtime webhooks', () => {
	let sim: legalesignSim.LegalesignSimulator;
	let harness: N8nTriggerHarness;
	const credentials = () => ({ legalesignApi: { username: sim.username, apiKey: sim.apiKey, apiBaseUrl: sim.baseUrl } });
	const start = (parameters: Record<string, unknown>, typeVersion = 2) =>
		new N8nTriggerHarness(new LegalesignTrigger(), { credentials: credentials(), parameters, typeVersion }).start();

	beforeEach(async () => {
		sim = await legalesignSim.start();
		sim.changeDocument(DOC, { group: 'main' });
		sim.changeDocument(OTHER, { group: 'main' });
	});
	afterEach(async () => {
		await harness?.stop();
		await sim.close();
	});

	it('a new node (version 2) registers realtime with filter and group, confirms a delivery with the API, emits one event, and removes with the same filter and group', async () => {
		harness = await start({ eventFilter: 'document.*', group: 'main' });
		await harness.activate();
		expect(sim.state.subscriptions).toHaveLength(1);
		expect(sim.state.subscriptions[0]).toMatchObject({ notify: 'realtime', notify_when: 10, event_filter: 'document.*', group: 'main' });
		expect(sim.state.subscriptions[0].url).toMatch(/\?token=[0-9a-f]{64}$/);

		const [sent] = await sim.happen('document.finalPdfCreated', DOC);
		expect(sent.status).toBe(200);
		await harness.idle();
		expect(documentGets(sim).map((c) => c.path)).toEqual([`/api/v1/document/${DOC}/`]);
		expect(harness.executions).toHaveLength(1);
		expect(harness.executions[0]).toHaveLength(1);
		const event = EmittedEventSchema.parse(harness.executions[0][0].json);
		expect(event).toMatchObject({
			vendor: 'legalesign',
			type: 'document.file_ready',
			vendorEventType: 'document.finalPdfCreated',
			document: { id: DOC, status: 'completed', vendorStatus: '30' },
			data: { deliveryKind: 'realtime', confirmed: { documentStatus: 30, finalPdf: true } },
			verification: { scheme: 'url-token', checks: ['url-token', 'api-confirmed'] },
		});
		// a recipient event is not taken by the document.* filter: Legalesign sends nothing
		expect(await sim.happen('recipient.completed', DOC)).toHaveLength(0);

		await harness.activate(); // saving again keeps the one subscription
		expect(sim.state.subscriptions).toHaveLength(1);
		await harness.deactivate();
		expect(sim.state.subscriptions).toHaveLength(0);
		expect(sim.state.unsubscribes.at(-1)).toEqual({ url: expect.stringContaining('?token='), eventFilter: 'document.*', group: 'main' });
	});

	it('an event the API contradicts is refused (409) and not emitted; a wrong token is 401 without asking the API', async () => {
		harness = await start({ eventFilter: '' });
		await harness.activate();
		// OTHER is at status 10: a "rejected" event about it is contradicted by GET /document/{uuid}/
		const [contradicted] = await sim.deliverRealtime('document.rejected', OTHER);
		expect(contradicted.status).toBe(409);
		expect(JSON.parse(contradicted.body)).toEqual({ error: expect.stringContaining('contradicts the event') });
		// a signer who has not signed: recipient.completed is contradicted by the signer's status
		const [signer] = await sim.deliverRealtime('recipient.completed', OTHER);
		expect(signer.status).toBe(409);
		await harness.idle();
		expect(harness.executions).toHaveLength(0);
		expect(harness.logs.filter((l) => l.level === 'warn' && /refused with HTTP 409/.test(l.message))).toHaveLength(2);

		const gets = documentGets(sim).length;
		const wrong = sim.state.subscriptions[0].url.replace(/token=[0-9a-f]+/, 'token=nope');
		const answer = await sendDelivery(wrong, { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ object: 'document', event: 'rejected', data: { uuid: OTHER } }) });
		expect(answer.status).toBe(401);
		expect(documentGets(sim)).toHaveLength(gets);

		// the same recipient event once the signer did sign: confirmed, emitted with the signer's status
		sim.changeDocument(OTHER, { signerStatus: 40 });
		expect((await sim.deliverRealtime('recipient.completed', OTHER, { shape: 'graphql' }))[0].status).toBe(200);
		await harness.idle();
		expect(harness.executions).toHaveLength(1);
		expect(harness.executions[0][0].json).toMatchObject({ type: 'recipient.completed', document: { id: OTHER }, recipient: { id: `${OTHER}-s1`, status: '40' } });
	});

	it('Confirm With API off: the URL token alone, no API call, and the record says url-token only', async () => {
		harness = await start({ confirmWithApi: false });
		await harness.activate();
		expect((await sim.deliverRealtime('document.rejected', OTHER, { shape: 'form' }))[0].status).toBe(200);
		await harness.idle();
		expect(documentGets(sim)).toHaveLength(0);
		expect(harness.executions[0][0].json).toMatchObject({ type: 'document.rejected', verification: { checks: ['url-token'] } });
	});

	it('a version-1 node (saved before the setting existed) keeps working as legacy', async () => {
		harness = await start({ notify: 'all' }, 1);
		await harness.activate();
		expect(sim.state.subscriptions.map((s) => s.notify)).toEqual(['all']);
		const [sent] = await sim.deliverBatch(LEGALESIGN_SEED_BATCH, { unsigned: true });
		expect(sent.status).toBe(200);
		expect(harness.executions[0]).toHaveLength(LEGALESIGN_SEED_BATCH.length);
		expect(documentGets(sim)).toHaveLength(0);
		// choosing realtime on it re-subscribes with notify realtime
		harness.setParameter('webhookSystem', 'realtime');
		await harness.activate();
		expect(sim.state.subscriptions.map((s) => s.notify)).toEqual(['realtime']);
		await harness.deactivate();
		expect(sim.state.subscriptions).toHaveLength(0);
	});
});

async function front(red: () => { httpNode: express.Express }): Promise<RunningServer> {
	const app = express();
	app.use((req, res, next) => red().httpNode(req, res, next));
	return listen(app);
}

/** Headers only, announcing 512 KB that never come: answered only if refused before the body is read. */
async function headersOnly(server: RunningServer, target: string) {
	const port = Number(new URL(server.url).port);
	const head = [`POST ${target} HTTP/1.1`, 'host: 127.0.0.1', 'content-type: application/json', `content-length: ${512 * 1024}`];
	const { response, socket } = rawRequest(port, `${head.join('\r\n')}\r\n\r\n`, { hold: true });
	const answer = await response;
	socket.destroy();
	return { status: answer.status, body: JSON.parse(answer.body) as unknown };
}

describe('Node-RED: legalhooks-legalesign-trigger, realtime webhooks', () => {
	const nodes = capturing(legalesignModule as any);
	let sim: legalesignSim.LegalesignSimulator;
	let server: RunningServer;
	let counter = 0;
	let id = '';
	const load = (trigger: Record<string, unknown>) =>
		helper.load(
			nodes.module as any,
			[
				{ id: 'acct', type: 'legalhooks-legalesign-account', name: 'account', baseUrl: server.url },
				{ id, type: 'legalhooks-legalesign-trigger', account: 'acct', path: 'inbox', wires: [['out']], ...trigger },
				{ id: 'out', type: 'helper' },
			],
			{ acct: { username: sim.username, apiKey: sim.apiKey, apiBaseUrl: sim.baseUrl } },
		);

	beforeEach(async () => {
		id = `legalesign-rt-${++counter}`;
		sim = await legalesignSim.start();
		sim.changeDocument(DOC, { group: 'main' });
		sim.changeDocument(OTHER, { group: 'main' });
		server = await front(nodes.red as any);
	});
	afterEach(async () => {
		await helper.unload();
		await server.close();
		await sim.close();
	});

	it('realtime registers with filter and group, confirms and emits one message, refuses a contradicted event, and removes with the same filter and group', async () => {
		await load({ webhookSystem: 'realtime', eventFilter: 'recipient.*', group: 'main' });
		await waitFor(() => sim.state.subscriptions.length === 1, 'the subscription');
		expect(sim.state.subscriptions[0]).toMatchObject({ notify: 'realtime', notify_when: 10, event_filter: 'recipient.*', group: 'main' });
		const received = collect(helper.getNode('out'));

		const [sent] = await sim.happen('recipient.completed', DOC);
		expect(sent.status).toBe(200);
		await waitFor(() => received.length === 1, 'the message');
		expect(EmittedEventSchema.parse(received[0].payload)).toMatchObject({
			type: 'recipient.completed',
			vendorEventType: 'recipient.completed',
			document: { id: DOC },
			recipient: { id: `${DOC}-s1`, email: 'signer@example.com', status: '40' },
			verification: { checks: ['url-token', 'api-confirmed'] },
		});
		expect(documentGets(sim)).toHaveLength(1);

		// the API shows OTHER's signer at 10 (sent): "rejected" is contradicted
		const [contradicted] = await sim.deliverRealtime('recipient.rejected', OTHER);
		expect(contradicted.status).toBe(409);
		await tick();
		expect(received).toHaveLength(1);
		const { deliveries } = (await helper.request().get(`/legalhooks-legalesign-trigger/${id}/deliveries`)).body as { deliveries: Array<Record<string, unknown>> };
		expect(deliveries[0]).toMatchObject({ outcome: 'refused', status: 409, reason: expect.stringContaining('contradicts the event') });
		expect(deliveries[1]).toMatchObject({ outcome: 'emitted' });

		await (helper.getNode(id) as unknown as { close(removed: boolean): Promise<void> }).close(true);
		expect(sim.state.subscriptions).toHaveLength(0);
		expect(sim.state.unsubscribes.at(-1)).toEqual({ url: expect.stringContaining('?token='), eventFilter: 'recipient.*', group: 'main' });
	});

	it('a wrong URL token is refused before the body is read; every body reading is accepted with the right one', async () => {
		await load({ webhookSystem: 'realtime' });
		await waitFor(() => sim.state.subscriptions.length === 1, 'the subscription');
		expect(await headersOnly(server, '/legalhooks/legalesign/inbox?token=wrong')).toEqual({ status: 401, body: { error: 'missing or wrong token in the callback URL' } });
		expect(documentGets(sim)).toHaveLength(0);
		const received = collect(helper.getNode('out'));
		expect((await sim.happen('document.rejected', OTHER, { shape: 'graphql' }))[0].status).toBe(200);
		expect((await sim.happen('document.finalPdfCreated', DOC, { shape: 'form' }))[0].status).toBe(200);
		// object/event nested under `detail`, the document at data.uuid, as plain JSON
		const url = sim.state.subscriptions[0].url;
		const nested = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ detail: { object: 'document', event: 'created', data: { uuid: DOC } } }) });
		expect(nested.status).toBe(200);
		await waitFor(() => received.length === 3, 'three messages');
		expect(received.map((m) => m.payload.type)).toEqual(['document.rejected', 'document.file_ready', 'document.created']);
	});

	it('a node deployed before the setting existed (no webhookSystem) keeps working as legacy', async () => {
		await load({ notify: 'all' });
		await waitFor(() => sim.state.subscriptions.length === 1, 'the subscription');
		expect(sim.state.subscriptions[0]).toMatchObject({ notify: 'all', notify_when: 1 });
		const received = collect(helper.getNode('out'));
		expect((await sim.deliverBatch(LEGALESIGN_SEED_BATCH, { unsigned: true }))[0].status).toBe(200);
		await waitFor(() => received.length === LEGALESIGN_SEED_BATCH.length, 'one message per entry');
		expect(received[0].payload.verification.checks).toEqual(['url-token']);
		expect(documentGets(sim)).toHaveLength(0);
	});
});
