/*
 * The e2e's one table: per vendor, how each engine names its trigger, what credentials it takes,
 * how a delivery is made and what the normalized item must look like. A vendor landing later is
 * one row here (plus its simulator adapter in lib/simulators.ts).
 */
import { createHash } from 'node:crypto';
import { sampleSets } from '../../core/samples/sets';
import type { VendorId } from '../../core/event/normalized-event';
import { buildPlexusDelivery, plexusSamples } from '../../core/vendors/plexus/samples';
import { samplePdf, startPlexusDocuments } from '../../sandbox/simulators/plexus-documents';
import type { HttpResult } from './lib/util';
import { request } from './lib/util';
import { startLegalesign, startLegito, startQuicklysign, type VendorSim } from './lib/simulators';

export interface DeliveryTarget {
	/** the trigger's webhook URL in the engine */
	url: string;
	/** the vendor simulator (registration vendors) */
	sim?: VendorSim;
	/** what serves the documents the deliveries link to (rows with `download`) */
	documents?: DocumentServer;
}

/** A file as the simulator served it: what the trigger must emit for the delivery. */
export interface ExpectedFile {
	fileName: string;
	mimeType: string;
	size: number;
	sha256: string;
}

export interface DocumentServer {
	/** the file the last signed delivery made with this server must yield */
	expected(): ExpectedFile | undefined;
	/** how many times the document was fetched from the simulator (the trigger must have fetched it) */
	fetches(): number;
	close(): Promise<void>;
}

/**
 * With `download`, the n8n and Node-RED trigger suites switch Download Documents on and check that
 * every signed delivery yields the served file: an n8n binary property (bytes read back through n8n,
 * in whatever binary data mode it runs), a Node-RED msg.files[0] Buffer. A vendor whose own simulator
 * serves its documents wraps that simulator in `documents(sim)`.
 */
export interface DownloadRow {
	documents(sim?: VendorSim): Promise<DocumentServer>;
	/** which of the row's two events yield the file (default both) */
	eventsWithFiles?: ReadonlyArray<0 | 1>;
}

/** Does the row's `eventIndex`th event carry the downloaded file? */
export const yieldsFile = (row: VendorRow, eventIndex: 0 | 1) => Boolean(row.download) && (row.download?.eventsWithFiles ?? [0, 1]).includes(eventIndex);

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export interface VendorRow {
	id: VendorId;
	/** Tells two rows of one vendor apart (sink paths, names); default `id`. */
	key?: string;
	registration: 'api' | 'manual';
	/** secrets we configure for manual vendors (registration vendors generate their own) */
	secrets: { secret: string; key?: string };
	/** sample events: the first is fired on activation, the second after a restart/redeploy */
	events: [string, string];
	/** what the first/second event must normalize to */
	expect: [Partial<{ type: string; vendorEventType: string; documentId: string }>, Partial<{ type: string; vendorEventType: string; documentId: string }>];
	n8n: {
		/** `name` of the node in package.json n8n.nodes (the type is `<package>.<name>`) */
		node: string;
		/** The node version the workflow is saved with (default the node's newest): an old version proves old workflows keep working. */
		typeVersion?: number;
		credentialType: string;
		credentialData(sim?: VendorSim): Record<string, unknown>;
		parameters?(sim?: VendorSim): Record<string, unknown>;
	};
	nodeRed: {
		trigger: string;
		config: string;
		/** the trigger's property holding the config node id (default "account") */
		configProp?: string;
		configProps(publicBaseUrl: string, sim?: VendorSim): Record<string, unknown>;
		configCredentials(sim?: VendorSim): Record<string, unknown>;
		triggerProps?(sim?: VendorSim): Record<string, unknown>;
		/** the trigger's webhook URL, given the engine base URL and the node's id/props */
		webhookUrl(base: string, node: { id: string; [k: string]: unknown }): string;
	};
	simulator?: () => Promise<VendorSim>;
	download?: DownloadRow;
	/** sends a signed (or tampered) delivery of `event` to the trigger (`now`: the simulators' event time) */
	deliver(target: DeliveryTarget, event: string, options: { tamper?: boolean; now?: Date }): Promise<HttpResult>;
}

/** The row's own name: its key, else its vendor. */
export const rowKey = (row: VendorRow): string => row.key ?? row.id;

/** Manual vendors: the sample delivery from core/samples/sets.ts POSTed straight at the URL. */
function sampleDelivery(vendor: VendorId, secrets: { secret: string; key?: string }) {
	return async (target: DeliveryTarget, event: string, options: { tamper?: boolean }) => {
		const set = sampleSets[vendor];
		if (!set) throw new Error(`no sample set for ${vendor}`);
		const d = set.build(event, secrets, { tamper: options.tamper, now: new Date() });
		const url = new URL(target.url);
		for (const [k, v] of Object.entries(d.query)) url.searchParams.set(k, v);
		return request(url.toString(), { method: d.method, headers: d.headers, body: d.body });
	};
}

