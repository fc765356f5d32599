import type { DocumentStatus, EventType } from '../../event/normalized-event';
import { ownValue } from '../../inbound/safe-json';

/**
 * Legalesign's realtime webhooks. The v1 OpenAPI (legalesign/Legalesign-V1-OpenAPI3,
 * legalesign-api-v1.yaml, WebhookEventFilterEnum) names the events a subscription can filter on;
 * GraphQL's lifecycle feed names the same events in one word (`documentFinalPdfCreated`) and adds
 * `recipientSentEmail`. The webhook body itself is not published (VENDORS.md, Legalesign realtime).
 */
export const LEGALESIGN_REALTIME_EVENT_FILTERS = [
	'document.*',
	'document.created',
	'document.rejected',
	'document.finalPdfCreated',
	'recipient.*',
	'recipient.completed',
	'recipient.rejected',
	'recipient.emailOpened',
	'recipient.visiting',
	'recipient.bounced',
] as const;

/** What the API must show before a realtime event is emitted (Confirm With API). */
export interface RealtimeExpectation {
	/** Document statuses (DocumentStatusEnum: 10 created, 20 fields complete, 30 signed, 40 removed, 50 rejected) that agree. */
	documentStatuses?: readonly number[];
	/** The final PDF is available (`download_final`). */
	finalPdf?: boolean;
	/** Signer statuses (SignerStatusEnum) that agree; [] = the signer must exist, any status. */
	signerStatuses?: readonly number[];
}

export interface RealtimeEventFacts {
	/** The event as the filter enum spells it (`document.finalPdfCreated`). */
	name: string;
	object: 'document' | 'recipient';
	type: EventType;
	status: DocumentStatus;
	expect: RealtimeExpectation;
}

// Signer statuses from "email opened" on: a later status (visited, signed, rejected…) implies the earlier one.
const OPENED_OR_LATER = [15, 20, 30, 35, 39, 40, 50, 60];
const EVERY_DOCUMENT_STATUS = [10, 20, 30, 40, 50];

/**
 * Assumption (no page says how quickly the REST API follows a realtime event): the API may already
 * show a later state than the event (a signer who opened the email may have signed by the time we
 * ask), so a later status in the same direction agrees; an opposite one (rejected for completed)
 * does not.
 */
const KNOWN: Record<string, RealtimeEventFacts> = {
	'document.created': { name: 'document.created', object: 'document', type: 'document.created', status: 'created', expect: { documentStatuses: EVERY_DOCUMENT_STATUS } },
	'document.rejected': { name: 'document.rejected', object: 'document', type: 'document.rejected', status: 'rejected', expect: { documentStatuses: [50] } },
	// `download_final`: "Final PDF is available to download" (DocumentResponse in the OpenAPI).
	'document.finalpdfcreated': { name: 'document.finalPdfCreated', object: 'document', type: 'document.file_ready', status: 'completed', expect: { finalPdf: true } },
	'recipient.completed': { name: 'recipient.completed', object: 'recipient', type: 'recipient.completed', status: 'other', expect: { signerStatuses: [40, 50] } },
	'recipient.rejected': { name: 'recipient.rejected', object: 'recipient', type: 'recipient.rejected', status: 'other', expect: { signerStatuses: [60] } },
	'recipient.emailopened': { name: 'recipient.emailOpened', object: 'recipient', type: 'recipient.viewed', status: 'other', expect: { signerStatuses: OPENED_OR_LATER } },
	'recipient.visiting': { name: 'recipient.visiting', object: 'recipient', type: 'recipient.viewed', status: 'other', expect: { signerStatuses: OPENED_OR_LATER.filter((s) => s >= 20) } },
	// GraphQL's `recipientSentEmail`: not in the filter enum, but `recipient.*` may carry it.
	'recipient.sentemail': { name: 'recipient.sentEmail', object: 'recipient', type: 'recipient.sent', status: 'other', expect: { signerStatuses: [10, ...OPENED_OR_LATER] } },
	// A bounce has no signer status in the REST API: only that the signer exists on the document is confirmed.
	'recipient.bounced': { name: 'recipient.bounced', object: 'recipient', type: 'recipient.updated', status: 'other', expect: { signerStatuses: [] } },
};

const squash = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * The event a delivery names, in any of the spellings the pages allow: `document.finalPdfCreated`,
 * `documentFinalPdfCreated` (GraphQL), or `object` + `event` (`document` + `finalPdfCreated`).
 * An event the enum does not list is `document.updated` / `recipient.updated`, confirmed only by
 * its document (and signer) existing.
 */
export function legalesignRealtimeEvent(object: string | undefined, event: string): RealtimeEventFacts {
	const text = event.trim();
	let kind = object ? squash(object) : '';
	let rest = text;
	const dot = text.indexOf('.');
	if (dot > 0) {
		kind = squash(text.slice(0, dot));
		rest = text.slice(dot + 1);
	} else {
		const squashed = squash(text);
		for (const prefix of ['document', 'recipient', 'signer']) {
			if (squashed.startsWith(prefix) && squashed.length > prefix.length && (!kind || kind === prefix)) {
				kind = prefix;
				rest = squashed.slice(prefix.length);
				break;
			}
		}
	}
	if (kind === 'signer') kind = 'recipient';
	const known = ownValue(KNOWN, `${kind}.${squash(rest)}`);
	if (known) return known;
	const name = `${kind || 'document'}.${rest || 'unknown'}`;
	return kind === 'recipient'
		? { name, object: 'recipient', type: 'recipient.updated', status: 'other', expect: { signerStatuses: [] } }
		: { name, object: 'document', type: 'document.updated', status: 'other', expect: {} };
}

/** vendorEventType values of realtime events (the enum's names, plus GraphQL's sentEmail). */
export const LEGALESIGN_REALTIME_EVENT_TYPES = Object.values(KNOWN).map((facts) => facts.name);

/** DocumentStatusEnum → our document status, for the status the API showed. */
export function legalesignApiDocumentStatus(status: number, finalPdf: boolean): DocumentStatus {
	if (status === 30) return 'completed';
	if (status === 40) return 'cancelled';
	if (status === 50) return 'rejected';
	if (status === 10 || status === 20) return 'out_for_signature';
	return finalPdf ? 'completed' : 'other';
}
