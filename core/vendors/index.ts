import type { VendorId } from '../event';
import type { VendorDefinition } from '../vendor';
import { legalesign } from './legalesign';
import { legito } from './legito';
import { phenixid } from './phenixid';
import { plexus } from './plexus';
import { quicklysign } from './quicklysign';

/** Every vendor definition by id. */
export const vendors: Partial<Record<VendorId, VendorDefinition<any, any>>> = {
	plexus,
	phenixid,
	legito,
	legalesign,
	quicklysign,
};

export { legalesign, legito, phenixid, plexus, quicklysign };
