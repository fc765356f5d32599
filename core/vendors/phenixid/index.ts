import { withSecureDefaults } from '../../inbound/parse';
import type { VendorDefinition } from '../definition';
import { fetchPhenixidOrders, type PhenixidCredentials, type PhenixidEnrichOptions } from './api';
import { phenixidDocumentDownloads } from './download';
import { receivePhenixid } from './inbound';
import { PHENIXID_EVENT_TYPES } from './mapping';
import { phenixidPrecheck } from './precheck';

export type PhenixidOptions = PhenixidEnrichOptions;

/** PhenixID Signing Service: configured in the server's webHook block with the URL, key and secret we show. */
export const phenixid: VendorDefinition<PhenixidCredentials, PhenixidOptions> = {
	id: 'phenixid',
	displayName: 'PhenixID Signing Service',
	registration: 'manual',
	precheck: phenixidPrecheck,
	vendorEventTypes: PHENIXID_EVENT_TYPES,
	requiredCredentials: [
		{ field: 'secret', label: 'webhook secret' },
		// A client certificate is only usable with its key, and the other way round.
		{ field: 'clientKey', label: 'client key (for the client certificate)', when: { field: 'clientCertificate', filled: true } },
		{ field: 'clientCertificate', label: 'client certificate (for the client key)', when: { field: 'clientKey', filled: true } },
	],
	receive: withSecureDefaults(receivePhenixid),
	// The body carries no event id or time: two real OrderSignersUpdated for one task are byte-identical.
	idsDistinguishEvents: () => false,
	wantsEnrich: (options) => Boolean(options.fetchOrder),
	enrich: fetchPhenixidOrders,
	documentDownloads: phenixidDocumentDownloads,
};

export * from './api';
export * from './download';
export * from './inbound';
export * from './mapping';
