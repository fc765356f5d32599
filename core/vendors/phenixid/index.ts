import { phenixidCatchup } from './catchup';
import { withSecureDefaults } from '../../inbound/parse';
import { VENDOR_LABELS } from '../labels';
import { vendorModule, type CheckedVendorDefinition } from '../module';
import { fetchPhenixidOrders, type PhenixidCredentials, type PhenixidEnrichOptions } from './api';
import { phenixidDocumentDownloads } from './download';
import { receivePhenixid } from './inbound';
import { PHENIXID_EVENT_TYPES } from './mapping';
import { PHENIXID_TRIGGER } from './options';
import { phenixidPrecheck } from './precheck';

export type PhenixidOptions = PhenixidEnrichOptions;

/** PhenixID Signing Service: configured in the server's webHook block with the URL, key and secret we show. */
export const phenixid: CheckedVendorDefinition<PhenixidCredentials, PhenixidOptions> = {
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

/** Everything PhenixID Signing Service is, for the registration in core/vendors/index.ts. */
export const phenixidModule = vendorModule({
	id: 'phenixid',
	definition: phenixid,
	label: VENDOR_LABELS.phenixid,
	trigger: PHENIXID_TRIGGER,
	// The secret is written into the server's webHook block by hand and signs each body: no registration token.
	registrationToken: undefined,
	catchup: phenixidCatchup,
	credentials: [
		{ name: 'secret', label: 'webhook secret', secret: true, default: '' },
		{ name: 'previousSecret', label: 'previous webhook secret', secret: true, default: '' },
		{ name: 'previousSecretValidUntil', label: 'previous secret valid until', secret: false, default: '' },
		{ name: 'key', label: 'webhook key', secret: true, default: '' },
		{ name: 'apiBaseUrl', label: 'Automation API base URL', secret: false, default: '' },
		// Mutual TLS to the Automation API: n8n cannot present a client certificate from a node's own
		// credential (its SSL Certificates credential belongs to the HTTP Request node), so only Node-RED has these.
		{ name: 'clientCertificate', label: 'client certificate', secret: true, default: '', only: 'node-red' },
		{ name: 'clientKey', label: 'client key', secret: true, default: '', only: 'node-red' },
		{ name: 'clientKeyPassphrase', label: 'client key passphrase', secret: true, default: '', only: 'node-red' },
		{ name: 'serverCa', label: 'server CA', secret: false, default: '', only: 'node-red' },
	],
	// The Automation API is the user's own Signing Service: no default URL.
	api: { baseUrls: {} },
});

export * from './api';
export * from './download';
export * from './inbound';
export * from './mapping';
