/**
 * Remembers which event ids a trigger has emitted, and the newest occurrence per document, so a
 * retried or out-of-order delivery emits nothing new. Bounded in size and age.
 */
export interface DedupeStore {
	/**
	 * True when `id` was seen within the TTL; otherwise records it and returns false. A store kept
	 * elsewhere (a Node-RED context store on disk or in Redis) may answer with a promise; an
	 * in-process one answers at once, and the caller then stays synchronous.
	 */
	seen(id: string, nowMs: number): boolean | Promise<boolean>;
	/** Records `atMs` for `key` unless a later one is already recorded; true when the given one is older. */
	isOlderThanLatest(key: string, atMs: number, nowMs: number): boolean | Promise<boolean>;
}

/** A store that always answers at once (the in-process one). */
export interface SyncDedupeStore extends DedupeStore {
	seen(id: string, nowMs: number): boolean;
	isOlderThanLatest(key: string, atMs: number, nowMs: number): boolean;
}

export interface MemoryDedupeOptions {
	maxEntries?: number;
	ttlMs?: number;
}

export const DEFAULT_DEDUPE_TTL_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_DEDUPE_ENTRIES = 10_000;

/** Least-recently-inserted eviction via Map insertion order; entries older than the TTL count as unseen. */
export class MemoryDedupeStore implements SyncDedupeStore {
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

/**
 * The same bookkeeping as MemoryDedupeStore on a plain JSON value, for stores that keep JSON (a
 * Node-RED context store): keys carry a `#` so they are never integer-like, which keeps object
 * insertion order (oldest first) through JSON round trips. Holds up to `maxEntries` + 10 % (see trim).
 */
export interface DedupeRecord {
	v: 1;
	/** `#id` → when it was recorded (ms). */
	ids: Record<string, number>;
	/** `#document key` → [occurredAt ms, recorded ms]. */
	latest: Record<string, [number, number]>;
}

export function emptyDedupeRecord(): DedupeRecord {
	return { v: 1, ids: {}, latest: {} };
}

/** A stored value as a record: anything else (another version, damage) starts empty. */
export function asDedupeRecord(value: unknown): DedupeRecord {
	const record = value as Partial<DedupeRecord> | undefined;
	if (!record || record.v !== 1 || typeof record.ids !== 'object' || typeof record.latest !== 'object' || !record.ids || !record.latest) return emptyDedupeRecord();
	return record as DedupeRecord;
}

/** `seen` on a record; mutates it. */
export function recordSeen(record: DedupeRecord, id: string, nowMs: number, options: MemoryDedupeOptions = {}): boolean {
	const ttlMs = options.ttlMs ?? DEFAULT_DEDUPE_TTL_MS;
	const key = `#${id}`;
	const recorded = record.ids[key];
	if (recorded !== undefined) {
		if (typeof recorded === 'number' && nowMs - recorded < ttlMs) return true;
		delete record.ids[key];
	}
	record.ids[key] = nowMs;
	trim(record.ids, recorded === undefined ? 1 : 0, nowMs, ttlMs, options.maxEntries ?? DEFAULT_DEDUPE_ENTRIES, (value) => value as number);
	return false;
}

/** `isOlderThanLatest` on a record; mutates it. */
export function recordIsOlderThanLatest(record: DedupeRecord, documentKey: string, atMs: number, nowMs: number, options: MemoryDedupeOptions = {}): boolean {
	const ttlMs = options.ttlMs ?? DEFAULT_DEDUPE_TTL_MS;
	const key = `#${documentKey}`;
	const recorded = record.latest[key];
	const live = Array.isArray(recorded) && nowMs - recorded[1] < ttlMs;
	if (live && atMs < recorded[0]) return true;
	if (!live || atMs > recorded[0]) {
		delete record.latest[key];
		record.latest[key] = [atMs, nowMs];
		trim(record.latest, recorded === undefined ? 1 : 0, nowMs, ttlMs, options.maxEntries ?? DEFAULT_DEDUPE_ENTRIES, (value) => (value as [number, number])[1]);
	}
	return false;
}

/** Entry counts of maps already counted: a store that hands back the same object (memory, cached file) is counted once. */
const sizes = new WeakMap<object, number>();

/**
 * Past `max` + 10 %, drops the oldest entries (and expired ones met on the way) down to `max`:
 * walking an object's keys costs all of them, so it is done once per `max / 10` insertions, not on
 * each. The newest `max` entries are always kept, as MemoryDedupeStore keeps them.
 */
function trim(map: Record<string, unknown>, added: 0 | 1, nowMs: number, ttlMs: number, max: number, recordedAt: (value: unknown) => number): void {
	// Called right after an insertion (`added` new keys); a cached count is from before it.
	const cached = sizes.get(map);
	let size = cached === undefined ? Object.keys(map).length : cached + added;
	if (size > max + Math.ceil(max / 10)) {
		for (const key in map) {
			if (size <= max && nowMs - recordedAt(map[key]) < ttlMs) break;
			delete map[key];
			size--;
		}
	}
	sizes.set(map, size);
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
