import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import {
	commonTriggerOptions,
	normalizedTypeChoices,
	type Choice,
	type TriggerEditorFacts,
} from '../../core/editor/trigger-settings';
import type { CommonTriggerOptions } from '../../core/vendors/definition';

/** A core pick list as n8n options, sorted by name as n8n's lint wants every options list. */
export function optionsFrom(choices: readonly Choice[]): INodePropertyOptions[] {
	return choices
		.map(({ value, name, description }) => (description ? { name, value, description } : { name, value }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** The one "Events" field of a trigger: only the events its vendor sends, with their words from core. */
export function eventsProperty(facts: TriggerEditorFacts, field: Partial<INodeProperties> = {}): INodeProperties {
	return {
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: optionsFrom(facts.events),
		default: [],
		description: 'The events to start the workflow with. Empty means all events.',
		...field,
	};
}

/** The canvas subtitle: the chosen event's name from the Events list, "3 events", or "All events". */
export function eventsSubtitle(facts: TriggerEditorFacts, parameter = 'events'): string {
	const names = JSON.stringify(Object.fromEntries(facts.events.map((event) => [event.value, event.name])));
	const chosen = `($parameter["${parameter}"] || [])`;
	return `={{${chosen}.length === 0 ? "All events" : ${chosen}.length === 1 ? (${names}[${chosen}[0]] || ${chosen}[0]) : ${chosen}.length + " events"}}`;
}

const dropOutOfOrderOption: INodeProperties = {
	displayName: 'Drop Out-of-Order Updates',
	name: 'dropOutOfOrder',
	type: 'boolean',
	default: false,
	description: 'Whether to drop an event older than one already emitted for the same document (delivery order is not guaranteed)',
};

/** The download option, its help saying what this vendor's download fetches and when. */
function downloadDocumentsOption(facts: TriggerEditorFacts): INodeProperties {
	return {
		displayName: 'Download Documents',
		name: 'downloadDocuments',
		type: 'boolean',
		default: false,
		description: `Whether to download the vendor's documents as binary files (file0, file1, …) after the delivery is answered. ${facts.downloadsHelp ?? ''} A failed, oversized or refused download is listed in the event's data.fileErrors; the event is emitted either way.`,
	};
}

/** The download limits; the defaults are DEFAULT_DOWNLOAD_LIMITS (core/downloads/download.ts), literal for n8n's lint. */
const downloadLimitOptions: INodeProperties[] = [
	{
		displayName: 'Maximum Download Size per File (MB)',
		name: 'maxDownloadMb',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 3 },
		default: 50,
		description: 'A larger document is not downloaded; data.fileErrors says so. Applies with Download Documents on.',
	},
	{
		displayName: 'Maximum Download Size per Delivery (MB)',
		name: 'maxDownloadTotalMb',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 3 },
		default: 100,
		description: 'All documents of one delivery together. Applies with Download Documents on.',
	},
];

/**
 * The "Options" collection of a trigger: the common options that apply to its vendor, plus its own.
 * The defaults are literal because n8n's lint wants them so; test/unit/n8n-trigger-descriptions
 * fails when one differs from COMMON_TRIGGER_DEFAULTS (core/vendors/definition.ts).
 */
export function triggerOptionsProperty(facts: TriggerEditorFacts, extra: INodeProperties[] = []): INodeProperties {
	const options: INodeProperties[] = [
		{
			displayName: 'Normalized Types',
			name: 'eventTypes',
			type: 'multiOptions',
			options: optionsFrom(normalizedTypeChoices(facts.normalizedTypes)),
			default: [],
			description: "Emit only events normalized to these types (the item's type field). Empty means all.",
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
		...(facts.replayWindow
			? [
					{
						displayName: 'Replay Window (Seconds)',
						name: 'replayToleranceSeconds',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 600,
						description: 'Deliveries whose timestamp is further than this from now are refused with 401. 0 turns the check off.',
					} satisfies INodeProperties,
				]
			: []),
		...(facts.outOfOrder ? [dropOutOfOrderOption] : []),
		...(facts.downloads ? [downloadDocumentsOption(facts), ...downloadLimitOptions] : []),
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

/**
 * Reads the Options collection (and the trigger's Events field) into the core's option shape,
 * filling the defaults from core.
 */
export function commonOptions(raw: Record<string, unknown>, events: unknown = raw.vendorEventTypes): CommonTriggerOptions {
	return commonTriggerOptions({ ...raw, vendorEventTypes: events });
}
