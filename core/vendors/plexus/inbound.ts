import { z } from 'zod/v4';
import { nonEmptyString } from '../string-schema';
import { plainShape } from '../../inbound/json-shape';
import type { NormalizedEvent } from '../../event/normalized-event';
import { isoFromMs, parseJson, toIsoUtc } from '../../inbound/parse';
import { isoTime } from '../../event/iso-time';
import type { InboundRequest, ReceiveContext, ReceiveResult } from '../definition';
import type { Verified, VerificationScheme } from '../../verify/record';
import { matchingSecret, type SecretRole } from '../../verify/secret-rotation';
import { checkFreshness, headerValue, verifyHmacSignature, verifyToken, type HmacCheck } from '../../verify/crypto';
import { PLEXUS_SIGNATURE_HEADER, plexusPrecheck } from './precheck';
import { canonicalPlexusEventType, plexusCanonicalType, plexusDocumentStatus } from './mapping';

export { PLEXUS_SIGNATURE_HEADER };

const version = z.object({ number: z.union([z.string(), z.number()]).nullish(), downloadUrl: z.string().nullish() }).passthrough();

const PlexusDocument = z
	.object({
		type: z.string().nullish(),
		title: z.string().nullish(),
		status: z.string().nullish(),
		createdAt: z.string().nullish(),
		sourceApp: z.string().nullish(),
		startDate: z.string().nullish(),
		executedAt: z.string().nullish(),
		expiryDate: z.string().nullish(),
		externalId: z.string().nullish(),
		ownerEmail: z.string().nullish(),
		authorEmail: z.string().nullish(),
		referenceId: z.string().nullish(),
		contractValue: z.union([z.number(), z.string()]).nullish(),
		latestVersion: version.nullish(),
		publishedVersion: version.nullish(),
		additionalFacts: z.record(z.string(), z.unknown()).nullish(),
		counterpartyName: z.string().nullish(),
	})
	.passthrough();

/**
 * Plexus event ids are UUIDs. Decision: an id longer than this is refused (400) rather than hashed,
 * so a signed but absurd delivery never becomes a de-duplication key.
 */
export const PLEXUS_MAX_ID_LENGTH = 200;

export const PlexusDeliverySchema = plainShape(
	z.object({
		id: nonEmptyString(PLEXUS_MAX_ID_LENGTH),
		type: nonEmptyString(),
		createdAt: nonEmptyString(),
		data: z.object({ document: PlexusDocument }).passthrough(),
	}),
);
export type PlexusDelivery = z.infer<typeof PlexusDeliverySchema>;

const PLEXUS_HMAC: HmacCheck = { algorithms: ['sha512', 'sha256'], encodings: ['hex'] };

function contractValue(value: number | string | null | undefined): number | undefined {
	if (value === null || value === undefined || value === '') return undefined;
	const number = typeof value === 'number' ? value : Number(value);
	return Number.isFinite(number) ? number : undefined;
}

/** `createdAtMs`: `Date.parse(delivery.createdAt)` when the caller has it already (the replay check). */
export function normalizePlexus(delivery: PlexusDelivery, receivedAt: Date, createdAtMs?: number): NormalizedEvent {
	const document = delivery.data.document;
	const eventType = canonicalPlexusEventType(delivery.type);
	const status = document.status ?? undefined;
	const facts = document.additionalFacts ?? {};
	const currency = typeof facts.currency === 'string' ? facts.currency : undefined;
	return {
		id: delivery.id,
		vendor: 'plexus',
		type: plexusCanonicalType(eventType, status),
		vendorEventType: delivery.type,
		occurredAt: createdAtMs === undefined ? toIsoUtc(delivery.createdAt) : isoFromMs(createdAtMs),
		receivedAt: isoTime(receivedAt),
		document: {
			id: document.externalId ?? '',
			title: document.title ?? undefined,
			status: plexusDocumentStatus(eventType, status),
			vendorStatus: status,
			url: document.publishedVersion?.downloadUrl ?? document.latestVersion?.downloadUrl ?? undefined,
		},
		actor: document.authorEmail ? { email: document.authorEmail } : undefined,
		files: [],
		data: {
			documentType: document.type ?? undefined,
			sourceApp: document.sourceApp ?? undefined,
			documentCreatedAt: document.createdAt ?? undefined,
			startDate: document.startDate ?? undefined,
			executedAt: document.executedAt ?? undefined,
			expiryDate: document.expiryDate ?? undefined,
			ownerEmail: document.ownerEmail ?? undefined,
			authorEmail: document.authorEmail ?? undefined,
			referenceId: document.referenceId ?? undefined,
			contractValue: contractValue(document.contractValue),
			currency,
			counterpartyName: document.counterpartyName ?? undefined,
			additionalFacts: facts,
			latestVersion: document.latestVersion ?? undefined,
			publishedVersion: document.publishedVersion ?? undefined,
		},
		raw: delivery,
	};
}

