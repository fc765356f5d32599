import { MemoryDedupeStore } from '../../core/inbound/dedupe';
import type { NormalizedEvent } from '../../core/event/normalized-event';
import { handleDelivery, type InboundTrigger } from '../../core/inbound/pipeline';
import type { PrecheckContext } from '../../core/verify/precheck';
import type { SampleDelivery } from '../../core/samples/delivery';
import type { AnyVendorDefinition, CommonTriggerOptions, InboundFile } from '../../core/vendors/definition';
import { DEFAULT_TRIGGER_OPTIONS } from '../../core/vendors/definition';
import { vendors } from '../../core/vendors';
import { buildLegalesignDelivery } from '../../core/vendors/legalesign/samples';
import { buildPhenixidDelivery } from '../../core/vendors/phenixid/samples';
import { buildQuicklysignDelivery, quicklysignSamples } from '../../core/vendors/quicklysign/samples';
import { nodeFetchBytes } from '../../node-red/src/shared/fetch-bytes';
import { nodeHttpClient } from '../../node-red/src/shared/node-http';
import * as legalesignSim from '../../sandbox/simulators/legalesign';
import { startPhenixidApi, type PhenixidApiSimulator } from '../../sandbox/simulators/phenixid';
import { samplePdf } from '../../sandbox/simulators/plexus-documents';
import * as quicklysignSim from '../../sandbox/simulators/quicklysign';
import { makeTestPki, type TestPki } from '../../sandbox/simulators/tls';

// The download option for QuicklySign, Legalesign and PhenixID through the real pipeline, the
// Node-RED byte client and the vendors' simulators (auth, redirects, archived documents, 404s).

async function deliver(vendor: AnyVendorDefinition, delivery: SampleDelivery, verification: PrecheckContext, options: Partial<CommonTriggerOptions> & Record<string, unknown> = {}) {
	const emitted: Array<{ events: NormalizedEvent[]; files: InboundFile[] | undefined }> = [];
	const warnings: string[] = [];
	const trigger: InboundTrigger = {
		vendor,
		options: { ...DEFAULT_TRIGGER_OPTIONS, replayToleranceSeconds: 0, downloadDocuments: true, ...options },
		verification: async () => verification,
		http: nodeHttpClient,
		fetchBytes: nodeFetchBytes,
		dedupe: new MemoryDedupeStore(),
		logger: { warn: (message) => warnings.push(message), error: (message) => { throw new Error(message); } },
		answer: () => undefined,
		emit: (events, files) => {
			emitted.push({ events: events as NormalizedEvent[], files });
		},
	};
	const body = Buffer.from(delivery.body);
	await handleDelivery({ method: 'POST', headers: delivery.headers, query: delivery.query ?? {}, readBody: async () => ({ ok: true, body }) }, trigger);
	expect(emitted).toHaveLength(1);
	return { event: emitted[0].events[0], files: emitted[0].files, warnings, secretsIn: (text: string) => JSON.stringify(emitted[0].events).includes(text) };
}

