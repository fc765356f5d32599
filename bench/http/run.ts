/*
 * npm run bench:http — requests/s and p99 for signed Plexus deliveries over HTTP, in one run:
 *   (a) Node-RED 4.1 (Node 20): our legalhooks-plexus-trigger, beside the engine floor (a minimal
 *       node in the same Node-RED serving the same kind of route: httpNode middleware with the same
 *       body-parser guard, reads the body, answers 200), the bound (the floor plus what every delivery
 *       must do: the HMAC check, JSON.parse, node.send; and with a seen-id check in the context; see
 *       floor-node.ts), Node-RED's own `http in` → `http response` (no check) and a bare express
 *       route doing the same HMAC check (the ceiling);
 *   (b) n8n (2.41.1 on Node 24 by default, --n8n 1 for 1.123.81 on Node 20): our Plexus Gateway
 *       Trigger beside n8n's own Webhook node, in the same n8n.
 * Engines come from the e2e cache (test/e2e/engines/install.sh), our packages from `npm pack`, as
 * users install them. Servers are pinned to CPU 0 and the load generator to CPU 1, on 127.0.0.1 only.
 *
 *   tsx bench/http/run.ts [--seconds 10] [--connections 10] [--n8n-seconds 10] [--n8n 2] [--rounds 1]
 *                         [--reps 1] [--skip-n8n] [--profile] [--compare <tree> [--swap]] [--warmup 2]
 *   --profile: one more Node-RED run of the trigger alone under --cpu-prof, n8n's trigger too, and their
 *   top entries; --compare: the trigger of another source tree (a clone of another commit with its
 *   node_modules, built and packed there) in a second Node-RED, interleaved with ours in the same run;
 *   --swap: that tree in the first Node-RED and ours in the second (the first also serves the floor
 *   cases and starts warmer: alternate runs with and without --swap).
 */
import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { arg, engineVars, groupTicks, LOAD_CPU, median, pinSelf, SECRET, signedDelivery } from './common';
import { buildAndPack } from '../../test/e2e/lib/pack';
import { N8n, N8N_PACKAGES, nodeType } from '../../test/e2e/lib/n8n';
import { NodeRed } from '../../test/e2e/lib/nodered';
import { freePort, log, Proc, request, sleep, waitFor } from '../../test/e2e/lib/util';
import { topEntries } from '../profile/top';
import { BOUND_PATH, FLOOR_PATH, installFloorNode } from './floor-node';

const SERVER_CPU = '0';

const SECONDS = arg('seconds', 10);
const N8N_SECONDS = arg('n8n-seconds', SECONDS);
const CONNECTIONS = arg('connections', 10);
const N8N_LINE = arg('n8n', 2);
const ROUNDS = arg('rounds', 1);
const SKIP_N8N = process.argv.includes('--skip-n8n');
/** Repetitions of each case within one engine start, interleaved; medians reported. */
const REPS = arg('reps', 1);
/** Seconds of unmeasured load on each case before the first repetition. */
const WARMUP = arg('warmup', 2);
const PROFILE = process.argv.includes('--profile');
/** Another source tree (a clone of another commit, with its node_modules): its trigger in a second Node-RED, beside ours in the same run. */
const COMPARE = process.argv.includes('--compare') ? path.resolve(process.argv[process.argv.indexOf('--compare') + 1]) : undefined;
/** With --compare: the other tree in the first Node-RED (the one that also serves the floor cases), this tree in the second. */
const SWAP = process.argv.includes('--swap');


interface Result {
	group: string;
	name: string;
	rps: number;
	p50: number;
	p99: number;
	requests: number;
	non2xx: number;
	errors: number;
	timeouts: number;
	/** Requests answered per CPU-second of the server's whole process group (steadier than req/s on a shared machine). */
	perCpuSecond: number;
}


