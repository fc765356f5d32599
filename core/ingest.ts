import type { NormalizedEvent } from './event';
import type { DedupeStore } from './dedupe';
import type { AnyVendorDefinition, InboundFile, InboundRequest, ReceiveContext } from './vendor';

export type IngestResult =
	| {
			ok: true;
			events: NormalizedEvent[];
			files?: InboundFile[];
			/** What the vendor expects back (most: 200 with a short JSON body). */
			response: { status: number; body: unknown };
			dropped: { filtered: number; duplicate: number; outOfOrder: number };
	  }
	| { ok: false; status: 400 | 401 | 403 | 404 | 405 | 413; reason: string };

const ACCEPTED = { status: 200, body: { received: true } };

/**
 * The whole inbound path every trigger shares, in both engines: method and size, the vendor's own
 * verification and parsing, then filters, de-duplication and ordering. Pure apart from the dedupe store.
 */
export function ingest(
	vendor: AnyVendorDefinition,
	request: InboundRequest,
	context: ReceiveContext,
	dedupe?: DedupeStore,
): IngestResult {
	if (request.method.toUpperCase() !== 'POST') {
		return { ok: false, status: 405, reason: `method ${request.method} not allowed; ${vendor.displayName} sends POST` };
	}
	const limit = context.options.maxBodyBytes;
	if (limit > 0 && request.rawBody.length > limit) {
		return { ok: false, status: 413, reason: `body of ${request.rawBody.length} bytes is over the ${limit}-byte limit` };
	}

	const received = vendor.receive(request, context);
	if (!received.ok) return received;

	const { eventTypes, vendorEventTypes, includeRaw, dropOutOfOrder } = context.options;
	const nowMs = context.now.getTime();
	const dropped = { filtered: 0, duplicate: 0, outOfOrder: 0 };
	const events: NormalizedEvent[] = [];
	for (const event of received.events) {
		if (eventTypes.length > 0 && !eventTypes.includes(event.type)) {
			dropped.filtered++;
			continue;
		}
		if (vendorEventTypes.length > 0 && !vendorEventTypes.some((t) => t.toLowerCase() === event.vendorEventType.toLowerCase())) {
			dropped.filtered++;
			continue;
		}
		if (dedupe?.seen(event.id, nowMs)) {
			dropped.duplicate++;
			continue;
		}
		if (dropOutOfOrder && dedupe && event.occurredAt && event.document.id) {
			if (dedupe.isOlderThanLatest(event.document.id, Date.parse(event.occurredAt), nowMs)) {
				dropped.outOfOrder++;
				continue;
			}
		}
		if (!includeRaw) delete event.raw;
		events.push(event);
	}
	return {
		ok: true,
		events,
		files: events.length > 0 ? received.files : undefined,
		response: received.response ?? ACCEPTED,
		dropped,
	};
}
