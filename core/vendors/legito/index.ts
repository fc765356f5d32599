import { legitoCatchup } from './catchup';
import { withSecureDefaults } from '../../inbound/parse';
import { VENDOR_LABELS } from '../labels';
import { vendorModule, type CheckedVendorDefinition } from '../module';
import { findLegitoRegistrations, legitoAccountIdentity, legitoBaseUrl, LEGITO_REGIONS, legitoExists, legitoRegistrationWarning, registerLegito, unregisterLegito, type LegitoCredentials, type LegitoRegistrationOptions } from './api';
import { receiveLegito } from './inbound';
import { LEGITO_EVENT_TYPES } from './mapping';
import { LEGITO_DEFAULT_REGION, LEGITO_TRIGGER } from './options';
import { legitoPrecheck } from './precheck';

export type LegitoOptions = LegitoRegistrationOptions;

/** Legito Push API: one push connection per trigger, created and deleted through REST API v7. */
export const legito: CheckedVendorDefinition<LegitoCredentials, LegitoOptions> = {
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

/** Everything Legito is, for the registration in core/vendors/index.ts. */
export const legitoModule = vendorModule({
	id: 'legito',
	definition: legito,
	label: VENDOR_LABELS.legito,
	trigger: LEGITO_TRIGGER,
	registrationToken: 'the random token the trigger put in its push connection’s X-Legalhooks-Token header',
	catchup: legitoCatchup,
	credentials: [
		{ name: 'apiKey', label: 'API key', secret: true, default: '' },
		{ name: 'privateKey', label: 'private key', secret: true, default: '' },
		{ name: 'region', label: 'region', secret: false, default: LEGITO_DEFAULT_REGION },
		{ name: 'apiBaseUrl', label: 'API base URL', secret: false, default: '' },
	],
	api: {
		baseUrls: Object.fromEntries(LEGITO_REGIONS.map((region) => [region, legitoBaseUrl({ apiKey: '', privateKey: '', region })])),
		chosenBy: 'region',
	},
});

export * from './api';
export * from './inbound';
export * from './mapping';
