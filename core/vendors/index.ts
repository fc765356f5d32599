import type { VendorId } from '../event/normalized-event';
import type { AnyVendorDefinition } from './definition';
import { legalesign, legalesignModule } from './legalesign';
import { legito, legitoModule } from './legito';
import { fromModules, type VendorModule } from './module';
import { phenixid, phenixidModule } from './phenixid';
import { plexus, plexusModule } from './plexus';
import { quicklysign, quicklysignModule } from './quicklysign';

/**
 * Every vendor, registered once: a vendor missing here, or a module missing a piece, does not
 * compile. The other vendor tables (`vendors`, the editor facts, the token words, the catch-up
 * readers) are read from it.
 */
export const vendorModules = {
	plexus: plexusModule,
	phenixid: phenixidModule,
	legito: legitoModule,
	legalesign: legalesignModule,
	quicklysign: quicklysignModule,
} satisfies Record<VendorId, VendorModule>;

/** Every vendor definition by id. */
export const vendors: Record<VendorId, AnyVendorDefinition> = fromModules(vendorModules, (module) => module.definition);

export type { VendorModule, CredentialField, VendorApiDefaults } from './module';
export { legalesign, legito, phenixid, plexus, quicklysign };
