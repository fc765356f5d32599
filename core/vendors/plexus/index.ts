import { withSecureDefaults } from '../../inbound/parse';
import { VENDOR_LABELS } from '../labels';
import { vendorModule, type CheckedVendorDefinition } from '../module';
import { plexusDocumentDownloads } from './download';
import { receivePlexus } from './inbound';
import { PLEXUS_EVENT_TYPES } from './mapping';
import { PLEXUS_TRIGGER } from './options';
import { plexusPrecheck } from './precheck';

export interface PlexusCredentials {
	secret: string;
	/** Additional headers Plexus support set on the webhook, `Name: value` per line; each must be present. */
	requiredHeaders?: string;
}

/** Plexus Gateway: webhooks are set up by Plexus support with the URL we show; no registration API. */
export const plexus: CheckedVendorDefinition<PlexusCredentials> = {
	id: 'plexus',
	displayName: 'Plexus Gateway',
	registration: 'manual',
	precheck: plexusPrecheck,
	vendorEventTypes: PLEXUS_EVENT_TYPES,
	requiredCredentials: [{ field: 'secret', label: 'webhook secret' }],
	receive: withSecureDefaults(receivePlexus),
	// the link is in the delivery: no API call
	documentDownloads: async (_http, _credentials, event) => plexusDocumentDownloads(event),
};

/** Everything Plexus Gateway is, for the registration in core/vendors/index.ts. */
export const plexusModule = vendorModule({
	id: 'plexus',
	definition: plexus,
	label: VENDOR_LABELS.plexus,
	trigger: PLEXUS_TRIGGER,
	// The secret is agreed with Plexus support and signs each body: no registration token.
	registrationToken: undefined,
	// Webhooks only, no API to read documents back (Plexus's developer site): what it sent while
	// nobody listened is lost after its 3 retries.
	catchup: undefined,
	credentials: [
		{ name: 'secret', label: 'webhook secret', secret: true, default: '' },
		{ name: 'previousSecret', label: 'previous webhook secret', secret: true, default: '' },
		{ name: 'previousSecretValidUntil', label: 'previous secret valid until', secret: false, default: '' },
		{ name: 'requiredHeaders', label: 'required headers', secret: true, default: '' },
	],
	api: undefined,
});

export * from './inbound';
export * from './mapping';
