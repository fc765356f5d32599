import { createHmac, createPublicKey, createVerify, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';

export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha512';

const DIGEST_BYTES: Record<HmacAlgorithm, number> = { sha1: 20, sha256: 32, sha512: 64 };
export type SignatureEncoding = 'hex' | 'base64';
export { headerValue, type Headers } from '../inbound/request';

/** 32 random bytes as hex: the secret we generate for every registration. */
export function generateSecret(): string {
	return randomBytes(32).toString('hex');
}

export function hmac(algorithm: HmacAlgorithm, secret: string | Buffer, body: Buffer | string): Buffer {
	return createHmac(algorithm, secret).update(body).digest();
}

/**
 * Constant-time equality. Inputs of different lengths still cost one comparison of the expected
 * length, so the time taken does not tell an attacker how close a guess was.
 */
export function safeEqual(actual: Buffer | string, expected: Buffer | string): boolean {
	const a = typeof actual === 'string' ? Buffer.from(actual, 'utf8') : actual;
	const e = typeof expected === 'string' ? Buffer.from(expected, 'utf8') : expected;
	if (a.length !== e.length) {
		timingSafeEqual(e, e);
		return false;
	}
	return timingSafeEqual(a, e);
}


const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Decodes a signature header value written in one of the given encodings, after removing a known prefix. */
export function decodeSignature(
	value: string,
	encodings: SignatureEncoding[],
	prefixes: string[] = [],
): Buffer[] {
	let text = value.trim();
	for (const prefix of prefixes) {
		if (text.toLowerCase().startsWith(prefix.toLowerCase())) {
			text = text.slice(prefix.length);
			break;
		}
	}
	const candidates: Buffer[] = [];
	if (encodings.includes('hex') && text.length > 0 && text.length % 2 === 0) {
		// Node stops decoding at the first character that is not hex: a full-length result is all hex.
		const decoded = Buffer.from(text, 'hex');
		if (decoded.length * 2 === text.length) candidates.push(decoded);
	}
	if (encodings.includes('base64') && text.length % 4 === 0 && BASE64.test(text)) {
		candidates.push(Buffer.from(text, 'base64'));
	}
	return candidates;
}

export interface HmacCheck {
	algorithms: HmacAlgorithm[];
	encodings: SignatureEncoding[];
	prefixes?: string[];
}

/** True when the signature is an HMAC of the raw body under the secret in any accepted algorithm/encoding. */
export function verifyHmacSignature(
	rawBody: Buffer,
	signature: string | undefined,
	secret: string | undefined,
	check: HmacCheck,
): boolean {
	if (!signature || !secret) return false;
	const candidates = decodeSignature(signature, check.encodings, check.prefixes);
	let matched = false;
	for (const algorithm of check.algorithms) {
		// The signature's length is public: only compute digests it could equal.
		const length = DIGEST_BYTES[algorithm];
		let possible = false;
		for (const candidate of candidates) if (candidate.length === length) possible = true;
		if (!possible) continue;
		const expected = hmac(algorithm, secret, rawBody);
		for (const candidate of candidates) {
			if (safeEqual(candidate, expected)) matched = true;
		}
	}
	return matched;
}

/** RSA PKCS#1 v1.5 signature check against an X.509 certificate or public key in PEM form. */
export function verifyRsaSignature(
	algorithm: 'RSA-SHA1' | 'RSA-SHA256',
	signed: Buffer | string,
	signatureBase64: string | undefined,
	certificatePem: string,
): boolean {
	if (!signatureBase64) return false;
	// Node decodes base64 leniently (a dropped `=`, a trailing character, `-` for `+`): accept only the
	// one canonical spelling, the one Node writes back (so no pattern test is needed before it).
	const text = signatureBase64.trim();
	const signature = Buffer.from(text, 'base64');
	if (signature.length === 0 || signature.toString('base64') !== text) return false;
	try {
		return createVerify(algorithm).update(signed).verify(publicKeyOf(certificatePem), signature);
	} catch {
		return false;
	}
}

/** How many parsed keys are kept: a node verifies against one certificate, a process holds a few nodes. */
const PUBLIC_KEY_CACHE_SIZE = 16;
const publicKeys = new Map<string, KeyObject>();
/** The last PEM text asked about and its key: comparing the text is cheaper than hashing it for the map. */
let lastPem: string | undefined;
let lastKey: KeyObject | undefined;

/**
 * The public key of a PEM certificate or key, parsed once per distinct text: parsing costs several
 * times the RSA check itself. Only the PEM text decides the key, so the cache cannot answer for
 * another credential; the oldest entry leaves when it is full. A PEM that does not parse throws.
 */
function publicKeyOf(pem: string): KeyObject {
	if (pem === lastPem && lastKey !== undefined) return lastKey;
	let key = publicKeys.get(pem);
	if (key === undefined) {
		key = createPublicKey(pem);
		if (publicKeys.size >= PUBLIC_KEY_CACHE_SIZE) publicKeys.delete(publicKeys.keys().next().value as string);
		publicKeys.set(pem, key);
	}
	lastPem = pem;
	lastKey = key;
	return key;
}

export type FreshnessResult = { ok: true } | { ok: false; reason: string };

/** The replay window when none is given (10 minutes). */
export const DEFAULT_REPLAY_WINDOW_SECONDS = 600;

/**
 * Replay window: a timestamp further than `toleranceSeconds` from `now`, in either direction, is refused.
 * Only an explicit 0 turns the check off; a missing, negative or non-numeric tolerance is the default.
 */
export function checkFreshness(
	timestamp: string | number | undefined | null,
	now: Date | undefined,
	toleranceSeconds: number | undefined,
): FreshnessResult {
	if (toleranceSeconds === 0) return { ok: true };
	if (typeof toleranceSeconds !== 'number' || !Number.isFinite(toleranceSeconds) || toleranceSeconds < 0) {
		toleranceSeconds = DEFAULT_REPLAY_WINDOW_SECONDS;
	}
	const nowMs = now instanceof Date && !Number.isNaN(now.getTime()) ? now.getTime() : Date.now();
	if (timestamp === undefined || timestamp === null || timestamp === '') {
		return { ok: false, reason: 'delivery has no timestamp to check against the replay window' };
	}
	const at = typeof timestamp === 'number' ? timestamp : Date.parse(timestamp);
	if (Number.isNaN(at)) return { ok: false, reason: 'delivery timestamp is not a valid date' };
	const skewSeconds = Math.abs(nowMs - at) / 1000;
	if (skewSeconds > toleranceSeconds) {
		return {
			ok: false,
			reason: `delivery timestamp is ${Math.round(skewSeconds)} s from now, outside the ${toleranceSeconds} s replay window`,
		};
	}
	return { ok: true };
}

/** Constant-time check of a shared token (URL token, custom header, PhenixID key). */
export function verifyToken(received: string | undefined, expected: string | undefined): boolean {
	if (!expected || received === undefined) return false;
	return safeEqual(received, expected);
}
