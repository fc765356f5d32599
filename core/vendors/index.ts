import type { VendorId } from '../event/normalized-event';
import type { AnyVendorDefinition } from './definition';
import { legalesign } from './legalesign';
import { legito } from './legito';
import { phenixid } from './phenixid';
import { plexus } from './plexus';
import { quicklysign } from './quicklysign';

/** Every vendor definition by id. */
export const vendors: Partial<Record<VendorId, AnyVendorDefinition>> = {
	plexus,
	phenixid,
	legito,
	legalesign,
	quicklysign,
};

export { legalesign, legito, phenixid, plexus, quicklysign };
