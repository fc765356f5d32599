import { NormalizedEventSchema } from '../../core/event/normalized-event';
import { sampleSets } from '../../core/samples/sets';
import { DEFAULT_TRIGGER_OPTIONS, type InboundRequest, type Registration } from '../../core/vendors/definition';
import { quicklysign } from '../../core/vendors/quicklysign';
import { documentPackKeys, quicklysignCallbackUrl, quicklysignSettings } from '../../core/vendors/quicklysign/api';
import { quicklysignDocumentStatus, quicklysignEventType } from '../../core/vendors/quicklysign/mapping';

const token = 'd'.repeat(64);
const sub = 'ahFzfnF1aWNrbHlzaasrRTsaaZCxIMU3Vic2NyaXB0aW9uGICAgOnTvaIJDA';
const pack = 'ahFzfnF1aWNrbHlzaWduLWRldnInCsokPPOSEisjaxxXNSTnQ0MTgyYjY3ODI4N2MM';
const registration: Registration = { ids: [sub], url: quicklysignCallbackUrl('https://h.example/webhook/q', token), secret: token, settings: quicklysignSettings({ documentPackKeys: [pack] }), extra: { packs: { [pack]: sub } } };
const context = (options = {}) => ({ registration, options: { ...DEFAULT_TRIGGER_OPTIONS, ...options }, now: new Date() });
const req = (body: unknown, query: Record<string, string> = { token }): InboundRequest => ({
	method: 'POST',
	rawBody: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
	headers: { 'content-type': 'application/json' },
	query,
});
// The seed's first callback example.
const seed = { entity_type: 'Document', entity_key: pack, callback_event: 'document_updated', subscription_key: sub };

describe('QuicklySign inbound', () => {
	it('normalizes the seed callback', () => {
		const result = quicklysign.receive(req(seed), context());
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(NormalizedEventSchema.parse(result.events[0])).toMatchObject({
			vendor: 'quicklysign',
			type: 'document.updated',
			vendorEventType: 'document_updated',
			occurredAt: null,
			document: { id: pack, status: 'other' },
			data: { subscriptionKey: sub, entityType: 'Document' },
		});
		expect(result.events[0].id).toMatch(/^[0-9a-f]{64}$/);
	});

	it('accepts webhook_key in place of subscription_key', () => {
		const { subscription_key: _s, ...rest } = seed;
		expect(quicklysign.receive(req({ ...rest, webhook_key: sub }), context()).ok).toBe(true);
	});

	it('reports the key that matched: accepted on webhook_key beside a foreign subscription_key, the event names webhook_key (issue 20)', () => {
		const result = quicklysign.receive(req({ ...seed, subscription_key: 'someone-else', webhook_key: sub }), context());
		expect(result).toMatchObject({ ok: true, verified: { checks: ['url-token', 'subscription-key'] } });
		if (!result.ok) return;
		expect(result.events[0].data.subscriptionKey).toBe(sub);
		const sameEvent = quicklysign.receive(req(seed), context());
		expect(sameEvent.ok && sameEvent.events[0].id).toBe(result.events[0].id);
	});

	it('refuses a wrong or missing token, and a subscription key that is not ours', () => {
		expect(quicklysign.receive(req(seed, { token: 'nope' }), context())).toMatchObject({ status: 401 });
		expect(quicklysign.receive(req(seed, {}), context())).toMatchObject({ status: 401 });
		expect(quicklysign.receive(req({ ...seed, subscription_key: 'someone-else' }), context())).toMatchObject({ status: 401 });
		expect(quicklysign.receive(req({ ...seed, subscription_key: 'someone-else' }), context({ acceptForeignSubscriptions: true })).ok).toBe(true);
	});

	it('answers 400 to a body without entity_key / callback_event', () => {
		expect(quicklysign.receive(req({ entity_type: 'Document' }), context())).toMatchObject({ status: 400 });
		expect(quicklysign.receive(req('not json'), context())).toMatchObject({ status: 400 });
	});

	it.each([
		['entity_updated', undefined, 'document.updated'],
		['document_updated', undefined, 'document.updated'],
		['audit_trail_updated', undefined, 'document.updated'],
		['document_status_changed', undefined, 'document.updated'],
		['document_status_changed', 'awaiting_signatures', 'document.sent'],
		['document_status_changed', 'complete', 'document.completed'],
		['final_document_generated', undefined, 'document.file_ready'],
		['signatory_updated', undefined, 'recipient.updated'],
		['brand_new_event', undefined, 'other'],
	])('maps %s (pack status %s) to %s', (event, status, type) => expect(quicklysignEventType(event, status)).toBe(type));

	it.each([
		['setup', 'created'],
		['awaiting_signatures', 'out_for_signature'],
		['complete', 'completed'],
		['conversion_error', 'other'],
	])('maps pack status %s to %s', (status, canonical) => expect(quicklysignDocumentStatus(status)).toBe(canonical));

	it('reads pack keys from lists and from comma / newline separated text', () => {
		expect(documentPackKeys(' a, b\nc ,a ')).toEqual(['a', 'b', 'c']);
		expect(documentPackKeys(['x', ' ', 'y'])).toEqual(['x', 'y']);
		expect(documentPackKeys(undefined)).toEqual([]);
	});

	it('builds CLI samples the trigger accepts and tampered ones it refuses', () => {
		const set = sampleSets.quicklysign!;
		for (const name of set.events) {
			const d = set.build(name, { secret: token, registrationId: sub, entityKey: pack }, {});
			expect(quicklysign.receive(req(String(d.body), d.query), context()).ok).toBe(true);
			const bad = set.build(name, { secret: token, registrationId: sub, entityKey: pack }, { tamper: true });
			expect(quicklysign.receive(req(String(bad.body), bad.query), context())).toMatchObject({ status: 401 });
		}
	});
});

