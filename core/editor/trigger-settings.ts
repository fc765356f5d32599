import { z } from 'zod/v4';
import { EVENT_TYPES, type EventType } from '../event/normalized-event';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_REPLAY_TOLERANCE_SECONDS, DEFAULT_TRIGGER_OPTIONS, type CommonTriggerOptions } from '../vendors/definition';

/**
 * What the engines' editors show for a trigger, declared once per vendor in
 * core/vendors/<vendor>/options.ts: n8n builds its node description from it, Node-RED exports it to
 * the editor as a node setting.
 */

/** One entry of a pick list: the stored value, the words the user reads, and an optional hint. */
export interface Choice {
	value: string;
	name: string;
	description?: string;
}

/** One event a vendor sends, with the vendor's own name as the value. */
export type VendorEvent = Choice & { description: string };

const MB = 1024 * 1024;

/** The options every trigger has, in the units the editors show (seconds, MB). */
export interface CommonTriggerSettings {
	eventTypes: EventType[];
	vendorEventTypes: string[];
	includeRaw: boolean;
	replayToleranceSeconds: number;
	maxBodyMb: number;
	dropOutOfOrder: boolean;
	redactRawPaths: string;
	outputFormat: CommonTriggerOptions['outputFormat'];
	downloadDocuments: boolean;
}

/** The defaults of the common options, as the editors show them; the values are core/vendors/definition.ts's. */
export const COMMON_TRIGGER_DEFAULTS: CommonTriggerSettings = {
	eventTypes: [],
	vendorEventTypes: [],
	includeRaw: DEFAULT_TRIGGER_OPTIONS.includeRaw,
	replayToleranceSeconds: DEFAULT_REPLAY_TOLERANCE_SECONDS,
	maxBodyMb: DEFAULT_MAX_BODY_BYTES / MB,
	dropOutOfOrder: DEFAULT_TRIGGER_OPTIONS.dropOutOfOrder,
	redactRawPaths: '',
	outputFormat: DEFAULT_TRIGGER_OPTIONS.outputFormat,
	downloadDocuments: false,
};

/** Readable names of the normalized event types. */
export const EVENT_TYPE_NAMES: Record<EventType, string> = {
	'document.created': 'Document created',
	'document.updated': 'Document updated',
	'document.deleted': 'Document deleted',
	'document.sent': 'Document sent for signature',
	'document.completed': 'Document completed (signed)',
	'document.rejected': 'Document rejected',
	'document.cancelled': 'Document cancelled',
	'document.expired': 'Document expired',
	'document.file_ready': 'Document file ready',
	'document.approval_requested': 'Approval requested',
	'document.approved': 'Document approved',
	'document.approval_rejected': 'Approval rejected',
	'document.approval_step_approved': 'Approval step approved',
	'document.approval_step_rejected': 'Approval step rejected',
	'document.approval_step_cancelled': 'Approval step cancelled',
	'document.restored': 'Document restored',
	'document.shared': 'Document shared',
	'document.unshared': 'Document sharing removed',
	'document.viewed': 'Document viewed',
	'document.downloaded': 'Document downloaded',
	'document.file_added': 'File added',
	'document.file_deleted': 'File deleted',
	'document.date_reached': 'Document date reached',
	'recipient.sent': 'Recipient sent the document',
	'recipient.viewed': 'Recipient viewed',
	'recipient.completed': 'Recipient completed',
	'recipient.rejected': 'Recipient rejected',
	'recipient.updated': 'Recipient updated',
	other: 'Other',
};

/** Everything an editor needs to show one vendor's trigger. */
export interface TriggerEditorFacts {
	/** The events this vendor sends, in the vendor's order. */
	events: readonly VendorEvent[];
	/** The normalized types this vendor's events can become (derived from its mapping). */
	normalizedTypes: readonly EventType[];
	/** Whether the vendor's deliveries carry a timestamp the replay window can check. */
	replayWindow: boolean;
	/** Whether the vendor's events carry a time that orders updates of one document. */
	outOfOrder: boolean;
	/**
	 * How to send a sample without the vendor (`npx @legalhooks/cli send …`), for vendors set up by hand.
	 * Placeholders are bare capitals (WEBHOOK_URL, SECRET): n8n renders its panel texts as HTML and drops
	 * `<secret>` as an unknown tag.
	 */
	sampleCommand?: string;
	/**
	 * The n8n panel's notice: what to do first, then a link to the setup guide (the node's documentation
	 * page) for the rest. n8n renders it as sanitized HTML: `<code>` and `<a>` show, other tags vanish.
	 */
	n8nNotice: string;
	/** Whether the trigger can download the documents the vendor links to (option "Download documents"). */
	downloads?: boolean;
	/** What the download option fetches for this vendor, and when (the option's help in both editors). */
	downloadsHelp?: string;
}

/** The repository's README, the documentation page every node and credential links to. */
export const DOCS_URL = 'https://github.com/legalhooks/legalhooks';

