import { MemoryDedupeStore } from '../../core/inbound/dedupe';
import { deduplicate, ingest } from '../../core/inbound/ingest';
import type { InboundRequest } from '../../core/vendors/definition';
import { encodeFormBody } from '../../core/vendors/legalesign/inbound';
import { fixture, payloadOf } from '../fuzz/vendor-fixtures';

// VENDORS.md "Common rules": a delivery is dropped as a duplicate only when the vendor's own data
// proves it is a repeat. Each vendor: two distinct events its documents allow are both emitted;
// where the vendor's data does prove a repeat, the repeat is emitted once.

const now = new Date('2026-11-23T08:00:00Z');

function emitted(name: string, requests: InboundRequest[], optionChanges: Record<string, unknown> = {}): number[] {
	const f = fixture(name);
	const store = new MemoryDedupeStore();
	const context = { ...f.context(now), options: { ...f.context(now).options, ...optionChanges } };
	return requests.map((request) => {
		const result = ingest(f.vendor, request, context);
		if (!result.ok) throw new Error(result.reason);
		return deduplicate(f.vendor, result.events, context.options, store, now).events.length;
	});
}

describe('Legalesign', () => {
	const fields = {
		name: 'Service Agreement',
		event: 'signed',
		resource_uri: '/api/v1/document/6619179c-95da-4d5c-b7be-7bac0bac4088/',
		uuid: '6619179c-95da-4d5c-b7be-7bac0bac4088',
		tag: 'sales',
	};

	it('two signers signing one document (identical upon-event fields): both emitted, same stable id', () => {
		const f = fixture('legalesign');
		const signed = () => f.signedJson(JSON.stringify(fields), { upon: true });
		expect(emitted('legalesign', [signed(), signed()])).toEqual([1, 1]);
		const ids = [signed(), signed()].map((r) => {
			const result = ingest(f.vendor, r, f.context(now));
			return result.ok ? result.events[0].id : '';
		});
		expect(ids[0]).toMatch(/^[0-9a-f]{64}$/);
		expect(ids[0]).toBe(ids[1]);
	});

	it('the same without a certificate (form fields only)', () => {
		const f = fixture('legalesign (token only)');
		const request = (): InboundRequest => ({ ...f.signedJson('{}', { upon: true }), rawBody: Buffer.from(encodeFormBody(fields)) });
		expect(emitted('legalesign (token only)', [request(), request()])).toEqual([1, 1]);
	});

	it('a retried 6-minute batch (entries carry their status-change timestamp) is emitted once', () => {
		const f = fixture('legalesign');
		expect(emitted('legalesign', [f.sample('batch', now), f.sample('batch', now)])).toEqual([8, 0]);
	});

	it('two batch entries of one signer at different timestamps are both emitted', () => {
		const f = fixture('legalesign');
		const entry = (timestamp: string) => [{ value: '20', timestamp, resource_uri: '/api/v1/signer/656926a1/', name: 'status' }];
		const requests = [f.signedJson(JSON.stringify(entry('2022-07-11T07:28:55+00:00'))), f.signedJson(JSON.stringify(entry('2022-07-11T07:31:02+00:00')))];
		expect(emitted('legalesign', requests)).toEqual([1, 1]);
	});
});

describe('PhenixID', () => {
	it('two OrderSignersUpdated for one task (byte-identical): both emitted, same stable id', () => {
		const f = fixture('phenixid');
		const body = JSON.stringify({ orderId: 'task-1', eventType: 'OrderSignersUpdated', taskId: 'task-1' });
		expect(emitted('phenixid', [f.signedJson(body), f.signedJson(body), f.signedJson(body)])).toEqual([1, 1, 1]);
		const ids = [f.signedJson(body), f.signedJson(body)].map((r) => {
			const result = ingest(f.vendor, r, f.context(now));
			return result.ok ? result.events[0].id : '';
		});
		expect(ids[0]).toBe(ids[1]);
	});
});

describe('Plexus', () => {
	it('a byte-identical retry (same event id) is emitted once', () => {
		const f = fixture('plexus');
		const retry = f.sample('documentUpdated', now);
		expect(emitted('plexus', [retry, { ...retry }, { ...retry }])).toEqual([1, 0, 0]);
	});

	it('two events about one document with different ids are both emitted', () => {
		const f = fixture('plexus');
		const first = payloadOf(f.sample('documentUpdated', now), 'plexus').json as Record<string, unknown>;
		const second = { ...first, id: 'another-event-id' };
		expect(emitted('plexus', [f.signedJson(JSON.stringify(first)), f.signedJson(JSON.stringify(second))])).toEqual([1, 1]);
	});

	it('a document id longer than a store key is kept as its hash for out-of-order checks', () => {
		const f = fixture('plexus');
		const first = payloadOf(f.sample('documentUpdated', now), 'plexus').json as { id: string; createdAt: string; data: { document: { externalId: string } } };
		first.data.document.externalId = 'd'.repeat(100_000);
		const older = { ...first, id: 'older', createdAt: new Date(now.getTime() - 60_000).toISOString() };
		const requests = [f.signedJson(JSON.stringify(first)), f.signedJson(JSON.stringify(older))];
		expect(emitted('plexus', requests, { dropOutOfOrder: true })).toEqual([1, 0]);
	});
});

describe('Legito', () => {
	it('a retry (same lastModified) is emitted once; the next change of the record is emitted', () => {
		const f = fixture('legito');
		const first = f.sample('DocumentRecordUpdated', now);
		const later = f.sample('DocumentRecordUpdated', new Date(now.getTime() + 1000));
		expect(emitted('legito', [first, { ...first }, later])).toEqual([1, 0, 1]);
	});
});

describe('QuicklySign', () => {
	it('without the pack fetch, two identical status changes are both emitted', () => {
		const f = fixture('quicklysign');
		const change = f.sample('document_status_changed', now);
		expect(emitted('quicklysign', [change, { ...change }], { fetchDocumentPack: false })).toEqual([1, 1]);
	});
});
