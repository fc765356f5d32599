import type { VendorId } from '../event';
import type { Precheck } from '../precheck';
import { legalesignPrecheck } from './legalesign/precheck';
import { legitoPrecheck } from './legito/precheck';
import { phenixidPrecheck } from './phenixid/precheck';
import { plexusPrecheck } from './plexus/precheck';
import { quicklysignPrecheck } from './quicklysign/precheck';

/** Each vendor's check of URL and headers, run before the body is read. */
export const prechecks: Readonly<Record<VendorId, Precheck>> = {
	legalesign: legalesignPrecheck,
	legito: legitoPrecheck,
	phenixid: phenixidPrecheck,
	plexus: plexusPrecheck,
	quicklysign: quicklysignPrecheck,
};
