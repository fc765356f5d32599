import type { NormalizedEvent } from '../../event/normalized-event';
import { withSecureDefaults } from '../../inbound/parse';
import type { VendorDefinition } from '../definition';
import {
	findQuicklysignRegistrations,
	quicklysignAccountIdentity,
	enrichQuicklysign,
	quicklysignExists,
	registerQuicklysign,
	unregisterQuicklysign,
	type QuicklysignCredentials,
	type QuicklysignOptions,
} from './api';
import { quicklysignDocumentDownloads } from './download';
import { receiveQuicklysign } from './inbound';
import { QUICKLYSIGN_EVENT_TYPES } from './mapping';
import { quicklysignPrecheck } from './precheck';

export type { QuicklysignOptions } from './api';

/** The fetched pack's `date_updated`, which the enrich step put into the event's id. */
function packVersionOf(event: NormalizedEvent): unknown {
	const pack = event.data.documentPack;
	return pack && typeof pack === 'object' ? (pack as { date_updated?: unknown }).date_updated : undefined;
}

/** QuicklySign API v1: one webhook per document pack, tokened callback URL, optional pack fetch. */
export const quicklysign: VendorDefinition<QuicklysignCredentials, QuicklysignOptions> = {
	id: 'quicklysign',
	displayName: 'QuicklySign',
	registration: 'api',
	precheck: quicklysignPrecheck,
	vendorEventTypes: QUICKLYSIGN_EVENT_TYPES,
	requiredCredentials: [
		{ field: 'clientId', label: 'client id' },
		{ field: 'clientSecret', label: 'client secret' },
		{ field: 'apiKey', label: 'API key' },
		{ field: 'apiBaseUrl', label: 'API base URL', when: { field: 'environment', equals: ['custom'] } },
	],
	register: registerQuicklysign,
	exists: quicklysignExists,
	unregister: unregisterQuicklysign,
	findRegistrations: findQuicklysignRegistrations,
	accountIdentity: quicklysignAccountIdentity,
	receive: withSecureDefaults(receiveQuicklysign),
	wantsEnrich: (options) => Boolean(options.fetchDocumentPack),
	// Without the pack's date_updated (no fetch, or a failed one), two status changes of one pack carry the same id.
	idsDistinguishEvents: (options, event) => Boolean(options.fetchDocumentPack) && packVersionOf(event) !== undefined,
	enrich: enrichQuicklysign,
	documentDownloads: quicklysignDocumentDownloads,
};

export * from './api';
export * from './download';
export * from './inbound';
export * from './mapping';
