import { createHash, hash } from 'node:crypto';
import { z } from 'zod/v4';
import { isoTime } from '../event/iso-time';

/** What a vendor's `receive` checked before it accepted a delivery, strongest first. */
export const VERIFICATION_SCHEMES = [
	'hmac-sha512',
	'hmac-sha256',
	'rsa-sha1-certificate',
	'url-token',
	/** The vendor's API, read with the trigger's credentials, showed what the event claims (Legalesign realtime). */
	'api-confirmed',
	'header-token',
	'subscription-key',
	'push-connection',
	'required-headers',
	'replay-window',
	/** Not a delivery: read from the vendor's API with the trigger's credentials (catch-up, polling). */
	'vendor-api',
] as const;
export type VerificationScheme = (typeof VERIFICATION_SCHEMES)[number];

/** Which configured secret verified a delivery (core/verify/secret-rotation.ts). */
export const SECRET_ROLES = ['current', 'previous'] as const;
export type SecretRole = (typeof SECRET_ROLES)[number];

export const VerificationRecordSchema = z
	.object({
		/** The strongest check the delivery passed. */
		scheme: z.enum(VERIFICATION_SCHEMES),
		/** Every check it passed, strongest first (scheme is the first). */
		checks: z.array(z.enum(VERIFICATION_SCHEMES)).min(1),
		verifiedAt: z.iso.datetime({ offset: true }),
		/** SHA-256 (hex) of the exact bytes received, before any parsing. */
		bodySha256: z.string().regex(/^[0-9a-f]{64}$/),
		/** The NAME of the header that carried the signature or token, never its value. */
		signatureHeader: z.string().optional(),
		/** A short fingerprint of the certificate or generated secret that verified; never the key. */
		keyHint: z.string().optional(),
		/**
		 * Which configured secret verified: always for secrets typed in (`previous` while a rotation's old
		 * secret is still accepted); for a registration token only while a replaced registration's is.
		 */
		secret: z.enum(SECRET_ROLES).optional(),
	})
	.meta({ description: 'How the delivery behind this event was verified, to tie a run to a delivery in an audit.' });
export type VerificationRecord = z.infer<typeof VerificationRecordSchema>;

/** What a vendor's `receive` reports with an accepted delivery; ingest adds the time and the body hash. */
export interface Verified {
	checks: [VerificationScheme, ...VerificationScheme[]];
	signatureHeader?: string;
	keyHint?: string;
	secret?: SecretRole;
}

const HINT_LENGTH = 16;

/**
 * A fingerprint of a secret we generated (32 random bytes), to tell which registration's secret
 * verified. Not used for secrets a user typed: a fingerprint of a weak secret would let a guess be
 * confirmed offline. 64 bits of a domain-separated SHA-256: never usable as the secret itself.
 */
export function generatedSecretHint(secret: string): string {
	return `secret:${createHash('sha256').update('legalhooks key hint\u0000').update(secret).digest('hex').slice(0, HINT_LENGTH)}`;
}

const PEM_BODY = /-----BEGIN [A-Z0-9 ]+-----([A-Za-z0-9+/=\s]+)-----END [A-Z0-9 ]+-----/;

/** The last certificate asked about and its hint: a trigger asks about the same one on every delivery. */
let lastPem: string | undefined;
let lastHint: string | undefined;

/** The usual SHA-256 fingerprint of a certificate (over its DER bytes), shortened; public information. */
export function certificateHint(pem: string): string | undefined {
	if (pem !== lastPem) {
		lastHint = fingerprint(pem);
		lastPem = pem;
	}
	return lastHint;
}

function fingerprint(pem: string): string | undefined {
	const body = PEM_BODY.exec(pem)?.[1];
	if (!body) return undefined;
	const der = Buffer.from(body.replace(/\s+/g, ''), 'base64');
	return `sha256:${createHash('sha256').update(der).digest('hex').slice(0, HINT_LENGTH)}`;
}

/** The record every emitted event carries: one hash of the raw body per delivery. */
export function verificationRecord(verified: Verified, rawBody: Buffer, now: Date): VerificationRecord {
	const record: VerificationRecord = {
		scheme: verified.checks[0],
		checks: verified.checks.slice(),
		verifiedAt: isoTime(now),
		// one-shot: no Hash object per delivery (Node ≥ 20.12)
		bodySha256: hash('sha256', rawBody, 'hex'),
	};
	if (verified.signatureHeader) record.signatureHeader = verified.signatureHeader;
	if (verified.keyHint) record.keyHint = verified.keyHint;
	if (verified.secret) record.secret = verified.secret;
	return record;
}

/** A copy of a record for another event of the same delivery (each event owns its record). */
export function copyVerificationRecord(record: VerificationRecord): VerificationRecord {
	const copy: VerificationRecord = { scheme: record.scheme, checks: record.checks.slice(), verifiedAt: record.verifiedAt, bodySha256: record.bodySha256 };
	if (record.signatureHeader !== undefined) copy.signatureHeader = record.signatureHeader;
	if (record.keyHint !== undefined) copy.keyHint = record.keyHint;
	if (record.secret !== undefined) copy.secret = record.secret;
	return copy;
}
