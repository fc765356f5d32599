/*
 * npm run bench:http:queue — deliveries per second into n8n 2.41 in queue mode (issue 13): the setup
 * of the e2e queue suite (test/e2e/lib/n8n-queue.ts: main + two `n8n webhook` processes + one
 * `n8n worker`, PostgreSQL and Redis on 127.0.0.1, a fresh database and Redis prefix, dropped at the
 * end). Two workflows in the same processes: our Plexus Gateway Trigger and n8n's own Webhook node
 * (POST, respond immediately). autocannon spreads its connections over both webhook processes
 * (one URL each); after each run the worker must complete one execution per accepted delivery.
 * The n8n processes are pinned to CPU 0 (or --server-cpus), the load generator to CPU 1 (PostgreSQL
 * and Redis are the machine's services, not pinned).
 *
 *   tsx bench/http/queue.ts [--seconds 10] [--connections 10] [--reps 1] [--concurrency 10] [--server-cpus 0]
 *   --concurrency: the worker's --concurrency (n8n's default is 10)
 *   --server-cpus: the CPUs of the n8n processes (taskset list; default 0, "0,1" for both cores)
 * autocannon counts only the answers it got before the end of the run; the requests still in flight
 * then (at most one per connection) become executions too: completed = accepted + in flight.
 */
import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { arg, engineVars, groupTicks, LOAD_CPU, median, pinSelf, SECRET, signedDelivery } from './common';
import { buildAndPack } from '../../test/e2e/lib/pack';
import { N8N_PACKAGES, nodeType, type N8nEngineSpec } from '../../test/e2e/lib/n8n';
import { createQueueCluster, psql, REDIS_DB, type QueueCluster } from '../../test/e2e/lib/n8n-queue';
import { log, request, sleep, waitFor } from '../../test/e2e/lib/util';


const SECONDS = arg('seconds', 10);
const CONNECTIONS = arg('connections', 10);
const REPS = arg('reps', 1);
const CONCURRENCY = arg('concurrency', 10);
/** CPUs the four n8n processes are pinned to (taskset list); "0,1" lets them use both cores */
const SERVER_CPUS = process.argv.includes('--server-cpus') ? process.argv[process.argv.indexOf('--server-cpus') + 1] : '0';
/** Longest wait for the worker to finish the executions of one run. */
const DRAIN_MAX_MS = 600_000;


interface Result {
	name: string;
	rps: number;
	p50: number;
	p99: number;
	accepted: number;
	non2xx: number;
	errors: number;
	/** executions of the workflow the worker finished (status success) for this run's deliveries */
	completed: number;
	failed: number;
	/** seconds from the end of the load until the worker had finished them */
	drainSeconds: number;
	/** CPU seconds each webhook process used during the load (both must carry it) */
	webhookCpu: [number, number];
	workerCpu: number;
}




/** Executions of a workflow by status, from the cluster's PostgreSQL database. */
function executionCounts(cluster: QueueCluster, workflowId: string): { done: number; success: number; all: number } {
	const out = psql(`SELECT status, count(*) FROM execution_entity WHERE "workflowId" = '${workflowId.replace(/'/g, '')}' GROUP BY status`, cluster.setup.database);
	const by = Object.fromEntries(out.trim().split('\n').filter(Boolean).map((l) => l.split('|')).map(([s, n]) => [s, Number(n)]));
	const all = Object.values(by).reduce((a, b) => a + b, 0);
	const success = by.success ?? 0;
	return { done: success + (by.error ?? 0) + (by.crashed ?? 0) + (by.canceled ?? 0), success, all };
}

/** Waits until every n8n process group uses < 5 % of a core for 2 s. */
async function waitIdle(pgids: number[], what: string, maxMs = 120_000) {
	const t0 = Date.now();
	let quiet = 0;
	let last = pgids.reduce((a, p) => a + groupTicks(p), 0);
	while (Date.now() - t0 < maxMs) {
		await sleep(1000);
		const now = pgids.reduce((a, p) => a + groupTicks(p), 0);
		quiet = now - last <= 5 ? quiet + 1 : 0;
		last = now;
		if (quiet >= 2) return;
	}
	log('bench', `${what}: still busy after ${maxMs / 1000} s, measuring anyway`);
}

