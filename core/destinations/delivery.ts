import { ServiceError, messageFromBody } from '../outbound/errors';
import type { HttpClient, HttpResponse } from '../outbound/http';
import { redactTokens } from '../outbound/transport';
import { EventInputError } from './event-input';
import type { TokenKeeper } from './token-keeper';
import type { SendGuard } from './send-guard';

/**
 * Delivery policy shared by the Slack, Salesforce and Xero destinations: one place that decides
 * when to wait, when to retry and when to give up. Core never touches timers: waiting goes through
 * the injected `sleep` (n8n passes `sleep` from n8n-workflow, Node-RED a timer-based promise, tests a
 * recording function).
 */
export type Sleep = (ms: number) => Promise<void>;

export interface RetryPolicy {
	/** Attempts in total for one request (1 = no retry). */
	maxAttempts: number;
	/** First backoff delay; doubled per attempt. */
	baseDelayMs: number;
	/** Cap for one backoff delay. */
	maxDelayMs: number;
	/** A Retry-After longer than this is not waited for: the delivery fails with a clear error. */
	maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxAttempts: 3,
	baseDelayMs: 1000,
	maxDelayMs: 30_000,
	maxRetryAfterMs: 120_000,
};

export interface DeliveryContext {
	http: HttpClient;
	sleep: Sleep;
	policy?: Partial<RetryPolicy>;
	/** Clock for HTTP-date Retry-After values; defaults to Date.now. */
	now?: () => number;
	/** The account's shared token (one refresh for concurrent messages; rotated tokens stored at once). */
	tokens?: TokenKeeper;
	/** The sending node's guard (locks and recent sends), created by the engine's node and dropped with it. */
	guard?: SendGuard;
}

export function resolvePolicy(policy: Partial<RetryPolicy> | undefined): RetryPolicy {
	const merged = { ...DEFAULT_RETRY_POLICY, ...stripUndefined(policy ?? {}) };
	merged.maxAttempts = Math.max(1, Math.floor(merged.maxAttempts));
	return merged;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
	const out: Partial<T> = {};
	for (const [key, v] of Object.entries(value)) if (v !== undefined) (out as Record<string, unknown>)[key] = v;
	return out;
}

export function headerOf(response: HttpResponse, name: string): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(response.headers)) if (key.toLowerCase() === wanted) return value;
	return undefined;
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
	if (value === undefined) return undefined;
	const trimmed = value.trim();
	if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
	const date = Date.parse(trimmed);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}

/** Exponential backoff for the n-th retry (1-based), capped. */
export function backoffDelay(retry: number, policy: RetryPolicy): number {
	return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
}

/** What one attempt came to. `retryAfterMs` (from the service) overrides the backoff. */
export type AttemptOutcome<T> =
	| { kind: 'ok'; value: T }
	/** `ambiguous`: the request may have taken effect (default: 5xx and no response). */
	| { kind: 'retry'; error: ServiceError; retryAfterMs?: number; ambiguous?: boolean }
	| { kind: 'fail'; error: ServiceError }
	| { kind: 'unauthorized'; error: ServiceError };

export interface RunOptions {
	service: string;
	action: string;
	/** Called once when an attempt answered 401; return true when a fresh token was obtained. */
	refreshAuth?: () => Promise<boolean>;
	/**
	 * Called before a retry that follows an ambiguous failure (5xx or network error: the request may
	 * have been applied). Return `{ done: value }` when the earlier attempt is found to have succeeded.
	 */
	beforeAmbiguousRetry?: () => Promise<{ done: unknown } | undefined>;
}

/** A record of what delivery did, for the node output and for tests. */
export interface DeliveryReport {
	attempts: number;
	/** Delays requested from `sleep`, in order. */
	waitedMs: number[];
	tokenRefreshed: boolean;
}

/**
 * Runs `attempt` under the policy: retries 429 (after Retry-After), 5xx and network errors with
 * exponential backoff, refreshes auth once on 401, never retries other 4xx.
 */
