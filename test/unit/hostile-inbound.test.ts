import { NormalizedEventSchema } from '../../core/event/normalized-event';
import { ingest } from '../../core/inbound/ingest';
import { isoFromMs, MAX_JSON_DEPTH, toIsoUtc } from '../../core/inbound/parse';
import type { InboundRequest } from '../../core/vendors/definition';
import { parseResourceUri } from '../../core/vendors/legalesign/inbound';
import { plexus } from '../../core/vendors/plexus';
import { checkFreshness } from '../../core/verify/crypto';
import { fixture, fixtures, payloadOf } from '../fuzz/vendor-fixtures';

const now = new Date('2026-11-23T08:00:00Z');
const prototypeNames = () => Object.getOwnPropertyNames(Object.prototype).sort();
const before = prototypeNames();

afterEach(() => {
	expect(prototypeNames()).toEqual(before);
	expect(Object.getPrototypeOf({})).toBe(Object.prototype);
});

/** A JSON vendor's first sample as an object, and the fixture to re-sign it with. */
function samplePayload(name: string) {
	const f = fixture(name);
	const { json, upon } = payloadOf(f.sample(f.events[0], now), name);
	return { f, json: json as Record<string, unknown>, upon };
}

const jsonVendors = ['plexus', 'phenixid', 'legito', 'quicklysign', 'legalesign', 'legalesign (token only)'];

