import type { DocumentStatus, EventType } from '../../event/normalized-event';

/** Every event type a Legito push connection can be triggered by (API v7). */
export const LEGITO_EVENT_TYPES = [
	'ApprovalActionApprove',
	'ApprovalActionCanceled',
	'ApprovalActionDisapprove',
	'ApprovalApproved',
	'ApprovalDisapproved',
	'ApprovalProcessStarted',
	'ApprovalRestart',
	'ConfidentialDesignated',
	'ConfidentialRemoved',
	'DateDelivery',
	'DateExpiration',
	'DatePayment',
	'DateSigning',
	'DocumentDownload',
	'DocumentOwnerChanged',
	'DocumentRecordCreated',
	'DocumentRecordCreatedMass',
	'DocumentRecordDeleted',
	'DocumentRecordLocked',
	'DocumentRecordRestored',
	'DocumentRecordUnlocked',
	'DocumentRecordUpdated',
	'DocumentSentByEmail',
	'DocumentShared',
	'DocumentSharingRemoved',
	'DocumentVersionView',
	'ExpirationDateRevised',
	'ExternalSharingActivated',
	'ExternalSharingDeactivated',
	'FileDeleted',
	'FileDownload',
	'FileUpload',
	'LinkAdded',
	'NewDocumentVersion',
	'SignCanceled',
	'SignCompleted',
	'SignStarted',
	'WorkflowStatusChanged',
] as const;
export type LegitoEventType = (typeof LEGITO_EVENT_TYPES)[number];

/** File formats Legito can attach for generated documents. */
export const LEGITO_FILE_TYPES = ['docx', 'pdf', 'pdfa', 'html', 'rtf', 'xml', 'odt', 'txt'] as const;

/**
 * [canonical type, canonical document status] for every event type. Legito's push carries no
 * document status of its own (only the workflow stage name, which is the customer's vocabulary), so
 * the status is derived from the event where the event implies one, else `other`. Events that only
 * change the record (properties, owner, lock, confidentiality, a link, a new version) are
 * `document.updated`.
 */
const MAPPING: Record<LegitoEventType, [EventType, DocumentStatus]> = {
	ApprovalActionApprove: ['document.approval_step_approved', 'in_approval'],
	ApprovalActionCanceled: ['document.approval_step_cancelled', 'in_approval'],
	ApprovalActionDisapprove: ['document.approval_step_rejected', 'in_approval'],
	ApprovalApproved: ['document.approved', 'approved'],
	ApprovalDisapproved: ['document.approval_rejected', 'rejected'],
	ApprovalProcessStarted: ['document.approval_requested', 'in_approval'],
	ApprovalRestart: ['document.approval_requested', 'in_approval'],
	ConfidentialDesignated: ['document.updated', 'other'],
	ConfidentialRemoved: ['document.updated', 'other'],
	DateDelivery: ['document.date_reached', 'other'],
	DateExpiration: ['document.expired', 'expired'],
	DatePayment: ['document.date_reached', 'other'],
	DateSigning: ['document.date_reached', 'other'],
	DocumentDownload: ['document.downloaded', 'other'],
	DocumentOwnerChanged: ['document.updated', 'other'],
	DocumentRecordCreated: ['document.created', 'created'],
	DocumentRecordCreatedMass: ['document.created', 'created'],
	DocumentRecordDeleted: ['document.deleted', 'deleted'],
	DocumentRecordLocked: ['document.updated', 'other'],
	DocumentRecordRestored: ['document.restored', 'other'],
	DocumentRecordUnlocked: ['document.updated', 'other'],
	DocumentRecordUpdated: ['document.updated', 'other'],
	DocumentSentByEmail: ['document.sent', 'other'],
	DocumentShared: ['document.shared', 'other'],
	DocumentSharingRemoved: ['document.unshared', 'other'],
	DocumentVersionView: ['document.viewed', 'other'],
	ExpirationDateRevised: ['document.updated', 'other'],
	ExternalSharingActivated: ['document.shared', 'other'],
	ExternalSharingDeactivated: ['document.unshared', 'other'],
	FileDeleted: ['document.file_deleted', 'other'],
	FileDownload: ['document.downloaded', 'other'],
	FileUpload: ['document.file_added', 'other'],
	LinkAdded: ['document.updated', 'other'],
	NewDocumentVersion: ['document.updated', 'other'],
	SignCanceled: ['document.cancelled', 'cancelled'],
	SignCompleted: ['document.completed', 'completed'],
	SignStarted: ['document.sent', 'out_for_signature'],
	WorkflowStatusChanged: ['document.updated', 'other'],
};

export function legitoMapping(eventType: string): [EventType, DocumentStatus] {
	const known = LEGITO_EVENT_TYPES.find((t) => t.toLowerCase() === eventType.toLowerCase());
	return known ? MAPPING[known] : ['document.updated', 'other'];
}
