import { z } from 'zod/v4';
import { distinctTypes, docsLink, N8N_NO_TOKEN_NOTE, settingFlag, settingText, type Choice, type TriggerEditorFacts } from '../../editor/trigger-settings';
import type { QuicklysignOptions } from './api';
import { QUICKLYSIGN_EVENTS } from './events';
import { QUICKLYSIGN_DOCUMENT_STATUSES, QUICKLYSIGN_EVENT_TYPES, quicklysignEventType } from './mapping';

/** What the editors show for the QuicklySign trigger. */
export const QUICKLYSIGN_TRIGGER: TriggerEditorFacts = {
	events: QUICKLYSIGN_EVENTS,
	normalizedTypes: distinctTypes(
		QUICKLYSIGN_EVENT_TYPES.flatMap((type) => [undefined, ...QUICKLYSIGN_DOCUMENT_STATUSES].map((status) => quicklysignEventType(type, status))),
	),
	// A callback carries no time of its own.
	replayWindow: false,
	outOfOrder: false,
	downloads: true,
	downloadsHelp:
		'QuicklySign: on final_document_generated, the PDF of each document in the pack (its serve_pdf_url), fetched with an access token from the credential\'s client id, secret and API key.',
	n8nNotice: `QuicklySign webhooks are per document pack: list the pack keys below, then publish the workflow. Publishing creates one webhook per pack to this trigger's Production URL; unpublishing deletes them. A test run does the same for the Test URL while the panel waits for an event. ${docsLink('n8n/quicklysign')} ${N8N_NO_TOKEN_NOTE}`,
};

/** The QuicklySign environments of the account (see quicklysignBaseUrl). */
export const QUICKLYSIGN_ENVIRONMENTS: Choice[] = [
	{ value: 'production', name: 'Production', description: 'api.quicklysign.com' },
	{ value: 'sandbox', name: 'Sandbox', description: 'sandboxapi.quicklysign.com, for testing' },
	{ value: 'custom', name: 'Custom API Base URL', description: 'Another QuicklySign API host' },
];

/** A QuicklySign trigger's settings as either engine stores them, with the defaults. */
export const QuicklysignTriggerOptionsSchema = z.object({
	documentPackKeys: settingText(''),
	fetchDocumentPack: settingFlag,
	acceptForeignSubscriptions: settingFlag,
});

export const quicklysignTriggerOptions = (raw: Record<string, unknown>): QuicklysignOptions => QuicklysignTriggerOptionsSchema.parse(raw);
