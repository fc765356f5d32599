import type { NormalizedEvent } from '../event/normalized-event';

/** An event as a delivery record names it: ids and types only, never its body. */
export interface EventRef {
	id: string;
	type: string;
	vendorEventType: string;
}

/**
 * How a delivery ended, the one record of it: `emitted` when at least one event went on; otherwise
 * why not — every event a `repeat` (an id already emitted), `older` than one already emitted for
 * its document (the out-of-order option), `filtered` out by the event-type options, `empty` (the
 * vendor sent no event: a ping), `refused` (answered 4xx/5xx before any event) or `failed` (an
 * error; `status` is 0 when the answer was already sent). A delivery of several events keeps what
 * happened to each in the lists. Holds no body and no secret: safe to log and to show.
 */
export interface DeliveryOutcome {
	outcome: 'emitted' | 'repeat' | 'older' | 'filtered' | 'empty' | 'refused' | 'failed';
	/** When the delivery arrived (ISO-8601). */
	at: string;
	/** The HTTP status the vendor was answered with (0: a failure after the answer). */
	status: number;
	emitted: EventRef[];
	repeats: EventRef[];
	older: EventRef[];
	filtered: EventRef[];
	/** Why it was refused or failed. */
	reason?: string;
}

export const eventRef = (event: NormalizedEvent): EventRef => ({ id: event.id, type: event.type, vendorEventType: event.vendorEventType });

const NONE: EventRef[] = [];

/** The outcome of a delivery that was answered 2xx, from what happened to its events. */
export function acceptedOutcome(at: string, status: number, lists: { emitted?: EventRef[]; repeats?: EventRef[]; older?: EventRef[]; filtered?: EventRef[] }): DeliveryOutcome {
	const { emitted = NONE, repeats = NONE, older = NONE, filtered = NONE } = lists;
	const outcome = emitted.length ? 'emitted' : repeats.length ? 'repeat' : older.length ? 'older' : filtered.length ? 'filtered' : 'empty';
	return { outcome, at, status, emitted, repeats, older, filtered };
}

export function refusedOutcome(at: string, status: number, reason: string): DeliveryOutcome {
	return { outcome: 'refused', at, status, emitted: NONE, repeats: NONE, older: NONE, filtered: NONE, reason };
}

export function failedOutcome(at: string, status: number, reason: string, lists: Partial<Pick<DeliveryOutcome, 'repeats' | 'older' | 'filtered'>> = {}): DeliveryOutcome {
	return { outcome: 'failed', at, status, emitted: NONE, repeats: lists.repeats ?? NONE, older: lists.older ?? NONE, filtered: lists.filtered ?? NONE, reason };
}

const ids = (refs: EventRef[]) => refs.map((ref) => ref.id).join(', ');
const MAX_LISTED = 5;
const listed = (refs: EventRef[]) => (refs.length > MAX_LISTED ? `${ids(refs.slice(0, MAX_LISTED))} and ${refs.length - MAX_LISTED} more` : ids(refs));

/** One log line for an outcome (no body, no secret), e.g. `Plexus Gateway delivery: repeat of evt_1, not emitted again`. */
export function describeOutcome(vendorName: string, outcome: DeliveryOutcome): string {
	const extra = [
		outcome.repeats.length && outcome.outcome !== 'repeat' ? `${outcome.repeats.length} repeat(s) dropped (${listed(outcome.repeats)})` : '',
		outcome.older.length && outcome.outcome !== 'older' ? `${outcome.older.length} older dropped (${listed(outcome.older)})` : '',
		outcome.filtered.length && outcome.outcome !== 'filtered' ? `${outcome.filtered.length} filtered out` : '',
	].filter(Boolean);
	const more = extra.length ? `; ${extra.join(', ')}` : '';
	switch (outcome.outcome) {
		case 'emitted':
			return `${vendorName} delivery: emitted ${outcome.emitted.length} event(s) (${outcome.emitted.map((e) => `${e.type} ${e.id}`).slice(0, MAX_LISTED).join(', ')})${more}`;
		case 'repeat':
			return `${vendorName} delivery: not emitted, a repeat of ${listed(outcome.repeats)} (already emitted)${more}`;
		case 'older':
			return `${vendorName} delivery: not emitted, older than an update already emitted for its document (${listed(outcome.older)}; "drop out-of-order updates" is on)${more}`;
		case 'filtered':
			return `${vendorName} delivery: not emitted, filtered out by the event-type options (${outcome.filtered.map((e) => `${e.vendorEventType} → ${e.type}`).slice(0, MAX_LISTED).join(', ')})`;
		case 'empty':
			return `${vendorName} delivery: acknowledged, it held no event`;
		case 'refused':
			return `${vendorName} delivery refused with HTTP ${outcome.status}: ${outcome.reason ?? ''}`;
		case 'failed':
			return `${vendorName} delivery failed: ${outcome.reason ?? ''}${more}`;
	}
}