describe('bodies with __proto__ / constructor / prototype keys are refused with 400', () => {
	it.each(jsonVendors.flatMap((name) => ['__proto__', 'constructor', 'prototype'].map((key) => [name, key])))('%s: own "%s" key', (name, key) => {
		const { f, json, upon } = samplePayload(name);
		const payload = Array.isArray(json) ? json : json;
		const text = JSON.stringify(payload).replace(/^(\[?)\{/, `$1{"${key}":{"polluted":true,"status":"x"},`);
		const result = ingest(f.vendor, f.signedJson(text, { upon }), f.context(now));
		expect(result).toMatchObject({ ok: false, status: 400, reason: expect.stringContaining(key) });
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it.each(jsonVendors)('%s: a __proto__ key spelled with a \\u escape', (name) => {
		const { f, json, upon } = samplePayload(name);
		const text = JSON.stringify(json).replace(/^(\[?)\{/, '$1{"a":1,"\\u005f_proto__":{"x":1},');
		expect(text).toContain('\\u005f_proto__');
		expect(ingest(f.vendor, f.signedJson(text, { upon }), f.context(now))).toMatchObject({ ok: false, status: 400 });
	});

	it('a form field named __proto__ (Legalesign) is refused', () => {
		const f = fixture('legalesign (token only)');
		const request: InboundRequest = { ...f.signedJson('{}', { upon: true }) };
		request.rawBody = Buffer.from(`__proto__=x&event=signed&${request.rawBody.toString()}`);
		expect(ingest(f.vendor, request, f.context(now))).toMatchObject({ ok: false, status: 400 });
	});
});

describe('nesting depth is bounded', () => {
	const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

	it.each(jsonVendors)('%s: a value nested 20,000 deep gives 400, not a stack overflow', (name) => {
		const { f, json, upon } = samplePayload(name);
		const text = JSON.stringify(json).replace(/^(\[?)\{/, `$1{"deep":${deep(20_000)},`);
		expect(ingest(f.vendor, f.signedJson(text, { upon }), f.context(now))).toMatchObject({ ok: false, status: 400, reason: expect.stringContaining('nested') });
	});

	it('a Legalesign json_signed that is itself nested 20,000 deep gives 400', () => {
		const f = fixture('legalesign');
		const text = `{"a":${deep(20_000)}}`;
		expect(ingest(f.vendor, f.signedJson(text, { upon: true }), f.context(now))).toMatchObject({ ok: false, status: 400 });
	});

	it(`accepts nesting up to ${MAX_JSON_DEPTH} levels`, () => {
		const { f, json } = samplePayload('plexus');
		const data = json.data as { document: { additionalFacts: Record<string, unknown> } };
		data.document.additionalFacts = { nested: JSON.parse(deep(MAX_JSON_DEPTH - 4)) };
		expect(ingest(f.vendor, f.signedJson(JSON.stringify(json)), f.context(now)).ok).toBe(true);
		data.document.additionalFacts = { nested: JSON.parse(deep(MAX_JSON_DEPTH)) };
		expect(ingest(f.vendor, f.signedJson(JSON.stringify(json)), f.context(now))).toMatchObject({ ok: false, status: 400 });
	});
});

describe('vendor strings never reach inherited members of a lookup table', () => {
	it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])('Plexus status "%s" gives string type and status', (status) => {
		const { f, json } = samplePayload('plexus');
		(json.data as { document: { status: string } }).document.status = status;
		json.type = 'documentUpdated';
		const result = ingest(f.vendor, f.signedJson(JSON.stringify(json)), f.context(now));
		if (!result.ok) throw new Error(result.reason);
		expect(result.events[0]).toMatchObject({ type: 'document.updated', document: { status: 'other', vendorStatus: status } });
		expect(NormalizedEventSchema.safeParse(result.events[0]).success).toBe(true);
	});

	it.each(['constructor', 'toString', '__proto__', 'valueOf'])('Legalesign batch value "%s" does not throw', (value) => {
		const f = fixture('legalesign');
		const entries = [
			{ value, timestamp: '2022-07-11T07:28:25+00:00', resource_uri: '/api/v1/document/6619179c/', name: 'status' },
			{ value, timestamp: '2022-07-11T07:28:25+00:00', resource_uri: '/api/v1/signer/656926a1/', name: 'status' },
		];
		const result = ingest(f.vendor, f.signedJson(JSON.stringify(entries)), f.context(now));
		if (!result.ok) throw new Error(result.reason);
		for (const event of result.events) {
			expect(NormalizedEventSchema.safeParse(event).success).toBe(true);
			expect(event.data.statusText).toBeUndefined();
		}
		expect(result.events.map((e) => e.type)).toEqual(['document.updated', 'recipient.updated']);
	});

	it.each(['constructor', 'toString', '__proto__'])('QuicklySign callback_event "%s" and Legito file extension .%s stay strings', (word) => {
		const q = samplePayload('quicklysign');
		q.json.callback_event = word;
		const qs = ingest(q.f.vendor, q.f.signedJson(JSON.stringify(q.json)), q.f.context(now));
		expect(qs.ok && qs.events[0].type).toBe('other');
		const l = fixture('legito');
		const legito = payloadOf(l.sample('SignCompleted', now), 'legito').json as { files: { generated: Array<{ fileName: string }> } };
		legito.files.generated[0].fileName = `contract.${word}`;
		const result = ingest(l.vendor, l.signedJson(JSON.stringify(legito)), l.context(now));
		expect(result.ok && result.files?.[0].mimeType).toBe('application/octet-stream');
	});
});

describe('Legalesign parseResourceUri is linear', () => {
	it('reads kind and id as before', () => {
		expect(parseResourceUri('/api/v1/signer/656926a1-a9e9/')).toEqual({ kind: 'signer', id: '656926a1-a9e9' });
		expect(parseResourceUri('/api/v1/document/abc')).toEqual({ kind: 'document', id: 'abc' });
		expect(parseResourceUri('https://eu-api.legalesign.com/api/v1/document/abc/?x=1#f')).toEqual({ kind: 'document', id: 'abc' });
		expect(parseResourceUri('/api/v1/Document/abc/')).toEqual({ kind: 'document', id: 'abc' });
		expect(parseResourceUri('abc')).toEqual({ kind: 'unknown', id: '' });
		expect(parseResourceUri('/document//')).toEqual({ kind: 'unknown', id: '' });
		expect(parseResourceUri('/v1/doc-ument/abc/')).toEqual({ kind: 'unknown', id: '' });
	});

	// The old regex backtracked over `.*` from every "/x/y?": quadratic, this 400 KB URI blocked the
	// loop for about 45 s (so this file took that long). No timing is asserted here.
	it('a 400 KB pathological resource_uri is answered', () => {
		const uri = `${'/a/b?'.repeat(80_000)}\n!`;
		const f = fixture('legalesign (token only)');
		const entries = [{ value: '10', timestamp: '2022-07-11T07:28:25+00:00', resource_uri: uri, name: 'status' }];
		const result = ingest(f.vendor, f.signedJson(JSON.stringify(entries)), f.context(now));
		// Everything after the first `?` is the query: the path is /a/b.
		expect(result.ok && result.events[0]).toMatchObject({ vendorEventType: 'a.10', type: 'other' });
	});
});

describe('receive() used directly applies the secure defaults', () => {
	const stale = () => {
		const f = fixture('plexus');
		const { json } = samplePayload('plexus');
		json.createdAt = new Date(now.getTime() - 3600_000).toISOString();
		return { f, request: f.signedJson(JSON.stringify(json)) };
	};

	it('options without a replay window: a one-hour-old Plexus delivery is refused', () => {
		const { request } = stale();
		expect(plexus.receive(request, { secret: 'f'.repeat(64), options: {} as never, now })).toMatchObject({ ok: false, status: 401 });
		expect(plexus.receive(request, { secret: 'f'.repeat(64), options: { replayToleranceSeconds: undefined } as never, now })).toMatchObject({ status: 401 });
		expect(plexus.receive(request, { secret: 'f'.repeat(64), options: undefined as never, now })).toMatchObject({ status: 401 });
	});

	it('an explicit 0 still turns the window off; ingest with empty options works', () => {
		const { f, request } = stale();
		expect(plexus.receive(request, { secret: 'f'.repeat(64), options: { replayToleranceSeconds: 0 } as never, now }).ok).toBe(true);
		expect(ingest(f.vendor, request, { secret: 'f'.repeat(64), options: {} as never, now })).toMatchObject({ ok: false, status: 401 });
	});

	it('checkFreshness: missing, negative or NaN tolerance is the 600 s default', () => {
		const old = new Date(now.getTime() - 700_000).toISOString();
		for (const tolerance of [undefined, Number.NaN, -1]) expect(checkFreshness(old, now, tolerance).ok).toBe(false);
		expect(checkFreshness(new Date(now.getTime() - 500_000).toISOString(), now, undefined).ok).toBe(true);
		expect(checkFreshness(old, now, 0).ok).toBe(true);
	});
});

describe('Plexus ids are bounded', () => {
	it('a 20 MB id is refused with 400 and never becomes a store key', () => {
		const { f, json } = samplePayload('plexus');
		json.id = 'x'.repeat(20 * 1024 * 1024);
		const result = ingest(f.vendor, f.signedJson(JSON.stringify(json)), { ...f.context(now), options: { ...f.context(now).options, maxBodyBytes: 0 } });
		expect(result).toMatchObject({ ok: false, status: 400, reason: expect.stringContaining('id') });
	});
});

describe('every fixture accepts its own samples (the fuzz suite starts from these)', () => {
	it.each(fixtures.map((f) => [f.name, f] as const))('%s', (_name, f) => {
		for (const event of f.events) {
			const result = ingest(f.vendor, f.sample(event, now), f.context(now));
			if (!result.ok) throw new Error(`${event}: ${result.reason}`);
			for (const e of result.events) expect(NormalizedEventSchema.safeParse(e).success).toBe(true);
		}
	});
});

describe('vendor timestamps become ISO-8601 UTC only for years 0000–9999', () => {
	it('keeps the first and last instants of that range and nothing beyond', () => {
		expect(isoFromMs(Date.parse('0000-01-01T00:00:00.000Z'))).toBe('0000-01-01T00:00:00.000Z');
		expect(isoFromMs(Date.parse('9999-12-31T23:59:59.999Z'))).toBe('9999-12-31T23:59:59.999Z');
		expect(isoFromMs(Date.parse('0000-01-01T00:00:00.000Z') - 1)).toBeNull();
		expect(isoFromMs(Date.parse('+010000-01-01T00:00:00.000Z'))).toBeNull();
		for (const ms of [Number.NaN, Infinity, -Infinity, 8.64e15 + 1, -8.64e15 - 1]) expect(isoFromMs(ms)).toBeNull();
		expect(toIsoUtc('2022-07-11T07:28:25+02:00')).toBe('2022-07-11T05:28:25.000Z');
		expect(toIsoUtc('not a date')).toBeNull();
	});
});
