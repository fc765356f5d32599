import { NormalizedEventSchema } from '../../core/event/normalized-event';
import { ingest } from '../../core/inbound/ingest';
import type { InboundRequest } from '../../core/vendors/definition';
import { encodeFormBody } from '../../core/vendors/legalesign/inbound';
import { fixture, payloadOf } from '../fuzz/vendor-fixtures';

// Issue 15: where a vendor's page allows more than one reading, each is accepted (VENDORS.md).
const now = new Date('2026-11-23T08:00:00Z');

function accepted(name: string, request: InboundRequest, changes: Record<string, unknown> = {}) {
	const f = fixture(name);
	const base = f.context(now);
	const result = ingest(f.vendor, request, { ...base, ...changes });
	if (!result.ok) throw new Error(`${result.status} ${result.reason}`);
	for (const event of result.events) expect(NormalizedEventSchema.safeParse(event).success).toBe(true);
	return result;
}

describe('QuicklySign callbacks: JSON or form-encoded', () => {
	const f = fixture('quicklysign');
	const callback = payloadOf(f.sample('document_status_changed', now), 'quicklysign').json as Record<string, string>;
	const asForm = (body: string): InboundRequest => ({
		...f.sample('document_status_changed', now),
		rawBody: Buffer.from(body),
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
	});
	const expected = { vendorEventType: 'document_status_changed', document: { id: callback.entity_key } };

	it('fields at the top level of a form', () => {
		expect(accepted('quicklysign', asForm(encodeFormBody(callback))).events[0]).toMatchObject(expected);
	});
	it('JSON in a `data` field', () => {
		expect(accepted('quicklysign', asForm(encodeFormBody({ data: JSON.stringify(callback) }))).events[0]).toMatchObject(expected);
	});
	it("JSON in the form's only field", () => {
		expect(accepted('quicklysign', asForm(encodeFormBody({ payload: JSON.stringify(callback) }))).events[0]).toMatchObject(expected);
	});
	it('the same id whichever reading carried the callback', () => {
		const ids = [f.sample('document_status_changed', now), asForm(encodeFormBody(callback)), asForm(encodeFormBody({ data: JSON.stringify(callback) }))].map(
			(request) => accepted('quicklysign', request).events[0].id,
		);
		expect(new Set(ids).size).toBe(1);
	});
	it('a form naming a foreign subscription is refused like JSON', () => {
		const f2 = fixture('quicklysign');
		const result = ingest(f2.vendor, asForm(encodeFormBody({ ...callback, subscription_key: 'someone-else' })), f2.context(now));
		expect(result).toMatchObject({ ok: false, status: 401 });
	});
	it('either key may be ours: subscription_key foreign, webhook_key registered', () => {
		const ours = callback.subscription_key;
		const body = JSON.stringify({ ...callback, subscription_key: 'stale-key', webhook_key: ours });
		expect(accepted('quicklysign', f.signedJson(body)).events).toHaveLength(1);
	});
	it('a second key from the create answer (registration.extra.callbackKeys) is accepted', () => {
		const base = f.context(now);
		const registration = { ...base.registration!, extra: { callbackKeys: ['the-other-key'] } };
		const body = JSON.stringify({ ...callback, subscription_key: 'the-other-key' });
		expect(accepted('quicklysign', f.signedJson(body), { registration }).events).toHaveLength(1);
	});
	it('a body that is neither gives 400', () => {
		expect(ingest(f.vendor, asForm(''), f.context(now))).toMatchObject({ ok: false, status: 400 });
		expect(ingest(f.vendor, asForm('{broken'), f.context(now))).toMatchObject({ ok: false, status: 400 });
	});
});

