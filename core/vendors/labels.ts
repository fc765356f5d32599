import type { VendorId } from '../event/normalized-event';

/**
 * The short name of each vendor in messages ("PhenixID", not "PhenixID Signing Service"). A table
 * of its own, beside the modules, because the destinations use it and their package ships no vendor
 * code; each vendor module takes its `label` from here.
 */
export const VENDOR_LABELS = {
	legito: 'Legito',
	legalesign: 'Legalesign',
	plexus: 'Plexus Gateway',
	quicklysign: 'QuicklySign',
	phenixid: 'PhenixID',
} as const satisfies Record<VendorId, string>;
