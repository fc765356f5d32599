import type { VendorDefinition } from '../../vendor';
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
import { receiveQuicklysign } from './inbound';
import { QUICKLYSIGN_EVENT_TYPES } from './mapping';

export type { QuicklysignOptions } from './api';

/** QuicklySign API v1: one webhook per document pack, tokened callback URL, optional pack fetch. */
export const quicklysign: VendorDefinition<QuicklysignCredentials, QuicklysignOptions> = {
	id: 'quicklysign',
	displayName: 'QuicklySign',
	registration: 'api',
	vendorEventTypes: QUICKLYSIGN_EVENT_TYPES,
	register: registerQuicklysign,
	exists: quicklysignExists,
	unregister: unregisterQuicklysign,
	findRegistrations: findQuicklysignRegistrations,
	accountIdentity: quicklysignAccountIdentity,
	receive: receiveQuicklysign,
	wantsEnrich: (options) => Boolean(options.fetchDocumentPack),
	// Without the pack's date_updated, two status changes of one pack carry the same id.
	idsDistinguishEvents: (options) => Boolean(options.fetchDocumentPack),
	enrich: enrichQuicklysign,
};

export * from './api';
export * from './inbound';
export * from './mapping';
