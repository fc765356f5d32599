import request from 'supertest';
import { EmittedEventSchema } from '../../core/event/normalized-event';
import { buildPhenixidDelivery } from '../../core/vendors/phenixid/samples';
import legalesignModule from '../../node-red/src/legalhooks-legalesign';
import phenixidModule from '../../node-red/src/legalhooks-phenixid';
import quicklysignModule from '../../node-red/src/legalhooks-quicklysign';
import { LegalesignTrigger } from '../../n8n/legalesign/nodes/LegalesignTrigger/LegalesignTrigger.node';
import { PhenixIdTrigger } from '../../n8n/phenixid-signing/nodes/PhenixIdTrigger/PhenixIdTrigger.node';
import { QuicklySignTrigger } from '../../n8n/quicklysign/nodes/QuicklySignTrigger/QuicklySignTrigger.node';
import { N8nTriggerHarness } from '../n8n/trigger-harness';
import { capturing, collect, helper, httpNodeServer } from '../node-red/helper';
import * as legalesignSim from '../../sandbox/simulators/legalesign';
import { startPhenixidApi, type PhenixidApiSimulator } from '../../sandbox/simulators/phenixid';
import { samplePdf } from '../../sandbox/simulators/plexus-documents';
import * as quicklysignSim from '../../sandbox/simulators/quicklysign';
import type { RunningServer } from '../../sandbox/simulators/server';
import { makeTestPki } from '../../sandbox/simulators/tls';
import { waitFor } from '../wait-for';

// The download option for QuicklySign, Legalesign and PhenixID in both engines: the vendor's PDF
// arrives as n8n binary file0 and as a Node-RED msg.files Buffer, named and sized in event.files;
// a refused or oversized download is data.fileErrors on an event that still runs.

const pdf = samplePdf('Signed in both engines');
type Item = { json: Record<string, unknown>; binary?: Record<string, { data: string; mimeType: string; fileName?: string }> };
const fileErrorsOf = (json: Record<string, unknown>) => (json.data as Record<string, unknown>).fileErrors;

function expectN8nFile(item: Item, fileName: string) {
	expect(Buffer.from(String(item.binary!.file0.data), 'base64').equals(pdf)).toBe(true);
	expect(item.binary!.file0).toMatchObject({ mimeType: 'application/pdf', fileName });
	expect(EmittedEventSchema.parse(item.json).files).toEqual([{ fileName, mimeType: 'application/pdf', size: pdf.length }]);
	expect(fileErrorsOf(item.json)).toBeUndefined();
}

function expectNodeRedFile(message: Record<string, any>, fileName: string) {
	const [file] = message.files as Array<{ fileName: string; mimeType: string; data: Buffer }>;
	expect(Buffer.isBuffer(file.data) && file.data.equals(pdf)).toBe(true);
	expect(file).toMatchObject({ fileName, mimeType: 'application/pdf' });
	expect(EmittedEventSchema.parse(message.payload).files).toEqual([{ fileName, mimeType: 'application/pdf', size: pdf.length }]);
}

/** A public front server for Node-RED's httpNode, so a simulator can call the trigger over HTTP. */
const nodeRedFlow = (type: string, accountType: string, baseUrl: string, trigger: Record<string, unknown>) => [
	{ id: 'acct', type: accountType, name: 'account', baseUrl },
	{ id: 'trig', type, account: 'acct', path: 'inbox', wires: [['out']], downloadDocuments: true, ...trigger },
	{ id: 'out', type: 'helper' },
];

