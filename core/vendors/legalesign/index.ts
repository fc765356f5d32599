import { legalesignCatchup } from '../../catchup/legalesign';
import { withSecureDefaults } from '../../inbound/parse';
import { VENDOR_LABELS } from '../labels';
import { vendorModule, type CheckedVendorDefinition } from '../module';
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

export type LegalesignOptions = LegalesignRegistrationOptions;

/** Legalesign API v1 legacy webhooks: subscribe / unsubscribe a tokened URL; form-encoded, RSA-SHA1-signed callbacks. */
export const legalesign: CheckedVendorDefinition<LegalesignCredentials, LegalesignOptions> = {
	id: 'legalesign',
	displayName: 'Legalesign',
	registration: 'api',
	precheck: legalesignPrecheck,
	vendorEventTypes: LEGALESIGN_EVENT_TYPES,
	requiredCredentials: [
		{ field: 'username', label: 'API username' },
		{ field: 'apiKey', label: 'API key' },
	],
	register: registerLegalesign,
	exists: legalesignExists,
	unregister: unregisterLegalesign,
	findRegistrations: findLegalesignRegistrations,
	accountIdentity: legalesignAccountIdentity,
	receive: withSecureDefaults(receiveLegalesign),
	// Batch entries carry the status change's timestamp; upon-event callbacks carry nothing per event.
	idsDistinguishEvents: (_options, event) => event.data.deliveryKind !== 'upon-event',
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
