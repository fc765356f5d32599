import { distinctTypes, type TriggerEditorFacts } from '../../trigger-options';
import { PHENIXID_EVENTS } from './events';
import { PHENIXID_EVENT_TYPES, phenixidMapping } from './mapping';

/** What the editors show for the PhenixID Signing Service trigger. */
export const PHENIXID_TRIGGER: TriggerEditorFacts = {
	events: PHENIXID_EVENTS,
	normalizedTypes: distinctTypes(PHENIXID_EVENT_TYPES.map((type) => phenixidMapping(type)[0])),
	// The webhook body carries no timestamp and no time per order event.
	replayWindow: false,
	outOfOrder: false,
	sampleCommand: 'npx legalhooks send phenixid OrderSigned --url <webhook URL> --secret <secret> --key <key>',
};
