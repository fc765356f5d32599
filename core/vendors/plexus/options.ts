import { distinctTypes, docsLink, N8N_TEST_RUN, type TriggerEditorFacts } from '../../editor/trigger-settings';
import { PLEXUS_EVENTS } from './events';
import { PLEXUS_EVENT_TYPES, PLEXUS_STATUSES, plexusCanonicalType } from './mapping';

const PLEXUS_SAMPLE_COMMAND = 'npx @legalhooks/cli send plexus executed --url WEBHOOK_URL --secret SECRET';

/** What the editors show for the Plexus Gateway trigger. */
export const PLEXUS_TRIGGER: TriggerEditorFacts = {
	events: PLEXUS_EVENTS,
	normalizedTypes: distinctTypes(PLEXUS_EVENT_TYPES.flatMap((type) => [undefined, ...PLEXUS_STATUSES].map((status) => plexusCanonicalType(type, status)))),
	replayWindow: true,
	outOfOrder: true,
	downloads: true,
	downloadsHelp: 'Plexus: the published version\'s file (else the latest version\'s), right after the delivery, while its downloadUrl is valid (15 minutes from the event).',
	sampleCommand: PLEXUS_SAMPLE_COMMAND,
	n8nNotice: `First send your Plexus Customer Success Manager this trigger's Production URL (Webhook URLs at the top: switch to Production URL) and the credential's secret, then publish the workflow. To try it now, run <code>${PLEXUS_SAMPLE_COMMAND}</code> with the Test URL ${N8N_TEST_RUN}. ${docsLink('n8n/plexus-gateway')}`,
};
