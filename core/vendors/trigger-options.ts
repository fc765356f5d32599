import type { VendorId } from '../event/normalized-event';
import type { TriggerEditorFacts } from '../editor/trigger-settings';
import { LEGALESIGN_TRIGGER } from './legalesign/options';
import { LEGITO_TRIGGER } from './legito/options';
import { PHENIXID_TRIGGER } from './phenixid/options';
import { PLEXUS_TRIGGER } from './plexus/options';
import { QUICKLYSIGN_TRIGGER } from './quicklysign/options';

/** Every vendor's trigger editor facts by id. */
export const triggerEditorFacts: Record<VendorId, TriggerEditorFacts> = {
	legito: LEGITO_TRIGGER,
	legalesign: LEGALESIGN_TRIGGER,
	plexus: PLEXUS_TRIGGER,
	quicklysign: QUICKLYSIGN_TRIGGER,
	phenixid: PHENIXID_TRIGGER,
};