describe('QuicklySign: the pack\'s PDFs on final_document_generated', () => {
	let sim: quicklysignSim.QuicklysignSimulator;
	const token = 'qs-callback-token-0123456789abcdef';
	const pdf = samplePdf('QuicklySign signed pack');
	beforeAll(async () => {
		sim = await quicklysignSim.start();
	});
	afterAll(() => sim.close());
	beforeEach(() => {
		sim.faults.clear();
		sim.state.errorsWithHttp200 = false;
	});
	const credentials = () => ({ clientId: sim.clientId, clientSecret: sim.clientSecret, apiKey: sim.apiKey, environment: 'custom', apiBaseUrl: sim.baseUrl });
	function run(callbackEvent: string, pack: string, options: Record<string, unknown> = {}, creds: Record<string, unknown> = credentials()) {
		const delivery = buildQuicklysignDelivery(quicklysignSamples[callbackEvent]('sub-1', pack), token);
		return deliver(vendors.quicklysign!, delivery, { secret: token, credentials: creds, registration: { ids: ['sub-1'], url: 'http://x/?token=', secret: token, settings: {} } }, options);
	}

	it('downloads each document\'s serve_pdf_url with the access token: real PDF bytes, named and typed', async () => {
		const pack = sim.addPack();
		sim.finalize(pack.key, pdf);
		const { event, files } = await run('final_document_generated', pack.key);
		expect(event.data.fileErrors).toBeUndefined();
		expect(files).toHaveLength(1);
		expect(files![0].data.equals(pdf)).toBe(true);
		expect(event.files).toEqual([{ fileName: 'contract.pdf', mimeType: 'application/pdf', size: pdf.length }]);
		expect(sim.state.calls.filter((c) => c.path.endsWith('/serve_pdf')).at(-1)?.status).toBe(200);
	});

	it('other callbacks download nothing', async () => {
		const pack = sim.addPack();
		sim.finalize(pack.key, pdf);
		const before = sim.state.calls.length;
		const { event, files } = await run('document_status_changed', pack.key);
		expect(files).toBeUndefined();
		expect(event.files).toEqual([]);
		expect(sim.state.calls.length).toBe(before);
	});

	it('uses the pack the "Fetch document pack" step already fetched (one pack fetch, not two)', async () => {
		const pack = sim.addPack();
		sim.finalize(pack.key, pdf);
		const fetches = () => sim.state.calls.filter((c) => c.path === `/v1/document_packs/${pack.key}`).length;
		const before = fetches();
		const { files } = await run('final_document_generated', pack.key, { fetchDocumentPack: true });
		expect(files).toHaveLength(1);
		expect(fetches() - before).toBe(1);
	});

	it('final PDF not generated yet (envelope 404, even as HTTP 200): no file, the reason on the event', async () => {
		const pack = sim.addPack();
		sim.state.errorsWithHttp200 = true;
		const { event, files, warnings } = await run('final_document_generated', pack.key);
		expect(files).toBeUndefined();
		expect(event.data.fileErrors).toEqual([
			{ fileName: 'contract.pdf', what: expect.stringContaining('document'), reason: expect.stringMatching(/not a PDF \(application\/json\).*status_code 404.*not generated yet/) },
		]);
		expect(warnings).toHaveLength(1);
	});

	it('wrong API key: no token, so the event goes on with the reason and no secret', async () => {
		const pack = sim.addPack();
		sim.finalize(pack.key, pdf);
		const bad = { ...credentials(), apiKey: 'wrong-api-key-123456' };
		const { event, files, secretsIn } = await run('final_document_generated', pack.key, {}, bad);
		expect(files).toBeUndefined();
		expect(event.data.fileErrors).toEqual([expect.objectContaining({ what: 'the document list', reason: expect.stringMatching(/401/) })]);
		expect(secretsIn(sim.clientSecret) || secretsIn('wrong-api-key-123456')).toBe(false);
	});

	it('one 5xx is retried; a file over the limit is a fileError', async () => {
		const pack = sim.addPack();
		sim.finalize(pack.key, pdf);
		sim.faults.failNext(503, { path: '/serve_pdf' });
		expect((await run('final_document_generated', pack.key)).files).toHaveLength(1);
		const { event, files } = await run('final_document_generated', pack.key, { maxDownloadBytes: 64 });
		expect(files).toBeUndefined();
		expect(event.data.fileErrors).toEqual([expect.objectContaining({ reason: 'over the 64-byte file limit' })]);
	});
});

describe('Legalesign: the final PDF at document status 100', () => {
	let sim: legalesignSim.LegalesignSimulator;
	const token = 'lgs-callback-token-0123456789abcdef';
	const pdf = samplePdf('Legalesign final PDF');
	beforeAll(async () => {
		sim = await legalesignSim.start();
	});
	afterAll(() => sim.close());
	afterEach(() => sim.faults.clear());
	const credentials = () => ({ username: sim.username, apiKey: sim.apiKey, apiBaseUrl: sim.baseUrl });
	function run(documentId: string, value = '100', creds: Record<string, unknown> = credentials(), resourceUri = `/api/v1/document/${documentId}/`) {
		const entries = [{ value, timestamp: new Date().toISOString(), resource_uri: resourceUri, name: 'status' }];
		return deliver(vendors.legalesign!, buildLegalesignDelivery({ kind: 'batch', entries }, token), { secret: token, credentials: creds });
	}

	it('follows the 302 to the short-lived location without the API key (S3 would refuse it with one)', async () => {
		sim.addDocument('doc-redirect', pdf, { delivery: 'redirect' });
		const { event, files } = await run('doc-redirect');
		expect(event.data.fileErrors).toBeUndefined();
		expect(files![0].data.equals(pdf)).toBe(true);
		expect(event.files).toEqual([{ fileName: 'legalesign-doc-redirect.pdf', mimeType: 'application/pdf', size: pdf.length }]);
		expect(sim.state.storageGets.at(-1)).toEqual({ path: '/final/doc-redirect.pdf', authorization: false, status: 200 });
	});

	it('a PDF served directly (200) arrives too; other statuses download nothing', async () => {
		sim.addDocument('doc-direct', pdf, { delivery: 'direct' });
		expect((await run('doc-direct')).files![0].data.equals(pdf)).toBe(true);
		const before = sim.state.calls.length;
		const { files } = await run('doc-direct', '30');
		expect(files).toBeUndefined();
		expect(sim.state.calls.length).toBe(before);
	});

	it('an archived document (201 "being de-archived") is not taken for the file', async () => {
		sim.addDocument('doc-archived', pdf, { delivery: 'archived' });
		const { event, files } = await run('doc-archived');
		expect(files).toBeUndefined();
		expect(event.data.fileErrors).toEqual([{ fileName: 'legalesign-doc-archived.pdf', what: 'final PDF of document doc-archived', reason: expect.stringMatching(/^HTTP 201: .*de-archiving/) }]);
	});

	it('wrong key (401) and another organisation\'s document (404): fileErrors without the key or the URL', async () => {
		sim.addDocument('doc-theirs', pdf, { owner: 'someone-else' });
		const unauthorized = await run('doc-theirs', '100', { ...credentials(), apiKey: 'not-the-key-0000' });
		expect(unauthorized.event.data.fileErrors).toEqual([expect.objectContaining({ reason: expect.stringMatching(/^HTTP 401/) })]);
		expect(unauthorized.secretsIn('not-the-key-0000') || unauthorized.secretsIn(sim.baseUrl)).toBe(false);
		const missing = await run('doc-theirs');
		expect(missing.event.data.fileErrors).toEqual([expect.objectContaining({ reason: expect.stringMatching(/^HTTP 404/) })]);
	});

	it('an event at status 100 whose resource_uri names no document id: the download step says so', async () => {
		const event = { vendorEventType: 'document.100', document: { id: '', status: 'completed' }, data: { resourceUri: '/api/v1/document/' } } as unknown as NormalizedEvent;
		await expect(vendors.legalesign!.documentDownloads!(nodeHttpClient, credentials(), event, {})).rejects.toThrow(/names no Legalesign document id/);
		const fromUri = { ...event, data: { resourceUri: '/api/v1/document/abc-123/' } } as NormalizedEvent;
		expect((await vendors.legalesign!.documentDownloads!(nodeHttpClient, credentials(), fromUri, {}))[0].url).toBe(`${sim.baseUrl}/pdf/abc-123/`);
	});
});

