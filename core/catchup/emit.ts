import type { DedupeStore } from '../inbound/dedupe';
import type { NormalizedEvent } from '../event/normalized-event';
import { hash } from 'node:crypto';
import { deduplicate, filtered } from '../inbound/ingest';
import { triggerOutput, type TriggerOutput } from '../inbound/pipeline';
import type { AnyVendorDefinition, CommonTriggerOptions } from '../vendors/definition';
import { isoTime } from '../event/iso-time';

/**
 * Caught-up or polled events on their way out, as a webhook's are: the trigger's type filters, its
 * de-duplication (by id for every vendor) (so an event heard live and read back is emitted once), then the output format.
 * Each carries a verification record saying it was read from the vendor's API.
 */
export async function catchupOutput(vendor: AnyVendorDefinition, events: NormalizedEvent[], options: CommonTriggerOptions & object, dedupe: DedupeStore, now: Date): Promise<TriggerOutput[]> {
	const verified = events.map((event) => ({
		...event,
		verification: event.verification ?? { scheme: 'vendor-api' as const, checks: ['vendor-api' as const], verifiedAt: isoTime(now), bodySha256: hash('sha256', JSON.stringify(event.raw ?? event.data), 'hex') },
	}));
	const wanted = filtered(verified, options);
	if (wanted.length === 0) return [];
	// A read-back event's id names the vendor's own version of what it reports (Legito's timeline id,
	// Legalesign's `modified`, QuicklySign's `date_updated`/`date_created`, PhenixID's task state), so
	// ids always tell events apart here, even for vendors whose webhook ids do not (QuicklySign without
	// the pack fetch, PhenixID): read again after a kill, an event sent before is not sent twice.
	const fresh = (await deduplicate({ ...vendor, idsDistinguishEvents: undefined }, wanted, options, dedupe, now)).events;
	return fresh.length > 0 ? triggerOutput(fresh, options) : [];
}
