import request from 'supertest';
import { EmittedEventSchema } from '../../core/event/normalized-event';
import { buildPlexusDelivery, plexusSamples } from '../../core/vendors/plexus/samples';
import plexusModule from '../../node-red/src/legalhooks-plexus';
import { PlexusTrigger } from '../../n8n/plexus-gateway/nodes/PlexusTrigger/PlexusTrigger.node';
import { N8nTriggerHarness } from '../n8n/trigger-harness';
import { capturing, collect, helper } from '../node-red/helper';
import { samplePdf, startPlexusDocuments, type PlexusDocumentStore } from '../../sandbox/simulators/plexus-documents';

// The download option in both engines: Plexus's document (a presigned S3 link, 15 minutes) comes
// out as an n8n binary property and as a Node-RED msg.files Buffer; a failed one as data.fileErrors.
const secret = 'e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6';
const pdf = samplePdf('Executed service agreement');
let documents: PlexusDocumentStore;
beforeAll(async () => {
	documents = await startPlexusDocuments();
});
afterAll(() => documents.close());
afterEach(() => documents.faults.clear());

function executedWithDocument() {
	const now = new Date();
	const payload = plexusSamples.executed(now.toISOString());
	payload.id = `exec-${now.getTime()}-${Math.random()}`;
	payload.data.document.publishedVersion = { number: '7.0', downloadUrl: documents.link(`2499/Executed_${now.getTime()}.pdf`, pdf, now) };
	return buildPlexusDelivery(payload, secret);
}

describe('n8n: Plexus trigger downloads the document', () => {
	let harness: N8nTriggerHarness | undefined;
	afterEach(() => harness?.stop());

	async function run(options: Record<string, unknown>) {
		harness = await new N8nTriggerHarness(new PlexusTrigger(), { credentials: { plexusGatewayApi: { secret } }, parameters: { options } }).start();
		await harness.activate();
		const delivery = executedWithDocument();
		const response = await fetch(harness.url(), { method: 'POST', headers: delivery.headers, body: delivery.body as BodyInit });
		expect(response.status).toBe(200);
		// the vendor is answered first; the run starts once the download is done
		for (let i = 0; i < 200 && harness.executions.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
		expect(harness.logs.filter((log) => log.level === 'error')).toEqual([]);
		expect(harness.executions).toHaveLength(1);
		return harness.executions[0][0];
	}

	it('as binary property file0 (prepareBinaryData), with name, type and size on event.files', async () => {
		const item = await run({ downloadDocuments: true });
		expect(Buffer.from(String(item.binary!.file0.data), 'base64').equals(pdf)).toBe(true);
		expect(item.binary!.file0).toMatchObject({ mimeType: 'application/pdf', fileName: expect.stringMatching(/^Executed_\d+\.pdf$/) });
		expect(EmittedEventSchema.parse(item.json).files).toEqual([{ fileName: item.binary!.file0.fileName, mimeType: 'application/pdf', size: pdf.length }]);
	});

	it('a download failing twice with 503: the item still runs, the reason in data.fileErrors', async () => {
		documents.faults.failNext(503, { path: '/media/documents/' }, { times: 2 });
		const item = await run({ downloadDocuments: true });
		expect(item.binary).toBeUndefined();
		expect((item.json.data as Record<string, unknown>).fileErrors).toEqual([expect.objectContaining({ reason: 'HTTP 503 (after one retry)' })]);
	});
});

describe('Node-RED: Plexus trigger downloads the document', () => {
	const plexus = capturing(plexusModule as any);
	afterEach(async () => {
		await helper.unload();
	});

	it('into msg.files as a Buffer', async () => {
		const flow = [
			{ id: 'acct', type: 'legalhooks-plexus-account', name: 'account' },
			{ id: 'trig', type: 'legalhooks-plexus-trigger', account: 'acct', path: 'inbox', downloadDocuments: true, wires: [['out']] },
			{ id: 'out', type: 'helper' },
		];
		await helper.load(plexus.module as any, flow, { acct: { secret } });
		const received = collect(helper.getNode('out'));
		const delivery = executedWithDocument();
		const response = await request(plexus.red().httpNode).post('/legalhooks/plexus/inbox').set(delivery.headers).send(delivery.body.toString());
		expect(response.status).toBe(200);
		for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
		expect(received).toHaveLength(1);
		const [file] = received[0].files as Array<{ fileName: string; mimeType: string; data: Buffer }>;
		expect(Buffer.isBuffer(file.data) && file.data.equals(pdf)).toBe(true);
		expect(file.mimeType).toBe('application/pdf');
		expect(EmittedEventSchema.parse(received[0].payload).files[0]).toMatchObject({ fileName: file.fileName, size: pdf.length });
	});
});