/**
 * "Additional headers" Plexus support can add to a webhook, as the user lists them in the credential:
 * one `Name: value` per line. Lines without a name or a colon are ignored.
 */
export function parseRequiredHeaders(text: unknown): Array<{ name: string; value: string }> {
	if (typeof text !== 'string') return [];
	const pairs: Array<{ name: string; value: string }> = [];
	for (const line of text.split(/\r?\n/)) {
		const at = line.indexOf(':');
		const name = at === -1 ? '' : line.slice(0, at).trim();
		if (name) pairs.push({ name, value: line.slice(at + 1).trim() });
	}
	return pairs;
}

/** Every required header present with its value, compared in constant time; names only in the reason. */
function missingRequiredHeader(headers: InboundRequest['headers'], required: Array<{ name: string; value: string }>): string | undefined {
	let missing: string | undefined;
	for (const { name, value } of required) {
		if (!verifyToken(headerValue(headers, name), value) && missing === undefined) missing = name;
	}
	return missing;
}

/** A verified signature of 128 hex characters is the HMAC-SHA512 (only digests of its length are compared). */
function plexusVerified(signature: string, context: ReceiveContext, requiredHeaders: boolean, secret: SecretRole): Verified {
	const sha512 = signature.trim().length === 128;
	const more: VerificationScheme[] = [];
	if (requiredHeaders) more.push('required-headers');
	if (context.options.replayToleranceSeconds !== 0) more.push('replay-window');
	return { checks: [sha512 ? 'hmac-sha512' : 'hmac-sha256', ...more], signatureHeader: PLEXUS_SIGNATURE_HEADER, secret };
}

export function receivePlexus(request: InboundRequest, context: ReceiveContext): ReceiveResult {
	const checked = plexusPrecheck(request, context);
	if (!checked.ok) return checked;
	const signature = headerValue(request.headers, PLEXUS_SIGNATURE_HEADER);
	const matched = signature === undefined ? undefined : matchingSecret(context, (secret) => verifyHmacSignature(request.rawBody, signature, secret, PLEXUS_HMAC));
	if (signature === undefined || matched === undefined) {
		return { ok: false, status: 401, reason: `missing or invalid ${PLEXUS_SIGNATURE_HEADER} signature` };
	}
	const required = parseRequiredHeaders(context.credentials?.requiredHeaders);
	const missing = missingRequiredHeader(request.headers, required);
	if (missing !== undefined) return { ok: false, status: 401, reason: `missing or wrong required header ${missing}` };
	const parsed = parseJson(request.rawBody, PlexusDeliverySchema);
	if (!parsed.ok) return parsed;
	// parsed once for the replay window and occurredAt (the schema makes it a non-empty string)
	const createdAtMs = Date.parse(parsed.value.createdAt);
	const fresh = checkFreshness(createdAtMs, context.now, context.options.replayToleranceSeconds);
	if (!fresh.ok) return { ok: false, status: 401, reason: fresh.reason };
	return { ok: true, events: [normalizePlexus(parsed.value, context.now, createdAtMs)], verified: plexusVerified(signature, context, required.length > 0, matched) };
}
