import type { NodeStatus } from 'node-red';

/** A time for a node status: 24-hour `HH:MM:SS` in the server's local time, the same in every status. */
export function statusTime(date: Date = new Date()): string {
	const two = (value: number) => String(value).padStart(2, '0');
	return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

export const STATUS_INTERVAL_MS = 1000;

export interface ThrottledStatus {
	/** Something changed; the status is built (by `build`) and shown now or within the interval. */
	changed(): void;
	/** No status after this (the node is closing). */
	close(): void;
}

/**
 * A node status shown at most once per interval: the first change is shown at once, later ones
 * within the interval are shown together at its end, built then from the latest state, so what the
 * editor shows last is always the latest state. Under a burst of deliveries this is one status
 * message to the editor per second instead of one per delivery.
 */
export function throttledStatus(show: (status: NodeStatus) => void, build: () => NodeStatus, intervalMs = STATUS_INTERVAL_MS): ThrottledStatus {
	let shownAt = Number.NEGATIVE_INFINITY;
	let timer: ReturnType<typeof setTimeout> | undefined;
	let closed = false;
	const showNow = () => {
		timer = undefined;
		if (closed) return;
		shownAt = Date.now();
		show(build());
	};
	return {
		changed() {
			if (closed || timer !== undefined) return;
			const wait = shownAt + intervalMs - Date.now();
			if (wait <= 0) return showNow();
			timer = setTimeout(showNow, wait);
			timer.unref?.();
		},
		close() {
			closed = true;
			if (timer !== undefined) clearTimeout(timer);
			timer = undefined;
		},
	};
}
