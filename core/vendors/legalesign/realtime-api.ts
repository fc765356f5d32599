import type { NormalizedEvent } from '../../event/normalized-event';
import type { HttpClient, HttpResponse } from '../../outbound/http';
import type { ConfirmResult, Registration, RegisterRequest } from '../definition';
import {
	legalesignBaseUrl,
	legalesignTransport,
	subscribeLegalesign,
	subscriptionListed,
	type LegalesignCredentials,
	type LegalesignRegistrationOptions,
} from './api';
import { legalesignApiDocumentStatus, legalesignRealtimeEvent, LEGALESIGN_REALTIME_EVENT_FILTERS, type RealtimeExpectation } from './realtime-mapping';

/** `notify_when` of a realtime subscription in `GET /notifications/` (OpenAPI: "10 = realtime"). */
export const LEGALESIGN_REALTIME_NOTIFY_WHEN = 10;

/**
 * What a realtime registration is made with. `notify: "realtime"` keeps it apart from every legacy
 * registration's settings (`all`/`signed`/`sent`/`rejected`), so switching systems re-registers.
 */
export function legalesignRealtimeSettings(options: LegalesignRegistrationOptions = {}): Record<string, unknown> {
	const filter = options.eventFilter?.trim() ?? '';
	return {
		notify: 'realtime',
		eventFilter: (LEGALESIGN_REALTIME_EVENT_FILTERS as readonly string[]).includes(filter) ? filter : '',
		group: options.group?.toString().trim() || '',
	};
}

/**
 * `POST /subscribe/ {url, notify: "realtime", eventFilter?, group?}` (OpenAPI CallbackCreatePost; the
 * way Legalesign's own Power Automate connector registers), as the legacy subscription is made.
 */
export function registerLegalesignRealtime(
	http: HttpClient,
	credentials: LegalesignCredentials,
	request: RegisterRequest<LegalesignRegistrationOptions>,
): Promise<Registration> {
	return subscribeLegalesign(http, credentials, request, legalesignRealtimeSettings(request.options), 'creating the realtime webhook');
}

/** Listed by `GET /notifications/` with `notify_when: 10`, the same URL, filter and group. */
export function legalesignRealtimeExists(
	http: HttpClient,
	credentials: LegalesignCredentials,
	registration: Registration,
	expected: RegisterRequest<LegalesignRegistrationOptions>,
): Promise<boolean> {
	return subscriptionListed(http, credentials, registration, expected, legalesignRealtimeSettings(expected.options), LEGALESIGN_REALTIME_NOTIFY_WHEN);
}

/** A signer as `GET /document/{docId}/` shows it: `signer_objects[]`, or the older nested `signers` arrays. */
interface ApiSigner {
	uuid: string;
	resourceUri: string;
	email: string;
	status: number;
}

interface ApiDocument {
	status: number;
	finalPdf: boolean;
	name?: string;
	signers: ApiSigner[];
}

const str = (value: unknown) => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

/** DocumentResponse (OpenAPI): `status`, `download_final`, `name`, `signer_objects[{uuid, resource_uri, email, status}]`. */
function readDocument(body: unknown): ApiDocument | undefined {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
	const doc = body as Record<string, unknown>;
	const status = Number(doc.status);
	if (!Number.isFinite(status)) return undefined;
	const signers: ApiSigner[] = [];
	if (Array.isArray(doc.signer_objects)) {
		for (const s of doc.signer_objects) {
			if (!s || typeof s !== 'object') continue;
			const signer = s as Record<string, unknown>;
			const resourceUri = str(signer.resource_uri);
			signers.push({ uuid: str(signer.uuid) || /\/([^/]+)\/?$/.exec(resourceUri)?.[1] || '', resourceUri, email: str(signer.email), status: Number(signer.status) });
		}
	} else if (Array.isArray(doc.signers)) {
		// "Always contains [signer URI, first name, last name, email, sms number, has_fields, status, signer order]".
		for (const s of doc.signers) {
			if (!Array.isArray(s)) continue;
			const resourceUri = str(s[0]);
			signers.push({ uuid: /\/([^/]+)\/?$/.exec(resourceUri)?.[1] ?? '', resourceUri, email: str(s[3]), status: Number(s[6]) });
		}
	}
	return { status, finalPdf: doc.download_final === true, name: typeof doc.name === 'string' ? doc.name : undefined, signers };
}

type Fetched = { ok: true; document: ApiDocument } | Extract<ConfirmResult, { ok: false }>;

