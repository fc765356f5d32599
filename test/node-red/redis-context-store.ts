import Redis from 'ioredis';

/**
 * A Node-RED context store backed by Redis, for the tests only: npm has no maintained Redis
 * context store for Node-RED, and Node-RED ships none that two processes can share. Implements the
 * context store plugin API (https://nodered.org/docs/api/context/methods): one Redis hash per
 * context scope (`<prefix>:<scope>`), each top-level key a field holding its JSON. Nested keys
 * (`a.b`) are refused: legalhooks keeps flat keys. Like every context store, no compare-and-set:
 * a read-modify-write by two processes within one round trip keeps only one of them.
 */
interface Config {
	url?: string;
	prefix: string;
}

type Callback = (error?: Error | null, ...values: unknown[]) => void;

class RedisContextStore {
	private readonly redis: Redis;
	private readonly prefix: string;

	constructor(config: Config) {
		this.redis = new Redis(config.url ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 2 });
		this.prefix = config.prefix;
	}

	open(): Promise<void> {
		return this.redis.connect();
	}

	async close(): Promise<void> {
		await this.redis.quit();
	}

	private hash(scope: string): string {
		return `${this.prefix}:${scope}`;
	}

	get(scope: string, key: string | string[], callback: Callback): void {
		const keys = Array.isArray(key) ? key : [key];
		if (keys.some((k) => /[.[]/.test(k))) return callback(new Error('this test store keeps flat keys only'));
		this.redis
			.hmget(this.hash(scope), ...keys)
			.then((values) => {
				const parsed = values.map((value) => (value === null ? undefined : JSON.parse(value)));
				callback(null, ...parsed);
			})
			.catch((error: Error) => callback(error));
	}

	set(scope: string, key: string | string[], value: unknown, callback?: Callback): void {
		const keys = Array.isArray(key) ? key : [key];
		const values = Array.isArray(key) ? (value as unknown[]) : [value];
		if (keys.some((k) => /[.[]/.test(k))) return callback?.(new Error('this test store keeps flat keys only'));
		const multi = this.redis.multi();
		keys.forEach((k, i) => (values[i] === undefined ? multi.hdel(this.hash(scope), k) : multi.hset(this.hash(scope), k, JSON.stringify(values[i]))));
		multi
			.exec()
			.then(() => callback?.(null))
			.catch((error: Error) => callback?.(error));
	}

	keys(scope: string, callback: Callback): void {
		this.redis
			.hkeys(this.hash(scope))
			.then((keys) => callback(null, keys))
			.catch((error: Error) => callback(error));
	}

	async delete(scope: string): Promise<void> {
		await this.redis.del(this.hash(scope));
	}

	async clean(): Promise<void> {
		// Node scopes of removed nodes are left to the test's cleanup (it deletes the prefix).
	}
}

export = function (config: Config) {
	return new RedisContextStore(config);
};
