/**
 * Remembers which event ids a trigger has emitted, and the newest occurrence per document, so a
 * retried or out-of-order delivery emits nothing new. Bounded in size and age.
 */
export interface DedupeStore {
	/** True when `id` was seen within the TTL; otherwise records it and returns false. */
	seen(id: string, nowMs: number): boolean;
	/** Records `atMs` for `key` unless a later one is already recorded; true when the given one is older. */
	isOlderThanLatest(key: string, atMs: number, nowMs: number): boolean;
}

export interface MemoryDedupeOptions {
	maxEntries?: number;
	ttlMs?: number;
}

export const DEFAULT_DEDUPE_TTL_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_DEDUPE_ENTRIES = 10_000;

/** Least-recently-inserted eviction via Map insertion order; entries older than the TTL count as unseen. */
export class MemoryDedupeStore implements DedupeStore {
	private readonly ids = new Map<string, number>();
	private readonly latest = new Map<string, { atMs: number; recordedMs: number }>();
	private readonly maxEntries: number;
	private readonly ttlMs: number;

	constructor(options: MemoryDedupeOptions = {}) {
		this.maxEntries = options.maxEntries ?? DEFAULT_DEDUPE_ENTRIES;
		this.ttlMs = options.ttlMs ?? DEFAULT_DEDUPE_TTL_MS;
	}

	seen(id: string, nowMs: number): boolean {
		const recorded = this.ids.get(id);
		if (recorded !== undefined) {
			if (nowMs - recorded < this.ttlMs) return true;
			this.ids.delete(id); // re-inserted below, as the newest
		}
		this.ids.set(id, nowMs);
		if (this.ids.size > this.maxEntries) this.evict(this.ids);
		return false;
	}

	isOlderThanLatest(key: string, atMs: number, nowMs: number): boolean {
		const recorded = this.latest.get(key);
		const live = recorded !== undefined && nowMs - recorded.recordedMs < this.ttlMs;
		if (live && atMs < recorded.atMs) return true;
		if (!live || atMs > recorded.atMs) {
			this.latest.delete(key);
			this.latest.set(key, { atMs, recordedMs: nowMs });
			this.evict(this.latest);
		}
		return false;
	}

	private evict(map: Map<string, unknown>): void {
		while (map.size > this.maxEntries) {
			const oldest = map.keys().next().value as string;
			map.delete(oldest);
		}
	}
}

/** One store per trigger instance (workflow + node, or Node-RED node id), kept for the process's life. */
const stores = new Map<string, MemoryDedupeStore>();

export function dedupeStoreFor(scope: string, options?: MemoryDedupeOptions): MemoryDedupeStore {
	let store = stores.get(scope);
	if (!store) {
		store = new MemoryDedupeStore(options);
		stores.set(scope, store);
	}
	return store;
}

export function forgetDedupeStore(scope: string): void {
	stores.delete(scope);
}
