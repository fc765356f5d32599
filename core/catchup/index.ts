import type { VendorId } from '../event/normalized-event';
import { vendorModules } from '../vendors';
import { presentInModules } from '../vendors/module';
import type { CatchupReader } from './types';

export * from './types';
export { runCatchup, catchupRecord, backoffMs, type CatchupRecord, type CatchupRun, type CatchupOutcome } from './runner';
export { catchupOutput } from './emit';

/** Which vendors can catch up, and from what (each vendor module's `catchup`; Plexus has none). */
export const CATCHUP_READERS: Partial<Record<VendorId, CatchupReader<unknown>>> = presentInModules(vendorModules, (module) => module.catchup);

export function catchupReader(vendor: VendorId): CatchupReader<unknown> | undefined {
	return CATCHUP_READERS[vendor];
}
