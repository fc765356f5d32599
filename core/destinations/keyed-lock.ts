/**
 * Runs tasks with the same key one after another (in this process), tasks with different keys
 * side by side. Used so that two deliveries of one event (or two events of one document thread)
 * arriving at once check-then-send in turn instead of both sending. Keys are forgotten when idle.
 */
export class KeyedLock {
	private readonly tails = new Map<string, Promise<unknown>>();

	async run<T>(key: string, task: () => Promise<T>): Promise<T> {
		const previous = this.tails.get(key) ?? Promise.resolve();
		const current = previous.then(task, task);
		const tail = current.catch(() => undefined);
		this.tails.set(key, tail);
		try {
			return await current;
		} finally {
			if (this.tails.get(key) === tail) this.tails.delete(key);
		}
	}

	get size(): number {
		return this.tails.size;
	}
}
