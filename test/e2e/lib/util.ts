/* Small process / HTTP helpers for the real-engine e2e. Not a jest test (run with tsx). */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as http from 'node:http';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class E2EError extends Error {}

export function fail(message: string): never {
	throw new E2EError(message);
}

export function check(cond: unknown, message: string): asserts cond {
	if (!cond) fail(message);
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as net.AddressInfo;
			srv.close(() => resolve(port));
		});
	});
}

export async function waitFor<T>(
	what: string,
	fn: () => Promise<T | undefined | null | false>,
	{ timeoutMs = 30_000, intervalMs = 250 } = {},
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let lastErr: unknown;
	while (Date.now() < deadline) {
		try {
			const v = await fn();
			if (v) return v as T;
		} catch (e) {
			lastErr = e;
		}
		await sleep(intervalMs);
	}
	fail(`timed out after ${timeoutMs} ms waiting for ${what}${lastErr ? ` (last error: ${(lastErr as Error).message})` : ''}`);
}

/** Waits `ms` and checks `fn` stays true the whole time (for "nothing more happened" checks). */
export async function stays(what: string, fn: () => Promise<boolean>, ms = 1500, intervalMs = 250): Promise<void> {
	const deadline = Date.now() + ms;
	while (Date.now() < deadline) {
		if (!(await fn())) fail(`expected ${what} to hold for ${ms} ms, it did not`);
		await sleep(intervalMs);
	}
}

export interface HttpResult {
	status: number;
	headers: http.IncomingHttpHeaders;
	text: string;
	json?: any;
}

/** Raw HTTP so the exact signed bytes go out (fetch would be fine too, but this keeps Buffers exact). */
export function request(
	url: string,
	opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer; timeoutMs?: number } = {},
): Promise<HttpResult> {
	return new Promise((resolve, reject) => {
		const u = new URL(url);
		const body = opts.body === undefined ? undefined : Buffer.isBuffer(opts.body) ? opts.body : Buffer.from(opts.body);
		const headers: Record<string, string> = { ...(opts.headers ?? {}) };
		if (body && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) headers['content-length'] = String(body.length);
		const req = http.request(
			{ hostname: u.hostname, port: u.port, path: u.pathname + u.search, method: opts.method ?? (body ? 'POST' : 'GET'), headers },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let json: any;
					try {
						json = text ? JSON.parse(text) : undefined;
					} catch {
						/* not JSON */
					}
					resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
				});
			},
		);
		req.setTimeout(opts.timeoutMs ?? 30_000, () => req.destroy(new Error(`timeout ${opts.method ?? 'GET'} ${url}`)));
		req.on('error', reject);
		if (body) req.write(body);
		req.end();
	});
}

export function jsonRequest(url: string, method: string, body?: unknown, headers: Record<string, string> = {}) {
	return request(url, {
		method,
		headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
}

/** A child process in its own process group, output to a log file, stopped by PID. */
export class Proc {
	child: ChildProcess;
	exited: Promise<number | null>;
	exitCode: number | null | undefined;
	constructor(
		readonly name: string,
		cmd: string,
		args: string[],
		opts: { cwd: string; env: NodeJS.ProcessEnv; logFile: string },
	) {
		const out = fs.openSync(opts.logFile, 'a');
		this.child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', out, out], detached: true });
		fs.closeSync(out);
		this.logFile = opts.logFile;
		this.exited = new Promise((resolve) => this.child.on('exit', (code) => { this.exitCode = code; resolve(code); }));
		live.add(this);
		this.exited.then(() => live.delete(this));
	}
	logFile: string;
	get running() {
		return this.exitCode === undefined;
	}
	async stop(timeoutMs = 15_000): Promise<void> {
		if (!this.running) return;
		try {
			process.kill(-this.child.pid!, 'SIGTERM');
		} catch {
			/* gone */
		}
		const t = sleep(timeoutMs).then(() => 'timeout');
		if ((await Promise.race([this.exited, t])) === 'timeout') {
			try {
				process.kill(-this.child.pid!, 'SIGKILL');
			} catch {
				/* gone */
			}
			await this.exited;
		}
	}
}

const live = new Set<Proc>();
function killAll() {
	for (const p of live) {
		try {
			process.kill(-p.child.pid!, 'SIGKILL');
		} catch {
			/* gone */
		}
	}
}
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
	process.on(sig, () => {
		killAll();
		process.exit(130);
	});
}

export function tail(file: string, lines = 60): string {
	try {
		const all = fs.readFileSync(file, 'utf8').split('\n');
		return all.slice(-lines).join('\n');
	} catch {
		return `(no log at ${file})`;
	}
}

export function log(scope: string, msg: string) {
	const t = new Date().toISOString().slice(11, 19);
	process.stderr.write(`[e2e ${t}] ${scope}: ${msg}\n`);
}

/**
 * PATH without the node_modules/.bin folders `npm run`/npx put first: the engines and their npm
 * installs must use the machine's node and npm, not a copy some dev dependency ships (node-red
 * depends on npm 10).
 */
export function systemPath(prefix?: string): string {
	const parts = (process.env.PATH ?? '').split(':').filter((p) => p && !/node_modules[\\/]\.bin$/.test(p) && !/node-gyp-bin$/.test(p));
	return [...(prefix ? [prefix] : []), ...parts].join(':');
}

/** The machine's CA / proxy settings, passed through to engines and their npm (a clean env otherwise). */
export function networkEnv(): NodeJS.ProcessEnv {
	const keep = ['NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy', 'npm_config_registry', 'npm_config_cafile'];
	return Object.fromEntries(keep.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]]));
}

/** The environment the engine installer runs in: the machine's network settings and nothing of npm's. */
export function engineInstallEnv(): NodeJS.ProcessEnv {
	const pass = ['HOME', 'LANG', 'TMPDIR', 'LEGALHOOKS_E2E_CACHE'];
	return {
		...networkEnv(),
		...Object.fromEntries(pass.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]])),
		PATH: systemPath(),
	};
}
