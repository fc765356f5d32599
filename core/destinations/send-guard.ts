import { KeyedLock } from './keyed-lock';

/** How many sent events a guard remembers (oldest forgotten first). */
const RECENT_MAX = 1000;

/**
 * What one destination node remembers between its sends: a lock per key, so that two deliveries
 * of one event (or two events of one document thread) arriving at once check-then-send in turn,
 * and the results of recent sends, so that the second of them sends nothing. The engine's node
 * creates it and drops it on close; nothing of it outlives the node.
 */
export class SendGuard {
	private readonly locks = new KeyedLock();
	private readonly recent = new Map<string, unknown>();

	run<T>(key: string, task: () => Promise<T>): Promise<T> {
		return this.locks.run(key, task);
	}

	recall<T>(key: string): T | undefined {
		return this.recent.get(key) as T | undefined;
	}

	remember(key: string, value: unknown): void {
		this.recent.delete(key);
		this.recent.set(key, value);
		if (this.recent.size > RECENT_MAX) this.recent.delete(this.recent.keys().next().value as string);
	}

	/** Forgets every result (the node closed). Sends still running finish under their locks. */
	clear(): void {
		this.recent.clear();
	}

	/** Keys locked or remembered: 0 once the node is closed and its sends are done. */
	get size(): number {
		return this.locks.size + this.recent.size;
	}
}
