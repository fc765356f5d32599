import { randomUUID } from 'node:crypto';
import type { VendorId } from '../event/normalized-event';
import type { SampleDelivery } from './delivery';
import { buildPhenixidDelivery, phenixidSamples } from '../vendors/phenixid/samples';
import { buildPlexusDelivery, plexusSamples } from '../vendors/plexus/samples';
import { buildLegitoDelivery, LEGITO_SAMPLE_SYSTEM_NAME, legitoSamples } from '../vendors/legito/samples';
import { buildLegalesignDelivery, legalesignSamples, type LegalesignSample } from '../vendors/legalesign/samples';
import {
	buildQuicklysignDelivery,
	QUICKLYSIGN_SAMPLE_PACK,
	QUICKLYSIGN_SAMPLE_SUBSCRIPTION,
	quicklysignSamples,
} from '../vendors/quicklysign/samples';

export type { SampleDelivery } from './delivery';

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

export interface SampleOptions {
	tamper?: boolean;
	now?: Date;
	/**
	 * 'fresh': an event id never sent before (a new event); 'fixed': the sample's own id every time
	 * (a vendor retry, which the trigger drops as a duplicate). Unset: each sample as written.
	 * QuicklySign callbacks carry no event id: its triggers tell repeats apart only through the
	 * fetched document pack, so this changes nothing there.
	 */
	eventId?: 'fresh' | 'fixed';
}

export interface SampleSet {
	events: string[];
	build(event: string, secrets: SampleSecrets, options: SampleOptions): SampleDelivery;
}

/** The send time of a 'fixed' sample whose vendor derives the event id from a timestamp. */
const FIXED_SAMPLE_TIME = new Date('2024-05-06T07:08:09.000Z');

let lastFreshTime = 0;
/** For vendors whose event id includes a timestamp: a time no earlier sample used (ms resolution). */
function freshTime(now: Date): Date {
	lastFreshTime = Math.max(now.getTime(), lastFreshTime + 1);
	return new Date(lastFreshTime);
}

function timeFor(eventId: SampleOptions['eventId'], now: Date): Date {
	if (eventId === 'fixed') return FIXED_SAMPLE_TIME;
	return eventId === 'fresh' ? freshTime(now) : now;
}

function pick<T>(samples: Record<string, T>, event: string, vendor: string): T {
	const found = samples[event];
	if (!found) throw new Error(`unknown ${vendor} sample event "${event}"; known: ${Object.keys(samples).join(', ')}`);
	return found;
}

function movedTo(sample: LegalesignSample, now: Date): LegalesignSample {
	if (sample.kind !== 'batch') return sample;
	const last = Math.max(...sample.entries.map((entry) => Date.parse(entry.timestamp)));
	const shift = now.getTime() - last;
	return { ...sample, entries: sample.entries.map((entry) => ({ ...entry, timestamp: new Date(Date.parse(entry.timestamp) + shift).toISOString() })) };
}

/** Signed sample deliveries per vendor, for the CLI, the simulators and tests. */
export const sampleSets = {
	plexus: {
		events: Object.keys(plexusSamples),
		build: (event, { secret }, { tamper, now = new Date(), eventId }) => {
			const payload = pick(plexusSamples, event, 'Plexus')(now.toISOString());
			return buildPlexusDelivery(eventId === 'fresh' ? { ...payload, id: randomUUID() } : payload, secret, { tamper });
		},
	},
	phenixid: {
		events: Object.keys(phenixidSamples),
		// the event id is a hash of task, event type and body: a fresh one is an event of another order
		build: (event, { secret, key }, { tamper, eventId }) => {
			const payload = pick(phenixidSamples, event, 'PhenixID')();
			const order = randomUUID();
			return buildPhenixidDelivery(eventId === 'fresh' ? { ...payload, orderId: order, taskId: order } : payload, secret, { tamper, key });
		},
	},
	legito: {
		events: Object.keys(legitoSamples),
		// the event id includes the record's lastModified (the send time)
		build: (event, { secret, registrationId }, { tamper, now = new Date(), eventId }) =>
			buildLegitoDelivery(
				pick(legitoSamples, event, 'Legito')(registrationId || LEGITO_SAMPLE_SYSTEM_NAME, timeFor(eventId, now)),
				secret,
				{ tamper },
			),
	},
	legalesign: {
		events: Object.keys(legalesignSamples),
		// event ids include each status change's timestamp: a fresh batch is the seed batch moved to now
		build: (event, { secret, privateKey }, { tamper, now = new Date(), eventId }) => {
			const time = timeFor(eventId, now);
			const sample = pick(legalesignSamples, event, 'Legalesign')(time);
			return buildLegalesignDelivery(eventId === 'fresh' ? movedTo(sample, time) : sample, secret, { tamper, privateKey });
		},
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
} satisfies Record<VendorId, SampleSet>;