describe('QuicklySign de-duplication', () => {
	const { deduplicate } = require('../../core/inbound/ingest') as typeof import('../../core/inbound/ingest');
	const { MemoryDedupeStore } = require('../../core/inbound/dedupe') as typeof import('../../core/inbound/dedupe');
	const statusChange = { ...seed, callback_event: 'document_status_changed' };

	it('without Fetch document pack, keeps two identical callbacks (they may be two real status changes)', () => {
		const store = new MemoryDedupeStore();
		const options = { ...DEFAULT_TRIGGER_OPTIONS, fetchDocumentPack: false };
		const first = quicklysign.receive(req(statusChange), context(options));
		const second = quicklysign.receive(req(statusChange), context(options));
		if (!first.ok || !second.ok) throw new Error('refused');
		expect(first.events[0].id).toBe(second.events[0].id);
		expect(deduplicate(quicklysign, first.events, options, store, new Date()).events).toHaveLength(1);
		expect(deduplicate(quicklysign, second.events, options, store, new Date()).events).toHaveLength(1);
	});

	it('with Fetch document pack, de-duplicates on the enriched id (pack date_updated)', () => {
		const store = new MemoryDedupeStore();
		const options = { ...DEFAULT_TRIGGER_OPTIONS, fetchDocumentPack: true };
		const result = quicklysign.receive(req(statusChange), context(options));
		if (!result.ok) throw new Error('refused');
		const enriched = (updated: number) =>
			result.events.map((event) => ({ ...event, id: `${event.id}:${updated}`, data: { ...event.data, documentPack: { date_updated: updated } } }));
		expect(deduplicate(quicklysign, enriched(1), options, store, new Date()).events).toHaveLength(1);
		expect(deduplicate(quicklysign, enriched(2), options, store, new Date()).events).toHaveLength(1);
		expect(deduplicate(quicklysign, enriched(2), options, store, new Date()).events).toHaveLength(0);
	});

	it('with Fetch document pack that failed (no date_updated in the id), keeps both identical callbacks', () => {
		const store = new MemoryDedupeStore();
		const options = { ...DEFAULT_TRIGGER_OPTIONS, fetchDocumentPack: true };
		const result = quicklysign.receive(req(statusChange), context(options));
		if (!result.ok) throw new Error('refused');
		const failed = () => result.events.map((event) => ({ ...event, data: { ...event.data, documentPackError: 'HTTP 503' } }));
		expect(deduplicate(quicklysign, failed(), options, store, new Date()).events).toHaveLength(1);
		expect(deduplicate(quicklysign, failed(), options, store, new Date()).events).toHaveLength(1);
	});
});
