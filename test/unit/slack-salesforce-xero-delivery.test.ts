import { ServiceError } from '../../core/outbound/errors';
import { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter, redact, runWithRetry, type AttemptOutcome } from '../../core/destinations/delivery';
import { recordingSleep } from '../../sandbox/simulators/destination-events';

const err = (status?: number) => new ServiceError({ service: 'Test', action: 'send', status });

describe('delivery policy', () => {
	it('reads Retry-After as seconds or as an HTTP date', () => {
		const now = Date.parse('2024-01-01T00:00:00Z');
		expect(parseRetryAfter('3', now)).toBe(3000);
		expect(parseRetryAfter('0', now)).toBe(0);
		expect(parseRetryAfter('Mon, 01 Jan 2024 00:00:07 GMT', now)).toBe(7000);
		expect(parseRetryAfter('Sun, 31 Dec 2023 23:59:00 GMT', now)).toBe(0);
		expect(parseRetryAfter('soon', now)).toBeUndefined();
		expect(parseRetryAfter(undefined, now)).toBeUndefined();
	});

	it('backs off exponentially up to the cap', () => {
		const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1000, maxDelayMs: 3000 };
		expect([1, 2, 3, 4].map((n) => backoffDelay(n, policy))).toEqual([1000, 2000, 3000, 3000]);
	});

	it('retries 5xx with backoff, then gives up naming the attempts', async () => {
		const { sleep, waits } = recordingSleep();
		let calls = 0;
		const promise = runWithRetry({ http: async () => ({ status: 200, headers: {}, body: null }), sleep }, { service: 'Test', action: 'send' }, async (): Promise<AttemptOutcome<string>> => {
			calls += 1;
			return { kind: 'retry', error: err(503) };
		});
		await expect(promise).rejects.toThrow(/Test send failed \(HTTP 503\).*gave up after 3 attempts/);
		expect(calls).toBe(3);
		expect(waits).toEqual([1000, 2000]);
	});

	it('does not retry a 4xx, waits Retry-After for 429 and refuses an overlong one', async () => {
		const { sleep, waits } = recordingSleep();
		const ctx = { http: async () => ({ status: 200, headers: {}, body: null }), sleep };
		let calls = 0;
		await expect(runWithRetry(ctx, { service: 'Test', action: 'send' }, async () => (calls++, { kind: 'fail', error: err(400) }))).rejects.toThrow('HTTP 400');
		expect(calls).toBe(1);
		const outcomes: AttemptOutcome<string>[] = [{ kind: 'retry', error: err(429), retryAfterMs: 4000 }, { kind: 'ok', value: 'done' }];
		await expect(runWithRetry(ctx, { service: 'Test', action: 'send' }, async () => outcomes.shift() as AttemptOutcome<string>)).resolves.toBe('done');
		expect(waits).toEqual([4000]);
		await expect(runWithRetry(ctx, { service: 'Test', action: 'send' }, async () => ({ kind: 'retry', error: err(429), retryAfterMs: 3_600_000 }))).rejects.toThrow(/asks to wait 3600 s/);
	});

	it('refreshes auth once on 401, then fails', async () => {
		const { sleep } = recordingSleep();
		let refreshes = 0;
		await expect(
			runWithRetry({ http: async () => ({ status: 200, headers: {}, body: null }), sleep }, { service: 'Test', action: 'send', refreshAuth: async () => (refreshes++, true) }, async () => ({ kind: 'unauthorized', error: err(401) })),
		).rejects.toThrow('HTTP 401');
		expect(refreshes).toBe(1);
	});

	it('redacts tokens from messages', () => {
		expect(redact('Authorization: Bearer abc.def failed for https://hooks.slack.com/services/T1/B2/xyz?token=s3cr3t xoxb-123-456')).not.toMatch(/abc\.def|xyz|s3cr3t|123-456/);
	});
});
