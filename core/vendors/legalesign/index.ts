import { withSecureDefaults } from '../../inbound/parse';
import type { VendorDefinition } from '../definition';
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

export type LegalesignOptions = LegalesignRegistrationOptions;

/** Legalesign API v1 legacy webhooks: subscribe / unsubscribe a tokened URL; form-encoded, RSA-SHA1-signed callbacks. */
export const legalesign: VendorDefinition<LegalesignCredentials, LegalesignOptions> = {
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

export * from './api';
export * from './download';
export * from './inbound';
export * from './mapping';