async function fetchDocument(http: HttpClient, credentials: LegalesignCredentials, documentId: string): Promise<Fetched> {
	let response: HttpResponse;
	try {
		response = await legalesignTransport(http, credentials).send('confirming the event', { method: 'GET', url: `${legalesignBaseUrl(credentials)}/document/${encodeURIComponent(documentId)}/` });
	} catch (error) {
		return { ok: false, status: 503, reason: 'the Legalesign API could not be asked to confirm the event; it is not emitted (Legalesign may retry)', detail: (error as Error).message };
	}
	// A document this API user cannot see did not happen in this account: the event is contradicted.
	if (response.status === 404) return { ok: false, status: 409, reason: `the Legalesign API does not know document ${documentId.slice(0, 64)}: the event is not confirmed` };
	if (response.status < 200 || response.status >= 300) {
		const hint = response.status === 401 || response.status === 403 ? ' (check the API username and key)' : '';
		return { ok: false, status: 503, reason: `the Legalesign API answered HTTP ${response.status} when confirming the event${hint}; it is not emitted` };
	}
	const document = readDocument(response.body);
	if (!document) return { ok: false, status: 503, reason: 'the Legalesign API answered a document without a status when confirming the event' };
	return { ok: true, document };
}

function signerOf(document: ApiDocument, event: NormalizedEvent, statuses: readonly number[]): ApiSigner | undefined {
	const id = event.recipient?.id;
	const email = event.recipient?.email?.toLowerCase();
	if (id) return document.signers.find((s) => s.uuid === id || s.resourceUri.split('/').includes(id));
	if (email) return document.signers.find((s) => s.email.toLowerCase() === email);
	// Assumption: a recipient event that names no signer (the body is unpublished) agrees when some signer's status does.
	return document.signers.find((s) => statuses.length === 0 || statuses.includes(s.status));
}

/** Why the document contradicts the event, or undefined when it agrees. */
function contradiction(document: ApiDocument, event: NormalizedEvent, expect: RealtimeExpectation): { reason?: string; signer?: ApiSigner } {
	const name = event.vendorEventType;
	if (expect.documentStatuses && !expect.documentStatuses.includes(document.status)) return { reason: `${name}: the API shows document status ${document.status}` };
	if (expect.finalPdf && !document.finalPdf) return { reason: `${name}: the API shows no final PDF (download_final is false)` };
	if (expect.signerStatuses) {
		const signer = signerOf(document, event, expect.signerStatuses);
		if (!signer) return { reason: `${name}: the API shows no such signer on the document` };
		if (expect.signerStatuses.length > 0 && !expect.signerStatuses.includes(signer.status)) return { reason: `${name}: the API shows signer status ${signer.status}` };
		return { signer };
	}
	return {};
}

/**
 * Confirm With API: for each event, `GET /document/{uuid}/` (once per document per delivery) must
 * show the status the event claims, and for a recipient event the signer's status. Any contradiction
 * refuses the whole delivery (409); nothing is emitted. The confirmed events carry what the API showed.
 */
export async function confirmLegalesignRealtime(http: HttpClient, credentials: LegalesignCredentials, events: NormalizedEvent[]): Promise<ConfirmResult> {
	const documents = new Map<string, Fetched>();
	const confirmed: NormalizedEvent[] = [];
	for (const event of events) {
		if (event.data.deliveryKind !== 'realtime') {
			confirmed.push(event);
			continue;
		}
		const documentId = event.document.id;
		let fetched = documents.get(documentId);
		if (!fetched) documents.set(documentId, (fetched = await fetchDocument(http, credentials, documentId)));
		if (!fetched.ok) return fetched;
		const { document } = fetched;
		const facts = legalesignRealtimeEvent(undefined, event.vendorEventType);
		const verdict = contradiction(document, event, facts.expect);
		if (verdict.reason) return { ok: false, status: 409, reason: `the Legalesign API contradicts the event (${verdict.reason.slice(0, 200)}); it is not emitted` };
		const signer = verdict.signer;
		confirmed.push({
			...event,
			document: {
				...event.document,
				title: event.document.title ?? document.name,
				status: legalesignApiDocumentStatus(document.status, document.finalPdf),
				vendorStatus: String(document.status),
			},
			...(signer ? { recipient: { ...event.recipient, id: event.recipient?.id ?? signer.uuid, email: event.recipient?.email ?? (signer.email || undefined), status: String(signer.status) } } : {}),
			data: { ...event.data, confirmed: { documentStatus: document.status, finalPdf: document.finalPdf, ...(signer ? { signerStatus: signer.status } : {}) } },
		});
	}
	return { ok: true, events: confirmed };
}
