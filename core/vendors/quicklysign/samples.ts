import type { SampleDelivery } from '../../samples/delivery';
import type { QuicklysignDelivery } from './inbound';

export const QUICKLYSIGN_SAMPLE_PACK = 'ahFzfnF1aWNrbHlzaWduLWRldnInCxIIRG9jdW1lbnQiGWY2VDNXNW9DejVnQWJnMTgyYjYwMDQyZTAM';
export const QUICKLYSIGN_SAMPLE_SUBSCRIPTION = 'ahNkZXZ-cXVpY2tseXNpZ24tZGV2chkLEgxTdWJzY3JpcHRpb24YgICAgIDwiwoM';

function event(callbackEvent: string): (subscriptionKey: string, entityKey: string) => QuicklysignDelivery {
	return (subscriptionKey, entityKey) => ({ entity_type: 'Document', entity_key: entityKey, callback_event: callbackEvent, subscription_key: subscriptionKey });
}

/** The seed's callback examples. */
export const quicklysignSamples: Record<string, (subscriptionKey: string, entityKey: string) => QuicklysignDelivery> = {
	entity_updated: event('entity_updated'),
	document_status_changed: event('document_status_changed'),
	final_document_generated: event('final_document_generated'),
	document_updated: event('document_updated'),
	signatory_updated: event('signatory_updated'),
	audit_trail_updated: event('audit_trail_updated'),
};

/** QuicklySign posts plain JSON; our token rides in the callback URL's query. */
export function buildQuicklysignDelivery(payload: QuicklysignDelivery, token: string, options: { tamper?: boolean } = {}): SampleDelivery {
	return {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		query: { token: options.tamper ? `${token}x` : token },
		body: JSON.stringify(payload),
	};
}
