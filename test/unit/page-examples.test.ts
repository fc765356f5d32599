import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NormalizedEventSchema } from '../../core/event/normalized-event';
import { ingest } from '../../core/inbound/ingest';
import type { InboundRequest, ReceiveContext } from '../../core/vendors/definition';
import { encodeFormBody } from '../../core/vendors/legalesign/inbound';
import { fixture, payloadOf } from '../fuzz/vendor-fixtures';

// The vendors' own example payloads, verbatim (see page-examples/README.md), through ingest().
const example = (name: string) => readFileSync(join(__dirname, 'page-examples', name), 'utf8');

function accepted(name: string, request: InboundRequest, context: ReceiveContext) {
	const result = ingest(fixture(name).vendor, request, context);
	if (!result.ok) throw new Error(`${result.status} ${result.reason}`);
	for (const event of result.events) expect(NormalizedEventSchema.safeParse(event).success).toBe(true);
	return result;
}

describe('Plexus page examples', () => {
	const f = fixture('plexus');
	const context = f.context(new Date('2021-11-11T22:42:00Z'));

	it.each([
		['plexus-documentCreated.json', 'document.created', 'created', 'created'],
		['plexus-documentUpdated.json', 'document.approval_requested', 'in_review', 'awaitingReview'],
		['plexus-documentDeleted.json', 'document.deleted', 'deleted', 'other'],
	])('%s → %s / %s', (file, type, status, vendorStatus) => {
		const result = accepted('plexus', f.signedJson(example(file)), context);
		expect(result.events[0]).toMatchObject({
			id: '8cfa669c-41cc-412c-858d-0374e2c007fc',
			type,
			occurredAt: '2021-11-11T22:39:59.250Z',
			document: { id: 'd24c0644-1d31-47fa-960e-b0cc8b4f136c', title: 'Service Agreement for Company A', status, vendorStatus },
			data: { counterpartyName: 'Company A', currency: 'AUD', contractValue: 0, additionalFacts: { customFact1: '123', currency: 'AUD' } },
		});
	});

	it('the envelope outline (with `// ...`) is not JSON: 400', () => {
		expect(ingest(f.vendor, f.signedJson(example('plexus-envelope.txt')), context)).toMatchObject({ ok: false, status: 400 });
	});
});

it('PhenixID page example: OrderAccepted', () => {
	const f = fixture('phenixid');
	const result = accepted('phenixid', f.signedJson(example('phenixid-OrderAccepted.json')), f.context(new Date()));
	expect(result.events[0]).toMatchObject({
		type: 'document.updated',
		vendorEventType: 'OrderAccepted',
		occurredAt: null,
		document: { id: '07c6ad8c-d1ba-4e73-9bbf-c70a085a449c', status: 'out_for_signature' },
	});
});

it('Legalesign page example: the 6-minute batch, one event per entry', () => {
	const f = fixture('legalesign');
	const result = accepted('legalesign', f.signedJson(example('legalesign-batch.json')), f.context(new Date()));
	expect(result.events.map((e) => [e.type, e.vendorEventType, e.document.id])).toEqual([
		['recipient.updated', 'signer.5', ''],
		['recipient.sent', 'signer.10', ''],
		['recipient.viewed', 'signer.20', ''],
		['document.updated', 'document.20', '6619179c-95da-4d5c-b7be-7bac0bac4088'],
		['recipient.updated', 'signer.30', ''],
		['recipient.completed', 'signer.40', ''],
		['document.completed', 'document.30', '6619179c-95da-4d5c-b7be-7bac0bac4088'],
		['document.file_ready', 'document.100', '6619179c-95da-4d5c-b7be-7bac0bac4088'],
	]);
	expect(result.events[5]).toMatchObject({ recipient: { id: '656926a1-a9e9-434b-91cc-9f9769254e99', status: '40' }, data: { statusText: 'completed' } });
});

describe('QuicklySign page examples (Python dict reprs), as JSON and as a form', () => {
	/** The page's reprs as the dicts they print: `u'key': u'value'` pairs, whatever commas surround them. */
	const callbacks = [...example('quicklysign-callbacks.txt').matchAll(/\{([^}]*)\}/g)].map((block) =>
		Object.fromEntries([...block[1].matchAll(/u'([^']*)'\s*:\s*u'([^']*)'/g)].map(([, key, value]) => [key, value])),
	);
	const f = fixture('quicklysign');
	const base = f.context(new Date());
	const context = { ...base, registration: { ...base.registration!, ids: callbacks.map((c) => c.subscription_key) } };
	const sample = f.sample('entity_updated', new Date());

	it('holds the page\'s four callbacks', () => expect(callbacks.map((c) => c.callback_event)).toEqual(['document_updated', 'signatory_updated', 'audit_trail_updated', 'final_document_generated']));

	it.each([
		[0, 'document.updated'],
		[1, 'recipient.updated'],
		[2, 'document.updated'],
		[3, 'document.file_ready'],
	])('callback %i → %s', (index, type) => {
		const callback = callbacks[index];
		const expected = { type, vendorEventType: callback.callback_event, document: { id: callback.entity_key }, data: { subscriptionKey: callback.subscription_key } };
		expect(accepted('quicklysign', f.signedJson(JSON.stringify(callback)), context).events[0]).toMatchObject(expected);
		const form = { ...sample, rawBody: Buffer.from(encodeFormBody(callback)), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
		expect(accepted('quicklysign', form, context).events[0]).toMatchObject(expected);
	});
});

it('Legito page example: the files section copied from the Push API log', () => {
	const f = fixture('legito');
	const now = new Date();
	const files = JSON.parse(`{${example('legito-files-from-log.txt').replace(/[“”]/g, '"').replace(/\s*\|\s*$/, '')}}`).files;
	const delivery = { ...(payloadOf(f.sample('SignCompleted', now), 'legito').json as object), files };
	const result = accepted('legito', f.signedJson(JSON.stringify(delivery)), f.context(now));
	expect(result.files).toEqual([]);
	expect(result.events[0].files).toEqual([]);
	expect(result.events[0].data.fileErrors).toEqual([
		{ fileName: 'serviceagreement.docx', kind: 'generated', reason: expect.stringContaining('Push API log placeholder') },
		{ fileName: 'serviceagreement.pdf', kind: 'generated', reason: expect.stringContaining('Push API log placeholder') },
	]);
});
