import type { NormalizedEvent } from '../../event/normalized-event';
import { quicklysignCatchup } from './catchup';
import { withSecureDefaults } from '../../inbound/parse';
import { VENDOR_LABELS } from '../labels';
import { vendorModule, type CheckedVendorDefinition } from '../module';
import {
	findQuicklysignRegistrations,
	quicklysignAccountIdentity,
	QUICKLYSIGN_BASE_URLS,
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
import { QUICKLYSIGN_TRIGGER } from './options';
import { quicklysignPrecheck } from './precheck';

export type { QuicklysignOptions } from './api';

/** The fetched pack's `date_updated`, which the enrich step put into the event's id. */
function packVersionOf(event: NormalizedEvent): unknown {
	const pack = event.data.documentPack;
	return pack && typeof pack === 'object' ? (pack as { date_updated?: unknown }).date_updated : undefined;
}

/** QuicklySign API v1: one webhook per document pack, tokened callback URL, optional pack fetch. */
export const quicklysign: CheckedVendorDefinition<QuicklysignCredentials, QuicklysignOptions> = {
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

/** Everything QuicklySign is, for the registration in core/vendors/index.ts. */
export const quicklysignModule = vendorModule({
	id: 'quicklysign',
	definition: quicklysign,
	label: VENDOR_LABELS.quicklysign,
	trigger: QUICKLYSIGN_TRIGGER,
	registrationToken: 'the random token at the end of the callback URL the trigger registered (?token=…)',
	catchup: quicklysignCatchup,
	credentials: [
		{ name: 'environment', label: 'environment', secret: false, default: 'production' },
		{ name: 'apiBaseUrl', label: 'API base URL', secret: false, default: '' },
		{ name: 'clientId', label: 'client id', secret: false, default: '' },
		{ name: 'clientSecret', label: 'client secret', secret: true, default: '' },
		{ name: 'apiKey', label: 'API key', secret: true, default: '' },
	],
	api: { baseUrls: QUICKLYSIGN_BASE_URLS, chosenBy: 'environment' },
});

export * from './api';
export * from './download';
export * from './inbound';
export * from './mapping';
