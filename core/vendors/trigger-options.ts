import type { VendorId } from '../event/normalized-event';
import type { TriggerEditorFacts } from '../editor/trigger-settings';
import { vendorModules } from './';
import { fromModules } from './module';

/** Every vendor's trigger editor facts by id, from the vendor modules. */
export const triggerEditorFacts: Record<VendorId, TriggerEditorFacts> = fromModules(vendorModules, (module) => module.trigger);
