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
	sampleCommand: 'npx legalhooks send plexus executed --url <webhook URL> --secret <secret>',
};
