import { z } from 'zod/v4';
import type { NormalizedEvent } from '../../event';
import { firstQueryValue, hashId, parseJson } from '../../inbound';
import type { InboundRequest, ReceiveContext, ReceiveResult } from '../../vendor';
import { safeEqual, verifyToken } from '../../verify';
import { quicklysignEventType } from './mapping';

export const QuicklysignDeliverySchema = z
	.object({
		entity_type: z.string().nullish(),
		entity_key: z.string().min(1),
		callback_event: z.string().min(1),
		subscription_key: z.string().nullish(),
		webhook_key: z.string().nullish(),
	})
	.passthrough();
export type QuicklysignDelivery = z.infer<typeof QuicklysignDeliverySchema>;

export function normalizeQuicklysign(delivery: QuicklysignDelivery, receivedAt: Date): NormalizedEvent {
	const subscriptionKey = delivery.subscription_key ?? delivery.webhook_key ?? '';
	return {
		id: hashId(subscriptionKey, delivery.entity_key, delivery.callback_event),
		vendor: 'quicklysign',
		type: quicklysignEventType(delivery.callback_event),
		vendorEventType: delivery.callback_event,
		occurredAt: null,
		receivedAt: receivedAt.toISOString(),
		document: { id: delivery.entity_key, status: 'other' },
		files: [],
		data: { subscriptionKey, entityType: delivery.entity_type ?? undefined, callbackEvent: delivery.callback_event },
		raw: delivery,
	};
}

/** URL token first; then the subscription key must be one we registered (unless foreign packs are accepted). */
export function receiveQuicklysign(request: InboundRequest, context: ReceiveContext<{ acceptForeignSubscriptions?: boolean }>): ReceiveResult {
	const secret = context.registration?.secret ?? context.secret;
	if (!secret) return { ok: false, status: 401, reason: 'no QuicklySign registration token is stored; every delivery is refused' };
	if (!verifyToken(firstQueryValue(request.query, 'token'), secret)) return { ok: false, status: 401, reason: 'missing or wrong token in the callback URL' };
	const parsed = parseJson(request.rawBody, QuicklysignDeliverySchema);
	if (!parsed.ok) return parsed;
	const key = parsed.value.subscription_key ?? parsed.value.webhook_key ?? '';
	const ours = Boolean(key) && (context.registration?.ids ?? []).some((id) => safeEqual(id, key));
	if (!ours && !context.options.acceptForeignSubscriptions) {
		return { ok: false, status: 401, reason: 'subscription key is not one this trigger registered' };
	}
	return { ok: true, events: [normalizeQuicklysign(parsed.value, context.now)] };
}