/** Registration vendors: the simulator sends the delivery to the URL it holds. */
async function viaSimulator(target: DeliveryTarget, event: string, options: { tamper?: boolean; now?: Date }) {
	if (!target.sim) throw new Error('no simulator');
	return target.sim.fire(target.url, event, options);
}

/**
 * Plexus with its documents: the signed sample, its publishedVersion.downloadUrl a presigned link
 * (15 minutes from the event) to a fresh PDF at the documents simulator. Without a documents server
 * (the queue and action suites) the sample as it is.
 */
interface PlexusDocumentServer extends DocumentServer {
	link(event: string, issuedAt: Date): string;
}

async function plexusDocuments(): Promise<PlexusDocumentServer> {
	const store = await startPlexusDocuments();
	let n = 0;
	let last: ExpectedFile | undefined;
	return {
		link(event, issuedAt) {
			n += 1;
			const fileName = `e2e-${event}-${n}.pdf`;
			const bytes = samplePdf(`e2e ${event} ${n} ${issuedAt.toISOString()}`);
			last = { fileName, mimeType: 'application/pdf', size: bytes.length, sha256: sha256(bytes) };
			return store.link(`e2e/${fileName}`, bytes, issuedAt);
		},
		expected: () => last,
		fetches: () => store.gets(),
		close: () => store.close(),
	};
}

function plexusDelivery(secrets: { secret: string }) {
	const plain = sampleDelivery('plexus', secrets);
	return async (target: DeliveryTarget, event: string, options: { tamper?: boolean }) => {
		const documents = target.documents as PlexusDocumentServer | undefined;
		if (!documents || options.tamper) return plain(target, event, options);
		const now = new Date();
		const payload = plexusSamples[event](now.toISOString());
		payload.data.document = { ...payload.data.document, publishedVersion: { number: '7.0', downloadUrl: documents.link(event, now) } };
		const d = buildPlexusDelivery(payload, secrets.secret);
		return request(target.url, { method: d.method, headers: d.headers, body: d.body });
	};
}

const PLEXUS = { secret: 'e2e-plexus-secret-0123456789abcdef0123456789abcdef' };
const PHENIX = { secret: 'e2e-phenixid-secret-0123456789abcdef', key: 'e2e-phenixid-key' };

