import type { VendorId } from '../event';
import type { TriggerEditorFacts } from '../trigger-options';
import { vendorModules } from './index';
import { fromModules } from './module';

/** Every vendor's trigger editor facts by id, from the vendor modules. */
export const triggerEditorFacts: Record<VendorId, TriggerEditorFacts> = fromModules(vendorModules, (module) => module.trigger);
