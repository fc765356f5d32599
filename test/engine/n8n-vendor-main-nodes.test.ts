import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { NodeApiError, NodeOperationError, type INodeExecutionData } from 'n8n-workflow';
import { Legito } from '../../n8n/legito/nodes/Legito/Legito.node';
import { Legalesign } from '../../n8n/legalesign/nodes/Legalesign/Legalesign.node';
import { QuicklySign } from '../../n8n/quicklysign/nodes/QuicklySign/QuicklySign.node';
import { PhenixIdSigning } from '../../n8n/phenixid-signing/nodes/PhenixIdSigning/PhenixIdSigning.node';
import { runNode } from '../n8n/execute-context';
import { start as startLegito, type LegitoSimulator, type PushConnection } from '../../sandbox/simulators/legito';
import { start as startLegalesign, type LegalesignSimulator } from '../../sandbox/simulators/legalesign';
import { start as startQuicklysign, type QuicklysignSimulator } from '../../sandbox/simulators/quicklysign';
import { startPhenixidApi, type PhenixidApiSimulator } from '../../sandbox/simulators/phenixid';

// The vendor main nodes (the action node beside each trigger) run through n8n's execute context
// against the vendor simulators over real HTTP: each operation once, and the vendor's errors.

const PDF = Buffer.from('%PDF-1.7\n% a signed document\n%%EOF\n');
const item: INodeExecutionData[] = [{ json: {} }];
const bytesOf = (output: INodeExecutionData[], property = 'data') => Buffer.from(output[0].binary?.[property]?.data ?? '', 'base64');

async function failure(run: Promise<unknown>): Promise<NodeApiError | NodeOperationError> {
	try {
		await run;
	} catch (error) {
		return error as NodeApiError;
	}
	throw new Error('the node did not fail');
}

/** The parameters of the package's example workflow's node of `type`, and the event item a trigger would hand it. */
function fromExample(file: string, type: string, document: Record<string, unknown>) {
	const wf = JSON.parse(readFileSync(path.join(__dirname, '../../n8n', file), 'utf8')) as { nodes: Array<{ type: string; parameters: Record<string, unknown> }> };
	const node = wf.nodes.find((n) => n.type === type);
	if (!node) throw new Error(`${file} has no ${type}`);
	return { parameters: node.parameters as never, items: [{ json: { type: 'document.file_ready', document } as never }] };
}

/** What a user sees of an error: it must not carry the secret. */
const shown = (error: NodeApiError | NodeOperationError) => `${error.message} ${error.description ?? ''} ${JSON.stringify((error as NodeApiError).errorResponse ?? {})}`;

