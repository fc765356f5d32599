import { z } from 'zod/v4';
import type { NormalizedEvent } from '../../event';
import { firstQueryValue, hashId, parseJson } from '../../inbound';
import type { InboundRequest, ReceiveContext, ReceiveResult } from '../../vendor';
import { headerValue, verifyHmacSignature, verifyToken } from '../../verify';
import { phenixidMapping } from './mapping';

export const PHENIXID_SIGNATURE_HEADER = 'x-signature';

export const PhenixidDeliverySchema = z
	.object({
		orderId: z.string().min(1).optional(),
		taskId: z.string().min(1).optional(),
		eventType: z.string().min(1),
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

export function normalizePhenixid(delivery: PhenixidDelivery, rawBody: Buffer, receivedAt: Date): NormalizedEvent {
	const taskId = (delivery.taskId ?? delivery.orderId) as string;
	const [type, status] = phenixidMapping(delivery.eventType);
	return {
		id: hashId(taskId, delivery.eventType, rawBody),
		vendor: 'phenixid',
		type,
		vendorEventType: delivery.eventType,
		occurredAt: null,
		receivedAt: receivedAt.toISOString(),
		document: { id: taskId, status },
		files: [],
		data: { taskId },
		raw: delivery,
	};
}

/** The `key` query parameter from PhenixID's webHook block is checked when the credential has one. */
export function receivePhenixid(request: InboundRequest, context: ReceiveContext): ReceiveResult {
	const expectedKey = typeof context.credentials?.key === 'string' ? context.credentials.key : '';
	if (expectedKey && !verifyToken(firstQueryValue(request.query, 'key'), expectedKey)) {
		return { ok: false, status: 401, reason: 'missing or wrong key query parameter' };
	}
	if (!context.secret) return { ok: false, status: 401, reason: 'no PhenixID webhook secret is configured; every delivery is refused' };
	if (!verifyPhenixidSignature(request.rawBody, request.headers, context.secret)) {
		return { ok: false, status: 401, reason: 'missing or invalid X-Signature' };
	}
	const parsed = parseJson(request.rawBody, PhenixidDeliverySchema);
	if (!parsed.ok) return parsed;
	return { ok: true, events: [normalizePhenixid(parsed.value, request.rawBody, context.now)] };
}
