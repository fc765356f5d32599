import type { VendorId } from '../event';
import type { VendorDefinition } from '../vendor';
import { phenixid } from './phenixid';
import { plexus } from './plexus';

/** Every vendor definition by id. */
export const vendors: Partial<Record<VendorId, VendorDefinition<any, any>>> = {
	plexus,
	phenixid,
};

export { phenixid, plexus };