/** For the n8n notice of a trigger verified with a registration token: a CLI sample cannot sign for it there. */
export const N8N_NO_TOKEN_NOTE = 'n8n does not show the registration token a CLI sample needs as --secret.';

/** A link to a folder's README in the repository (an n8n package's setup guide), as n8n's notices render it (opens in a new tab). */
export const docsLink = (folder: string, words = 'Setup guide'): string => `<a href="${DOCS_URL}/tree/main/${folder}#readme" target="_blank">${words}</a>`;

/** How n8n's trigger panel is used for a try-out, in words that fit every n8n version's button label. */
export const N8N_TEST_RUN = 'as WEBHOOK_URL while the panel waits for a test event';

/** The choices for the normalized-type filter, in EVENT_TYPES order. */
export function normalizedTypeChoices(types: readonly EventType[]): Choice[] {
	return EVENT_TYPES.filter((type) => types.includes(type)).map((type) => ({ value: type, name: EVENT_TYPE_NAMES[type] }));
}

/** The distinct normalized types in a list, in EVENT_TYPES order. */
export function distinctTypes(types: Iterable<EventType>): EventType[] {
	const seen = new Set(types);
	return EVENT_TYPES.filter((type) => seen.has(type));
}

/**
 * The vendor's event list from its event names and a readable name and description for each; the
 * record's type makes the compiler insist on one entry per event where the names are literal types
 * (a test checks the rest). An event without words still shows, under its own name.
 */
export function vendorEvents<T extends string>(values: readonly T[], words: Record<T, [name: string, description: string]>): VendorEvent[] {
	return values.map((value) => {
		const [name, description] = Object.prototype.hasOwnProperty.call(words, value) ? words[value] : [value, value];
		return { value, name, description };
	});
}

/** A list setting as either engine stores it: an array (n8n, typedInput) or `a, b; c` text (Node-RED). */
export const settingList = z.preprocess(
	(value) => (Array.isArray(value) ? value.map(String) : String(value ?? '').split(/[\s,;]+/)).map((item) => item.trim()).filter(Boolean),
	z.array(z.string()),
);

/** A checkbox setting: on only when it is `true` (or the text "true"). */
export const settingFlag = z.preprocess((value) => value === true || value === 'true', z.boolean());

/** A text setting; anything that is not a non-empty string is `fallback`. */
export const settingText = (fallback: string) => z.preprocess((value) => (typeof value === 'string' && value.trim() !== '' ? value : fallback), z.string());

/** A list of names as either engine stores it: an array, or comma-separated text (names may hold spaces). */
export const settingNames = z.preprocess(
	(value) => (Array.isArray(value) ? value.map(String) : String(value ?? '').split(',')).map((item) => item.trim()).filter(Boolean),
	z.array(z.string()),
);

const settingNumber = (fallback: number) =>
	z.preprocess((value) => {
		const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
		return Number.isFinite(number) ? number : fallback;
	}, z.number());

const settingFlagOr = (fallback: boolean) => z.preprocess((value) => (value === undefined || value === null ? fallback : value === true || value === 'true'), z.boolean());

/** The common options as either engine stores them (arrays or text, numbers or numeric text), defaults filled. */
const CommonTriggerInputSchema = z.object({
	eventTypes: settingNames.transform((types) => types.filter((type): type is EventType => (EVENT_TYPES as readonly string[]).includes(type))),
	vendorEventTypes: settingNames,
	includeRaw: settingFlagOr(COMMON_TRIGGER_DEFAULTS.includeRaw),
	replayToleranceSeconds: settingNumber(COMMON_TRIGGER_DEFAULTS.replayToleranceSeconds),
	maxBodyMb: settingNumber(COMMON_TRIGGER_DEFAULTS.maxBodyMb),
	dropOutOfOrder: settingFlagOr(COMMON_TRIGGER_DEFAULTS.dropOutOfOrder),
	redactRawPaths: settingList,
	outputFormat: z.preprocess((value) => (value === 'cloudevents' ? 'cloudevents' : 'normalized'), z.enum(['normalized', 'cloudevents'])),
	downloadDocuments: settingFlag,
	/** 0 or empty: DEFAULT_DOWNLOAD_LIMITS (core/downloads/download.ts). */
	maxDownloadMb: settingNumber(0),
	maxDownloadTotalMb: settingNumber(0),
});

/** The core's common options from a trigger's settings as either engine stores them. */
export function commonTriggerOptions(settings: Record<string, unknown>): CommonTriggerOptions {
	const { maxBodyMb, maxDownloadMb, maxDownloadTotalMb, ...rest } = CommonTriggerInputSchema.parse(settings);
	return {
		...rest,
		maxBodyBytes: Math.round(maxBodyMb * MB),
		...(maxDownloadMb > 0 ? { maxDownloadBytes: Math.max(1, Math.round(maxDownloadMb * MB)) } : {}),
		...(maxDownloadTotalMb > 0 ? { maxDownloadTotalBytes: Math.max(1, Math.round(maxDownloadTotalMb * MB)) } : {}),
	};
}
