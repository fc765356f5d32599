import { z } from 'zod/v4';
import { distinctTypes, docsLink, N8N_TEST_RUN, settingFlag, settingText, type TriggerEditorFacts } from '../../editor/trigger-settings';
import { DEFAULT_ORDER_PATH, type PhenixidEnrichOptions } from './api';
import { PHENIXID_EVENTS } from './events';
import { PHENIXID_EVENT_TYPES, phenixidMapping } from './mapping';

const PHENIXID_SAMPLE_COMMAND = 'npx @legalhooks/cli send phenixid OrderSigned --url WEBHOOK_URL --secret SECRET --key KEY';

/** What the editors show for the PhenixID Signing Service trigger. */
export const PHENIXID_TRIGGER: TriggerEditorFacts = {
	events: PHENIXID_EVENTS,
	normalizedTypes: distinctTypes(PHENIXID_EVENT_TYPES.map((type) => phenixidMapping(type)[0])),
	// The webhook body carries no timestamp and no time per order event.
	replayWindow: false,
	outOfOrder: false,
	downloads: true,
	downloadsHelp:
		'PhenixID: on OrderSigned, the signed document from the Automation API at the order path plus /document (default /orders/{id}/document: our assumption, as the public docs name the function "Download a signed document" but not its path; check your server\'s API), with the credential\'s client certificate. n8n cannot present a client certificate: there the download is listed in data.fileErrors.',
	sampleCommand: PHENIXID_SAMPLE_COMMAND,
	n8nNotice: `First set the Signing Service's webHook block to this trigger's Production URL (Webhook URLs at the top: switch to Production URL) and the credential's secret and key, then publish the workflow. To try it now, run <code>${PHENIXID_SAMPLE_COMMAND}</code> with the Test URL ${N8N_TEST_RUN}. ${docsLink('n8n/phenixid-signing')}`,
};

/** A PhenixID trigger's settings as either engine stores them, with the defaults. */
export const PhenixidTriggerOptionsSchema = z.object({
	fetchOrder: settingFlag,
	orderPath: settingText(DEFAULT_ORDER_PATH),
});

export const phenixidTriggerOptions = (raw: Record<string, unknown>): PhenixidEnrichOptions => PhenixidTriggerOptionsSchema.parse(raw);
