import type { DocumentStatus, EventType } from '../../event';

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

/** Accepts `documentCreated` and the legacy `DOCUMENT_CREATED`, in any case. */
export function canonicalPlexusEventType(type: string): PlexusEventType | undefined {
	const folded = type.replace(/_/g, '').toLowerCase();
	return PLEXUS_EVENT_TYPES.find((known) => known.toLowerCase() === folded);
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

export function plexusDocumentStatus(eventType: PlexusEventType | undefined, status: string | undefined): DocumentStatus {
	if (eventType === 'documentDeleted') return 'deleted';
	return (status && STATUS[status]) || 'other';
}

export function plexusCanonicalType(eventType: PlexusEventType | undefined, status: string | undefined): EventType {
	if (eventType === 'documentCreated') return 'document.created';
	if (eventType === 'documentDeleted') return 'document.deleted';
	if (eventType === 'documentUpdated') return (status && UPDATED_BY_STATUS[status]) || 'document.updated';
	return 'other';
}
