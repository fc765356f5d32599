import type { DocumentStatus, EventType } from '../../event/normalized-event';
import { ownValue } from '../../inbound/safe-json';

export const QUICKLYSIGN_EVENT_TYPES = [
	'entity_updated',
	'document_status_changed',
	'final_document_generated',
	'document_updated',
	'signatory_updated',
	'audit_trail_updated',
] as const;

export const QUICKLYSIGN_DOCUMENT_STATUSES = ['setup', 'awaiting_signatures', 'complete', 'conversion_error'] as const;

const EVENT: Record<string, EventType> = {
	entity_updated: 'document.updated',
	document_updated: 'document.updated',
	audit_trail_updated: 'document.updated',
	document_status_changed: 'document.updated',
	final_document_generated: 'document.file_ready',
	signatory_updated: 'recipient.updated',
};

/** The callback names no status; a status change is refined once the pack has been fetched. */
export function quicklysignEventType(callbackEvent: string, packStatus?: string): EventType {
	const event = callbackEvent.toLowerCase();
	if (event === 'document_status_changed' && packStatus) {
		if (packStatus === 'awaiting_signatures') return 'document.sent';
		if (packStatus === 'complete') return 'document.completed';
	}
	return ownValue(EVENT, event) ?? 'other';
}

const STATUS: Record<string, DocumentStatus> = {
	setup: 'created',
	awaiting_signatures: 'out_for_signature',
	complete: 'completed',
	conversion_error: 'other',
};

export function quicklysignDocumentStatus(status: string | undefined): DocumentStatus {
	return (status && ownValue(STATUS, status.toLowerCase())) || 'other';
}
