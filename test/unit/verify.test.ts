import { createHmac, generateKeyPairSync, createSign } from 'node:crypto';
import { checkFreshness, decodeSignature, safeEqual, verifyHmacSignature, verifyRsaSignature, verifyToken } from '../../core/verify/crypto';

/** A self-signed X.509 certificate (what users paste from Legalesign), and its key's RSA-SHA1 signature of `[{"value":"30"}]`. */
const CERTIFICATE = [
	'-----BEGIN CERTIFICATE-----',
	'MIICEjCCAXugAwIBAgIUESLt7EgPGmQKdZukVTmvtPbhqJowDQYJKoZIhvcNAQEL',
	'BQAwGjEYMBYGA1UEAwwPbGVnYWxob29rcy10ZXN0MCAXDTI2MTIwNjE2MjUzN1oY',
	'DzIxMjYxMTEyMTYyNTM3WjAaMRgwFgYDVQQDDA9sZWdhbGhvb2tzLXRlc3QwgZ8w',
	'DQYJKoZIhvcNAQEBBQADgY0AMIGJAoGBAJ5zO0besmodtloYjskvEw5wdGtRcWYC',
	'UZg7ZS4ZJxaJSeoLbYUKRCKl14Uq/nTMKc2hWu++Jb0FkiwNy3C5ecuygydE+dOE',
	'JYJoWwOKM94WlPeiDjfe0WOEAr0oGDDZ+6lJGWgYxnXz+18zpr06jBw4TRzU7/07',
	'JHV4+Hb1Uco9AgMBAAGjUzBRMB0GA1UdDgQWBBRXN1U29uN6vmwXHvswX8yoOENX',
	'hDAfBgNVHSMEGDAWgBRXN1U29uN6vmwXHvswX8yoOENXhDAPBgNVHRMBAf8EBTAD',
	'AQH/MA0GCSqGSIb3DQEBCwUAA4GBAHAITBu1C3ct4OgQugk6Hhc6SL9Mpdm5OqJI',
	'9N15UA3Ej4jSolzvi1dZVcxXGUzWktvS/zU3eINQvbjbzP0ad/HGQi/9izXAjSoz',
	'8GfXjE5Cce9VzIKk16o+G2Nmcllq1bAb/1ISCzfge3ck/Dv09WOojvOIfqn4Yct7',
	'EP1nFaNy',
	'-----END CERTIFICATE-----',
].join('\n');
const CERTIFICATE_SIGNATURE =
	'C3o1QGExmsMtcsHaTDcHiUUBjwSFTDzpf/0epcUU6eLdVxfZJz+TU/6BOiG6hVS+l+i8bkkM20dKhn7YX0A8kXYQbShcCzW4edeopc5ZmxDqQhm1PSaRFEfhhO5kFlR/Nx3vNnLPHZmCz9nt5T6pbl4QUsBAh6FmIgnsue8TbHo=';

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

	it('verifies against a pasted X.509 certificate, before and after its key is cached', () => {
		for (let i = 0; i < 2; i++) {
			expect(verifyRsaSignature('RSA-SHA1', '[{"value":"30"}]', CERTIFICATE_SIGNATURE, CERTIFICATE)).toBe(true);
			expect(verifyRsaSignature('RSA-SHA1', '[{"value":"31"}]', CERTIFICATE_SIGNATURE, CERTIFICATE)).toBe(false);
		}
	});

	it('answers for each PEM with its own key while more keys pass through the bounded key cache than it holds', () => {
		const signed = 'the same signed text';
		const pairs = Array.from({ length: 20 }, () => {
			const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
			return { pem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), signature: createSign('RSA-SHA1').update(signed).sign(privateKey, 'base64') };
		});
		for (let round = 0; round < 2; round++) {
			pairs.forEach((pair, i) => {
				const other = pairs[(i + 1) % pairs.length];
				expect(verifyRsaSignature('RSA-SHA1', signed, pair.signature, pair.pem)).toBe(true);
				expect(verifyRsaSignature('RSA-SHA1', signed, other.signature, pair.pem)).toBe(false);
			});
		}
		expect(verifyRsaSignature('RSA-SHA1', signed, pairs[0].signature, 'not a pem')).toBe(false);
		expect(verifyRsaSignature('RSA-SHA1', signed, pairs[0].signature, 'not a pem')).toBe(false);
	});
});
