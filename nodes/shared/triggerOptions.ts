import type { INodeProperties } from 'n8n-workflow';
import { EVENT_TYPES } from '../../core/event';
import { DEFAULT_TRIGGER_OPTIONS, type CommonTriggerOptions } from '../../core/vendor';

const MB = 1024 * 1024;

/** The "Options" collection every trigger shows, plus any vendor-specific options. */
export function triggerOptionsProperty(vendorEventTypes: readonly string[], extra: INodeProperties[] = []): INodeProperties {
	const options: INodeProperties[] = [
		{
			displayName: 'Event Types',
			name: 'eventTypes',
			type: 'multiOptions',
			options: EVENT_TYPES.map((type) => ({ name: type, value: type })),
			default: [],
			description: 'Emit only these normalized event types. Empty emits all.',
		},
		{
			displayName: 'Include Raw Payload',
			name: 'includeRaw',
			type: 'boolean',
			default: true,
			description: "Whether to put the vendor's payload as received in the item's raw field",
		},
		{
			displayName: 'Maximum Body Size (MB)',
			name: 'maxBodyMb',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 25,
			description: "Larger deliveries get HTTP 413 and start no execution. n8n's own limit (N8N_PAYLOAD_SIZE_MAX, 16 MB by default) applies first.",
		},
		{
			displayName: 'Download Documents',
			name: 'downloadDocuments',
			type: 'boolean',
			default: false,
			description: "Whether to download the documents the vendor links to (Plexus: the published or latest version, within its 15-minute link) as binary files after the delivery is answered. A failed download is listed in the event's data.fileErrors.",
		},
		{
			displayName: 'Output Format',
			name: 'outputFormat',
			type: 'options',
			options: [
				{ name: 'Normalized Event', value: 'normalized' },
				{ name: 'CloudEvents 1.0 (Structured)', value: 'cloudevents', description: 'Specversion, ID, source, type, subject, time, datacontenttype, and the event as data' },
			],
			default: 'normalized',
			description: 'Whether to emit the normalized event as it is, or wrapped as a CloudEvents 1.0 structured event for a bus',
		},
		{
			displayName: 'Redact Raw Fields',
			name: 'redactRawPaths',
			type: 'string',
			default: '',
			placeholder: 'data.document.ownerEmail, persons.*.email',
			description: 'Dot paths into the raw payload, comma-separated, whose values are replaced by [redacted] before the event leaves the trigger. * matches any key or list entry.',
		},
		{
			displayName: 'Replay Window (Seconds)',
			name: 'replayToleranceSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 600,
			description: 'Deliveries whose timestamp is further than this from now are refused with 401. 0 turns the check off. Applies to vendors that send a timestamp.',
		},
		{
			displayName: 'Vendor Event Types',
			name: 'vendorEventTypes',
			type: 'multiOptions',
			options: vendorEventTypes.map((type) => ({ name: type, value: type })),
			default: [],
			description: "Emit only these of the vendor's own event names. Empty emits all.",
		},
		...extra,
	];
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: options.sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

export const dropOutOfOrderOption: INodeProperties = {
	displayName: 'Drop Out-of-Order Updates',
	name: 'dropOutOfOrder',
	type: 'boolean',
	default: false,
	description: 'Whether to drop an event older than one already emitted for the same document (delivery order is not guaranteed)',
};

/** Reads the Options collection into the core's option shape, filling defaults. */
export function commonOptions(raw: Record<string, unknown>): CommonTriggerOptions {
	const number = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);
	return {
		eventTypes: Array.isArray(raw.eventTypes) ? (raw.eventTypes as CommonTriggerOptions['eventTypes']) : [],
		vendorEventTypes: Array.isArray(raw.vendorEventTypes) ? (raw.vendorEventTypes as string[]) : [],
		includeRaw: raw.includeRaw === undefined ? DEFAULT_TRIGGER_OPTIONS.includeRaw : Boolean(raw.includeRaw),
		replayToleranceSeconds: number(raw.replayToleranceSeconds, DEFAULT_TRIGGER_OPTIONS.replayToleranceSeconds),
		maxBodyBytes: Math.round(number(raw.maxBodyMb, DEFAULT_TRIGGER_OPTIONS.maxBodyBytes / MB) * MB),
		dropOutOfOrder: Boolean(raw.dropOutOfOrder),
		redactRawPaths: typeof raw.redactRawPaths === 'string' ? raw.redactRawPaths.split(',') : [],
		outputFormat: raw.outputFormat === 'cloudevents' ? 'cloudevents' : 'normalized',
		downloadDocuments: Boolean(raw.downloadDocuments),
	};
}