describe('PhenixID: the signed document on OrderSigned', () => {
	let pki: TestPki;
	let api: PhenixidApiSimulator;
	const secret = 'phx-secret-0123456789abcdef0123456789';
	const pdf = samplePdf('PhenixID signed order');
	beforeAll(async () => {
		pki = makeTestPki();
		api = await startPhenixidApi({ key: pki.serverKey, cert: pki.serverCert, ca: pki.ca });
	});
	afterAll(() => api.close());
	const credentials = (extra: Record<string, unknown> = {}) => ({ secret, apiBaseUrl: api.url, clientCertificate: pki.clientCert, clientKey: pki.clientKey, serverCa: pki.ca, ...extra });
	function run(taskId: string, eventType = 'OrderSigned', creds: Record<string, unknown> = credentials()) {
		return deliver(vendors.phenixid!, buildPhenixidDelivery({ orderId: taskId, eventType, taskId }, secret), { secret, credentials: creds });
	}

	it('fetches /orders/{id}/document over mutual TLS: the PDF as a file', async () => {
		api.orders.set('order-1', { id: 'order-1', state: 'SIGNED' });
		api.documents.set('order-1', pdf);
		const { event, files } = await run('order-1');
		expect(event.data.fileErrors).toBeUndefined();
		expect(files![0].data.equals(pdf)).toBe(true);
		expect(event.files).toEqual([{ fileName: 'phenixid-order-1.pdf', mimeType: 'application/pdf', size: pdf.length }]);
		expect(api.requests.at(-1)).toEqual({ path: '/orders/order-1/document', clientCn: 'legalhooks client' });
	});

	it('without the client certificate the handshake is refused: a fileError, the event kept', async () => {
		api.documents.set('order-2', pdf);
		const { event, files } = await run('order-2', 'OrderSigned', credentials({ clientCertificate: '', clientKey: '' }));
		expect(files).toBeUndefined();
		expect(event.data.fileErrors).toEqual([expect.objectContaining({ what: 'signed document of order order-2', reason: expect.stringMatching(/^no response: /) })]);
	});

	it('no document for the order (404) and no API base URL: reasons on the event; other events fetch nothing', async () => {
		api.orders.set('order-3', { id: 'order-3', state: 'PENDING' });
		const missing = await run('order-3');
		expect(missing.event.data.fileErrors).toEqual([expect.objectContaining({ reason: expect.stringMatching(/^HTTP 404: the Automation API has no document/) })]);
		const noBase = await run('order-3', 'OrderSigned', credentials({ apiBaseUrl: '' }));
		expect(noBase.event.data.fileErrors).toEqual([expect.objectContaining({ what: 'the document list', reason: expect.stringContaining('no Automation API base URL') })]);
		const before = api.requests.length;
		expect((await run('order-3', 'OrderCreated')).files).toBeUndefined();
		expect(api.requests.length).toBe(before);
	});
});
