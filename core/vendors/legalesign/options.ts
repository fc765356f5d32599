import { z } from 'zod/v4';
import type { EventType } from '../../event/normalized-event';
import { distinctTypes, docsLink, N8N_NO_TOKEN_NOTE, settingText, type Choice, type TriggerEditorFacts } from '../../editor/trigger-settings';
import type { LegalesignRegistrationOptions } from './api';
import { LEGALESIGN_EVENTS } from './events';
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
];

/** What the editors show for the Legalesign trigger. */
export const LEGALESIGN_TRIGGER: TriggerEditorFacts = {
	events: LEGALESIGN_EVENTS,
	normalizedTypes: distinctTypes(normalizedTypes),
	// Callbacks carry no delivery timestamp the replay window could check.
	replayWindow: false,
	outOfOrder: true,
	downloads: true,
	downloadsHelp:
		'Legalesign: at document status 100 (final PDF ready, batch deliveries), the final PDF from the API (GET /pdf/{document id}/) with the credential\'s API key. An archived document answers "being de-archived" and is listed in data.fileErrors.',
	n8nNotice: `Publishing the workflow subscribes this trigger's Production URL to Legalesign (API v1 webhooks); unpublishing unsubscribes it. A test run does the same for the Test URL while the panel waits for an event. ${docsLink('n8n/legalesign')} (Notify, the callback certificate) ${N8N_NO_TOKEN_NOTE}`,
};

export const LEGALESIGN_DEFAULT_NOTIFY: LegalesignNotify = 'all';

/** The subscription's `notify` mode. */
export const LEGALESIGN_NOTIFY_CHOICES: Array<Choice & { value: LegalesignNotify }> = [
	{ value: 'all', name: 'All Events (Every 6 Minutes)', description: 'Every document and signer status change, batched' },
	{ value: 'signed', name: 'Upon Signing', description: 'One callback when a document is signed' },
	{ value: 'sent', name: 'Upon Sending', description: 'One callback when a document is sent' },
	{ value: 'rejected', name: 'Upon Rejection', description: 'One callback when a document is rejected' },
];

/** Legalesign's own `eventFilter` on the subscription; empty = no filter. */
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

/** A Legalesign trigger's settings as either engine stores them, with the defaults. */
export const LegalesignTriggerOptionsSchema = z.object({
	notify: z.preprocess((value) => (LEGALESIGN_NOTIFY_CHOICES.some((choice) => choice.value === value) ? value : LEGALESIGN_DEFAULT_NOTIFY), z.string()),
	eventFilter: settingText(''),
	group: settingText(''),
});

export const legalesignTriggerOptions = (raw: Record<string, unknown>): LegalesignRegistrationOptions => LegalesignTriggerOptionsSchema.parse(raw);