/** Waits until the server group uses < 5 % of a core for 2 s (n8n drains queued executions after a run). */
async function waitIdle(pgid: number, what: string, maxMs = 120_000) {
	const t0 = Date.now();
	let quiet = 0;
	let last = groupTicks(pgid);
	while (Date.now() - t0 < maxMs) {
		await sleep(1000);
		const now = groupTicks(pgid);
		quiet = now - last <= 5 ? quiet + 1 : 0; // 100 ticks/s per core
		last = now;
		if (quiet >= 2) return;
	}
	log('bench', `${what}: still busy after ${maxMs / 1000} s, measuring anyway`);
}

function signedLoad(url: string, seconds: number) {
	return autocannon({
		url,
		connections: CONNECTIONS,
		duration: seconds,
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
}

async function load(group: string, name: string, url: string, seconds: number, pgid: number): Promise<Result> {
	// a correct delivery first: the route must answer 2xx before we measure it
	const probe = signedDelivery();
	const r = await request(url, { method: 'POST', headers: probe.headers, body: probe.body });
	if (r.status < 200 || r.status >= 300) throw new Error(`${name}: probe → ${r.status} ${r.text.slice(0, 200)}`);
	await waitIdle(pgid, name);
	const ticksBefore = groupTicks(pgid);
	const result = await signedLoad(url, seconds);
	const res: Result = {
		group,
		name,
		rps: result.requests.average,
		p50: result.latency.p50,
		p99: result.latency.p99,
		requests: result.requests.total,
		non2xx: result.non2xx,
		errors: result.errors,
		timeouts: result.timeouts,
		perCpuSecond: result.requests.total / Math.max(0.01, (groupTicks(pgid) - ticksBefore) / 100),
	};
	log('bench', `${name}: ${res.rps.toFixed(0)} req/s, ${res.perCpuSecond.toFixed(0)} per server CPU-second, p99 ${res.p99} ms, ${res.requests} requests, non-2xx ${res.non2xx}, errors ${res.errors}`);
	await waitIdle(pgid, `${name} (drain)`);
	return res;
}


/**
 * Each case `REPS` times, interleaved (a, b, c, a, b, c, …) so that load from other work on the
 * machine falls on every case alike; one result per case with the medians (and the range of req/s
 * in its name when there was more than one repetition).
 */
async function interleaved(group: string, cases: Array<[string, string] | [string, string, number]>, seconds: number, pgid: number): Promise<Result[]> {
	const runs = new Map<string, Result[]>(cases.map(([name]) => [name, []]));
	// Unmeasured, so that no case is measured while V8 still compiles its code (the first one was).
	if (WARMUP > 0) for (const [name, url] of cases) (log('bench', `${name}: ${WARMUP} s warm-up`), await signedLoad(url, WARMUP));
	for (let rep = 0; rep < REPS; rep++) for (const [name, url, own] of cases) runs.get(name)!.push(await load(group, name, url, seconds, own ?? pgid));
	return cases.map(([name]) => {
		const all = runs.get(name)!;
		const rps = all.map((r) => r.rps);
		const range = all.length > 1 ? ` [req/s ${Math.round(Math.min(...rps))}–${Math.round(Math.max(...rps))}]` : '';
		return {
			group,
			name: `${name}${range}`,
			rps: median(rps),
			p50: median(all.map((r) => r.p50)),
			p99: median(all.map((r) => r.p99)),
			requests: all.reduce((sum, r) => sum + r.requests, 0),
			non2xx: all.reduce((sum, r) => sum + r.non2xx, 0),
			errors: all.reduce((sum, r) => sum + r.errors, 0),
			timeouts: all.reduce((sum, r) => sum + r.timeouts, 0),
			perCpuSecond: median(all.map((r) => r.perCpuSecond)),
		};
	});
}

/** The ceiling: express + the same raw-body HMAC-SHA512 check + JSON.parse, nothing else. */
const EXPRESS_SERVER = `
const express = require(${JSON.stringify(path.resolve(__dirname, '../../node_modules/express'))});
const crypto = require('node:crypto');
const secret = process.env.SECRET;
const app = express();
app.post('/hook', express.raw({ type: '*/*', limit: '25mb' }), (req, res) => {
	const given = Buffer.from(String(req.headers['plexus-webhook-signature'] || ''), 'hex');
	const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
	const want = crypto.createHmac('sha512', secret).update(raw).digest();
	if (given.length !== want.length || !crypto.timingSafeEqual(given, want)) return res.status(401).json({ error: 'bad signature' });
	let body;
	try { body = JSON.parse(raw.toString('utf8')); } catch { return res.status(400).json({ error: 'bad json' }); }
	if (!body || typeof body.id !== 'string') return res.status(400).json({ error: 'bad shape' });
	res.json({ received: true });
});
app.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
`;

/**
 * Preloaded into a profiled engine: V8's sampling profiler, started by SIGWINCH once the engine is up
 * (so start-up is not in it; engines leave SIGWINCH alone, Node-RED stops on SIGUSR2) and written as a
 * .cpuprofile when the process exits (Node 20
 * refuses --cpu-prof in NODE_OPTIONS; --require is allowed).
 */
const PROFILE_PRELOAD = `
const inspector = require('node:inspector');
const fs = require('node:fs');
const path = require('node:path');
const session = new inspector.Session();
session.connect();
session.post('Profiler.enable');
let started = false;
process.on('SIGWINCH', () => {
	if (!started) session.post('Profiler.start');
	started = true;
});
let written = false;
process.on('exit', () => {
	if (written || !started) return;
	written = true;
	session.post('Profiler.stop', (error, result) => {
		if (!error) fs.writeFileSync(path.join(process.env.LEGALHOOKS_PROFILE_DIR, process.pid + '.cpuprofile'), JSON.stringify(result.profile));
	});
});
`;

/** An engine whose Node processes run under the profiler from now on (so not while npm installed it). */
function profiled<T extends { env(): NodeJS.ProcessEnv }>(engine: T, profileDir: string): T {
	fs.mkdirSync(profileDir, { recursive: true });
	const preload = path.join(profileDir, 'preload.js');
	fs.writeFileSync(preload, PROFILE_PRELOAD);
	const env = engine.env.bind(engine);
	engine.env = () => ({ ...env(), NODE_OPTIONS: `--require ${preload}`, LEGALHOOKS_PROFILE_DIR: profileDir });
	return engine;
}

/** The Node-RED package of another tree (`--compare`), built and packed there as buildAndPack does ours. */
function packNodeRedOf(tree: string, out: string): string {
	log('pack', `npm run build in ${tree}`);
	execFileSync('npm', ['run', 'build'], { cwd: tree, stdio: ['ignore', process.stderr, process.stderr] });
	fs.mkdirSync(out, { recursive: true });
	const json = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], { cwd: path.join(tree, 'node-red'), encoding: 'utf8' }));
	return path.join(out, json[0].filename);
}

