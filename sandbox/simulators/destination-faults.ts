import type { NextFunction, Request, Response } from 'express';

/**
 * Switchable faults for the destination simulators (Slack, Salesforce, Xero): 429 with Retry-After
 * (and extra headers such as X-Rate-Limit-Problem), 5xx ×N (optionally after the request was
 * applied: the ambiguous case), and a dropped connection. A fault without `path` applies to API
 * calls only, not to the token endpoint.
 */
export interface DestinationFaultMatch {
	method?: string;
	path?: string | RegExp;
}

interface PlannedFault extends DestinationFaultMatch {
	kind: 'status' | 'drop';
	status: number;
	headers: Record<string, string>;
	body?: unknown;
	times: number;
	after: boolean;
}

export interface RecordedRequest {
	method: string;
	path: string;
	query: Record<string, unknown>;
	headers: Record<string, string>;
	body: unknown;
	/** The fault that answered it, if any. */
	fault?: string;
}

export class DestinationFaults {
	private list: PlannedFault[] = [];

	constructor(private readonly isTokenPath: (path: string) => boolean = () => false) {}

	/** The next matching call(s) answer 429 with Retry-After (seconds or an HTTP date). */
	rateLimit(options: { times?: number; retryAfter?: string; headers?: Record<string, string>; body?: unknown } & DestinationFaultMatch = {}): void {
		const headers = { ...(options.retryAfter === '' ? {} : { 'Retry-After': options.retryAfter ?? '1' }), ...options.headers };
		this.list.push({ kind: 'status', status: 429, headers, body: options.body, times: options.times ?? 1, after: false, method: options.method, path: options.path });
	}

	/** The next matching call(s) answer 5xx; with `after` the request is applied first, then 5xx. */
	serverError(options: { times?: number; status?: number; after?: boolean; body?: unknown } & DestinationFaultMatch = {}): void {
		this.list.push({ kind: 'status', status: options.status ?? 500, headers: {}, body: options.body, times: options.times ?? 1, after: options.after ?? false, method: options.method, path: options.path });
	}

	/** The next matching call(s) lose the connection without an answer (network error). */
	drop(options: { times?: number; after?: boolean } & DestinationFaultMatch = {}): void {
		this.list.push({ kind: 'drop', status: 0, headers: {}, times: options.times ?? 1, after: options.after ?? false, method: options.method, path: options.path });
	}

	/** A custom status/body/headers for the next matching call(s). */
	respond(status: number, body: unknown, options: { times?: number; headers?: Record<string, string> } & DestinationFaultMatch = {}): void {
		this.list.push({ kind: 'status', status, headers: options.headers ?? {}, body, times: options.times ?? 1, after: false, method: options.method, path: options.path });
	}

	clear(): void {
		this.list = [];
	}

	get pending(): number {
		return this.list.reduce((sum, f) => sum + f.times, 0);
	}

	private take(req: Request, after: boolean): PlannedFault | undefined {
		const index = this.list.findIndex(
			(f) =>
				f.after === after &&
				(!f.method || f.method.toUpperCase() === req.method.toUpperCase()) &&
				(f.path ? (typeof f.path === 'string' ? req.path.includes(f.path) : f.path.test(req.path)) : !this.isTokenPath(req.path)),
		);
		if (index === -1) return undefined;
		const fault = this.list[index];
		fault.times -= 1;
		if (fault.times <= 0) this.list.splice(index, 1);
		return fault;
	}

	/** Express middleware: records every request, then applies a matching fault. */
	middleware(log: RecordedRequest[]) {
		return (req: Request, res: Response, next: NextFunction): void => {
			const entry: RecordedRequest = {
				method: req.method,
				path: req.path,
				query: { ...req.query },
				headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)])),
				body: req.body,
			};
			log.push(entry);
			const before = this.take(req, false);
			if (before) {
				entry.fault = before.kind === 'drop' ? 'drop' : String(before.status);
				if (before.kind === 'drop') {
					req.socket.destroy();
					return;
				}
				res.status(before.status).set(before.headers).json(before.body ?? { error: `simulated ${before.status}` });
				return;
			}
			const after = this.take(req, true);
			if (after) {
				entry.fault = `${after.kind === 'drop' ? 'drop' : after.status} after apply`;
				const originalJson = res.json.bind(res);
				const intercept = () => {
					res.json = originalJson;
					res.send = originalSend;
					if (after.kind === 'drop') req.socket.destroy();
					else originalJson.call(res.status(after.status).set(after.headers), after.body ?? { error: `simulated ${after.status}` });
					return res;
				};
				const originalSend = res.send.bind(res);
				res.json = intercept as typeof res.json;
				res.send = intercept as typeof res.send;
			}
			next();
		};
	}
}

export function bearer(req: Request): string | undefined {
	const header = req.headers.authorization;
	return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : undefined;
}
