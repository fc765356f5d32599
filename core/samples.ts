import type { VendorId } from './event';
import type { SampleDelivery } from './samples-types';
import { buildPhenixidDelivery, phenixidSamples } from './vendors/phenixid/samples';
import { buildPlexusDelivery, plexusSamples } from './vendors/plexus/samples';

export type { SampleDelivery } from './samples-types';

export interface SampleSecrets {
	/** Signing secret / token, as the trigger is configured with. */
	secret: string;
	/** PhenixID `key` query parameter, when configured. */
	key?: string;
}

export interface SampleSet {
	events: string[];
	build(event: string, secrets: SampleSecrets, options: { tamper?: boolean; now?: Date }): SampleDelivery;
}

function pick<T>(samples: Record<string, T>, event: string, vendor: string): T {
	const found = samples[event];
	if (!found) throw new Error(`unknown ${vendor} sample event "${event}"; known: ${Object.keys(samples).join(', ')}`);
	return found;
}

/** Signed sample deliveries per vendor, for the CLI, the simulators and tests. */
export const sampleSets: Partial<Record<VendorId, SampleSet>> = {
	plexus: {
		events: Object.keys(plexusSamples),
		build: (event, { secret }, { tamper, now = new Date() }) =>
			buildPlexusDelivery(pick(plexusSamples, event, 'Plexus')(now.toISOString()), secret, { tamper }),
	},
	phenixid: {
		events: Object.keys(phenixidSamples),
		build: (event, { secret, key }, { tamper }) => buildPhenixidDelivery(pick(phenixidSamples, event, 'PhenixID')(), secret, { tamper, key }),
	},
};
