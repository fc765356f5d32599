import type { DocumentStatus, EventType } from '../../event/normalized-event';
import { ownValue } from '../../inbound/safe-json';

/** Document status codes of the legacy webhooks. */
export const LEGALESIGN_DOCUMENT_STATUSES: Record<string, string> = {
	'10': 'sent',
	'20': 'fields completed',
	'30': 'complete',
	'40': 'removed before signing',
	'50': 'rejected',
	'100': 'final PDF ready to download',
};

/** Signer (recipient) status codes of the legacy webhooks. */
export const LEGALESIGN_SIGNER_STATUSES: Record<string, string> = {
	'4': 'unsent',
	'5': 'scheduled',
	'10': 'sent',
	'15': 'email opened',
	'20': 'visited',
	'30': 'fields completed',
	'35': 'fields done except signature',
	'39': 'witness to sign',
	'40': 'completed',
	'50': 'downloaded',
	'60': 'rejected',
};

/** vendorEventType values: `document.<code>`, `signer.<code>` (batch) and the upon-event names. */
export const LEGALESIGN_EVENT_TYPES = [
	...Object.keys(LEGALESIGN_DOCUMENT_STATUSES).map((code) => `document.${code}`),
	...Object.keys(LEGALESIGN_SIGNER_STATUSES).map((code) => `signer.${code}`),
	'signed',
	'sent',
	'rejected',
	'failed visit',
] as const;

/** The page's words for a status code, or undefined for a code it does not list. */
export function legalesignStatusText(table: Record<string, string>, code: string): string | undefined {
	return ownValue(table, code.trim());
}

const DOCUMENT: Record<string, [EventType, DocumentStatus]> = {
	'10': ['document.sent', 'out_for_signature'],
	'20': ['document.updated', 'out_for_signature'],
	'30': ['document.completed', 'completed'],
	'40': ['document.cancelled', 'cancelled'],
	'50': ['document.rejected', 'rejected'],
	'100': ['document.file_ready', 'completed'],
};

export function legalesignDocumentMapping(code: string): [EventType, DocumentStatus] {
	return ownValue(DOCUMENT, code.trim()) ?? ['document.updated', 'other'];
}

const SIGNER: Record<string, EventType> = {
	'10': 'recipient.sent',
	'15': 'recipient.viewed',
	'20': 'recipient.viewed',
	'40': 'recipient.completed',
	'60': 'recipient.rejected',
};

/** Signer codes not in the table (unsent, scheduled, fields completed, downloaded…) are recipient.updated. */
export function legalesignSignerType(code: string): EventType {
	return ownValue(SIGNER, code.trim()) ?? 'recipient.updated';
}

/**
 * Upon-event webhooks name their event in a field; the values are not published, so the words
 * and the document codes both map, and anything else is a document.updated.
 */
export function legalesignUponEventMapping(event: string): [EventType, DocumentStatus] {
	const value = event.trim().toLowerCase();
	if (/^\d+$/.test(value)) return legalesignDocumentMapping(value);
	// "a failed visit" is one of the page's four upon-event kinds: about a signer, so recipient.updated.
	if (['failedvisit', 'visitfailed', 'failed'].includes(value.replace(/[\s_-]/g, ''))) return ['recipient.updated', 'other'];
	if (['signed', 'signing', 'completed', 'complete', 'finalpdfcreated', 'final_pdf_created'].includes(value)) return ['document.completed', 'completed'];
	if (['sent', 'created', 'send'].includes(value)) return ['document.sent', 'out_for_signature'];
	if (['rejected', 'reject', 'declined'].includes(value)) return ['document.rejected', 'rejected'];
	return ['document.updated', 'other'];
}

/** notify option → `notify_when` code in the notifications list. */
export const NOTIFY_CODES = { all: 1, signed: 2, sent: 3, rejected: 4 } as const;
export type LegalesignNotify = keyof typeof NOTIFY_CODES;
