import { z } from 'zod/v4';
import { distinctTypes, settingFlag, settingText, type TriggerEditorFacts } from '../../trigger-options';
import { DEFAULT_ORDER_PATH, type PhenixidEnrichOptions } from './api';
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

/** A PhenixID trigger's settings as either engine stores them, with the defaults. */
export const PhenixidTriggerOptionsSchema = z.object({
	fetchOrder: settingFlag,
	orderPath: settingText(DEFAULT_ORDER_PATH),
});

export const phenixidTriggerOptions = (raw: Record<string, unknown>): PhenixidEnrichOptions => PhenixidTriggerOptionsSchema.parse(raw);
