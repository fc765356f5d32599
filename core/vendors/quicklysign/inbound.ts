import { z } from 'zod/v4';
import { nonEmptyString } from '../string-schema';
import { plainShape } from '../../inbound/json-shape';
import { isoTime } from '../../event/iso-time';
import type { NormalizedEvent } from '../../event/normalized-event';
import { parseFormBody } from '../../inbound/form';
import { hashId, parseJson, validate, type ParseResult } from '../../inbound/parse';
import type { InboundRequest, ReceiveContext, ReceiveResult } from '../definition';
import { generatedSecretHint } from '../../verify/record';
import { safeEqual } from '../../verify/crypto';
import { quicklysignEventType } from './mapping';
import { quicklysignPrecheck } from './precheck';
import { currentSecret } from '../../verify/secret-rotation';

export const QuicklysignDeliverySchema = plainShape(
	z
		.object({
			entity_type: z.string().nullish(),
			entity_key: nonEmptyString(),
			callback_event: nonEmptyString(),
			subscription_key: z.string().nullish(),
			webhook_key: z.string().nullish(),
		})
		.passthrough(),
);
export type QuicklysignDelivery = z.infer<typeof QuicklysignDeliverySchema>;

/** `matchedKey`: the carried key that is one we registered (a delivery may carry a foreign one beside it). */
export function normalizeQuicklysign(delivery: QuicklysignDelivery, receivedAt: Date, matchedKey?: string): NormalizedEvent {
	const subscriptionKey = matchedKey ?? delivery.subscription_key ?? delivery.webhook_key ?? '';
	return {
		id: hashId(subscriptionKey, delivery.entity_key, delivery.callback_event),
		vendor: 'quicklysign',
		type: quicklysignEventType(delivery.callback_event),
		vendorEventType: delivery.callback_event,
		occurredAt: null,
		receivedAt: isoTime(receivedAt),
		document: { id: delivery.entity_key, status: 'other' },
		files: [],
		data: { subscriptionKey, entityType: delivery.entity_type ?? undefined, callbackEvent: delivery.callback_event },
		raw: delivery,
	};
}

/**
 * The page shows callbacks as Python dict reprs and never names the content type, so both readings
 * it allows are accepted: a JSON object, or a form whose fields are the callback's (at the top level,
 * or JSON in a `data` field or in the form's only field).
 */
export function parseQuicklysignBody(rawBody: Buffer): ParseResult<QuicklysignDelivery> {
	const text = rawBody.toString('utf8');
	if (text.trimStart().startsWith('{')) return parseJson(text, QuicklysignDeliverySchema);
	const fields = parseFormBody(text);
	if (!fields || fields.size === 0) return { ok: false, status: 400, reason: 'body is neither a JSON object nor form-encoded callback fields' };
	const holder = fields.get('data')?.[0] ?? (fields.size === 1 ? [...fields.values()][0][0] : undefined);
	if (holder !== undefined && holder.trimStart().startsWith('{')) return parseJson(holder, QuicklysignDeliverySchema, 'the form field holding JSON');
	const object: Record<string, string> = {};
	for (const [name, values] of fields) object[name] = values[0];
	return validate(object, QuicklysignDeliverySchema);
}

/** Keys we registered: the webhook ids, and any other key the create answer held (`extra.callbackKeys`). */
function registeredKeys(context: ReceiveContext): string[] {
	const extra = context.registration?.extra?.callbackKeys;
	const more = Array.isArray(extra) ? extra.filter((key): key is string => typeof key === 'string' && key !== '') : [];
	return [...(context.registration?.ids ?? []), ...more];
}

/** URL token first; then a subscription key (either field) must be one we registered, unless foreign packs are accepted. */
export function receiveQuicklysign(request: InboundRequest, context: ReceiveContext<{ acceptForeignSubscriptions?: boolean }>): ReceiveResult {
	const checked = quicklysignPrecheck(request, context);
	if (!checked.ok) return checked;
	const secret = currentSecret(context) ?? '';
	const parsed = parseQuicklysignBody(request.rawBody);
	if (!parsed.ok) return parsed;
	const carried = [parsed.value.subscription_key, parsed.value.webhook_key].filter((key): key is string => typeof key === 'string' && key !== '');
	const known = registeredKeys(context);
	let matched: string | undefined;
	for (const key of carried) for (const id of known) if (safeEqual(id, key)) matched ??= key;
	const ours = matched !== undefined;
	if (!ours && !context.options.acceptForeignSubscriptions) {
		return { ok: false, status: 401, reason: 'subscription key is not one this trigger registered' };
	}
	const keyHint = context.registration?.secret ? generatedSecretHint(secret) : undefined;
	return { ok: true, events: [normalizeQuicklysign(parsed.value, context.now, matched)], verified: { checks: ours ? ['url-token', 'subscription-key'] : ['url-token'], keyHint } };
}
