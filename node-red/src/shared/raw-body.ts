import type { IncomingMessage } from 'node:http';
import type { BodyResult } from '../../../core/inbound/pipeline';

/** How long a vendor refused for lack of buffer room is asked to wait before retrying. */
export const BUSY_RETRY_AFTER_SECONDS = 5;
export const DEFAULT_MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

/** What one delivery holds of the shared budget; released when the delivery is done with its bytes. */
export interface BodyLease {
	/**
	 * Takes `bytes` more; false (taking nothing) when that would pass the ceiling. A delivery alone
	 * in flight may go up to `loneCap` (its trigger's own limit) when that is above the ceiling.
	 */
	take(bytes: number, loneCap: number): boolean;
	release(): void;
}

/**
 * The bytes buffered across every delivery in flight in one Node-RED, with a ceiling. A delivery
 * alone in flight may use its trigger's whole limit even when that is above the ceiling, so one
 * within its limit always gets through when nothing else is being read.
 */
export class BodyBudget {
	private buffered = 0;

	constructor(readonly ceiling: number) {}

	get inFlight(): number {
		return this.buffered;
	}

	lease(): BodyLease {
		let held = 0;
		return {
			take: (bytes, loneCap) => {
				const others = this.buffered - held;
				const cap = others === 0 ? Math.max(this.ceiling, loneCap) : this.ceiling;
				if (this.buffered + bytes > cap) return false;
				this.buffered += bytes;
				held += bytes;
				return true;
			},
			release: () => {
				this.buffered -= held;
				held = 0;
			},
		};
	}
}

const busy = (): BodyResult => ({
	ok: false,
	status: 503,
	reason: 'too many deliveries are being received at once; retry shortly',
	retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS,
});

/**
 * Reads the request stream up to `limit` bytes (0: no limit) within the shared budget: a declared
 * Content-Length is taken from the budget before the first byte is read, a chunked body chunk by
 * chunk. Stops reading as soon as the limit or the budget is passed, and gives the bytes back then.
 *
 * A body with a declared length is copied into one buffer of that length as it arrives (a body
 * that arrives in one chunk is that chunk, not copied), so each chunk is garbage at once and the body is never held twice (chunks plus their concatenation):
 * for a 20 MB delivery that is 20 MB less at the peak. The allocation is bounded by the budget and
 * the limit checked above; only the bytes that arrived are ever handed on.
 */
export function readRawBody(req: IncomingMessage, limit: number, lease: BodyLease): Promise<BodyResult> {
	if (req.readableEnded) {
		return Promise.resolve({
			ok: false,
			status: 500,
			reason: 'the request body was read by other middleware (such as a body parser in httpNodeMiddleware) before the trigger, so its signature cannot be checked',
		});
	}
	// A declared length over `limit` never gets here: the pipeline answers it 413 unread.
	const declared = Number(req.headers['content-length'] ?? 0) || 0;
	if (declared > 0 && !lease.take(declared, limit)) return Promise.resolve(busy());

	return new Promise((resolve) => {
		// The length of the one buffer the body goes into (0: chunks, joined at the end).
		let expected = declared > 0 && (limit === 0 || declared <= limit) ? declared : 0;
		let whole: Buffer | undefined;
		let chunks: Buffer[] = [];
		let size = 0;
		let settled = false;
		const settle = (result: BodyResult) => {
			if (settled) return;
			settled = true;
			whole = undefined;
			chunks = [];
			if (!result.ok) {
				req.pause();
				lease.release();
			}
			resolve(result);
		};
		req.on('data', (chunk: Buffer) => {
			if (settled) return;
			const end = size + chunk.length;
			if (limit > 0 && end > limit) return settle({ ok: false, status: 413, reason: `body is over the ${limit}-byte limit` });
			if (end > declared && !lease.take(end - Math.max(size, declared), limit)) return settle(busy());
			if (expected > 0 && end <= expected) {
				// A body that arrives in one chunk is that chunk: nothing allocated, nothing copied.
				if (size === 0) whole = chunk.length === expected ? chunk : Buffer.allocUnsafe(expected);
				if (whole !== chunk) chunk.copy(whole!, size);
			} else {
				// more than declared (Node's parser does not let that happen) or no length: keep the chunks
				if (whole) chunks.push(whole.subarray(0, size));
				whole = undefined;
				expected = 0;
				chunks.push(chunk);
			}
			size = end;
		});
		req.on('end', () => {
			if (whole) return settle({ ok: true, body: size === whole.length ? whole : whole.subarray(0, size) });
			settle({ ok: true, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) });
		});
		req.on('error', () => settle({ ok: false, status: 400, reason: 'the request body could not be read' }));
		req.on('close', () => settle({ ok: false, status: 400, reason: 'the connection closed before the body was complete' }));
	});
}
