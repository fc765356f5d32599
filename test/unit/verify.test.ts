import { createHmac, generateKeyPairSync, createSign } from 'node:crypto';
import { checkFreshness, decodeSignature, safeEqual, verifyHmacSignature, verifyRsaSignature, verifyToken } from '../../core/verify/crypto';

describe('verify primitives', () => {
	const body = Buffer.from('{"hello":"world"}');
	const secret = 'topsecret';
	// Vector computed independently: HMAC-SHA256("topsecret", '{"hello":"world"}').
	const sha256Hex = createHmac('sha256', secret).update(body).digest('hex');

	it('accepts hex, base64 and prefixed forms of the same HMAC', () => {
		const check = { algorithms: ['sha256' as const], encodings: ['hex' as const, 'base64' as const], prefixes: ['sha256='] };
		expect(verifyHmacSignature(body, sha256Hex, secret, check)).toBe(true);
		expect(verifyHmacSignature(body, sha256Hex.toUpperCase(), secret, check)).toBe(true);
		expect(verifyHmacSignature(body, Buffer.from(sha256Hex, 'hex').toString('base64'), secret, check)).toBe(true);
		expect(verifyHmacSignature(body, `sha256=${sha256Hex}`, secret, check)).toBe(true);
	});

	it('rejects a wrong secret, a changed body, a truncated or missing signature', () => {
		const check = { algorithms: ['sha256' as const], encodings: ['hex' as const] };
		expect(verifyHmacSignature(body, sha256Hex, 'other', check)).toBe(false);
		expect(verifyHmacSignature(Buffer.from('{"hello":"world!"}'), sha256Hex, secret, check)).toBe(false);
		expect(verifyHmacSignature(body, sha256Hex.slice(0, 62), secret, check)).toBe(false);
		expect(verifyHmacSignature(body, undefined, secret, check)).toBe(false);
		expect(verifyHmacSignature(body, sha256Hex, undefined, check)).toBe(false);
		expect(verifyHmacSignature(body, `sha256=${sha256Hex}`, secret, check)).toBe(false);
	});

	it('decodes only well-formed encodings', () => {
		expect(decodeSignature('zz', ['hex'])).toEqual([]);
		expect(decodeSignature('abc', ['hex'])).toEqual([]);
		expect(decodeSignature('YWJj', ['base64'])[0].toString()).toBe('abc');
	});

	it('compares tokens in constant time and refuses empty expectations', () => {
		expect(safeEqual('abc', 'abc')).toBe(true);
		expect(safeEqual('abc', 'abd')).toBe(false);
		expect(safeEqual('abc', 'abcd')).toBe(false);
		expect(verifyToken('x', '')).toBe(false);
		expect(verifyToken(undefined, 'x')).toBe(false);
		expect(verifyToken('x', 'x')).toBe(true);
	});

	it('checks freshness both ways and can be turned off', () => {
		const now = new Date('2026-01-01T00:10:00Z');
		expect(checkFreshness('2026-01-01T00:05:00Z', now, 600).ok).toBe(true);
		expect(checkFreshness('2025-12-31T23:59:00Z', now, 600).ok).toBe(false);
		expect(checkFreshness('2026-01-01T00:25:00Z', now, 600).ok).toBe(false);
		expect(checkFreshness('2020-01-01T00:00:00Z', now, 0).ok).toBe(true);
		expect(checkFreshness('not a date', now, 600).ok).toBe(false);
		expect(checkFreshness(undefined, now, 600).ok).toBe(false);
	});

	it('verifies RSA-SHA1 over the exact signed string', () => {
		const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
		const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
		const signed = '[{"value":"30"}]';
		const signature = createSign('RSA-SHA1').update(signed).sign(privateKey, 'base64');
		expect(verifyRsaSignature('RSA-SHA1', signed, signature, pem)).toBe(true);
		expect(verifyRsaSignature('RSA-SHA1', `${signed} `, signature, pem)).toBe(false);
		expect(verifyRsaSignature('RSA-SHA1', signed, 'bm90IGEgc2lnbmF0dXJl', pem)).toBe(false);
		expect(verifyRsaSignature('RSA-SHA1', signed, signature, 'not a pem')).toBe(false);
	});
});
