import { withSecureDefaults } from '../../inbound/parse';
import type { VendorDefinition } from '../definition';
import { findLegitoRegistrations, legitoAccountIdentity, legitoExists, legitoRegistrationWarning, registerLegito, unregisterLegito, type LegitoCredentials, type LegitoRegistrationOptions } from './api';
import { receiveLegito } from './inbound';
import { LEGITO_EVENT_TYPES } from './mapping';
import { legitoPrecheck } from './precheck';

export type LegitoOptions = LegitoRegistrationOptions;

/** Legito Push API: one push connection per trigger, created and deleted through REST API v7. */
export const legito: VendorDefinition<LegitoCredentials, LegitoOptions> = {
	id: 'legito',
	displayName: 'Legito',
	registration: 'api',
	precheck: legitoPrecheck,
	vendorEventTypes: LEGITO_EVENT_TYPES,
	requiredCredentials: [
		{ field: 'apiKey', label: 'API key' },
		{ field: 'privateKey', label: 'private key' },
		{ field: 'apiBaseUrl', label: 'API base URL', when: { field: 'region', equals: ['custom'] } },
	],
	register: registerLegito,
	exists: legitoExists,
	unregister: unregisterLegito,
	findRegistrations: findLegitoRegistrations,
	accountIdentity: legitoAccountIdentity,
	registrationWarning: legitoRegistrationWarning,
	receive: withSecureDefaults(receiveLegito),
};

export * from './api';
export * from './inbound';
export * from './mapping';
