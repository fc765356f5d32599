/*
 * n8n 2.x in queue mode on this machine (issue 13): PostgreSQL (a throwaway database) and Redis (db 7,
 * a key prefix of its own) on 127.0.0.1; one main process (editor, API, activation; no production
 * webhooks), two `n8n webhook` processes behind a round-robin balancer that WEBHOOK_URL points at,
 * one `n8n worker`, each on its own port and task-broker port. Used by suites/n8n-queue.ts and
 * bench/http/queue.ts; stop() leaves no process, database or Redis key behind.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { N8n, type N8nEngineSpec } from './n8n';
import { installAndStart } from './n8n-installer';
import { E2EError, freePort, log, Proc, request, waitFor } from './util';

export const REDIS_DB = '7';

export interface QueueSetup {
	database: string;
	prefix: string;
	publicUrl: string;
}

/** The main process: PostgreSQL, queue mode, production webhooks left to the webhook processes. */
export class QueueMain extends N8n {
	constructor(
		spec: N8nEngineSpec,
		work: string,
		readonly setup: QueueSetup,
	) {
		super(spec, work);
	}
	env(): NodeJS.ProcessEnv {
		const { DB_SQLITE_POOL_SIZE, ...env } = super.env();
		void DB_SQLITE_POOL_SIZE;
		return {
			...env,
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: '5432',
			DB_POSTGRESDB_DATABASE: this.setup.database,
			DB_POSTGRESDB_USER: 'postgres',
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: '6379',
			QUEUE_BULL_REDIS_DB: REDIS_DB,
			QUEUE_BULL_PREFIX: this.setup.prefix,
			// n8n's other Redis keys (the webhook cache, pub/sub, instance state) default to "n8n:…", shared
			// by every run: a second run found the first's cached webhooks and refused activation (409)
			N8N_REDIS_KEY_PREFIX: this.setup.prefix,
			N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			WEBHOOK_URL: `${this.setup.publicUrl}/`,
		};
	}
}

/** `n8n webhook` or `n8n worker` sharing main's database, queue and user folder. */
export class QueueProcess {
	proc?: Proc;
	port = 0;
	brokerPort = 0;
	constructor(
		readonly main: QueueMain,
		readonly role: 'webhook' | 'worker',
		readonly name: string,
		readonly logFile: string,
		readonly workerConcurrency = 4,
	) {}
	get base() {
		return `http://127.0.0.1:${this.port}`;
	}
	async start() {
		if (!this.port) {
			this.port = await freePort();
			this.brokerPort = await freePort();
		}
		const env: NodeJS.ProcessEnv = { ...this.main.env(), N8N_RUNNERS_BROKER_PORT: String(this.brokerPort) };
		if (this.role === 'webhook') env.N8N_PORT = String(this.port);
		else Object.assign(env, { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(this.port), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' });
		const bin = path.join(this.main.spec.installDir, 'node_modules', 'n8n', 'bin', 'n8n');
		fs.appendFileSync(this.logFile, `\n===== start ${new Date().toISOString()} =====\n`);
		const args = [bin, this.role, ...(this.role === 'worker' ? [`--concurrency=${this.workerConcurrency}`] : [])];
		const cpus = this.main.spec.cpuList;
		this.proc = new Proc(this.name, cpus ? 'taskset' : 'node', cpus ? ['-c', cpus, 'node', ...args] : args, { cwd: this.main.userFolder, env, logFile: this.logFile });
		const t0 = Date.now();
		await waitFor(
			`${this.name} /healthz`,
			async () => {
				if (!this.proc!.running) throw new E2EError(`${this.name} exited with code ${this.proc!.exitCode}\n${fs.readFileSync(this.logFile, 'utf8').split('\n').slice(-30).join('\n')}`);
				return (await request(`${this.base}/healthz`, { timeoutMs: 3000 }).catch(() => ({ status: 0 }))).status === 200;
			},
			{ timeoutMs: 180_000, intervalMs: 500 },
		);
		log(this.name, `up on :${this.port} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	}
	async stop() {
		await this.proc?.stop(20_000);
	}
}

/** A load balancer in front of the webhook processes: round robin, or the backend pinned for the next request. */
export async function startBalancer(backends: () => string[]) {
	let turn = 0;
	let pinned: number | undefined;
	const served = [0, 0];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const i = pinned ?? turn++ % 2;
			pinned = undefined;
			served[i] += 1;
			const target = new URL(req.url ?? '/', backends()[i]);
			const headers = { ...req.headers, host: target.host };
			const out = http.request({ hostname: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers }, (up) => {
				res.writeHead(up.statusCode ?? 502, up.headers);
				up.pipe(res);
			});
			out.on('error', () => res.writeHead(502).end('{"error":"backend down"}'));
			out.end(Buffer.concat(chunks));
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		served,
		pin(i: 0 | 1) {
			pinned = i;
		},
		close: () => new Promise<void>((r) => server.close(() => r())),
	};
}

export function psql(sql: string, database = 'postgres'): string {
	return execFileSync('psql', ['-h', '127.0.0.1', '-p', '5432', '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-qAtc', sql], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function dropRedisKeys(prefix: string) {
	try {
		execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', '6379', '-n', REDIS_DB, 'EVAL', "for _,k in ipairs(redis.call('keys', ARGV[1])) do redis.call('del', k) end return 1", '0', `${prefix}*`], { stdio: 'ignore' });
	} catch {
		/* best effort */
	}
}

export type QueueCluster = Awaited<ReturnType<typeof createQueueCluster>>;

/**
 * A new database and Redis prefix (random tag), the balancer, and the four processes (not started:
 * start() installs our tarballs as spec.installMode says (lib/n8n-installer.ts), starts main, sets up the owner,
 * then the webhook processes and the worker). stop() ends them and drops the database and keys.
 */
export async function createQueueCluster(spec: N8nEngineSpec, dir: string, options: { workerConcurrency?: number } = {}) {
	fs.mkdirSync(dir, { recursive: true });
	const tag = randomBytes(4).toString('hex');
	const setup: QueueSetup = { database: `legalhooks_e2e_queue_${tag}`, prefix: `legalhooks-e2e-${tag}`, publicUrl: '' };
	psql(`CREATE DATABASE ${setup.database}`);
	const webhooks: QueueProcess[] = [];
	const lb = await startBalancer(() => webhooks.map((w) => w.base));
	setup.publicUrl = lb.url;
	const main = new QueueMain({ ...spec, label: `${spec.label} main` }, dir, setup);
	webhooks.push(new QueueProcess(main, 'webhook', `${spec.label} webhook A`, path.join(dir, 'webhook-a.log')), new QueueProcess(main, 'webhook', `${spec.label} webhook B`, path.join(dir, 'webhook-b.log')));
	const worker = new QueueProcess(main, 'worker', `${spec.label} worker`, path.join(dir, 'worker.log'), options.workerConcurrency);
	return {
		setup,
		lb,
		main,
		webhooks,
		worker,
		async start(tarballs: string[]) {
			await installAndStart(main, tarballs);
			await Promise.all([...webhooks.map((w) => w.start()), worker.start()]);
		},
		logFiles: () => [main.logFile, ...webhooks.map((w) => w.logFile), worker.logFile],
		async stop() {
			await Promise.all([main.stop(), ...webhooks.map((w) => w.stop()), worker.stop()].map((p) => p.catch(() => undefined)));
			await lb.close().catch(() => undefined);
			try {
				psql(`DROP DATABASE IF EXISTS ${setup.database}`);
			} catch {
				/* best effort */
			}
			dropRedisKeys(setup.prefix);
		},
	};
}
