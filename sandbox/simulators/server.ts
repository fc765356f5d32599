import type { Express, NextFunction, Request, Response } from 'express';
import type { AddressInfo, Socket } from 'node:net';
import * as http from 'node:http';

/**
 * Shared plumbing for the vendor/destination simulators: listen on 127.0.0.1:0, close with hung
 * requests still open, fault switches, and a sender for deliveries.
 */

export interface FaultMatch {
	method?: string;
	/** Substring or pattern of the request path (without query). */
	path?: string | RegExp;
}

export interface Fault extends FaultMatch {
	kind: 'status' | 'hang' | 'reset' | 'delay';
	/** For `delay`: how long the answer waits (ms); the handler then runs as usual. */
	delayMs?: number;
	status?: number;
	body?: unknown;
	/** Headers of a `status` answer (e.g. a 429's Retry-After). */
	headers?: Record<string, string>;
	/** How many matching requests it applies to (default 1). */
	times: number;
	/** Apply after the handler changed state (the vendor did the work, then failed / hung). */
	after: boolean;
	/** Let this many matching requests through first. */
	skip: number;
}

export class Faults {
	private list: Fault[] = [];
	private readonly skippedBy = new WeakMap<Request, Set<Fault>>();

	/** The next matching call answers `status` (default 500) before doing anything. */
	failNext(status = 500, match: FaultMatch = {}, options: { times?: number; after?: boolean; body?: unknown; skip?: number; headers?: Record<string, string> } = {}): void {
		this.list.push({ ...match, kind: 'status', status, body: options.body, headers: options.headers, times: options.times ?? 1, after: options.after ?? false, skip: options.skip ?? 0 });
	}

	/** The next matching call never answers (the client times out). */
	hangNext(match: FaultMatch = {}, options: { times?: number; after?: boolean; skip?: number } = {}): void {
		this.list.push({ ...match, kind: 'hang', times: options.times ?? 1, after: options.after ?? false, skip: options.skip ?? 0 });
	}

	/**
	 * The next matching call loses its connection (the client sees no answer at once, as after a
	 * timeout or a dropped connection, without waiting for the client's timer).
	 */
	dropNext(match: FaultMatch = {}, options: { times?: number; after?: boolean; skip?: number } = {}): void {
		this.list.push({ ...match, kind: 'reset', times: options.times ?? 1, after: options.after ?? false, skip: options.skip ?? 0 });
	}

	/** The next matching call is answered `ms` later (as usual otherwise): a slow vendor. */
	delayNext(ms: number, match: FaultMatch = {}, options: { times?: number } = {}): void {
		this.list.push({ ...match, kind: 'delay', delayMs: ms, times: options.times ?? 1, after: false, skip: 0 });
	}

	/** The next matching call answers 404. */
	notFoundNext(match: FaultMatch = {}, options: { times?: number } = {}): void {
		this.failNext(404, match, options);
	}

	clear(): void {
		this.list = [];
	}

	get pending(): number {
		return this.list.length;
	}

	take(req: Request, after: boolean): Fault | undefined {
		const path = req.originalUrl.split('?')[0];
		const matches = (f: Fault) =>
			(!f.method || f.method.toUpperCase() === req.method.toUpperCase()) &&
			(!f.path || (typeof f.path === 'string' ? path.includes(f.path) : f.path.test(path)));
		// Each request counts once against `skip` (in the before pass), and is then let through.
		const skipped = new Set<Fault>();
		if (!after) {
			for (const f of this.list) {
				if (f.skip > 0 && matches(f)) {
					f.skip -= 1;
					skipped.add(f);
					this.skippedBy.set(req, skipped);
				}
			}
		}
		const passed = this.skippedBy.get(req) ?? skipped;
		const index = this.list.findIndex((f) => f.after === after && f.skip === 0 && !passed.has(f) && matches(f));
		if (index === -1) return undefined;
		const fault = this.list[index];
		fault.times -= 1;
		if (fault.times <= 0) this.list.splice(index, 1);
		return fault;
	}
}

function apply(fault: Fault, res: Response, send: (body: unknown) => unknown): void {
	if (fault.kind === 'hang') return; // never answer; the socket is destroyed on close()
	if (fault.kind === 'reset') {
		res.socket?.destroy();
		return;
	}
	res.status(fault.status ?? 500);
	for (const [name, value] of Object.entries(fault.headers ?? {})) res.setHeader(name, value);
	send(fault.body ?? { error: `simulated ${fault.status ?? 500}` });
}

/** Express middleware: faults that fire before the handler, and ones that replace its answer. */
export function faultMiddleware(faults: Faults) {
	return (req: Request, res: Response, next: NextFunction) => {
		const before = faults.take(req, false);
		if (before?.kind === 'delay') return void setTimeout(next, before.delayMs ?? 0);
		if (before) return apply(before, res, (body) => res.json(body));
		const after = faults.take(req, true);
		if (after) {
			const originalJson = res.json.bind(res);
			const originalSend = res.send.bind(res);
			const originalEnd = res.end.bind(res) as (...args: unknown[]) => Response;
			let applied = false;
			const restore = () => {
				res.json = originalJson;
				res.send = originalSend;
				res.end = originalEnd as typeof res.end;
			};
			const intercept = () => {
				if (!applied) {
					applied = true;
					restore();
					apply(after, res, (body) => originalJson(body));
				}
				return res;
			};
			res.json = intercept as typeof res.json;
			res.send = intercept as typeof res.send;
			res.end = intercept as unknown as typeof res.end;
		}
		next();
	};
}

export interface RunningServer {
	url: string;
	port: number;
	close(): Promise<void>;
}

export async function listen(app: Express): Promise<RunningServer> {
	const server = http.createServer(app);
	const sockets = new Set<Socket>();
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		close: () =>
			new Promise<void>((resolve) => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
}

export interface SentDelivery {
	url: string;
	status: number;
	body: string;
}

/** POSTs exact bytes to a URL (query merged in), the way a vendor's webhook sender does. */
export async function sendDelivery(
	target: string,
	delivery: { headers: Record<string, string>; query?: Record<string, string>; body: string | Buffer },
	timeoutMs = 30_000,
): Promise<SentDelivery> {
	const url = new URL(target);
	for (const [key, value] of Object.entries(delivery.query ?? {})) url.searchParams.set(key, value);
	const body = typeof delivery.body === 'string' ? Buffer.from(delivery.body) : delivery.body;
	return new Promise<SentDelivery>((resolve, reject) => {
		const req = http.request(
			url,
			{ method: 'POST', headers: { ...delivery.headers, 'content-length': String(body.length) }, timeout: timeoutMs },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () => resolve({ url: url.toString(), status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
				res.on('error', reject);
			},
		);
		req.on('timeout', () => req.destroy(new Error(`delivery to ${url.host} timed out`)));
		req.on('error', reject);
		req.end(body);
	});
}