async function load(cluster: QueueCluster, name: string, workflowId: string, urls: [string, string]): Promise<Result> {
	const [a, b] = cluster.webhooks.map((w) => w.proc!.child.pid!);
	const workerPg = cluster.worker.proc!.child.pid!;
	const pgids = [cluster.main.proc!.child.pid!, a, b, workerPg];
	await waitIdle(pgids, name);
	const before = executionCounts(cluster, workflowId);
	const ticks = () => [groupTicks(a), groupTicks(b), groupTicks(workerPg)];
	const t0 = ticks();
	const result = await autocannon({
		url: urls,
		connections: CONNECTIONS,
		duration: SECONDS,
		pipelining: 1,
		timeout: 30,
		requests: [
			{
				method: 'POST',
				setupRequest: (req: any) => {
					const d = signedDelivery();
					return { ...req, method: 'POST', headers: d.headers, body: d.body };
				},
			},
		],
	});
	const t1 = ticks();
	const accepted = result['2xx'] as number;
	const loadEnd = Date.now();
	// the worker finishes the queued executions: wait for one finished execution per accepted delivery
	let now = before;
	let lastDone = -1;
	let stalledSince = Date.now();
	while (Date.now() - loadEnd < DRAIN_MAX_MS) {
		now = executionCounts(cluster, workflowId);
		if (now.done - before.done >= accepted && now.all === now.done) break;
		if (now.done !== lastDone) {
			lastDone = now.done;
			stalledSince = Date.now();
		} else if (Date.now() - stalledSince > 60_000) break;
		await sleep(500);
	}
	const drainSeconds = (Date.now() - loadEnd) / 1000;
	const t2 = ticks();
	const res: Result = {
		name,
		rps: result.requests.average,
		p50: result.latency.p50,
		p99: result.latency.p99,
		accepted,
		non2xx: result.non2xx,
		errors: result.errors + result.timeouts,
		completed: now.success - before.success,
		failed: now.done - before.done - (now.success - before.success),
		drainSeconds,
		webhookCpu: [(t1[0] - t0[0]) / 100, (t1[1] - t0[1]) / 100],
		workerCpu: (t2[2] - t0[2]) / 100,
	};
	log('bench', `${name}: ${res.rps.toFixed(0)} req/s, p99 ${res.p99} ms, ${accepted} accepted, non-2xx ${res.non2xx}, errors ${res.errors}; worker completed ${res.completed} (${res.failed} failed) ${drainSeconds.toFixed(1)} s after the load; CPU s webhook A ${res.webhookCpu[0]} / B ${res.webhookCpu[1]}, worker ${res.workerCpu}`);
	return res;
}


