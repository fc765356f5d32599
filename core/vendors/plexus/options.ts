import { distinctTypes, type TriggerEditorFacts } from '../../trigger-options';
import { PLEXUS_EVENTS } from './events';
import { PLEXUS_EVENT_TYPES, PLEXUS_STATUSES, plexusCanonicalType } from './mapping';

/** What the editors show for the Plexus Gateway trigger. */
export const PLEXUS_TRIGGER: TriggerEditorFacts = {
	events: PLEXUS_EVENTS,
	normalizedTypes: distinctTypes(PLEXUS_EVENT_TYPES.flatMap((type) => [undefined, ...PLEXUS_STATUSES].map((status) => plexusCanonicalType(type, status)))),
	replayWindow: true,
	outOfOrder: true,
	downloads: true,
	downloadsHelp: 'Plexus: the published version\'s file (else the latest version\'s), right after the delivery, while its downloadUrl is valid (15 minutes from the event).',
	sampleCommand: 'npx legalhooks send plexus executed --url <webhook URL> --secret <secret>',
};
