/**
 * `date.toISOString()`, remembered for the last instant asked: one delivery writes the same `now`
 * as its events' `receivedAt` and its verification record's `verifiedAt`, and deliveries arriving
 * within the same millisecond share it too. Keyed by the time value, so a Date changed in place
 * still gets its own string.
 */
let lastMs = Number.NaN;
let lastIso = '';

export function isoTime(date: Date): string {
	const ms = date.getTime();
	if (ms !== lastMs) {
		lastIso = date.toISOString();
		lastMs = ms;
	}
	return lastIso;
}
