import type { DocumentStatus, EventType } from '../../event/normalized-event';

export const PHENIXID_EVENT_TYPES = [
	'OrderCreated',
	'OrderDocumentUpdated',
	'OrderAccepted',
	'OrderSigned',
	'OrderRejected',
	'OrderCanceled',
	'OrderExpired',
	'OrderDueDateUpdated',
	'OrderSignersUpdated',
	'OrderDescriptionUpdated',
] as const;

/** [canonical type, canonical document status]; the webhook carries no state, so updates say `other`. */
const MAPPING: Record<string, [EventType, DocumentStatus]> = {
	OrderCreated: ['document.created', 'created'],
	OrderDocumentUpdated: ['document.updated', 'other'],
	OrderAccepted: ['document.updated', 'out_for_signature'],
	OrderSigned: ['document.completed', 'completed'],
	OrderRejected: ['document.rejected', 'rejected'],
	OrderCanceled: ['document.cancelled', 'cancelled'],
	OrderExpired: ['document.expired', 'expired'],
	OrderDueDateUpdated: ['document.updated', 'other'],
	OrderSignersUpdated: ['document.updated', 'other'],
	OrderDescriptionUpdated: ['document.updated', 'other'],
};

export function phenixidMapping(eventType: string): [EventType, DocumentStatus] {
	const known = PHENIXID_EVENT_TYPES.find((t) => t.toLowerCase() === eventType.toLowerCase());
	return known ? MAPPING[known] : ['document.updated', 'other'];
}
