import type { DocumentStatus, EventType } from '../../event/normalized-event';
import { ownValue } from '../../inbound/safe-json';

export const PLEXUS_EVENT_TYPES = ['documentCreated', 'documentUpdated', 'documentDeleted'] as const;
export type PlexusEventType = (typeof PLEXUS_EVENT_TYPES)[number];

export const PLEXUS_STATUSES = [
	'created',
	'awaitingReview',
	'reviewApproved',
	'reviewRejected',
	'awaitingApproval',
	'approved',
	'approvalRejected',
	'awaitingSignature',
	'signedByClient',
	'signatureRejected',
	'signatureRequestExpired',
	'executed',
	'paused',
	'cancelled',
	'other',
] as const;

/** `AWAITING_SIGNATURE` and `awaitingSignature` both fold to `awaitingsignature`. */
function fold(name: string): string {
	return (name.includes('_') ? name.replace(/_/g, '') : name).toLowerCase();
}

function byFoldedName<T extends string>(names: readonly T[]): Map<string, T> {
	return new Map(names.map((name) => [fold(name), name]));
}

const EVENT_TYPE_BY_FOLDED = byFoldedName(PLEXUS_EVENT_TYPES);

/** Accepts `documentCreated` and the legacy `DOCUMENT_CREATED`, in any case. */
export function canonicalPlexusEventType(type: string): PlexusEventType | undefined {
	return EVENT_TYPE_BY_FOLDED.get(fold(type));
}

const STATUS: Record<string, DocumentStatus> = {
	created: 'created',
	awaitingReview: 'in_review',
	reviewApproved: 'approved',
	reviewRejected: 'rejected',
	awaitingApproval: 'in_approval',
	approved: 'approved',
	approvalRejected: 'rejected',
	awaitingSignature: 'out_for_signature',
	signedByClient: 'out_for_signature',
	signatureRejected: 'rejected',
	signatureRequestExpired: 'expired',
	executed: 'completed',
	paused: 'other',
	cancelled: 'cancelled',
	other: 'other',
};

/** documentUpdated is refined by the document's status; unlisted statuses stay document.updated. */
const UPDATED_BY_STATUS: Record<string, EventType> = {
	awaitingSignature: 'document.sent',
	executed: 'document.completed',
	signatureRejected: 'document.rejected',
	cancelled: 'document.cancelled',
	signatureRequestExpired: 'document.expired',
	awaitingReview: 'document.approval_requested',
	awaitingApproval: 'document.approval_requested',
	reviewApproved: 'document.approved',
	approved: 'document.approved',
	reviewRejected: 'document.approval_rejected',
	approvalRejected: 'document.approval_rejected',
};

const STATUS_BY_FOLDED = byFoldedName(PLEXUS_STATUSES);

/** A status in the page's spelling, matched like event types: any case, `_` ignored (`AWAITING_SIGNATURE`). */
export function canonicalPlexusStatus(status: string | undefined): string | undefined {
	if (!status) return undefined;
	return STATUS_BY_FOLDED.get(fold(status));
}

export function plexusDocumentStatus(eventType: PlexusEventType | undefined, status: string | undefined): DocumentStatus {
	if (eventType === 'documentDeleted') return 'deleted';
	const known = canonicalPlexusStatus(status);
	return (known && ownValue(STATUS, known)) || 'other';
}

export function plexusCanonicalType(eventType: PlexusEventType | undefined, status: string | undefined): EventType {
	if (eventType === 'documentCreated') return 'document.created';
	if (eventType === 'documentDeleted') return 'document.deleted';
	const known = canonicalPlexusStatus(status);
	if (eventType === 'documentUpdated') return (known && ownValue(UPDATED_BY_STATUS, known)) || 'document.updated';
	return 'other';
}