describe('Legalesign readings', () => {
	const signed = fixture('legalesign');
	const tokenOnly = fixture('legalesign (token only)');
	const entry = { value: '30', timestamp: '2022-07-11T07:29:06+00:00', resource_uri: '/api/v1/document/6619179c-95da-4d5c-b7be-7bac0bac4088/', name: 'status' };

	it('`data` as a JSON object (the page\'s words) as well as an array (its example)', () => {
		expect(accepted('legalesign', signed.signedJson(JSON.stringify(entry))).events[0]).toMatchObject({ type: 'document.completed', vendorEventType: 'document.30' });
		expect(accepted('legalesign', signed.signedJson(JSON.stringify([entry]))).events[0]).toMatchObject({ type: 'document.completed' });
	});

	const form = (fields: Record<string, string>): InboundRequest => ({ ...tokenOnly.signedJson('{}', { upon: true }), rawBody: Buffer.from(encodeFormBody(fields)) });

	it('a signer entry whose URI names its document gets that document id; a plain signer URI cannot', () => {
		const signer = (uri: string) => [{ value: '40', timestamp: '2022-07-11T07:29:06+00:00', resource_uri: uri, name: 'status' }];
		const nested = accepted('legalesign', signed.signedJson(JSON.stringify(signer('/api/v1/document/doc-1/signer/s-1/'))));
		expect(nested.events[0]).toMatchObject({ type: 'recipient.completed', document: { id: 'doc-1' }, recipient: { id: 's-1' } });
		const plain = accepted('legalesign', signed.signedJson(JSON.stringify(signer('/api/v1/signer/s-1/'))));
		expect(plain.events[0]).toMatchObject({ document: { id: '' }, recipient: { id: 's-1' } });
	});

	it('upon-event field variants: uri, document_name, event_code', () => {
		const result = accepted('legalesign (token only)', form({ document_name: 'NDA', event_code: 'signed', uri: '/api/v1/document/abc-123/' }));
		expect(result.events[0]).toMatchObject({ type: 'document.completed', document: { id: 'abc-123', title: 'NDA' } });
	});

	it('"a failed visit" maps to recipient.updated with the vendor name kept', () => {
		for (const event of ['failed visit', 'failed_visit', 'FailedVisit']) {
			expect(accepted('legalesign (token only)', form({ event, uuid: 'abc' })).events[0]).toMatchObject({ type: 'recipient.updated', vendorEventType: event });
		}
	});

	it('a valid token with none of the known fields: document.updated with the form fields in data', () => {
		const result = accepted('legalesign (token only)', form({ something: 'else', other: '1' }));
		expect(result.events[0]).toMatchObject({ type: 'document.updated', vendorEventType: 'unknown', data: { something: 'else', other: '1' } });
	});
});

describe('Plexus statuses match like event types (any case, _ ignored)', () => {
	const f = fixture('plexus');
	it.each(['executed', 'EXECUTED', 'Executed'])('%s', (status) => {
		const payload = payloadOf(f.sample('documentUpdated', now), 'plexus').json as { data: { document: { status: string } } };
		payload.data.document.status = status;
		expect(accepted('plexus', f.signedJson(JSON.stringify(payload))).events[0]).toMatchObject({ type: 'document.completed', document: { status: 'completed', vendorStatus: status } });
	});
	it('AWAITING_SIGNATURE', () => {
		const payload = payloadOf(f.sample('documentUpdated', now), 'plexus').json as { data: { document: { status: string } } };
		payload.data.document.status = 'AWAITING_SIGNATURE';
		expect(accepted('plexus', f.signedJson(JSON.stringify(payload))).events[0]).toMatchObject({ type: 'document.sent', document: { status: 'out_for_signature' } });
	});
});

describe('Plexus "additional headers" as a second factor', () => {
	const f = fixture('plexus');
	const credentials = { requiredHeaders: 'X-Plexus-Tenant: acme\nX-Extra-Token:  s3cret-value \n\nnot a header line' };
	const withHeaders = (headers: Record<string, string>): InboundRequest => {
		const request = f.sample('documentCreated', now);
		return { ...request, headers: { ...request.headers, ...headers } };
	};

	it('accepts a delivery carrying every required header (names in any case)', () => {
		expect(accepted('plexus', withHeaders({ 'x-plexus-tenant': 'acme', 'X-EXTRA-TOKEN': 's3cret-value' }), { credentials }).events).toHaveLength(1);
	});

	it('refuses a missing or wrong one with 401, naming the header but not its value', () => {
		for (const headers of [{ 'x-plexus-tenant': 'acme' }, { 'x-plexus-tenant': 'acme', 'x-extra-token': 'guess' }, {}] as Array<Record<string, string>>) {
			const result = ingest(f.vendor, withHeaders(headers), { ...f.context(now), credentials });
			expect(result).toMatchObject({ ok: false, status: 401 });
			expect(result.ok || result.reason).not.toContain('s3cret');
		}
	});
});

describe('PhenixID: a failed signature says what was tried (in the log detail; the answer names only the header)', () => {
	const f = fixture('phenixid');
	it.each([
		[undefined, ''],
		['a'.repeat(64), '64 hex characters'],
		[`${'A'.repeat(43)}=`, '44 base64 characters'],
		['md5:abc', 'not a SHA-256'],
	])('header %j → %s', (signature, words) => {
		const request = f.sample('OrderSigned', now);
		const headers = { ...request.headers };
		delete headers['x-signature'];
		if (signature !== undefined) headers['x-signature'] = signature;
		const result = ingest(f.vendor, { ...request, headers }, f.context(now));
		// No header at all is the precheck's refusal (before the body is read): nothing was tried.
		if (signature === undefined) expect(result).toMatchObject({ ok: false, status: 401, reason: 'missing X-Signature header' });
		else {
			expect(result).toMatchObject({ ok: false, status: 401, reason: 'invalid X-Signature', detail: expect.stringContaining(words) });
			expect(result.ok || result.detail).toContain('HMAC-SHA256');
		}
		expect(result.ok || result.reason).not.toMatch(/secret/i);
	});
});
