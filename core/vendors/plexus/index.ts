import { withSecureDefaults } from '../../inbound/parse';
import type { VendorDefinition } from '../definition';
import { plexusDocumentDownloads } from './download';
import { receivePlexus } from './inbound';
import { PLEXUS_EVENT_TYPES } from './mapping';
import { plexusPrecheck } from './precheck';

export interface PlexusCredentials {
	secret: string;
	/** Additional headers Plexus support set on the webhook, `Name: value` per line; each must be present. */
	requiredHeaders?: string;
}

/** Plexus Gateway: webhooks are set up by Plexus support with the URL we show; no registration API. */
export const plexus: VendorDefinition<PlexusCredentials> = {
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

export * from './inbound';
export * from './mapping';