/** The same flow in every Node-RED of the run: the floor and bound nodes, our trigger, `http in` → `http response`. */
function benchFlow(baseUrl: string) {
	return [
		{ id: 'tab', type: 'tab', label: 'bench' },
		{ id: 'floor', type: 'legalhooks-bench-floor', z: 'tab', wires: [[]] },
		{ id: 'bound', type: 'legalhooks-bench-floor', z: 'tab', mode: 'mandatory', path: 'mandatory', secret: SECRET, wires: [[]] },
		{ id: 'bound-seen', type: 'legalhooks-bench-floor', z: 'tab', mode: 'seen', path: 'seen', secret: SECRET, wires: [[]] },
		{ id: 'acct', type: 'legalhooks-plexus-account', name: 'bench', baseUrl, credentials: { secret: SECRET } },
		{ id: 'trig', type: 'legalhooks-plexus-trigger', z: 'tab', account: 'acct', path: 'bench', wires: [[]] },
		{ id: 'in', type: 'http in', z: 'tab', url: '/bare', method: 'post', upload: false, swaggerDoc: '', wires: [['out']] },
		{ id: 'out', type: 'http response', z: 'tab', statusCode: '200', headers: {}, wires: [] },
	];
}

async function startNodeRed(label: string, version: string, installDir: string, tarball: string, work: string): Promise<NodeRed> {
	const nr = new NodeRed({ label, version, installDir, installMode: 'readme', cpuList: SERVER_CPU }, work);
	nr.installPackage(tarball, 'readme');
	installFloorNode(nr.userDir);
	await nr.start();
	await nr.deploy(benchFlow(nr.base));
	await waitFor(`${label} routes`, async () => [401, 405].includes((await request(`${nr.base}/legalhooks/plexus/bench`)).status));
	return nr;
}