async function main() {
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'legalhooks-bench-queue-'));
	const vars = engineVars(['n8n2']);
	const packed = buildAndPack(work, { from: 'worktree' });
	pinSelf();
	const spec: N8nEngineSpec = { label: `n8n ${vars.N8N2_VERSION}`, version: vars.N8N2_VERSION, installDir: vars.N8N2_DIR, nodeBinDir: vars.NODE24_BIN, extraEnv: {}, major: 2, installMode: 'ui', cpuList: SERVER_CPUS };
	const cluster = await createQueueCluster(spec, path.join(work, 'queue'), { workerConcurrency: CONCURRENCY });
	const stopOnSignal = () => void cluster.stop().finally(() => process.exit(130));
	process.once('SIGINT', stopOnSignal);
	process.once('SIGTERM', stopOnSignal);
	const results: Result[] = [];
	let workerRuns = 0;
	let listed = 0;
	try {
		await cluster.start(packed.n8n.filter((p) => p.pkg.name === N8N_PACKAGES['plexus-gateway'].name).map((p) => p.tarball));
		const { main: n8n, webhooks } = cluster;
		const cred = await n8n.createCredential('bench plexus', 'plexusGatewayApi', { secret: SECRET });
		const hookId = randomUUID();
		const ours = await n8n.createWorkflow({
			name: 'bench queue: Plexus trigger',
			nodes: [{ id: randomUUID(), name: 'Trigger', type: nodeType('plexusTrigger'), typeVersion: 1, position: [0, 0], parameters: {}, credentials: { plexusGatewayApi: { id: cred, name: 'bench plexus' } }, webhookId: hookId }],
			connections: {},
		});
		const theirs = await n8n.createWorkflow({
			name: 'bench queue: n8n Webhook',
			nodes: [{ id: randomUUID(), name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], parameters: { httpMethod: 'POST', path: 'bench-queue-webhook', responseMode: 'onReceived', options: {} }, webhookId: randomUUID() }],
			connections: {},
		});
		await n8n.activate(ours);
		await n8n.activate(theirs);
		const urlsOf = (p: string) => webhooks.map((w) => `${w.base}${p}`) as [string, string];
		const cases: Array<[string, string, [string, string]]> = [
			['n8n Webhook node (POST, respond immediately), no check', theirs, urlsOf('/webhook/bench-queue-webhook')],
			['Plexus Gateway Trigger (verify + normalize + dedupe)', ours, urlsOf(`/webhook/${hookId}/webhook`)],
		];
		// each webhook process finds the workflows in the database: wait until both answer 200
		for (const [, , urls] of cases) {
			for (const u of urls) {
				await waitFor(`${u} live`, async () => {
					const d = signedDelivery();
					const r = await request(u, { method: 'POST', headers: d.headers, body: d.body });
					return r.status === 200;
				}, { timeoutMs: 60_000, intervalMs: 500 });
			}
		}
		const runs = new Map<string, Result[]>(cases.map(([name]) => [name, []]));
		for (let rep = 0; rep < REPS; rep++) for (const [name, id, urls] of cases) runs.get(name)!.push(await load(cluster, name, id, urls));
		for (const [name] of cases) {
			const all = runs.get(name)!;
			const sum = (f: (r: Result) => number) => all.reduce((a, r) => a + f(r), 0);
			const rps = all.map((r) => r.rps);
			results.push({
				name: all.length > 1 ? `${name} [req/s ${Math.round(Math.min(...rps))}–${Math.round(Math.max(...rps))}]` : name,
				rps: median(rps),
				p50: median(all.map((r) => r.p50)),
				p99: median(all.map((r) => r.p99)),
				accepted: sum((r) => r.accepted),
				non2xx: sum((r) => r.non2xx),
				errors: sum((r) => r.errors),
				completed: sum((r) => r.completed),
				failed: sum((r) => r.failed),
				drainSeconds: median(all.map((r) => r.drainSeconds)),
				webhookCpu: [sum((r) => r.webhookCpu[0]), sum((r) => r.webhookCpu[1])],
				workerCpu: sum((r) => r.workerCpu),
			});
		}
		workerRuns = (fs.readFileSync(cluster.worker.logFile, 'utf8').match(/Worker started execution/g) ?? []).length;
		listed = executionCounts(cluster, ours).all + executionCounts(cluster, theirs).all;
	} finally {
		await cluster.stop();
	}
	const keysLeft = execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', '6379', '-n', REDIS_DB, '--scan', '--pattern', `${cluster.setup.prefix}*`], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).length;
	const databaseLeft = psql(`SELECT count(*) FROM pg_database WHERE datname = '${cluster.setup.database}'`).trim() !== '0';

	const lines: string[] = [];
	lines.push(
		`node ${process.version} (load generator, CPU ${LOAD_CPU}); ${spec.label} queue mode (main + 2 webhook + 1 worker --concurrency=${CONCURRENCY}, all on CPU ${SERVER_CPUS}; PostgreSQL, Redis db ${REDIS_DB}); autocannon ${CONNECTIONS} connections over both webhook processes, ${SECONDS} s${REPS > 1 ? ` × ${REPS} interleaved, medians` : ''}, fresh signed 1.5 KB Plexus delivery per request`,
		'',
		'| case | req/s | p50 ms | p99 ms | accepted (2xx) | non-2xx / errors | executions completed by the worker | worker done after the load | CPU s webhook A / B | deliveries per webhook CPU-s | CPU s worker | executions per worker CPU-s | req/s vs Webhook node | p99 vs Webhook node |',
		'|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
	);
	const floor = results[0];
	for (const r of results) {
		lines.push(`| ${r.name} | ${Math.round(r.rps).toLocaleString('en-US')} | ${r.p50} | ${r.p99} | ${r.accepted.toLocaleString('en-US')} | ${r.non2xx} / ${r.errors} | ${r.completed.toLocaleString('en-US')}${r.failed ? ` (+${r.failed} failed)` : ''} | ${r.drainSeconds.toFixed(1)} s | ${r.webhookCpu[0].toFixed(1)} / ${r.webhookCpu[1].toFixed(1)} | ${Math.round(r.accepted / Math.max(0.01, r.webhookCpu[0] + r.webhookCpu[1]))} | ${r.workerCpu.toFixed(1)} | ${Math.round(r.completed / Math.max(0.01, r.workerCpu))} | ${(r.rps / floor.rps).toFixed(2)}× | ${(r.p99 / floor.p99).toFixed(2)}× |`);
	}
	lines.push('', `worker log: ${workerRuns} "Worker started execution" lines; database: ${listed} executions in all (probes included); after stop: database ${cluster.setup.database} ${databaseLeft ? 'STILL THERE' : 'dropped'}, ${keysLeft} Redis keys left under ${cluster.setup.prefix}`);
	const md = lines.join('\n');
	process.stdout.write(`\n${md}\n`);
	fs.writeFileSync(path.join(work, 'results.md'), md);
	fs.writeFileSync(path.join(work, 'results.json'), JSON.stringify(results, null, 2));
	log('bench', `results in ${work}/results.{md,json}`);
	// one execution per accepted delivery, plus at most one per connection cut off by the end of a run
	const bad = results.filter((r) => r.non2xx > 0 || r.errors > 0 || r.failed > 0 || r.completed < r.accepted || r.completed > r.accepted + CONNECTIONS * REPS);
	process.exit(bad.length || keysLeft || databaseLeft ? 1 : 0);
}

main().catch((err) => {
	process.stderr.write(`${(err as Error).stack ?? err}\n`);
	process.exit(1);
});