export const vendorRows: VendorRow[] = [
	{
		id: 'plexus',
		registration: 'manual',
		secrets: PLEXUS,
		events: ['executed', 'documentCreated'],
		expect: [
			{ type: 'document.completed', vendorEventType: 'documentUpdated', documentId: 'd24c0644-1d31-47fa-960e-b0cc8b4f136c' },
			{ type: 'document.created', vendorEventType: 'documentCreated' },
		],
		n8n: { node: 'plexusTrigger', credentialType: 'plexusGatewayApi', credentialData: () => ({ secret: PLEXUS.secret }) },
		nodeRed: {
			trigger: 'legalhooks-plexus-trigger',
			config: 'legalhooks-plexus-account',
			configProps: (publicBaseUrl) => ({ name: 'e2e Plexus', baseUrl: publicBaseUrl }),
			configCredentials: () => ({ secret: PLEXUS.secret }),
			webhookUrl: (base, node) => `${base}/legalhooks/plexus/${node.id}`,
		},
		download: { documents: plexusDocuments },
		deliver: plexusDelivery(PLEXUS),
	},
	{
		id: 'phenixid',
		registration: 'manual',
		secrets: PHENIX,
		events: ['OrderSigned', 'OrderCreated'],
		expect: [
			{ type: 'document.completed', vendorEventType: 'OrderSigned', documentId: '07c6ad8c-d1ba-4e73-9bbf-c70a085a449c' },
			{ type: 'document.created', vendorEventType: 'OrderCreated' },
		],
		n8n: { node: 'phenixIdTrigger', credentialType: 'phenixIdSigningApi', credentialData: () => ({ secret: PHENIX.secret, key: PHENIX.key }) },
		nodeRed: {
			trigger: 'legalhooks-phenixid-trigger',
			config: 'legalhooks-phenixid-account',
			configProps: (publicBaseUrl) => ({ name: 'e2e PhenixID', baseUrl: publicBaseUrl }),
			configCredentials: () => ({ secret: PHENIX.secret, key: PHENIX.key }),
			webhookUrl: (base, node) => `${base}/legalhooks/phenixid/${node.id}`,
		},
		deliver: sampleDelivery('phenixid', PHENIX),
	},
	{
		id: 'legito',
		registration: 'api',
		secrets: { secret: '' },
		events: ['SignCompleted', 'SignStarted'],
		expect: [
			{ type: 'document.completed', vendorEventType: 'SignCompleted' },
			{ type: 'document.sent', vendorEventType: 'SignStarted' },
		],
		n8n: {
			node: 'legitoTrigger',
			credentialType: 'legitoApi',
			credentialData: (sim) => sim!.credentials,
			parameters: () => ({ legitoEvents: ['SignCompleted', 'SignStarted'] }),
		},
		nodeRed: {
			trigger: 'legalhooks-legito-trigger',
			config: 'legalhooks-legito-account',
			configProps: (publicBaseUrl) => ({ name: 'e2e Legito', baseUrl: publicBaseUrl }),
			configCredentials: (sim) => sim!.credentials,
			triggerProps: () => ({ legitoEvents: 'SignCompleted,SignStarted' }),
			webhookUrl: (base, node) => `${base}/legalhooks/legito/${node.id}`,
		},
		simulator: startLegito,
		deliver: viaSimulator,
	},
	{
		id: 'legalesign',
		registration: 'api',
		secrets: { secret: '' },
		events: ['signed', 'signed'],
		expect: [
			{ type: 'document.completed', vendorEventType: 'signed' },
			{ type: 'document.completed', vendorEventType: 'signed' },
		],
		n8n: {
			node: 'legalesignTrigger',
			// version 1, as saved before the Webhook System setting: n8n's own defaults must keep it legacy
			typeVersion: 1,
			credentialType: 'legalesignApi',
			credentialData: (sim) => sim!.credentials,
			parameters: () => ({ notify: 'signed' }),
		},
		nodeRed: {
			trigger: 'legalhooks-legalesign-trigger',
			config: 'legalhooks-legalesign-account',
			configProps: (publicBaseUrl) => ({ name: 'e2e Legalesign', baseUrl: publicBaseUrl }),
			configCredentials: (sim) => sim!.credentials,
			triggerProps: () => ({ notify: 'signed' }),
			webhookUrl: (base, node) => `${base}/legalhooks/legalesign/${node.id}`,
		},
		simulator: startLegalesign,
		deliver: viaSimulator,
	},
	{
		// Legalesign's realtime webhooks: a new node (n8n version 2, no setting saved; Node-RED realtime),
		// each event confirmed with GET /document/{uuid}/ before it is emitted; tampered = a wrong URL token.
		id: 'legalesign',
		key: 'legalesign-realtime',
		registration: 'api',
		secrets: { secret: '' },
		events: ['recipient.completed', 'document.finalPdfCreated'],
		expect: [
			{ type: 'recipient.completed', vendorEventType: 'recipient.completed' },
			{ type: 'document.file_ready', vendorEventType: 'document.finalPdfCreated' },
		],
		n8n: {
			node: 'legalesignTrigger',
			credentialType: 'legalesignApi',
			credentialData: (sim) => sim!.credentials,
			parameters: () => ({ eventFilter: '' }),
		},
		nodeRed: {
			trigger: 'legalhooks-legalesign-trigger',
			config: 'legalhooks-legalesign-account',
			configProps: (publicBaseUrl) => ({ name: 'e2e Legalesign realtime', baseUrl: publicBaseUrl }),
			configCredentials: (sim) => sim!.credentials,
			triggerProps: () => ({ webhookSystem: 'realtime', eventFilter: '' }),
			webhookUrl: (base, node) => `${base}/legalhooks/legalesign/${node.id}`,
		},
		simulator: startLegalesign,
		deliver: viaSimulator,
	},
	{
		id: 'quicklysign',
		registration: 'api',
		secrets: { secret: '' },
		events: ['document_status_changed', 'final_document_generated'],
		expect: [
			{ type: 'document.completed', vendorEventType: 'document_status_changed' },
			{ type: 'document.file_ready', vendorEventType: 'final_document_generated' },
		],
		n8n: {
			node: 'quicklySignTrigger',
			credentialType: 'quicklySignApi',
			credentialData: (sim) => sim!.credentials,
			parameters: (sim) => ({ documentPackKeys: String(sim!.settings.packKey), fetchDocumentPack: true }),
		},
		nodeRed: {
			trigger: 'legalhooks-quicklysign-trigger',
			config: 'legalhooks-quicklysign-account',
			configProps: (publicBaseUrl) => ({ name: 'e2e QuicklySign', baseUrl: publicBaseUrl }),
			configCredentials: (sim) => sim!.credentials,
			triggerProps: (sim) => ({ documentPackKeys: String(sim!.settings.packKey), fetchDocumentPack: true }),
			webhookUrl: (base, node) => `${base}/legalhooks/quicklysign/${node.id}`,
		},
		simulator: startQuicklysign,
		// the pack's final PDF at its serve_pdf_url, fetched with the access token on final_document_generated
		download: { documents: async (sim) => sim!.documentServer!(), eventsWithFiles: [1] },
		deliver: viaSimulator,
	},
];
