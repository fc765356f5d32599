import { z } from 'zod/v4';
import type { EventType } from '../../event/normalized-event';
import { distinctTypes, docsLink, N8N_NO_TOKEN_NOTE, settingText, type Choice, type TriggerEditorFacts } from '../../editor/trigger-settings';
import type { LegalesignRegistrationOptions } from './api';
import { LEGALESIGN_EVENTS } from './events';
import { LEGALESIGN_REALTIME_EVENTS } from './realtime-events';
import { LEGALESIGN_REALTIME_EVENT_TYPES, legalesignRealtimeEvent } from './realtime-mapping';
import {
	LEGALESIGN_DOCUMENT_STATUSES,
	LEGALESIGN_SIGNER_STATUSES,
	legalesignDocumentMapping,
	legalesignSignerType,
	legalesignUponEventMapping,
	type LegalesignNotify,
} from './mapping';

const normalizedTypes: EventType[] = [
	...Object.keys(LEGALESIGN_DOCUMENT_STATUSES).map((code) => legalesignDocumentMapping(code)[0]),
	...Object.keys(LEGALESIGN_SIGNER_STATUSES).map((code) => legalesignSignerType(code)),
	...['signed', 'sent', 'rejected', 'failed visit', 'other'].map((event) => legalesignUponEventMapping(event)[0]),
	...LEGALESIGN_REALTIME_EVENT_TYPES.map((event) => legalesignRealtimeEvent(undefined, event).type),
];

/** What the editors show for the Legalesign trigger. */
export const LEGALESIGN_TRIGGER: TriggerEditorFacts = {
	events: [...LEGALESIGN_EVENTS, ...LEGALESIGN_REALTIME_EVENTS],
	normalizedTypes: distinctTypes(normalizedTypes),
	// Callbacks carry no delivery timestamp the replay window could check.
	replayWindow: false,
	outOfOrder: true,
	downloads: true,
	downloadsHelp:
		'Legalesign: at document status 100 (final PDF ready, batch deliveries), the final PDF from the API (GET /pdf/{document id}/) with the credential\'s API key. An archived document answers "being de-archived" and is listed in data.fileErrors.',
	n8nNotice: `Publishing the workflow subscribes this trigger's Production URL to Legalesign (API v1 webhooks); unpublishing unsubscribes it. A test run does the same for the Test URL while the panel waits for an event. ${docsLink('n8n/legalesign')} (which Webhook System to choose, Confirm With API, the certificate) ${N8N_NO_TOKEN_NOTE}`,
};

export const LEGALESIGN_DEFAULT_NOTIFY: LegalesignNotify = 'all';

/** The subscription's `notify` mode. */
export const LEGALESIGN_NOTIFY_CHOICES: Array<Choice & { value: LegalesignNotify }> = [
	{ value: 'all', name: 'All Events (Every 6 Minutes)', description: 'Every document and signer status change, batched' },
	{ value: 'signed', name: 'Upon Signing', description: 'One callback when a document is signed' },
	{ value: 'sent', name: 'Upon Sending', description: 'One callback when a document is sent' },
	{ value: 'rejected', name: 'Upon Rejection', description: 'One callback when a document is rejected' },
];

/** Legalesign's own `eventFilter` on the subscription (OpenAPI WebhookEventFilterEnum); empty = no filter. */
export const LEGALESIGN_EVENT_FILTER_CHOICES: Choice[] = [
	{ value: '', name: 'No Filter' },
	{ value: 'document.*', name: 'All Document Events' },
	{ value: 'document.created', name: 'Document Created' },
	{ value: 'document.finalPdfCreated', name: 'Document Final PDF Created' },
	{ value: 'document.rejected', name: 'Document Rejected' },
	{ value: 'recipient.*', name: 'All Recipient Events' },
	{ value: 'recipient.bounced', name: 'Recipient Bounced' },
	{ value: 'recipient.completed', name: 'Recipient Completed' },
	{ value: 'recipient.emailOpened', name: 'Recipient Email Opened' },
	{ value: 'recipient.rejected', name: 'Recipient Rejected' },
	{ value: 'recipient.visiting', name: 'Recipient Visiting' },
];

export type LegalesignWebhookSystem = 'realtime' | 'legacy';
/** The editors' default for a NEW trigger; a saved trigger without the setting is legacy (the schema below). */
export const LEGALESIGN_DEFAULT_WEBHOOK_SYSTEM: LegalesignWebhookSystem = 'realtime';

export const LEGALESIGN_WEBHOOK_SYSTEM_CHOICES: Array<Choice & { value: LegalesignWebhookSystem }> = [
	{
		value: 'realtime',
		name: 'Realtime (Recommended)',
		description: "Legalesign's current webhooks: more events, faster, filtered by Event Filter. Confirmed with the API by default (one API call per event)",
	},
	{ value: 'legacy', name: 'Legacy', description: 'The older webhooks Legalesign calls deprecated: the 6-minute batch or one callback upon signing, sending or rejection' },
];

export const LEGALESIGN_CONFIRM_WITH_API_HELP =
	"Realtime only. Legalesign does not publish how realtime webhooks are signed, so before emitting, the trigger reads the document (GET /document/{uuid}/) and checks it shows the status the event claims (and the signer's status for recipient events); a contradicted event is refused (HTTP 409) and not emitted. Costs one API call per event (per document per delivery). Off: only the secret token in the URL is checked";

/** A Legalesign trigger's settings as either engine stores them, with the defaults. */
export const LegalesignTriggerOptionsSchema = z.object({
	// Missing (a trigger saved before realtime existed) or anything else: legacy, as it was.
	webhookSystem: z.preprocess((value) => (value === 'realtime' ? 'realtime' : 'legacy'), z.enum(['realtime', 'legacy'])),
	confirmWithApi: z.preprocess((value) => !(value === false || value === 'false'), z.boolean()),
	notify: z.preprocess((value) => (LEGALESIGN_NOTIFY_CHOICES.some((choice) => choice.value === value) ? value : LEGALESIGN_DEFAULT_NOTIFY), z.string()),
	eventFilter: settingText(''),
	group: settingText(''),
});

export const legalesignTriggerOptions = (raw: Record<string, unknown>): LegalesignRegistrationOptions => LegalesignTriggerOptionsSchema.parse(raw);