export async function runWithRetry<T>(
	ctx: DeliveryContext,
	options: RunOptions,
	attempt: (attemptNumber: number) => Promise<AttemptOutcome<T>>,
	report?: DeliveryReport,
): Promise<T> {
	const policy = resolvePolicy(ctx.policy);
	const stats = report ?? { attempts: 0, waitedMs: [], tokenRefreshed: false };
	let refreshed = false;
	let retries = 0;
	let ambiguous = false;
	let attempts = 0;
	for (;;) {
		if (ambiguous && options.beforeAmbiguousRetry) {
			const found = await options.beforeAmbiguousRetry();
			if (found) return found.done as T;
		}
		stats.attempts += 1;
		attempts += 1;
		let outcome: AttemptOutcome<T> | undefined;
		let thrown: unknown;
		try {
			outcome = await attempt(attempts);
		} catch (error) {
			thrown = error ?? new Error('unknown error');
		}
		if (thrown instanceof ServiceError || thrown instanceof EventInputError) throw thrown;
		if (!outcome) {
			outcome = {
				kind: 'retry',
				error: new ServiceError({
					service: options.service,
					action: options.action,
					serviceMessage: networkMessage(thrown),
					hint: 'no response arrived; check the URL and that this machine can reach the service',
				}),
			};
		}
		if (outcome.kind === 'ok') return outcome.value;
		if (outcome.kind === 'fail') throw outcome.error;
		if (outcome.kind === 'unauthorized') {
			if (!refreshed && options.refreshAuth) {
				refreshed = true;
				if (await options.refreshAuth()) {
					stats.tokenRefreshed = true;
					ambiguous = false;
					continue;
				}
			}
			throw outcome.error;
		}
		// retry
		retries += 1;
		if (retries >= policy.maxAttempts) throw withAttempts(outcome.error, attempts);
		let delay = backoffDelay(retries, policy);
		if (outcome.retryAfterMs !== undefined) {
			if (outcome.retryAfterMs > policy.maxRetryAfterMs) {
				throw new ServiceError({
					service: options.service,
					action: options.action,
					status: outcome.error.status,
					serviceMessage: outcome.error.serviceMessage,
					hint: `rate limited; the service asks to wait ${Math.ceil(outcome.retryAfterMs / 1000)} s, longer than the ${Math.round(policy.maxRetryAfterMs / 1000)} s this node waits`,
					retryable: true,
				});
			}
			delay = outcome.retryAfterMs;
		}
		ambiguous = outcome.ambiguous ?? (outcome.error.status === undefined || outcome.error.status >= 500);
		stats.waitedMs.push(delay);
		await ctx.sleep(delay);
	}
}

function withAttempts(error: ServiceError, attempts: number): ServiceError {
	if (attempts <= 1) return error;
	return new ServiceError({
		service: error.service,
		action: actionOf(error),
		status: error.status,
		serviceMessage: error.serviceMessage,
		hint: `${error.hint ? `${error.hint}; ` : ''}gave up after ${attempts} attempts`,
		retryable: error.retryable,
	});
}

function actionOf(error: ServiceError): string {
	// "<service> <action> failed (...)": recover the action for re-wording.
	const rest = error.message.slice(error.service.length + 1);
	const end = rest.indexOf(' failed (');
	return end >= 0 ? rest.slice(0, end) : 'request';
}

function networkMessage(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	return redact(message).slice(0, 200);
}

/** Removes bearer tokens and query secrets a lower layer might have put into a message (the transport's scrub). */
export const redact = redactTokens;

/** Default classification of an HTTP response; destinations refine it. */
export function classifyStatus<T>(
	response: HttpResponse,
	args: { service: string; action: string; now: number; message?: string; hint?: string; ok: (response: HttpResponse) => T },
): AttemptOutcome<T> {
	const { status } = response;
	if (status >= 200 && status < 300) return { kind: 'ok', value: args.ok(response) };
	const error = new ServiceError({
		service: args.service,
		action: args.action,
		status,
		serviceMessage: args.message ?? messageFromBody(response.body),
		hint: args.hint ?? defaultHint(status),
	});
	if (status === 401) return { kind: 'unauthorized', error };
	if (status === 429) return { kind: 'retry', error, retryAfterMs: parseRetryAfter(headerOf(response, 'retry-after'), args.now) };
	if (status >= 500) return { kind: 'retry', error, retryAfterMs: parseRetryAfter(headerOf(response, 'retry-after'), args.now) };
	return { kind: 'fail', error };
}

function defaultHint(status: number): string {
	if (status === 401) return 'the credentials were refused; check them';
	if (status === 403) return 'the credentials lack a permission this action needs';
	if (status === 404) return 'not found; check the object, record or channel named in the node settings';
	if (status === 429) return 'rate limited';
	if (status >= 500) return 'the service had an internal error';
	return 'the request was rejected; check the node settings and the mapped fields';
}

export function nowOf(ctx: DeliveryContext): number {
	return (ctx.now ?? Date.now)();
}
