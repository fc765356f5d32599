import { hmac } from '../../verify/crypto';
import type { SampleDelivery } from '../../samples/delivery';
import { PHENIXID_SIGNATURE_HEADER, type PhenixidDelivery } from './inbound';

const ORDER = '07c6ad8c-d1ba-4e73-9bbf-c70a085a449c';

function event(eventType: string): () => PhenixidDelivery {
	return () => ({ orderId: ORDER, eventType, taskId: ORDER });
}

/** The seed's example body for each documented event. */
export const phenixidSamples: Record<string, () => PhenixidDelivery> = {
	OrderCreated: event('OrderCreated'),
	OrderAccepted: event('OrderAccepted'),
	OrderSigned: event('OrderSigned'),
	OrderRejected: event('OrderRejected'),
	OrderCanceled: event('OrderCanceled'),
	OrderExpired: event('OrderExpired'),
	OrderDocumentUpdated: event('OrderDocumentUpdated'),
};

export function buildPhenixidDelivery(
	payload: PhenixidDelivery,
	secret: string,
	options: { tamper?: boolean; key?: string } = {},
): SampleDelivery {
	const body = JSON.stringify(payload);
	const signature = hmac('sha256', secret, options.tamper ? `${body} ` : body).toString('hex');
	return {
		method: 'POST',
		headers: { 'content-type': 'application/json', [PHENIXID_SIGNATURE_HEADER]: signature },
		query: options.key ? { key: options.key } : {},
		body,
	};
}