describe('QuicklySign downloads the final pack PDF', () => {
	let sim: quicklysignSim.QuicklysignSimulator;
	const credentials = () => ({ clientId: sim.clientId, clientSecret: sim.clientSecret, apiKey: sim.apiKey, environment: 'custom', apiBaseUrl: sim.baseUrl });
	beforeEach(async () => {
		sim = await quicklysignSim.start();
	});
	afterEach(() => sim.close());

	describe('n8n', () => {
		let harness: N8nTriggerHarness;
		afterEach(() => harness.stop());
		async function fired(pack: string, options: Record<string, unknown>) {
			harness = await new N8nTriggerHarness(new QuicklySignTrigger(), { credentials: { quicklySignApi: credentials() }, parameters: { documentPackKeys: pack, options } }).start();
			await harness.activate();
			const [sent] = await sim.fire(pack, 'final_document_generated');
			expect(sent.status).toBe(200);
			await harness.idle();
			expect(harness.executions).toHaveLength(1);
			return harness.executions[0][0] as Item;
		}

		it('as binary file0 with name, type and size on event.files', async () => {
			const pack = sim.addPack();
			sim.finalize(pack.key, pdf);
			expectN8nFile(await fired(pack.key, { downloadDocuments: true }), 'contract.pdf');
		});

		it('over the size limit: the item still runs, the reason in data.fileErrors, no token or URL in it', async () => {
			const pack = sim.addPack();
			sim.finalize(pack.key, pdf);
			const item = await fired(pack.key, { downloadDocuments: true, maxDownloadMb: 0.0001 });
			expect(item.binary).toBeUndefined();
			expect(fileErrorsOf(item.json)).toEqual([expect.objectContaining({ reason: 'over the 105-byte file limit' })]);
			const text = JSON.stringify(item.json);
			for (const secret of [...sim.state.tokens, sim.clientSecret, sim.apiKey, '/serve_pdf']) expect(text).not.toContain(secret);
		});
	});

	describe('Node-RED', () => {
		const nodes = capturing(quicklysignModule as any);
		let server: RunningServer;
		afterEach(async () => {
			await helper.unload();
			await server.close();
		});

		it('into msg.files as a Buffer; a PDF not generated yet is data.fileErrors', async () => {
			server = await httpNodeServer(nodes.red as any);
			const ready = sim.addPack();
			sim.finalize(ready.key, pdf);
			const pending = sim.addPack();
			await helper.load(nodes.module as any, nodeRedFlow('legalhooks-quicklysign-trigger', 'legalhooks-quicklysign-account', server.url, { documentPackKeys: `${ready.key},${pending.key}` }), { acct: credentials() });
			await waitFor(() => sim.state.webhooks.size === 2, 'two webhooks');
			const received = collect(helper.getNode('out'));
			expect((await sim.fire(ready.key, 'final_document_generated'))[0].status).toBe(200);
			await waitFor(() => received.length === 1, 'the message');
			expectNodeRedFile(received[0], 'contract.pdf');
			expect((await sim.fire(pending.key, 'final_document_generated'))[0].status).toBe(200);
			await waitFor(() => received.length === 2, 'the second message');
			expect(received[1].files).toBeUndefined();
			expect(received[1].payload.data.fileErrors).toEqual([expect.objectContaining({ reason: expect.stringMatching(/HTTP 404|status_code 404/) })]);
		});

		it('over the editor\'s MB limit: the message still goes out, without msg.files, the reason on the event', async () => {
			server = await httpNodeServer(nodes.red as any);
			const pack = sim.addPack();
			sim.finalize(pack.key, pdf);
			await helper.load(nodes.module as any, nodeRedFlow('legalhooks-quicklysign-trigger', 'legalhooks-quicklysign-account', server.url, { documentPackKeys: pack.key, maxDownloadMb: '0.0001' }), { acct: credentials() });
			await waitFor(() => sim.state.webhooks.size === 1, 'the webhook');
			const received = collect(helper.getNode('out'));
			expect((await sim.fire(pack.key, 'final_document_generated'))[0].status).toBe(200);
			await waitFor(() => received.length === 1, 'the message');
			expect(received[0].files).toBeUndefined();
			expect(received[0].payload.data.fileErrors).toEqual([expect.objectContaining({ fileName: 'contract.pdf', reason: 'over the 105-byte file limit' })]);
		});
	});
});

