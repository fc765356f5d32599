import { z } from 'zod/v4';
import { nonEmptyString } from '../string-schema';
import { isoTime } from '../../event/iso-time';
import type { NormalizedEvent } from '../../event/normalized-event';
import { hashId, parseJson } from '../../inbound/parse';
import type { InboundRequest, ReceiveContext, ReceiveResult } from '../definition';
import type { Verified } from '../../verify/record';
import { headerValue, verifyHmacSignature } from '../../verify/crypto';
import { matchingSecret } from '../../verify/secret-rotation';
import { PHENIXID_SIGNATURE_HEADER, phenixidPrecheck } from './precheck';
import { phenixidMapping } from './mapping';

export { PHENIXID_SIGNATURE_HEADER };

export const PhenixidDeliverySchema = z
	.object({
		orderId: nonEmptyString().optional(),
		taskId: nonEmptyString().optional(),
		eventType: nonEmptyString(),
	})
	.passthrough()
	.refine((body) => body.taskId || body.orderId, { message: 'taskId or orderId is required', path: ['taskId'] });
export type PhenixidDelivery = z.infer<typeof PhenixidDeliverySchema>;

/** HMAC-SHA256 of the raw body, as lowercase hex or base64, optionally prefixed `sha256=`. */
export function verifyPhenixidSignature(rawBody: Buffer, headers: InboundRequest['headers'], secret: string | undefined): boolean {
	return verifyHmacSignature(rawBody, headerValue(headers, PHENIXID_SIGNATURE_HEADER), secret, {
		algorithms: ['sha256'],
		encodings: ['hex', 'base64'],
		prefixes: ['sha256='],
	});
}

/**
 * Why a signature failed, for the log only (the answer to the sender says just which header failed):
 * what was tried ("SHA256 signature of the body" is read as HMAC-SHA256 under the secret) and what the
 * header looked like, so a user whose server is configured differently can see it. No secrets.
 */
function signatureFailure(header: string | undefined): { reason: string; detail: string } {
	const tried = 'tried HMAC-SHA256 of the raw body under the secret, as hex and as base64, with or without "sha256="';
	if (header === undefined || header.trim() === '') return { reason: 'missing X-Signature header', detail: tried };
	const text = header.trim().replace(/^sha256=/i, '');
	const shape = /^[0-9a-f]{64}$/i.test(text)
		? '64 hex characters (a SHA-256 size): is the secret the same as in the webHook block?'
		: /^[A-Za-z0-9+/]{43}=$/.test(text)
			? '44 base64 characters (a SHA-256 size): is the secret the same as in the webHook block?'
			: `${text.length} characters, not a SHA-256 in hex or base64`;
	return { reason: 'invalid X-Signature', detail: `${tried}; the header has ${shape}` };
}

export function normalizePhenixid(delivery: PhenixidDelivery, rawBody: Buffer, receivedAt: Date): NormalizedEvent {
	const taskId = (delivery.taskId ?? delivery.orderId) as string;
	const [type, status] = phenixidMapping(delivery.eventType);
	return {
		id: hashId(taskId, delivery.eventType, rawBody),
		vendor: 'phenixid',
		type,
		vendorEventType: delivery.eventType,
		occurredAt: null,
		receivedAt: isoTime(receivedAt),
		document: { id: taskId, status },
		files: [],
		data: { taskId },
		raw: delivery,
	};
}

/** The `key` query parameter from PhenixID's webHook block is checked when the credential has one. */
export function receivePhenixid(request: InboundRequest, context: ReceiveContext): ReceiveResult {
	const checked = phenixidPrecheck(request, context);
	if (!checked.ok) return checked;
	const expectedKey = typeof context.credentials?.key === 'string' ? context.credentials.key : '';
	const matched = matchingSecret(context, (secret) => verifyPhenixidSignature(request.rawBody, request.headers, secret));
	if (matched === undefined) {
		return { ok: false, status: 401, ...signatureFailure(headerValue(request.headers, PHENIXID_SIGNATURE_HEADER)) };
	}
	const parsed = parseJson(request.rawBody, PhenixidDeliverySchema);
	if (!parsed.ok) return parsed;
	const verified: Verified = { checks: expectedKey ? ['hmac-sha256', 'url-token'] : ['hmac-sha256'], signatureHeader: PHENIXID_SIGNATURE_HEADER, secret: matched };
	return { ok: true, events: [normalizePhenixid(parsed.value, request.rawBody, context.now)], verified };
}