describe('n8n: Legito node', () => {
	let sim: LegitoSimulator;
	beforeEach(async () => {
		sim = await startLegito();
	});
	afterEach(() => sim.close());
	const credentials = (privateKey = sim.privateKey) => ({ legitoApi: { apiKey: sim.apiKey, privateKey, region: 'custom', apiBaseUrl: sim.baseUrl } });
	const run = (parameters: Record<string, unknown>, privateKey?: string) => runNode({ node: new Legito(), parameters: parameters as never, credentials: credentials(privateKey), items: item });
	const connection = (id: number, url: string, token: string): PushConnection => ({
		id,
		systemName: `sys-${id}`,
		name: 'left behind',
		url,
		enabled: true,
		headers: [{ name: 'X-Legalhooks-Token', value: token, useDefaultApiUser: false }],
		eventTypes: ['SignCompleted'],
		templateSuiteAll: true,
		templateSuites: [],
		documentRecordTypeAll: true,
		documentRecordTypes: [],
		attachFilesUploaded: false,
		attachFilesGenerated: false,
		fileTypes: ['pdf'],
		owner: sim.apiKey,
	});

	it('Document Record → Get, by code (default) and by ID: GET /document-record', async () => {
		sim.happen('SignCompleted', { code: 'rec-code-1', name: 'Lease' });
		const record = [...sim.state.records.values()][0];
		const byCode = await run({ resource: 'documentRecord', operation: 'get', documentRecordCode: 'rec-code-1' });
		expect(byCode.output).toHaveLength(1);
		expect(byCode.output[0].json).toMatchObject({ id: record.id, code: 'rec-code-1', name: 'Lease' });
		const byId = await run({ resource: 'documentRecord', operation: 'get', findBy: 'id', documentRecordId: String(record.id) });
		expect(byId.output[0].json.code).toBe('rec-code-1');
		expect(sim.state.calls.filter((c) => c.path === '/api/v7/document-record')).toHaveLength(2);
		const missing = await failure(run({ resource: 'documentRecord', operation: 'get', documentRecordCode: 'no-such-code' }));
		expect(missing).toBeInstanceOf(NodeOperationError);
		expect(missing.message).toMatch(/Legito has no document record with code no-such-code/);
	});

	it('the example workflow\'s node reads the record of the trigger\'s event (document.id is the code)', async () => {
		sim.happen('SignCompleted', { code: 'rec-code-9' });
		const example = fromExample('legito/examples/legito-signed-record.json', '@legalhooks/n8n-nodes-legito.legito', { id: 'rec-code-9', status: 'completed' });
		const { output } = await runNode({ node: new Legito(), ...example, credentials: credentials() });
		expect(output[0].json.code).toBe('rec-code-9');
	});

	it('Push Connection → Get Many lists them with header values hidden; Delete removes one, and again succeeds (already gone)', async () => {
		sim.state.connections.set(5001, connection(5001, 'https://old.example.com/webhook/a', 'token-of-another-tool-0123456789'));
		sim.state.connections.set(5002, connection(5002, 'https://n8n.example.com/webhook/b', 'our-token-0123456789abcdef'));
		const listed = await run({ resource: 'pushConnection', operation: 'getAll' });
		expect(listed.output.map((o) => o.json.id)).toEqual([5001, 5002]);
		expect(listed.output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
		expect(listed.output[0].json.headers).toEqual([{ name: 'X-Legalhooks-Token', value: '***', useDefaultApiUser: false }]);
		expect(JSON.stringify(listed.output)).not.toMatch(/token-of-another-tool|our-token/);
		const deleted = await run({ resource: 'pushConnection', operation: 'delete', pushConnectionId: '5001' });
		expect(deleted.output[0].json).toEqual({ id: '5001', deleted: true });
		expect([...sim.state.connections.keys()]).toEqual([5002]);
		await run({ resource: 'pushConnection', operation: 'delete', pushConnectionId: '5001' });
		expect(sim.state.calls.filter((c) => c.method === 'DELETE').map((c) => c.status)).toEqual([200, 404]);
	});

	it('a wrong private key is Legito\'s 401 as a NodeApiError naming what to check, without the key', async () => {
		const wrongKey = 'wrong-private-key-0123456789abcdef';
		const error = await failure(run({ resource: 'pushConnection', operation: 'getAll' }, wrongKey));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/Legito listing push connections failed \(HTTP 401\)/);
		expect(error.description).toMatch(/API key and private key/);
		expect((error as NodeApiError).httpCode).toBe('401');
		expect(shown(error)).not.toContain(wrongKey);
		expect(shown(error)).not.toContain(sim.privateKey);
	});
});

