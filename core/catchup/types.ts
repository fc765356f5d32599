import type { NormalizedEvent, VendorId } from '../event/normalized-event';
import type { HttpClient } from '../outbound/http';
import type { Registration } from '../vendors/definition';

/** Where an emitted event came from (`data.source`). */
export type EventSource = 'webhook' | 'catch-up' | 'poll';

/** What a reader needs for one read: the vendor API, the trigger's settings, and the clock. */
export interface CatchupContext {
	http: HttpClient;
	credentials: Record<string, unknown>;
	/** The trigger's vendor options (Legito event types, Legalesign group, QuicklySign pack keys…). */
	options: Record<string, unknown>;
	/** The trigger's webhook registration when it has one (ids that go into event ids). */
	registration?: Registration;
	source: 'catch-up' | 'poll';
	now: Date;
}

export interface CatchupRead<S> {
	/** In the order they happened, as far as the vendor's data tells. */
	events: NormalizedEvent[];
	/** The watermark after these events: stored only once they were emitted. */
	state: S;
}

/**
 * One vendor's catch-up: what changed since a watermark, read through the vendor's API, as the same
 * normalized events a webhook delivery gives. The watermark (`S`) is plain JSON, kept by the engine.
 */
export interface CatchupReader<S> {
	vendor: VendorId;
	/** The starting point: events after `at` are caught up. */
	start(at: Date): S;
	/** Why this trigger cannot catch up with these settings (e.g. no Legalesign group), or undefined. */
	unavailable?(context: CatchupContext): string | undefined;
	read(context: CatchupContext, state: S): Promise<CatchupRead<S>>;
	/** A live (webhook) event: the snapshot learns it, so a catch-up does not report it again. */
	observe?(state: S, event: NormalizedEvent): S;
	/** Turns a stored value into a state, or undefined when it is not one of this reader's. */
	parse(value: unknown): S | undefined;
}

/** A vendor call that failed; `retryAfterMs` when the vendor said when to come back (429 Retry-After). */
export class CatchupHttpError extends Error {
	readonly status?: number;
	readonly retryAfterMs?: number;
	constructor(message: string, status?: number, retryAfterMs?: number) {
		super(message);
		this.name = 'CatchupHttpError';
		this.status = status;
		this.retryAfterMs = retryAfterMs;
	}
}

/** A CatchupHttpError to throw (as core's serviceError: the n8n adapter turns it into a NodeApiError). */
export const catchupError = (message: string, status?: number, retryAfterMs?: number) => new CatchupHttpError(message, status, retryAfterMs);

/** The event with `data.source` set. */
export function withSource<E extends { data: Record<string, unknown> }>(event: E, source: EventSource): E {
	return { ...event, data: { ...event.data, source } };
}

export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
