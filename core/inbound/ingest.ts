import type { NormalizedEvent } from '../event/normalized-event';
import { eventRef, type EventRef } from './outcome';
import { hashId, withDefaultContext } from './parse';
import type { DedupeStore, SyncDedupeStore } from './dedupe';
import { copyVerificationRecord, verificationRecord } from '../verify/record';
import type { AnyVendorDefinition, CommonTriggerOptions, InboundFile, InboundRequest, ReceiveContext } from '../vendors/definition';

export type IngestResult =
	| {
			ok: true;
			events: NormalizedEvent[];
			files?: InboundFile[];
			/** What the vendor expects back (most: 200 with a short JSON body). */
			response: { status: number; body: unknown };
			filtered: number;
			/** The events the type filters dropped, for the delivery's outcome. */
			filteredOut?: EventRef[];
	  }
	| { ok: false; status: 400 | 401 | 403 | 404 | 405 | 413; reason: string; /** For the engine's log only, never the answer (no secrets either way). */ detail?: string };

const ACCEPTED = { status: 200, body: { received: true } };

/** The events the trigger's type filters let through (all of them when no filter is set). */
export function filtered(events: NormalizedEvent[], options: CommonTriggerOptions): NormalizedEvent[] {
	const { eventTypes, vendorEventTypes } = options;
	if (eventTypes.length === 0 && vendorEventTypes.length === 0) return events;
	const wantedVendorTypes = vendorEventTypes.map((type) => type.toLowerCase());
	return events.filter(
		(event) =>
			(eventTypes.length === 0 || eventTypes.includes(event.type)) &&
			(wantedVendorTypes.length === 0 || wantedVendorTypes.includes(event.vendorEventType.toLowerCase())),
	);
}

/**
 * The inbound path every trigger shares, in both engines: method and size, the vendor's own
 * verification and parsing, then the type filters. Pure. The engine then enriches (optional) and
 * de-duplicates with `deduplicate`, so ids that enrichment refines are the ones compared.
 */
export function ingest(vendor: AnyVendorDefinition, request: InboundRequest, given: ReceiveContext): IngestResult {
	const context = withDefaultContext(given);
	const method = typeof request.method === 'string' ? request.method : '';
	if (method.toUpperCase() !== 'POST') {
		return { ok: false, status: 405, reason: `method ${method.slice(0, 20)} not allowed; ${vendor.displayName} sends POST` };
	}
	const limit = context.options.maxBodyBytes;
	if (limit > 0 && request.rawBody.length > limit) {
		return { ok: false, status: 413, reason: `body of ${request.rawBody.length} bytes is over the ${limit}-byte limit` };
	}

	const received = vendor.receive(request, context);
	if (!received.ok) return received;

	const { includeRaw } = context.options;
	const events = filtered(received.events, context.options);
	if (!includeRaw) for (const event of events) delete event.raw;
	if (events.length > 0) {
		const verification = verificationRecord(received.verified, request.rawBody, context.now);
		events[0].verification = verification;
		for (let i = 1; i < events.length; i++) events[i].verification = copyVerificationRecord(verification);
	}
	return {
		ok: true,
		events,
		files: events.length > 0 ? received.files : undefined,
		response: received.response ?? ACCEPTED,
		filtered: received.events.length - events.length,
		...(events.length < received.events.length ? { filteredOut: received.events.filter((event) => !events.includes(event)).map(eventRef) } : {}),
	};
}

const MAX_STORE_KEY_LENGTH = 128;

/** A vendor string kept as a store key is bounded in length: a longer one is kept as its SHA-256. */
function storeKey(value: string): string {
	return value.length <= MAX_STORE_KEY_LENGTH ? value : hashId('store-key', value);
}

export interface DedupeResult {
	events: NormalizedEvent[];
	duplicate: number;
	outOfOrder: number;
	/** The dropped events themselves: repeats (id seen) and older (out of order). */
	repeats: NormalizedEvent[];
	older: NormalizedEvent[];
}

/**
 * Drops events already emitted (same id) and, when asked, events older than one already emitted
 * for the same document. An event whose id, the vendor says, cannot tell a retry from a new event
 * is always emitted (dropping it would lose a real event). Synchronous while the store answers
 * synchronously (the in-process store); a promise once the store answers with one.
 */
export function deduplicate(vendor: AnyVendorDefinition, events: NormalizedEvent[], options: CommonTriggerOptions & object, store: SyncDedupeStore, now: Date): DedupeResult;
export function deduplicate(vendor: AnyVendorDefinition, events: NormalizedEvent[], options: CommonTriggerOptions & object, store: DedupeStore, now: Date): DedupeResult | Promise<DedupeResult>;
export function deduplicate(
	vendor: AnyVendorDefinition,
	events: NormalizedEvent[],
	options: CommonTriggerOptions & object,
	store: DedupeStore,
	now: Date,
): DedupeResult | Promise<DedupeResult> {
	const result: DedupeResult = { events: [], duplicate: 0, outOfOrder: 0, repeats: [], older: [] };
	const nowMs = now.getTime();
	for (let index = 0; index < events.length; index++) {
		const event = events[index];
		if (vendor.idsDistinguishEvents?.(options, event) === false) {
			result.events.push(event);
			continue;
		}
		const seen = store.seen(storeKey(event.id), nowMs);
		if (typeof seen !== 'boolean') return finishAsync(seen, index);
		if (seen) {
			result.duplicate++;
			result.repeats.push(event);
			continue;
		}
		const order = checkOrder(event);
		if (typeof order !== 'boolean') return finishAsync(order, index, true);
		if (order) {
			result.outOfOrder++;
			result.older.push(event);
		} else result.events.push(event);
	}
	return result;

	function checkOrder(event: NormalizedEvent): boolean | Promise<boolean> {
		if (!options.dropOutOfOrder || !event.occurredAt || !event.document.id) return false;
		return store.isOlderThanLatest(storeKey(event.document.id), Date.parse(event.occurredAt), nowMs);
	}

	/** The rest of the loop, awaiting the store: `pending` is the answer for events[from] (its id check, or its order check). */
	async function finishAsync(pending: Promise<boolean>, from: number, orderCheck = false): Promise<DedupeResult> {
		for (let index = from; index < events.length; index++) {
			const event = events[index];
			if (index > from || !orderCheck) {
				if (index > from && vendor.idsDistinguishEvents?.(options, event) === false) {
					result.events.push(event);
					continue;
				}
				if (await (index === from ? pending : store.seen(storeKey(event.id), nowMs))) {
					result.duplicate++;
					result.repeats.push(event);
					continue;
				}
			}
			if (await (index === from && orderCheck ? pending : checkOrder(event))) {
				result.outOfOrder++;
				result.older.push(event);
			} else result.events.push(event);
		}
		return result;
	}
}