describe('n8n: Legalesign node', () => {
	let sim: LegalesignSimulator;
	beforeEach(async () => {
		sim = await startLegalesign();
	});
	afterEach(() => sim.close());
	const credentials = (apiKey = sim.apiKey) => ({ legalesignApi: { username: sim.username, apiKey, apiBaseUrl: sim.baseUrl } });
	const run = (parameters: Record<string, unknown>, options: { apiKey?: string; onError?: 'continueRegularOutput' } = {}) =>
		runNode({ node: new Legalesign(), parameters: parameters as never, credentials: credentials(options.apiKey), items: item, onError: options.onError });

	it('Document → Get: GET /document/{uuid}/ with the signers\' statuses', async () => {
		sim.changeDocument('7a1d0c2e-doc', { status: 30, signerStatus: 40 });
		const { output } = await run({ resource: 'document', operation: 'get', documentId: '7a1d0c2e-doc' });
		expect(output[0].json).toMatchObject({ uuid: '7a1d0c2e-doc', status: 30, signer_objects: [{ status: 40 }] });
	});

	it('Document → Download Signed PDF: GET /pdf/{uuid}/, its redirect followed without Legalesign authentication, as binary data', async () => {
		sim.addDocument('7a1d0c2e-doc', PDF);
		const { output } = await run({ resource: 'document', operation: 'download', documentId: '7a1d0c2e-doc', binaryPropertyName: 'signedPdf' });
		expect(bytesOf(output, 'signedPdf').equals(PDF)).toBe(true);
		expect(output[0].binary?.signedPdf).toMatchObject({ mimeType: 'application/pdf', fileName: 'legalesign-7a1d0c2e-doc.pdf' });
		expect(output[0].json).toMatchObject({ documentId: '7a1d0c2e-doc', files: [{ fileName: 'legalesign-7a1d0c2e-doc.pdf', size: PDF.length }] });
		expect(sim.state.storageGets).toEqual([expect.objectContaining({ authorization: false, status: 200 })]);
	});

	it('the example workflow\'s node downloads the PDF of the trigger\'s event', async () => {
		sim.addDocument('9b2c-doc', PDF);
		const example = fromExample('legalesign/examples/legalesign-download-signed-pdf.json', '@legalhooks/n8n-nodes-legalesign.legalesign', { id: '9b2c-doc', status: 'completed' });
		const { output } = await runNode({ node: new Legalesign(), ...example, credentials: credentials() });
		expect(bytesOf(output).equals(PDF)).toBe(true);
	});

	it('an archived document\'s 201 ("being de-archived") and an unknown document\'s 404 are NodeApiErrors saying so', async () => {
		sim.addDocument('archived-doc', PDF, { delivery: 'archived' });
		const archived = await failure(run({ resource: 'document', operation: 'download', documentId: 'archived-doc' }));
		expect(archived).toBeInstanceOf(NodeApiError);
		expect(archived.message).toMatch(/de-archiving it \(available in about 4 hours\)/);
		const missing = await failure(run({ resource: 'document', operation: 'get', documentId: 'no-such-doc' }));
		expect(missing).toBeInstanceOf(NodeApiError);
		expect((missing as NodeApiError).httpCode).toBe('404');
		expect(missing.message).toMatch(/Legalesign reading the document failed \(HTTP 404\)/);
		expect(missing.description).toMatch(/no such document for this API user/);
	});

	it('Webhook → Get Many hides the URL tokens; Delete takes the URL as listed and unsubscribes it with its own filter', async () => {
		const ours = 'https://n8n.example.com/webhook/abc/webhook?token=s3cr3t-token-0123456789';
		const other = 'https://other.example.com/hook?token=another-secret-token-abcdef';
		sim.state.subscriptions.push(
			{ url: ours, notify: 'realtime', notify_when: 10, event_filter: 'document.*', group: '', active: true },
			{ url: other, notify: 'all', notify_when: 1, event_filter: '', group: '', active: true },
		);
		const listed = await run({ resource: 'webhook', operation: 'getAll' });
		expect(listed.output.map((o) => o.json.url)).toEqual(['https://n8n.example.com/webhook/abc/webhook?token=***', 'https://other.example.com/hook?token=***']);
		expect(JSON.stringify(listed.output)).not.toMatch(/s3cr3t|another-secret/);
		const deleted = await run({ resource: 'webhook', operation: 'delete', webhookUrl: listed.output[0].json.url });
		expect(deleted.output[0].json).toEqual({ url: 'https://n8n.example.com/webhook/abc/webhook?token=***', removed: 1 });
		expect(sim.state.subscriptions.map((s) => s.url)).toEqual([other]);
	});

	it('a wrong API key is a 401 NodeApiError without the key; with "On Error: Continue" it is the item\'s error', async () => {
		const wrongKey = 'f'.repeat(40);
		const error = await failure(run({ resource: 'webhook', operation: 'getAll' }, { apiKey: wrongKey }));
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).httpCode).toBe('401');
		expect(error.description).toMatch(/API username and key/);
		expect(shown(error)).not.toContain(wrongKey);
		const { output } = await run({ resource: 'webhook', operation: 'getAll' }, { apiKey: wrongKey, onError: 'continueRegularOutput' });
		expect(output[0].json.error).toMatch(/Legalesign listing webhooks failed \(HTTP 401\)/);
	});
});