function printProfileTop(label: string, dir: string) {
	const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')) : [];
	if (files.length === 0) return log('bench', `${label}: no CPU profile was written in ${dir}`);
	const biggest = files.map((f) => path.join(dir, f)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
	process.stdout.write(`\n${label}: top entries by self time (${biggest})\n${topEntries(biggest, 25, true).join('\n')}\n`);
}



async function main() {
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'legalhooks-bench-http-'));
	const n8nKey = N8N_LINE === 1 ? 'n8n1' : 'n8n2';
	// With --skip-n8n, only Node-RED: no n8n install to wait for.
	const vars = engineVars(SKIP_N8N ? ['nr4'] : ['nr4', n8nKey]);
	const packed = buildAndPack(work, { from: 'worktree' });
	const compareTarball = COMPARE ? packNodeRedOf(COMPARE, path.join(work, 'compare-tarball')) : undefined;
	pinSelf();
	const results: Result[] = [];
	const procs: Proc[] = [];
	try {
		for (let round = 0; round < ROUNDS; round++) {
			// ---------- (a) Node-RED vs bare express ----------
			const swapped = SWAP && compareTarball !== undefined;
			const nr = await startNodeRed(`Node-RED ${vars.NR4_VERSION}`, vars.NR4_VERSION, vars.NR4_DIR, swapped ? compareTarball : packed.nodeRed.tarball, work);
			const nrPg = nr.proc!.child.pid!;
			// Idle while the other is loaded; each case is counted on its own process group.
			const other = compareTarball ? await startNodeRed(`Node-RED ${vars.NR4_VERSION} (second)`, vars.NR4_VERSION, vars.NR4_DIR, swapped ? packed.nodeRed.tarball : compareTarball, path.join(work, 'compare')) : undefined;
			const oursName = 'legalhooks-plexus-trigger (verify + normalize + dedupe + send)';
			const theirsName = `legalhooks-plexus-trigger of ${COMPARE}`;
			const expressPort = await freePort();
			const ex = new Proc('express', 'taskset', ['-c', SERVER_CPU, process.execPath, '-e', EXPRESS_SERVER], {
				cwd: work,
				env: { PATH: process.env.PATH, SECRET, PORT: String(expressPort) },
				logFile: path.join(work, 'express.log'),
			});
			procs.push(ex);
			await waitFor('express', async () => (await request(`http://127.0.0.1:${expressPort}/hook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status === 401);
			const g = `Node-RED ${vars.NR4_VERSION} (Node ${process.versions.node.split('.')[0]})`;
			results.push(await load(g, 'bare express route + same HMAC-SHA512 check (ceiling)', `http://127.0.0.1:${expressPort}/hook`, SECONDS, ex.child.pid!));
			const nrCases: Array<[string, string] | [string, string, number]> = [
				['engine floor: minimal node on the same kind of route, reads the body, answers 200', `${nr.base}${FLOOR_PATH}bench`],
				['bound: the floor + HMAC-SHA512 in constant time + JSON.parse + node.send', `${nr.base}${BOUND_PATH}mandatory`],
				['bound + seen-id check in the global context', `${nr.base}${BOUND_PATH}seen`],
				[swapped ? theirsName : oursName, `${nr.base}/legalhooks/plexus/bench`],
				...(other ? [[`${swapped ? oursName : theirsName} (a second Node-RED)`, `${other.base}/legalhooks/plexus/bench`, other.proc!.child.pid!] as [string, string, number]] : []),
				['Node-RED `http in` → `http response`, no check', `${nr.base}/bare`],
			];
			results.push(...(await interleaved(g, nrCases, SECONDS, nrPg)));
			await ex.stop();
			await other?.stop();
			await nr.stop();

			if (PROFILE && round === 0) {
				// The trigger, the engine floor and the bound with the seen check, each alone in its own profiled start.
				const profiledCases: Array<[string, string, string]> = [
					['profile-node-red', 'legalhooks-plexus-trigger', `${nr.base}/legalhooks/plexus/bench`],
					['profile-node-red-floor', 'engine floor', `${nr.base}${FLOOR_PATH}bench`],
					['profile-node-red-bound', 'bound + seen check', `${nr.base}${BOUND_PATH}seen`],
				];
				for (const [folder, name, url] of profiledCases) {
					const dir = path.join(work, folder);
					profiled(nr, dir);
					await nr.start();
					await waitFor('Node-RED routes (profiled)', async () => (await request(`${nr.base}/legalhooks/plexus/bench`)).status === 405);
					process.kill(nr.proc!.child.pid!, 'SIGWINCH');
					await load(`${g} (profiled)`, `${name} under the profiler`, url, SECONDS, nr.proc!.child.pid!);
					await nr.stop();
					printProfileTop(`Node-RED ${name}`, dir);
				}
			}
			if (SKIP_N8N) continue;

			// ---------- (b) n8n: our trigger vs n8n's Webhook node ----------
			const spec =
				N8N_LINE === 1
					? { label: `n8n ${vars.N8N1_VERSION}`, version: vars.N8N1_VERSION, installDir: vars.N8N1_DIR, extraEnv: {}, major: 1, installMode: 'cli' as const, cpuList: SERVER_CPU }
					: { label: `n8n ${vars.N8N2_VERSION}`, version: vars.N8N2_VERSION, installDir: vars.N8N2_DIR, nodeBinDir: vars.NODE24_BIN, extraEnv: {}, major: 2, installMode: 'ui' as const, cpuList: SERVER_CPU };
			const n8n = new N8n(spec, work);
			n8n.installPackages(packed.n8n.filter((p) => p.pkg.name === N8N_PACKAGES['plexus-gateway'].name).map((p) => p.tarball), spec.installMode);
			await n8n.start();
			await n8n.setupOwner();
			const cred = await n8n.createCredential('bench plexus', 'plexusGatewayApi', { secret: SECRET });
			const hookId = randomUUID();
			const ours = await n8n.createWorkflow({
				name: 'bench: Plexus trigger',
				nodes: [
					{ id: randomUUID(), name: 'Trigger', type: nodeType('plexusTrigger'), typeVersion: 1, position: [0, 0], parameters: {}, credentials: { plexusGatewayApi: { id: cred, name: 'bench plexus' } }, webhookId: hookId },
				],
				connections: {},
			});
			const theirs = await n8n.createWorkflow({
				name: 'bench: n8n Webhook',
				nodes: [
					{ id: randomUUID(), name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], parameters: { httpMethod: 'POST', path: 'bench-webhook', responseMode: 'onReceived', options: {} }, webhookId: randomUUID() },
				],
				connections: {},
			});
			await n8n.activate(ours);
			await n8n.activate(theirs);
			const oursUrl = `${n8n.base}/webhook/${hookId}/webhook`;
			const theirsUrl = `${n8n.base}/webhook/bench-webhook`;
			for (const u of [oursUrl, theirsUrl]) {
				await waitFor(`${u} live`, async () => {
					const d = signedDelivery();
					return (await request(u, { method: 'POST', headers: d.headers, body: d.body })).status === 200;
				});
			}
			const ng = `${spec.label} (Node ${N8N_LINE === 1 ? 20 : 24}, legacy expression engine, sqlite)`;
			const pg = n8n.proc!.child.pid!;
			const n8nCases: Array<[string, string]> = [
				['n8n Webhook node (POST, respond immediately), no check', theirsUrl],
				['Plexus Gateway Trigger (verify + normalize + dedupe)', oursUrl],
			];
			results.push(...(await interleaved(ng, n8nCases, N8N_SECONDS, pg)));
			await n8n.stop();
			if (PROFILE && round === 0) {
				const dir = path.join(work, 'profile-n8n');
				profiled(n8n, dir);
				await n8n.start();
				await waitFor(`${oursUrl} live (profiled)`, async () => {
					const d = signedDelivery();
					return (await request(oursUrl, { method: 'POST', headers: d.headers, body: d.body })).status === 200;
				});
				process.kill(n8n.proc!.child.pid!, 'SIGWINCH');
				await load(`${ng} (profiled)`, 'Plexus Gateway Trigger under --cpu-prof', oursUrl, N8N_SECONDS, n8n.proc!.child.pid!);
				await n8n.stop();
				printProfileTop('n8n trigger (main process)', dir);
			}
		}
	} finally {
		for (const p of procs) await p.stop().catch(() => undefined);
	}

	// ---------- report ----------
	const lines: string[] = [];
	lines.push(`node ${process.version} (load generator, CPU ${LOAD_CPU}); servers on CPU ${SERVER_CPU}; autocannon ${CONNECTIONS} connections, ${SECONDS} s (n8n ${N8N_SECONDS} s), fresh signed 1.5 KB Plexus delivery per request${ROUNDS > 1 ? `, ${ROUNDS} rounds` : ''}`);
	lines.push('');
	let group = '';
	for (const r of results) {
		if (r.group !== group) {
			group = r.group;
			lines.push('', `**${group}**`, '', '| case | req/s | per server CPU-s | p50 ms | p99 ms | requests | non-2xx / errors | req/s vs first row | req/s vs engine floor | per CPU-s vs engine floor | p99 vs engine floor |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
		}
		const base = results.find((x) => x.group === r.group)!;
		// The engine floor: the minimal node in Node-RED, n8n's own Webhook node in n8n.
		const floor = results.find((x) => x.group === r.group && (x.name.startsWith('engine floor') || x.name.startsWith('n8n Webhook')))!;
		lines.push(`| ${r.name} | ${Math.round(r.rps).toLocaleString('en-US')} | ${Math.round(r.perCpuSecond).toLocaleString('en-US')} | ${r.p50} | ${r.p99} | ${r.requests.toLocaleString('en-US')} | ${r.non2xx} / ${r.errors + r.timeouts} | ${(r.rps / base.rps).toFixed(2)}× | ${(r.rps / floor.rps).toFixed(2)}× | ${(r.perCpuSecond / floor.perCpuSecond).toFixed(2)}× | ${(r.p99 / floor.p99).toFixed(2)}× |`);
	}
	const md = lines.join('\n');
	process.stdout.write(`\n${md}\n`);
	fs.writeFileSync(path.join(work, 'results.md'), md);
	fs.writeFileSync(path.join(work, 'results.json'), JSON.stringify(results, null, 2));
	log('bench', `results in ${work}/results.{md,json}`);
	const bad = results.filter((r) => r.non2xx > 0 || r.errors > 0);
	process.exit(bad.length ? 1 : 0);
}

main().catch((err) => {
	process.stderr.write(`${(err as Error).stack ?? err}\n`);
	process.exit(1);
});
