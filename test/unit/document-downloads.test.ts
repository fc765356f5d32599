import { MemoryDedupeStore } from '../../core/inbound/dedupe';
import type { NormalizedEvent } from '../../core/event/normalized-event';
import { handleDelivery, type InboundTrigger } from '../../core/inbound/pipeline';
import type { CommonTriggerOptions, InboundFile } from '../../core/vendors/definition';
import { DEFAULT_TRIGGER_OPTIONS } from '../../core/vendors/definition';
import { vendors } from '../../core/vendors';
import { buildPlexusDelivery, plexusSamples } from '../../core/vendors/plexus/samples';
import { nodeFetchBytes } from '../../node-red/src/shared/fetch-bytes';
import { samplePdf, startPlexusDocuments, type PlexusDocumentStore } from '../../sandbox/simulators/plexus-documents';

const secret = 'download-secret-0123456789abcdef';
const pdf = samplePdf();
let store: PlexusDocumentStore;
let clock = new Date();

beforeAll(async () => {
	store = await startPlexusDocuments(() => clock);
});
afterAll(() => store.close());
beforeEach(() => {
	clock = new Date();
	store.faults.clear();
});

/** A signed Plexus "executed" delivery whose published version links to the simulated S3 object. */
async function deliver(options: Partial<CommonTriggerOptions>, createdAt = new Date(), bytes = pdf) {
	const payload = plexusSamples.executed(createdAt.toISOString());
	const link = store.link(`2499/Contract_${createdAt.getTime()}.pdf`, bytes, createdAt);
	payload.data.document.publishedVersion = { number: '7.0', downloadUrl: link };
	const delivery = buildPlexusDelivery(payload, secret);
	const emitted: Array<{ events: NormalizedEvent[]; files: InboundFile[] | undefined }> = [];
	const warnings: string[] = [];
	const trigger: InboundTrigger = {
		vendor: vendors.plexus!,
		options: { ...DEFAULT_TRIGGER_OPTIONS, replayToleranceSeconds: 0, ...options },
		verification: async () => ({ secret, credentials: { secret } }),
		http: async () => {
			throw new Error('no API calls here');
		},
		fetchBytes: nodeFetchBytes,
		dedupe: new MemoryDedupeStore(),
		logger: { warn: (message) => warnings.push(message), error: (message) => { throw new Error(message); } },
		answer: () => undefined,
		emit: (events, files) => {
			emitted.push({ events: events as NormalizedEvent[], files });
		},
	};
	await handleDelivery({ method: 'POST', headers: delivery.headers, query: {}, readBody: async () => ({ ok: true, body: Buffer.from(delivery.body) }) }, trigger);
	expect(emitted).toHaveLength(1);
	return { event: emitted[0].events[0], files: emitted[0].files, warnings, link };
}

describe('Plexus document download (option)', () => {
	it('off by default: nothing is fetched', async () => {
		const before = store.gets();
		const { event, files } = await deliver({});
		expect(store.gets()).toBe(before);
		expect(files).toBeUndefined();
		expect(event.files).toEqual([]);
	});

	it('on: the published version arrives as a file, the real PDF bytes, named and typed on the event', async () => {
		const { event, files } = await deliver({ downloadDocuments: true });
		expect(files).toHaveLength(1);
		expect(files![0].data.equals(pdf)).toBe(true);
		expect(files![0].data.subarray(0, 5).toString()).toBe('%PDF-');
		expect(event.files).toEqual([{ fileName: expect.stringMatching(/^Contract_\d+\.pdf$/), mimeType: 'application/pdf', size: pdf.length }]);
		expect(event.data.fileErrors).toBeUndefined();
	});

	it('a link past its 15 minutes is not fetched: the event goes on with data.fileErrors', async () => {
		const before = store.gets();
		const { event, files, warnings, link } = await deliver({ downloadDocuments: true }, new Date(Date.now() - 16 * 60 * 1000));
		expect(store.gets()).toBe(before);
		expect(files).toBeUndefined();
		expect(event.data.fileErrors).toEqual([{ fileName: expect.stringMatching(/\.pdf$/), what: 'published version 7.0', reason: expect.stringMatching(/^the download link expired at /) }]);
		expect(warnings).toHaveLength(1);
		expect(JSON.stringify(event.data.fileErrors)).not.toContain(new URL(link).search);
	});

	it('S3 refusing an expired link (clock past issue + 15 min while the event is fresh): HTTP 403 in fileErrors', async () => {
		clock = new Date(Date.now() + 16 * 60 * 1000);
		const { event, files } = await deliver({ downloadDocuments: true });
		expect(files).toBeUndefined();
		expect(event.data.fileErrors).toEqual([expect.objectContaining({ reason: 'HTTP 403' })]);
	});

	it('one retry on a 5xx: a single 503 still delivers the file; two are a fileError', async () => {
		store.faults.failNext(503, { path: '/media/documents/' });
		const first = await deliver({ downloadDocuments: true });
		expect(first.files).toHaveLength(1);
		store.faults.failNext(503, { path: '/media/documents/' }, { times: 2 });
		const second = await deliver({ downloadDocuments: true });
		expect(second.files).toBeUndefined();
		expect(second.event.data.fileErrors).toEqual([expect.objectContaining({ reason: 'HTTP 503 (after one retry)' })]);
	});

	it('over the per-file limit: no file, the reason on the event, the event kept', async () => {
		const { event, files } = await deliver({ downloadDocuments: true, maxDownloadBytes: 100 });
		expect(files).toBeUndefined();
		expect(event.data.fileErrors).toEqual([expect.objectContaining({ reason: 'over the 100-byte file limit' })]);
		expect(event.type).toBe('document.completed');
	});
});
