import { z } from 'zod/v4';
import { VerificationRecordSchema } from '../verify/record';

export const VENDOR_IDS = ['legito', 'legalesign', 'plexus', 'quicklysign', 'phenixid'] as const;
export type VendorId = (typeof VENDOR_IDS)[number];

export const DOCUMENT_STATUSES = [
	'created',
	'in_review',
	'in_approval',
	'approved',
	'out_for_signature',
	'completed',
	'rejected',
	'cancelled',
	'expired',
	'deleted',
	'other',
] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export const EVENT_TYPES = [
	'document.created',
	'document.updated',
	'document.deleted',
	'document.sent',
	'document.completed',
	'document.rejected',
	'document.cancelled',
	'document.expired',
	'document.file_ready',
	'document.approval_requested',
	'document.approved',
	'document.approval_rejected',
	'document.approval_step_approved',
	'document.approval_step_rejected',
	'document.approval_step_cancelled',
	'document.restored',
	'document.shared',
	'document.unshared',
	'document.viewed',
	'document.downloaded',
	'document.file_added',
	'document.file_deleted',
	'document.date_reached',
	'recipient.sent',
	'recipient.viewed',
	'recipient.completed',
	'recipient.rejected',
	'recipient.updated',
	'other',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

const isoDateTime = z.iso.datetime({ offset: true });

export const NormalizedEventSchema = z.object({
	id: z.string().min(1),
	vendor: z.enum(VENDOR_IDS),
	type: z.enum(EVENT_TYPES),
	vendorEventType: z.string(),
	occurredAt: isoDateTime.nullable(),
	receivedAt: isoDateTime,
	document: z.object({
		id: z.string(),
		title: z.string().optional(),
		status: z.enum(DOCUMENT_STATUSES),
		vendorStatus: z.string().optional(),
		url: z.string().optional(),
	}),
	recipient: z
		.object({
			id: z.string().optional(),
			email: z.string().optional(),
			name: z.string().optional(),
			status: z.string().optional(),
		})
		.optional(),
	actor: z
		.object({
			id: z.string().optional(),
			name: z.string().optional(),
			email: z.string().optional(),
		})
		.optional(),
	files: z.array(z.object({ fileName: z.string(), mimeType: z.string(), size: z.number() })),
	data: z.record(z.string(), z.unknown()),
	raw: z.unknown().optional(),
	/** Set on every event a trigger emits; optional here so an event stored before it still parses. */
	verification: VerificationRecordSchema.optional(),
});

export type NormalizedEvent = z.infer<typeof NormalizedEventSchema>;

/** What a trigger emits: the published contract (dist/core/normalized-event.schema.json). */
export const EmittedEventSchema = NormalizedEventSchema.extend({ verification: VerificationRecordSchema }).meta({
	title: 'NormalizedEvent',
	description: 'The event a legalhooks trigger emits, in n8n and Node-RED, for every vendor.',
});