describe('n8n: QuicklySign node', () => {
	let sim: QuicklysignSimulator;
	beforeEach(async () => {
		sim = await startQuicklysign();
	});
	afterEach(() => sim.close());
	const credentials = (clientSecret = sim.clientSecret) => ({
		quicklySignApi: { clientId: sim.clientId, clientSecret, apiKey: sim.apiKey, environment: 'custom', apiBaseUrl: sim.baseUrl },
	});
	const run = (parameters: Record<string, unknown>, clientSecret?: string) => runNode({ node: new QuicklySign(), parameters: parameters as never, credentials: credentials(clientSecret), items: item });

	it('Document Pack → Get: GET /v1/document_packs/<key> with an access token', async () => {
		const pack = sim.addPack('ahDocPack1');
		const { output } = await run({ resource: 'documentPack', operation: 'get', documentPackKey: 'ahDocPack1' });
		expect(output[0].json).toMatchObject({ key: 'ahDocPack1', status: 'setup', documents: [{ serve_pdf_url: pack.documents[0].serve_pdf_url }] });
	});

	it('Document Pack → Download Final PDFs: each serve_pdf_url as binary data; before the PDF exists, QuicklySign\'s 404 says so', async () => {
		sim.addPack('ahDocPack1');
		const early = await failure(run({ resource: 'documentPack', operation: 'download', documentPackKey: 'ahDocPack1' }));
		expect(early).toBeInstanceOf(NodeApiError);
		expect(early.message).toMatch(/QuicklySign: downloading the document ahDocPack1-d1 of pack ahDocPack1 failed: HTTP 404/);
		sim.finalize('ahDocPack1', PDF);
		const { output } = await run({ resource: 'documentPack', operation: 'download', documentPackKey: 'ahDocPack1' });
		expect(bytesOf(output).equals(PDF)).toBe(true);
		expect(output[0].binary?.data).toMatchObject({ fileName: 'contract.pdf', mimeType: 'application/pdf' });
	});

	it('the example workflow\'s node downloads the PDFs of the trigger\'s event', async () => {
		sim.addPack('ahDocPack7');
		sim.finalize('ahDocPack7', PDF);
		const example = fromExample('quicklysign/examples/quicklysign-download-final-pdfs.json', '@legalhooks/n8n-nodes-quicklysign.quicklySign', { id: 'ahDocPack7', status: 'completed' });
		const { output } = await runNode({ node: new QuicklySign(), ...example, credentials: credentials() });
		expect(bytesOf(output).equals(PDF)).toBe(true);
	});

	it('Webhook → Get Many (callback tokens hidden, optionally one pack) and Delete', async () => {
		sim.addPack('ahDocPack1');
		sim.addPack('ahDocPack2');
		const now = Date.now();
		for (const [key, pack] of [['ahSubOne', 'ahDocPack1'], ['ahSubTwo', 'ahDocPack2']]) {
			sim.state.webhooks.set(key, { key, webhook_key: null, entity_key: pack, callback: `https://n8n.example.com/webhook/x?token=secret-${key}`, date_created: now, date_updated: now, owner: sim.clientId });
		}
		const all = await run({ resource: 'webhook', operation: 'getAll' });
		expect(all.output.map((o) => [o.json.key, o.json.callback])).toEqual([
			['ahSubOne', 'https://n8n.example.com/webhook/x?token=***'],
			['ahSubTwo', 'https://n8n.example.com/webhook/x?token=***'],
		]);
		const one = await run({ resource: 'webhook', operation: 'getAll', webhookPackKey: 'ahDocPack2' });
		expect(one.output.map((o) => o.json.key)).toEqual(['ahSubTwo']);
		const deleted = await run({ resource: 'webhook', operation: 'delete', webhookKey: 'ahSubOne' });
		expect(deleted.output[0].json).toEqual({ key: 'ahSubOne', deleted: true });
		expect([...sim.state.webhooks.keys()]).toEqual(['ahSubTwo']);
	});

	it('a wrong client secret is a 401 NodeApiError without the secret; an unknown pack a 404', async () => {
		sim.addPack('ahDocPack1');
		const wrong = 'wrong-client-secret-0123456789';
		const error = await failure(run({ resource: 'documentPack', operation: 'get', documentPackKey: 'ahDocPack1' }, wrong));
		expect(error).toBeInstanceOf(NodeApiError);
		expect((error as NodeApiError).httpCode).toBe('401');
		expect(shown(error)).not.toContain(wrong);
		expect(shown(error)).not.toContain(sim.apiKey);
		const missing = await failure(run({ resource: 'documentPack', operation: 'get', documentPackKey: 'ahNoSuchPack' }));
		expect((missing as NodeApiError).httpCode).toBe('404');
		expect(missing.message).toMatch(/QuicklySign fetching the document pack failed \(HTTP 404\): Document pack not found/);
	});
});

