import type { VendorId } from './event';
import type { SampleDelivery } from './samples-types';
import { buildPhenixidDelivery, phenixidSamples } from './vendors/phenixid/samples';
import { buildPlexusDelivery, plexusSamples } from './vendors/plexus/samples';
import { buildLegitoDelivery, LEGITO_SAMPLE_SYSTEM_NAME, legitoSamples } from './vendors/legito/samples';
import { buildLegalesignDelivery, legalesignSamples } from './vendors/legalesign/samples';
import {
	buildQuicklysignDelivery,
	QUICKLYSIGN_SAMPLE_PACK,
	QUICKLYSIGN_SAMPLE_SUBSCRIPTION,
	quicklysignSamples,
} from './vendors/quicklysign/samples';

export type { SampleDelivery } from './samples-types';

export interface SampleSecrets {
	/** Signing secret / token, as the trigger is configured with. */
	secret: string;
	/** PhenixID `key` query parameter, when configured. */
	key?: string;
	/** Legito push connection systemName / QuicklySign subscription (webhook) key the trigger registered. */
	registrationId?: string;
	/** QuicklySign document pack key (entity_key). */
	entityKey?: string;
	/** PEM private key that signs Legalesign deliveries (pairs with the certificate in the credential). */
	privateKey?: string;
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
	legito: {
		events: Object.keys(legitoSamples),
		build: (event, { secret, registrationId }, { tamper, now = new Date() }) =>
			buildLegitoDelivery(pick(legitoSamples, event, 'Legito')(registrationId || LEGITO_SAMPLE_SYSTEM_NAME, now), secret, { tamper }),
	},
	legalesign: {
		events: Object.keys(legalesignSamples),
		build: (event, { secret, privateKey }, { tamper, now = new Date() }) =>
			buildLegalesignDelivery(pick(legalesignSamples, event, 'Legalesign')(now), secret, { tamper, privateKey }),
	},
	quicklysign: {
		events: Object.keys(quicklysignSamples),
		build: (event, { secret, registrationId, entityKey }, { tamper }) =>
			buildQuicklysignDelivery(
				pick(quicklysignSamples, event, 'QuicklySign')(registrationId || QUICKLYSIGN_SAMPLE_SUBSCRIPTION, entityKey || QUICKLYSIGN_SAMPLE_PACK),
				secret,
				{ tamper },
			),
	},
};
