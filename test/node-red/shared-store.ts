import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import Redis from 'ioredis';

const plugin = path.join(__dirname, 'redis-context-store.ts');

/**
 * A Redis-backed context store named `shared` for runtimes started with startNodeRed (see
 * redis-context-store.ts), under a key prefix of its own so tests never see each other's keys.
 */
export function sharedRedisStore(url = 'redis://127.0.0.1:6379'): { settingsSource: Record<string, string>; keys(): Promise<string[]>; values(): Promise<string[]>; clear(): Promise<void> } {
	const prefix = `legalhooks-test-${randomUUID()}`;
	const store = `{ default: { module: 'memory' }, shared: { module: (require('tsx/cjs'), require(${JSON.stringify(plugin)})), config: ${JSON.stringify({ url, prefix })} } }`;
	const withRedis = async <T>(job: (redis: Redis) => Promise<T>): Promise<T> => {
		const redis = new Redis(url);
		try {
			return await job(redis);
		} finally {
			await redis.quit();
		}
	};
	return {
		settingsSource: { contextStorage: store },
		/** The global context's keys in the store. */
		keys: () => withRedis((redis) => redis.hkeys(`${prefix}:global`)),
		/** The global context's values as stored (JSON text). */
		values: () => withRedis((redis) => redis.hvals(`${prefix}:global`)),
		clear: () =>
			withRedis(async (redis) => {
				const keys = await redis.keys(`${prefix}:*`);
				if (keys.length > 0) await redis.del(...keys);
			}),
	};
}
