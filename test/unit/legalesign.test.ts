import { createSign, generateKeyPairSync } from 'node:crypto';
import { NormalizedEventSchema } from '../../core/event/normalized-event';
import { ingest } from '../../core/inbound/ingest';
import { sampleSets } from '../../core/samples/sets';
import { DEFAULT_TRIGGER_OPTIONS, type InboundRequest, type Registration } from '../../core/vendors/definition';
import { legalesign } from '../../core/vendors/legalesign';
import { legalesignCallbackUrl, legalesignSettings } from '../../core/vendors/legalesign/api';
import { legalesignTime, parseFormBody } from '../../core/vendors/legalesign/inbound';
import { legalesignDocumentMapping, legalesignSignerType } from '../../core/vendors/legalesign/mapping';
import { LEGALESIGN_SEED_BATCH } from '../../core/vendors/legalesign/samples';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const certificate = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

const token = 'c'.repeat(64);
const registration: Registration = { ids: [], url: legalesignCallbackUrl('https://h.example/webhook/x', token), secret: token, settings: legalesignSettings({}) };
const now = new Date('2022-07-11T07:35:00Z');
const context = (cert = '') => ({ registration, credentials: { certificate: cert }, options: { ...DEFAULT_TRIGGER_OPTIONS }, now });
const sign = (text: string, key = privatePem) => createSign('RSA-SHA1').update(text).sign(key, 'base64');
const form = (fields: Array<[string, string]>) => new URLSearchParams(fields).toString();
const req = (body: string, query: Record<string, string> = { token }, headers: Record<string, string> = {}): InboundRequest => ({
	method: 'POST',
	rawBody: Buffer.from(body),
	headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
	query,
});
const seedData = JSON.stringify(LEGALESIGN_SEED_BATCH);

describe('Legalesign form parsing', () => {
	it('decodes + and percent escapes once and keeps repeated fields', () => {
		const fields = parseFormBody('a=1+2%2B3&b=%7B%22x%22%3A1%7D&a=second&empty=&flag');
		expect(fields?.get('a')).toEqual(['1 2+3', 'second']);
		expect(fields?.get('b')).toEqual(['{"x":1}']);
		expect(fields?.get('empty')).toEqual(['']);
		expect(fields?.get('flag')).toEqual(['']);
	});
	it('refuses broken percent-encoding', () => {
		expect(parseFormBody('a=%E0%A4%A')).toBeUndefined();
	});
	it('reads timestamps without offset as UTC', () => {
		expect(legalesignTime('2018-03-20T07:09:52')).toBe('2018-03-20T07:09:52.000Z');
		expect(legalesignTime('2022-07-11T07:28:25+01:00')).toBe('2022-07-11T06:28:25.000Z');
		expect(legalesignTime('garbage')).toBeNull();
	});
});

describe('Legalesign 6-minute batch', () => {
	it('emits one event per entry of the seed batch, signature checked over the exact data string', () => {
		const result = legalesign.receive(req(form([['data', seedData], ['signed', sign(seedData)]])), context(certificate));
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.events).toHaveLength(8);
		result.events.forEach((e) => NormalizedEventSchema.parse(e));
		expect(result.events.map((e) => [e.type, e.vendorEventType])).toEqual([
			['recipient.updated', 'signer.5'],
			['recipient.sent', 'signer.10'],
			['recipient.viewed', 'signer.20'],
			['document.updated', 'document.20'],
			['recipient.updated', 'signer.30'],
			['recipient.completed', 'signer.40'],
			['document.completed', 'document.30'],
			['document.file_ready', 'document.100'],
		]);
		expect(result.events[1]).toMatchObject({ recipient: { id: '656926a1-a9e9-434b-91cc-9f9769254e99', status: '10' }, occurredAt: '2022-07-11T07:28:26.000Z' });
		expect(result.events[6]).toMatchObject({ document: { id: '6619179c-95da-4d5c-b7be-7bac0bac4088', status: 'completed', vendorStatus: '30' } });
		expect(new Set(result.events.map((e) => e.id)).size).toBe(8);
	});

	it('gives the same ids on a retried batch (so ingest drops the duplicates)', () => {
		const { MemoryDedupeStore } = require('../../core/inbound/dedupe');
		const store = new MemoryDedupeStore();
		const body = form([['data', seedData], ['signed', sign(seedData)]]);
		const { deduplicate } = require('../../core/inbound/ingest');
		const once = () => {
			const result = ingest(legalesign, req(body), context(certificate));
			if (!result.ok) throw new Error(result.reason);
			return deduplicate(legalesign, result.events, result.ok && context(certificate).options, store, new Date());
		};
		expect(once().events.length).toBe(8);
		const second = once();
		expect(second.events.length).toBe(0);
		expect(second.duplicate).toBe(8);
	});

	it('accepts a signature whose + arrived unencoded (decoded to spaces)', () => {
		let signature = sign(seedData);
		for (let i = 0; !signature.includes('+') && i < 20; i++) signature = sign(seedData); // PKCS#1 v1.5 is deterministic; usually has a +
		const body = `data=${encodeURIComponent(seedData)}&signed=${signature}`;
		const result = legalesign.receive(req(body), context(certificate));
		expect(result.ok).toBe(true);
	});

	it.each([
		['a wrong token', form([['data', seedData], ['signed', sign(seedData)]]), { token: 'wrong' }, certificate],
		['no token', form([['data', seedData], ['signed', sign(seedData)]]), {}, certificate],
		['a signature by another key', form([['data', seedData], ['signed', sign(seedData, other)]]), { token }, certificate],
		['a tampered data string', form([['data', seedData.replace('"40"', '"60"')], ['signed', sign(seedData)]]), { token }, certificate],
		['no signature while a certificate is set', form([['data', seedData]]), { token }, certificate],
	])('refuses %s with 401', (_what, body, query, cert) => {
		expect(legalesign.receive(req(body, query), context(cert))).toMatchObject({ ok: false, status: 401 });
	});

	it('checks only the token when no certificate is configured', () => {
		expect(legalesign.receive(req(form([['data', seedData], ['signed', '']])), context('')).ok).toBe(true);
		expect(legalesign.receive(req(form([['data', seedData]]), { token: 'x' }), context(''))).toMatchObject({ status: 401 });
	});

	it('answers 400 to data that is not JSON or not a list of entries', () => {
		expect(legalesign.receive(req(form([['data', '[{']])), context(''))).toMatchObject({ status: 400 });
		expect(legalesign.receive(req(form([['data', '{"value":1}']])), context(''))).toMatchObject({ status: 400 });
		expect(legalesign.receive(req(''), context(''))).toMatchObject({ status: 400 });
	});
});

