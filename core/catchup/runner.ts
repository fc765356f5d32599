import type { NormalizedEvent } from '../event/normalized-event';
import { describeError } from '../inbound/pipeline';
import { CatchupHttpError, isRecord, type CatchupContext, type CatchupReader } from './types';

/** The watermark as an engine stores it (Node-RED context store, n8n static data): plain JSON. */
export interface CatchupRecord {
	v: 1;
	vendor: string;
	state: unknown;
	/** Failed reads in a row; the next read waits longer after each. */
	failures: number;
	/** No read before this time (ms): a backoff, or the vendor's Retry-After. */
	notBefore?: number;
}

export type CatchupOutcome =
	/** First run: the starting point was recorded, nothing read or emitted. */
	| 'started'
	| 'read'
	/** Backing off (an earlier failure or a 429): nothing was asked. */
	| 'waiting'
	| 'failed'
	/** These settings cannot catch up (see `message`); nothing was asked. */
	| 'unavailable';

export interface CatchupRun {
	/** Store this (it equals the record passed in unless something changed). */
	record: CatchupRecord;
	outcome: CatchupOutcome;
	emitted: number;
	message?: string;
	/** When to try again after a failure (ms from now). */
	retryInMs?: number;
}

const BACKOFF_BASE_MS = 5_000;
const BACKOFF_MAX_MS = 15 * 60 * 1000;

/** 5 s, 10 s, 20 s… up to 15 min. */
export function backoffMs(failures: number): number {
	return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1), BACKOFF_MAX_MS);
}

/** A stored record of this vendor, or undefined (none yet, or unreadable: a new starting point). */
export function catchupRecord<S>(reader: CatchupReader<S>, value: unknown): (CatchupRecord & { state: S }) | undefined {
	if (!isRecord(value) || value.v !== 1 || value.vendor !== reader.vendor) return undefined;
	const state = reader.parse(value.state);
	if (state === undefined) return undefined;
	const failures = Number.isInteger(value.failures) ? (value.failures as number) : 0;
	return { v: 1, vendor: reader.vendor, state, failures, ...(Number.isFinite(value.notBefore) ? { notBefore: value.notBefore as number } : {}) };
}

export interface RunCatchupOptions<S> {
	reader: CatchupReader<S>;
	/** What the engine stored last time (undefined on the first run). */
	stored: unknown;
	context: CatchupContext;
	/** Catch up from here on the first run (Start From); without it the first run only records now. */
	startFrom?: Date;
	/** Hands the events on (de-duplication, output); the watermark moves only once it resolved. */
	emit(events: NormalizedEvent[]): void | Promise<void>;
}

/**
 * One catch-up or poll: reads what changed since the stored watermark and emits it, then answers
 * the record to store. The watermark moves only after `emit` resolved for every event up to it;
 * a read or emit that fails keeps the old watermark and sets a backoff (a 429's Retry-After when
 * the vendor gave one). Never throws.
 */
export async function runCatchup<S>(options: RunCatchupOptions<S>): Promise<CatchupRun> {
	const { reader, context } = options;
	const now = context.now.getTime();
	const previous = catchupRecord(reader, options.stored);
	const unavailable = reader.unavailable?.(context);
	if (!previous) {
		const record: CatchupRecord = { v: 1, vendor: reader.vendor, state: reader.start(options.startFrom ?? context.now), failures: 0 };
		if (!options.startFrom || unavailable) return { record, outcome: unavailable ? 'unavailable' : 'started', emitted: 0, message: unavailable };
		return read(record as CatchupRecord & { state: S });
	}
	if (unavailable) return { record: previous, outcome: 'unavailable', emitted: 0, message: unavailable };
	if (previous.notBefore !== undefined && previous.notBefore > now) return { record: previous, outcome: 'waiting', emitted: 0, retryInMs: previous.notBefore - now };
	return read(previous);

	async function read(record: CatchupRecord & { state: S }): Promise<CatchupRun> {
		try {
			const { events, state } = await reader.read(context, record.state);
			if (events.length > 0) await options.emit(events);
			return { record: { v: 1, vendor: reader.vendor, state, failures: 0 }, outcome: 'read', emitted: events.length };
		} catch (error) {
			const failures = record.failures + 1;
			const retryInMs = error instanceof CatchupHttpError && error.retryAfterMs !== undefined ? error.retryAfterMs : backoffMs(failures);
			return {
				record: { v: 1, vendor: reader.vendor, state: record.state, failures, notBefore: now + retryInMs },
				outcome: 'failed',
				emitted: 0,
				message: describeError(error),
				retryInMs,
			};
		}
	}
}