describe('Legalesign downloads the final PDF at status 100', () => {
	let sim: legalesignSim.LegalesignSimulator;
	const credentials = () => ({ username: sim.username, apiKey: sim.apiKey, apiBaseUrl: sim.baseUrl, certificate: sim.certificate });
	const entry = (id: string) => ({ value: '100', timestamp: new Date().toISOString(), resource_uri: `/api/v1/document/${id}/`, name: 'status' });
	beforeEach(async () => {
		sim = await legalesignSim.start();
	});
	afterEach(() => sim.close());

	describe('n8n', () => {
		let harness: N8nTriggerHarness;
		afterEach(() => harness.stop());

		it('through the 302 to the short-lived location as binary file0; an archived document is data.fileErrors', async () => {
			sim.addDocument('doc-n8n', pdf);
			sim.addDocument('doc-archived', pdf, { delivery: 'archived' });
			harness = await new N8nTriggerHarness(new LegalesignTrigger(), { credentials: { legalesignApi: credentials() }, parameters: { notify: 'all', options: { downloadDocuments: true } } }).start();
			await harness.activate();
			// a batch: the status-30 entry gets no file, the status-100 entry its PDF
			expect((await sim.deliverBatch([{ ...entry('doc-n8n'), value: '30' }, entry('doc-n8n')]))[0].status).toBe(200);
			await harness.idle();
			expect(harness.executions[0]).toHaveLength(2);
			expect(harness.executions[0][0].binary).toBeUndefined();
			expectN8nFile(harness.executions[0][1] as Item, 'legalesign-doc-n8n.pdf');
			expect(sim.state.storageGets.at(-1)).toMatchObject({ authorization: false, status: 200 });
			expect((await sim.deliverBatch([entry('doc-archived')]))[0].status).toBe(200);
			await harness.idle();
			const archived = harness.executions[1][0] as Item;
			expect(archived.binary).toBeUndefined();
			expect(fileErrorsOf(archived.json)).toEqual([expect.objectContaining({ reason: expect.stringMatching(/^HTTP 201: .*de-archiving/) })]);
		});
	});

	describe('Node-RED', () => {
		const nodes = capturing(legalesignModule as any);
		let server: RunningServer;
		afterEach(async () => {
			await helper.unload();
			await server.close();
		});

		it('into msg.files as a Buffer; an unauthorized download (key revoked) is data.fileErrors', async () => {
			server = await httpNodeServer(nodes.red as any);
			sim.addDocument('doc-red', pdf);
			await helper.load(nodes.module as any, nodeRedFlow('legalhooks-legalesign-trigger', 'legalhooks-legalesign-account', server.url, { notify: 'all' }), { acct: credentials() });
			await waitFor(() => sim.state.subscriptions.length === 1, 'the subscription');
			const received = collect(helper.getNode('out'));
			expect((await sim.deliverBatch([entry('doc-red'), { ...entry('doc-red'), value: '20' }]))[0].status).toBe(200);
			await waitFor(() => received.length === 2, 'the messages');
			expectNodeRedFile(received[0], 'legalesign-doc-red.pdf');
			expect(received[1].files).toBeUndefined();
			received.splice(1, 1);
			sim.state.users.set(sim.username, 'rotated-key-0000000000');
			expect((await sim.deliverBatch([{ ...entry('doc-red'), timestamp: new Date(Date.now() + 1000).toISOString() }]))[0].status).toBe(200);
			await waitFor(() => received.length === 2, 'the second message');
			expect(received[1].files).toBeUndefined();
			expect(received[1].payload.data.fileErrors).toEqual([expect.objectContaining({ reason: expect.stringMatching(/^HTTP 401/) })]);
			expect(JSON.stringify(received[1].payload)).not.toContain(sim.apiKey);
		});
	});
});