describe('Legalesign upon-event callbacks', () => {
	const fields = { name: 'NDA', event: 'signed', resource_uri: '/api/v1/document/6619179c-95da-4d5c-b7be-7bac0bac4088/', uuid: '6619179c-95da-4d5c-b7be-7bac0bac4088', tag: 'hr', tag1: '', tag2: 'x' };
	const jsonSigned = JSON.stringify(fields);

	it('parses every field generically and verifies X-Signed over json_signed', () => {
		const body = form([...Object.entries(fields), ['json_signed', jsonSigned]]);
		const result = legalesign.receive(req(body, { token }, { 'X-Signed': sign(jsonSigned) }), context(certificate));
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(NormalizedEventSchema.parse(result.events[0])).toMatchObject({
			type: 'document.completed',
			vendorEventType: 'signed',
			document: { id: '6619179c-95da-4d5c-b7be-7bac0bac4088', title: 'NDA', status: 'completed' },
			data: { tags: ['hr', 'x'], tag: 'hr' },
		});
	});

	it('refuses a wrong X-Signed and trusts only the signed JSON when a certificate is set', () => {
		const body = form([...Object.entries(fields), ['json_signed', jsonSigned]]);
		expect(legalesign.receive(req(body, { token }, { 'X-Signed': sign(`${jsonSigned} `) }), context(certificate))).toMatchObject({ status: 401 });
		expect(legalesign.receive(req(body, { token }), context(certificate))).toMatchObject({ status: 401 });
		const forged = form([...Object.entries({ ...fields, event: 'rejected', extra: 'x' }), ['json_signed', jsonSigned]]);
		const result = legalesign.receive(req(forged, { token }, { 'X-Signed': sign(jsonSigned) }), context(certificate));
		expect(result.ok && result.events[0]).toMatchObject({ vendorEventType: 'signed', data: { unsignedFields: { extra: 'x' } } });
	});

	it.each([
		['sent', 'document.sent'],
		['rejected', 'document.rejected'],
		['something else', 'document.updated'],
	])('maps upon-event %s to %s', (event, type) => {
		const body = form([...Object.entries({ ...fields, event })]);
		expect(legalesign.receive(req(body), context(''))).toMatchObject({ ok: true, events: [{ type }] });
	});
});

describe('Legalesign status tables', () => {
	it.each([
		['10', 'document.sent', 'out_for_signature'],
		['20', 'document.updated', 'out_for_signature'],
		['30', 'document.completed', 'completed'],
		['40', 'document.cancelled', 'cancelled'],
		['50', 'document.rejected', 'rejected'],
		['100', 'document.file_ready', 'completed'],
		['77', 'document.updated', 'other'],
	])('document %s → %s / %s', (code, type, status) => expect(legalesignDocumentMapping(code)).toEqual([type, status]));

	it.each([
		['4', 'recipient.updated'],
		['5', 'recipient.updated'],
		['10', 'recipient.sent'],
		['15', 'recipient.viewed'],
		['20', 'recipient.viewed'],
		['30', 'recipient.updated'],
		['35', 'recipient.updated'],
		['39', 'recipient.updated'],
		['40', 'recipient.completed'],
		['50', 'recipient.updated'],
		['60', 'recipient.rejected'],
	])('signer %s → %s', (code, type) => expect(legalesignSignerType(code)).toBe(type));
});

describe('Legalesign samples', () => {
	it('builds CLI deliveries the trigger accepts (signed and unsigned) and tampered ones it refuses', () => {
		const set = sampleSets.legalesign!;
		for (const name of set.events) {
			const signed = set.build(name, { secret: token, privateKey: privatePem }, { now });
			expect(legalesign.receive(req(String(signed.body), signed.query, signed.headers), context(certificate)).ok).toBe(true);
			const unsigned = set.build(name, { secret: token }, { now });
			expect(legalesign.receive(req(String(unsigned.body), unsigned.query, unsigned.headers), context('')).ok).toBe(true);
			const bad = set.build(name, { secret: token, privateKey: privatePem }, { now, tamper: true });
			expect(legalesign.receive(req(String(bad.body), bad.query, bad.headers), context(certificate))).toMatchObject({ status: 401 });
		}
	});
});
