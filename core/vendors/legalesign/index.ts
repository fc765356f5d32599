import { legalesignCatchup } from './catchup';
import { withSecureDefaults } from '../../inbound/parse';
import { VENDOR_LABELS } from '../labels';
import { vendorModule, type CheckedVendorDefinition } from '../module';
import type { ReceiveContext } from '../definition';
import {
	findLegalesignRegistrations,
	legalesignAccountIdentity,
	LEGALESIGN_DEFAULT_BASE_URL,
	legalesignExists,
	registerLegalesign,
	unregisterLegalesign,
	type LegalesignCredentials,
	type LegalesignRegistrationOptions,
} from './api';
import { legalesignDocumentDownloads } from './download';
import { receiveLegalesign } from './inbound';
import { LEGALESIGN_EVENT_TYPES } from './mapping';
import { LEGALESIGN_TRIGGER } from './options';
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
export const legalesign: CheckedVendorDefinition<LegalesignCredentials, LegalesignOptions> = {
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

/** Everything Legalesign is, for the registration in core/vendors/index.ts. */
export const legalesignModule = vendorModule({
	id: 'legalesign',
	definition: legalesign,
	label: VENDOR_LABELS.legalesign,
	trigger: LEGALESIGN_TRIGGER,
	registrationToken: 'the random token at the end of the callback URL the trigger registered (?token=…)',
	catchup: legalesignCatchup,
	credentials: [
		{ name: 'username', label: 'API username', secret: false, default: '' },
		{ name: 'apiKey', label: 'API key', secret: true, default: '' },
		{ name: 'apiBaseUrl', label: 'API base URL', secret: false, default: LEGALESIGN_DEFAULT_BASE_URL },
		{ name: 'certificate', label: 'certificate', secret: true, default: '' },
	],
	api: {
		baseUrls: { default: LEGALESIGN_DEFAULT_BASE_URL },
		authorization: { header: 'Authorization', scheme: 'ApiKey', fields: ['username', 'apiKey'], separator: ':' },
	},
});

export * from './api';
export * from './download';
export * from './inbound';
export * from './mapping';
export * from './realtime-api';
export * from './realtime-inbound';
export * from './realtime-mapping';
