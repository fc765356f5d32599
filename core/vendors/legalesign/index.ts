import { withSecureDefaults } from '../../inbound';
import type { ReceiveContext, VendorDefinition } from '../../vendor';
import {
	findLegalesignRegistrations,
	legalesignAccountIdentity,
	legalesignExists,
	registerLegalesign,
	unregisterLegalesign,
	type LegalesignCredentials,
	type LegalesignRegistrationOptions,
} from './api';
import { legalesignDocumentDownloads } from './download';
import { receiveLegalesign } from './inbound';
import { LEGALESIGN_EVENT_TYPES } from './mapping';
import { legalesignPrecheck } from './precheck';
import { confirmLegalesignRealtime, legalesignRealtimeExists, registerLegalesignRealtime } from './realtime-api';
import { receiveLegalesignRealtime } from './realtime-inbound';
import { LEGALESIGN_REALTIME_EVENT_TYPES } from './realtime-mapping';

export type LegalesignOptions = LegalesignRegistrationOptions;

/** Only `realtime` chooses the current webhooks: a trigger saved before the setting existed stays legacy. */
export const isLegalesignRealtime = (options: LegalesignRegistrationOptions | undefined): boolean => options?.webhookSystem === 'realtime';

/**
 * Legalesign API v1 webhooks: subscribe / unsubscribe a tokened URL. Legacy: form-encoded, RSA-SHA1-signed
 * callbacks. Realtime (`notify: "realtime"`): JSON events, confirmed with the API (their signature is unpublished).
 */
export const legalesign: VendorDefinition<LegalesignCredentials, LegalesignOptions> = {
	id: 'legalesign',
	displayName: 'Legalesign',
	registration: 'api',
	precheck: legalesignPrecheck,
	vendorEventTypes: [...LEGALESIGN_EVENT_TYPES, ...LEGALESIGN_REALTIME_EVENT_TYPES],
	requiredCredentials: [
		{ field: 'username', label: 'API username' },
		{ field: 'apiKey', label: 'API key' },
	],
	register: (http, credentials, request) => (isLegalesignRealtime(request.options) ? registerLegalesignRealtime : registerLegalesign)(http, credentials, request),
	exists: (http, credentials, registration, expected) => (isLegalesignRealtime(expected.options) ? legalesignRealtimeExists : legalesignExists)(http, credentials, registration, expected),
	// Both systems remove with `POST /unsubscribe/` and the registration's own filter and group.
	unregister: unregisterLegalesign,
	findRegistrations: findLegalesignRegistrations,
	accountIdentity: legalesignAccountIdentity,
	receive: withSecureDefaults<LegalesignOptions>((request, context) =>
		isLegalesignRealtime(context.options) ? receiveLegalesignRealtime(request, context) : receiveLegalesign(request, context as unknown as ReceiveContext),
	),
	// Realtime: URL token + the document as the API shows it (Confirm With API, default on).
	confirm: (http, credentials, events) => confirmLegalesignRealtime(http, credentials, events),
	wantsConfirm: (options) => isLegalesignRealtime(options) && options.confirmWithApi !== false,
	// Batch entries carry the status change's timestamp; upon-event callbacks carry nothing per event;
	// a realtime event without Legalesign's eventId or a timestamp cannot tell a retry from a new event.
	idsDistinguishEvents: (_options, event) =>
		event.data.deliveryKind === 'realtime' ? Boolean(event.data.eventId || event.occurredAt) : event.data.deliveryKind !== 'upon-event',
	documentDownloads: legalesignDocumentDownloads,
};

export * from './api';
export * from './download';
export * from './inbound';
export * from './mapping';
export * from './realtime-api';
export * from './realtime-inbound';
export * from './realtime-mapping';