describe('PhenixID downloads the signed document on OrderSigned', () => {
	const secret = 'c0ffee00c0ffee00c0ffee00c0ffee00';
	const taskId = 'a3b1c2d4-0000-4000-8000-000000000001';
	const delivery = () => buildPhenixidDelivery({ orderId: taskId, eventType: 'OrderSigned', taskId }, secret);
	let api: PhenixidApiSimulator | undefined;
	afterEach(async () => {
		await api?.close();
		api = undefined;
	});

	describe('n8n', () => {
		let harness: N8nTriggerHarness;
		afterEach(() => harness.stop());
		async function run(credentials: Record<string, unknown>) {
			harness = await new N8nTriggerHarness(new PhenixIdTrigger(), { credentials: { phenixIdSigningApi: { secret, ...credentials } }, parameters: { options: { downloadDocuments: true } } }).start();
			await harness.activate();
			const sent = delivery();
			const response = await fetch(harness.url(), { method: 'POST', headers: sent.headers, body: sent.body as BodyInit });
			expect(response.status).toBe(200);
			await harness.idle();
			expect(harness.executions).toHaveLength(1);
			return harness.executions[0][0] as Item;
		}

		it('from an Automation API without client certificates (behind an internal proxy) as binary file0', async () => {
			api = await startPhenixidApi();
			api.documents.set(taskId, pdf);
			expectN8nFile(await run({ apiBaseUrl: api.url }), `phenixid-${taskId}.pdf`);
		});

		it('with a client certificate (n8n cannot present one): the item runs with the reason in data.fileErrors', async () => {
			const pki = makeTestPki();
			api = await startPhenixidApi({ key: pki.serverKey, cert: pki.serverCert, ca: pki.ca });
			api.documents.set(taskId, pdf);
			const item = await run({ apiBaseUrl: api.url, clientCertificate: pki.clientCert, clientKey: pki.clientKey, serverCa: pki.ca });
			expect(item.binary).toBeUndefined();
			expect(fileErrorsOf(item.json)).toEqual([expect.objectContaining({ reason: expect.stringMatching(/TLS client certificate/) })]);
			expect(JSON.stringify(item.json)).not.toContain('PRIVATE KEY');
		});
	});

	describe('Node-RED', () => {
		const nodes = capturing(phenixidModule as any);
		afterEach(() => helper.unload());

		it('over mutual TLS into msg.files as a Buffer; an order without a document (404) is data.fileErrors', async () => {
			const pki = makeTestPki();
			api = await startPhenixidApi({ key: pki.serverKey, cert: pki.serverCert, ca: pki.ca });
			api.documents.set(taskId, pdf);
			await helper.load(nodes.module as any, nodeRedFlow('legalhooks-phenixid-trigger', 'legalhooks-phenixid-account', '', {}), {
				acct: { secret, apiBaseUrl: api.url, clientCertificate: pki.clientCert, clientKey: pki.clientKey, serverCa: pki.ca },
			});
			const received = collect(helper.getNode('out'));
			const post = () => {
				const sent = delivery();
				return request(nodes.red().httpNode).post('/legalhooks/phenixid/inbox').set(sent.headers).send(sent.body);
			};
			expect((await post()).status).toBe(200);
			await waitFor(() => received.length === 1, 'the message');
			expectNodeRedFile(received[0], `phenixid-${taskId}.pdf`);
			expect(api.requests.at(-1)).toEqual({ path: `/orders/${taskId}/document`, clientCn: 'legalhooks client' });
			api.documents.delete(taskId);
			expect((await post()).status).toBe(200);
			await waitFor(() => received.length === 2, 'the second message');
			expect(received[1].files).toBeUndefined();
			expect(received[1].payload.data.fileErrors).toEqual([expect.objectContaining({ reason: expect.stringMatching(/^HTTP 404/) })]);
		});
	});
});
