/**
 * Reads and writes one value of a Node-RED context (usually global) in a chosen context store,
 * synchronously when the store answers synchronously (memory, a cached localfilesystem) and with a
 * promise when it does not (a store over the network). Operations on one key in this process run
 * one after another, so two deliveries in one process never lose each other's update; across
 * processes a store has no compare-and-set, so two updates racing within one round trip may both
 * read the old value.
 */

type Callback = (error?: unknown, value?: unknown) => void;

/** The part of Node-RED's context API used here (`node.context().global`). */
export interface NodeRedContext {
	get(key: string, store: string | undefined, callback: Callback): void;
	set(key: string, value: unknown, store: string | undefined, callback: Callback): void;
}

export type Maybe<T> = T | Promise<T>;

interface Outcome {
	error?: unknown;
	value?: unknown;
}

function isPromise<T>(value: Maybe<T>): value is Promise<T> {
	return typeof (value as Promise<T> | undefined)?.then === 'function';
}

/** Starts a callback-style call; its outcome at once when the callback ran synchronously. */
function settle(start: (done: Callback) => void): Maybe<Outcome> {
	let outcome: Outcome | undefined;
	let resolve: ((outcome: Outcome) => void) | undefined;
	const done: Callback = (error, value) => {
		const result = { error: error ?? undefined, value };
		if (resolve) resolve(result);
		else outcome ??= result;
	};
	try {
		start(done);
	} catch (error) {
		outcome ??= { error };
	}
	if (outcome) return outcome;
	return new Promise<Outcome>((r) => (resolve = r));
}

export function then<T, U>(value: Maybe<T>, next: (value: T) => Maybe<U>): Maybe<U> {
	return isPromise(value) ? value.then(next) : next(value);
}

/** Per store and key: the tail of the operations under way in this process. */
const lanes = new Map<string, Promise<unknown>>();

export interface ContextValue {
	/** Reads the value, lets `change` update it in place, writes it back when `change` says so; answers `change`'s answer. */
	update<T>(change: (value: unknown) => { answer: T; write?: unknown }, fallback: T): Maybe<T>;
	read(): Promise<unknown>;
	write(value: unknown): Promise<void>;
}

/**
 * One context key. A failing store is reported through `onError` and answered with `fallback`
 * (for de-duplication: "not seen", so a store outage may let a retry through but never drops an event).
 */
export function contextValue(context: NodeRedContext, key: string, storeName: string | undefined, onError: (message: string) => void): ContextValue {
	const store = storeName || undefined;
	const lane = `${store ?? ''}\u0000${key}`;
	const describe = (what: string, error: unknown) => `the context store${store ? ` "${store}"` : ''} could not ${what} ${key}: ${error instanceof Error ? error.message : String(error)}`;

	const run = <T>(change: (value: unknown) => { answer: T; write?: unknown }, fallback: T): Maybe<T> =>
		then(
			settle((done) => context.get(key, store, done)),
			(got) => {
				if (got.error) {
					onError(describe('read', got.error));
					return fallback;
				}
				const { answer, write } = change(got.value);
				if (write === undefined) return answer;
				return then(
					settle((done) => context.set(key, write, store, done)),
					(put) => {
						if (put.error) onError(describe('write', put.error));
						return answer;
					},
				);
			},
		);

	const queued = <T>(job: () => Maybe<T>): Maybe<T> => {
		const previous = lanes.get(lane);
		const result = previous ? previous.then(job) : job();
		if (!isPromise(result)) return result;
		const tail = result.then(
			() => undefined,
			() => undefined,
		);
		lanes.set(lane, tail);
		void tail.then(() => lanes.get(lane) === tail && lanes.delete(lane));
		return result;
	};

	return {
		update: (change, fallback) => queued(() => run(change, fallback)),
		read: async () =>
			queued(() =>
				then(settle((done) => context.get(key, store, done)), (got) => {
					if (got.error) onError(describe('read', got.error));
					return got.value;
				}),
			),
		write: async (value) =>
			queued(() =>
				then(settle((done) => context.set(key, value, store, done)), (put) => {
					if (put.error) onError(describe('write', put.error));
				}),
			),
	};
}