describe('n8n: PhenixID Signing Service node', () => {
	let api: PhenixidApiSimulator;
	beforeEach(async () => {
		api = await startPhenixidApi();
	});
	afterEach(() => api.close());
	const run = (parameters: Record<string, unknown>, apiBaseUrl = api.url) =>
		runNode({ node: new PhenixIdSigning(), parameters: parameters as never, credentials: { phenixIdSigningApi: { secret: 'a'.repeat(64), apiBaseUrl } }, items: item });

	it('Order → Get reads the order where the trigger\'s "Fetch order" does (GET /orders/{id})', async () => {
		api.orders.set('task-42', { id: 'task-42', state: 'SIGNED' });
		const { output } = await run({ operation: 'get', taskId: 'task-42' });
		expect(output[0].json).toEqual({ id: 'task-42', state: 'SIGNED' });
		expect(api.requests.map((r) => r.path)).toEqual(['/orders/task-42']);
	});

	it('Order → Download Signed Document (GET /orders/{id}/document) as binary data; before signing, the 404 says so', async () => {
		api.orders.set('task-42', { id: 'task-42', state: 'PENDING' });
		const early = await failure(run({ operation: 'download', taskId: 'task-42' }));
		expect(early).toBeInstanceOf(NodeApiError);
		expect(early.message).toMatch(/PhenixID Signing Service: downloading the signed document of order task-42 failed: HTTP 404/);
		api.documents.set('task-42', PDF);
		const { output } = await run({ operation: 'download', taskId: 'task-42' });
		expect(bytesOf(output).equals(PDF)).toBe(true);
		expect(output[0].json).toMatchObject({ taskId: 'task-42', files: [{ fileName: 'phenixid-task-42.pdf', mimeType: 'application/pdf' }] });
	});

	it('the example workflow\'s node downloads the document of the trigger\'s event', async () => {
		api.documents.set('task-7', PDF);
		const example = fromExample('phenixid-signing/examples/phenixid-download-signed-document.json', '@legalhooks/n8n-nodes-phenixid-signing.phenixIdSigning', { id: 'task-7', status: 'completed' });
		const { output } = await runNode({ node: new PhenixIdSigning(), ...example, credentials: { phenixIdSigningApi: { secret: 'a'.repeat(64), apiBaseUrl: api.url } } });
		expect(bytesOf(output).equals(PDF)).toBe(true);
	});

	it('an unknown order is a 404 NodeApiError; no base URL in the credential is named before any request', async () => {
		const missing = await failure(run({ operation: 'get', taskId: 'no-such-task' }));
		expect(missing).toBeInstanceOf(NodeApiError);
		expect((missing as NodeApiError).httpCode).toBe('404');
		expect(missing.message).toMatch(/PhenixID Signing Service reading the order failed \(HTTP 404\): order no-such-task not found/);
		const unset = await failure(run({ operation: 'get', taskId: 'task-42' }, ''));
		expect(unset).toBeInstanceOf(NodeApiError);
		expect(unset.description).toMatch(/set the Automation API base URL in the credential/);
		expect(api.requests).toHaveLength(1);
	});
});
