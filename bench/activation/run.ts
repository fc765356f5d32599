/**
 * Issue 10 target: trigger activation against the simulator in under 300 ms, for every vendor in
 * both engines, beside the baseline of the vendor's raw create call over HTTP in the same run.
 *
 * - baseline: the simulator's create call made by hand over HTTP (fetch, JSON body, the vendor's auth),
 *   timed to its answer.
 * - n8n: the trigger in the project's n8n harness (test/n8n/trigger-harness.ts, the node's real
 *   webhookMethods), `activate()` = checkExists → create on empty static data, timed to its return;
 *   `restart()` with the registration saved = checkExists finding it.
 * - Node-RED: a real Node-RED process (test/node-red/runtime.ts); a full deploy through the admin API
 *   (`POST /flows`) adding the trigger, timed from the request to the simulator's answer to the create
 *   call (seen at the simulator: its call log, stamped when the response finished); then a full
 *   redeploy of the same flows, timed to the simulator's answer to the existence check (the stored
 *   registration kept). Between repetitions a deploy without the trigger removes it (untimed). The
 *   engine floor: the same deploy adding a node that does nothing, timed to the deploy's answer.
 *   Handover vendors (Plexus, PhenixID) register nothing: timed to the first answer other than 404 from
 *   the trigger's route.
 *
 * `npx tsx bench/activation/run.ts [--reps 20] [--engines node-red,n8n] [--vendors legito,…]`
 */
import { randomBytes } from 'node:crypto';
import type { IDataObject, INodeType } from 'n8n-workflow';
import { mintLegitoJwt } from '../../core/vendors/legito/api';
import * as legitoSim from '../../sandbox/simulators/legito';
import * as legalesignSim from '../../sandbox/simulators/legalesign';
import * as quicklysignSim from '../../sandbox/simulators/quicklysign';
import { N8nTriggerHarness } from '../../test/n8n/trigger-harness';
import { startNodeRed, type NodeRedProcess } from '../../test/node-red/runtime';

// with the extension: tsx would otherwise take `.node` for a native addon's
/* eslint-disable @typescript-eslint/no-require-imports */
const N8N_PACKAGE_OF: Record<string, string> = { LegitoTrigger: 'legito', LegalesignTrigger: 'legalesign', QuicklySignTrigger: 'quicklysign' };
const n8nNode = (name: string): INodeType => {
	const module = require(`../../n8n/${N8N_PACKAGE_OF[name]}/nodes/${name}/${name}.node.ts`) as Record<string, new () => INodeType>;
	return new module[name]!();
};
/* eslint-enable @typescript-eslint/no-require-imports */

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1]! : fallback);
const reps = Number(option('reps', '20'));
const engines = option('engines', 'node-red,n8n').split(',');
const vendorFilter = option('vendors', 'legito,legalesign,quicklysign,plexus,phenixid').split(',');

interface Call {
	at: number;
	method: string;
	path: string;
	status: number;
}

/** Stamps every call the simulator logs with the time its response finished. */
function stampCalls(calls: Array<{ method: string; path: string; status: number }>): Call[] {
	const stamped: Call[] = [];
	const push = calls.push.bind(calls);
	calls.push = (...items) => {
		for (const item of items) stamped.push({ ...item, at: performance.now() });
		return push(...items);
	};
	return stamped;
}

interface Simulated {
	calls: Call[];
	/** Registrations the simulator holds now. */
	count(): number;
	clear(): void;
	isCreate(call: Call): boolean;
	isCheck(call: Call): boolean;
	/** The create call made by hand over HTTP; resolves on its answer. */
	rawCreate(target: string): Promise<number>;
	close(): Promise<void>;
}

interface VendorCase {
	id: string;
	name: string;
	registering: boolean;
	n8nNode: string;
	start(): Promise<Simulated & { n8nCredentials: Record<string, IDataObject>; redCredentials: Record<string, string>; n8nParameters: Record<string, unknown>; redTrigger: Record<string, unknown> }>;
}

const ok = (call: Call) => call.status >= 200 && call.status < 300;

const allVendors: VendorCase[] = [
	{
		id: 'legito',
		name: 'Legito',
		registering: true,
		n8nNode: 'LegitoTrigger',
		async start() {
			const sim = await legitoSim.start();
			const calls = stampCalls(sim.state.calls);
			const credentials = { apiKey: sim.apiKey, privateKey: sim.privateKey, region: 'custom', apiBaseUrl: sim.baseUrl };
			return {
				calls,
				n8nCredentials: { legitoApi: credentials },
				redCredentials: credentials,
				n8nParameters: { legitoEvents: ['SignCompleted'] },
				redTrigger: { legitoEvents: 'SignCompleted' },
				count: () => sim.state.connections.size,
				clear: () => sim.state.connections.clear(),
				isCreate: (c) => c.method === 'POST' && c.path.endsWith('/push-connection') && ok(c),
				isCheck: (c) => c.method === 'GET' && c.path.endsWith('/push-connection') && ok(c),
				rawCreate: async (target) => {
					const response = await fetch(`${sim.baseUrl}/push-connection`, {
						method: 'POST',
						headers: { authorization: `Bearer ${mintLegitoJwt(sim.apiKey, sim.privateKey)}`, 'content-type': 'application/json', accept: 'application/json' },
						body: JSON.stringify({ name: 'bench', url: target, enabled: true, eventTypes: ['SignCompleted'], headers: [{ name: 'X-Legalhooks-Token', value: randomBytes(32).toString('hex') }] }),
					});
					await response.arrayBuffer();
					return response.status;
				},
				close: () => sim.close(),
			};
		},
	},
	{
		id: 'legalesign',
		name: 'Legalesign',
		registering: true,
		n8nNode: 'LegalesignTrigger',
		async start() {
			const sim = await legalesignSim.start();
			const calls = stampCalls(sim.state.calls);
			const credentials = { username: sim.username, apiKey: sim.apiKey, apiBaseUrl: sim.baseUrl, certificate: sim.certificate };
			return {
				calls,
				n8nCredentials: { legalesignApi: credentials },
				redCredentials: credentials,
				n8nParameters: { notify: 'all' },
				redTrigger: { notify: 'all' },
				count: () => sim.state.subscriptions.length,
				clear: () => (sim.state.subscriptions = []),
				isCreate: (c) => c.method === 'POST' && c.path.endsWith('/subscribe/') && ok(c),
				isCheck: (c) => c.method === 'GET' && c.path.endsWith('/notifications/') && ok(c),
				rawCreate: async (target) => {
					const response = await fetch(`${sim.baseUrl}/subscribe/`, {
						method: 'POST',
						headers: { authorization: `ApiKey ${sim.username}:${sim.apiKey}`, 'content-type': 'application/json' },
						body: JSON.stringify({ url: `${target}?token=${randomBytes(32).toString('hex')}`, notify: 'all' }),
					});
					await response.arrayBuffer();
					return response.status;
				},
				close: () => sim.close(),
			};
		},
	},
	{
		id: 'quicklysign',
		name: 'QuicklySign (one document pack)',
		registering: true,
		n8nNode: 'QuicklySignTrigger',
		async start() {
			const sim = await quicklysignSim.start();
			const calls = stampCalls(sim.state.calls);
			const pack = sim.addPack().key;
			const credentials = { clientId: sim.clientId, clientSecret: sim.clientSecret, apiKey: sim.apiKey, environment: 'custom', apiBaseUrl: sim.baseUrl };
			return {
				calls,
				n8nCredentials: { quicklySignApi: credentials },
				redCredentials: credentials,
				n8nParameters: { documentPackKeys: pack },
				redTrigger: { documentPackKeys: pack },
				count: () => sim.state.webhooks.size,
				clear: () => sim.state.webhooks.clear(),
				isCreate: (c) => c.method === 'POST' && c.path.endsWith('/webhooks') && ok(c),
				isCheck: (c) => c.method === 'GET' && /\/webhooks\/[^/]+$/.test(c.path) && ok(c),
				rawCreate: async (target) => {
					const response = await fetch(`${sim.baseUrl}/webhooks`, {
						method: 'POST',
						headers: { 'content-type': 'application/json', accept: 'application/json' },
						body: JSON.stringify({ client_id: sim.clientId, client_secret: sim.clientSecret, webhook: { entity_key: pack, callback: `${target}?token=${randomBytes(32).toString('hex')}` } }),
					});
					await response.arrayBuffer();
					return response.status;
				},
				close: () => sim.close(),
			};
		},
	},
	...(['plexus', 'phenixid'] as const).map(
		(id): VendorCase => ({
			id,
			name: id === 'plexus' ? 'Plexus Gateway (handover)' : 'PhenixID (handover)',
			registering: false,
			n8nNode: id === 'plexus' ? 'PlexusTrigger' : 'PhenixIdTrigger',
			async start() {
				const secret = randomBytes(24).toString('hex');
				const credentials: Record<string, string> = id === 'plexus' ? { secret } : { secret, key: 'bench-key' };
				return {
					calls: [],
					n8nCredentials: { [id === 'plexus' ? 'plexusGatewayApi' : 'phenixIdSigningApi']: credentials },
					redCredentials: credentials,
					n8nParameters: {},
					redTrigger: {},
					count: () => 0,
					clear: () => undefined,
					isCreate: () => false,
					isCheck: () => false,
					rawCreate: async () => 0,
					close: async () => undefined,
				};
			},
		}),
	),
];
const vendors = allVendors.filter((v) => vendorFilter.includes(v.id));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(find: () => T | undefined | false, what: string, timeoutMs = 20_000, everyMs = 1): Promise<T> {
	const started = Date.now();
	for (;;) {
		const found = find();
		if (found) return found;
		if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await sleep(everyMs);
	}
}

/** Nearest-rank percentile. */
function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

interface Row {
	engine: string;
	vendor: string;
	what: string;
	times: number[];
	/** Calls the simulator answered within the timed span, per repetition. */
	calls: number[];
}
const rows: Row[] = [];
function record(engine: string, vendor: string, what: string, time: number, calls?: number): void {
	let row = rows.find((r) => r.engine === engine && r.vendor === vendor && r.what === what);
	if (!row) rows.push((row = { engine, vendor, what, times: [], calls: [] }));
	row.times.push(time);
	if (calls !== undefined) row.calls.push(calls);
}

async function baseline(vendor: VendorCase): Promise<void> {
	if (!vendor.registering) return;
	const sim = await vendor.start();
	try {
		for (let rep = 0; rep <= reps; rep++) {
			const started = performance.now();
			const status = await sim.rawCreate(`http://127.0.0.1:1/bench/${rep}`);
			const time = performance.now() - started;
			if (status < 200 || status >= 300) throw new Error(`${vendor.id}: raw create answered ${status}`);
			if (rep > 0) record('baseline', vendor.name, 'raw create call over HTTP (fetch)', time, 1);
			sim.clear();
		}
	} finally {
		await sim.close();
	}
}

async function n8n(vendor: VendorCase): Promise<void> {
	const sim = await vendor.start();
	try {
		for (let rep = 0; rep <= reps; rep++) {
			const harness = await new N8nTriggerHarness(n8nNode(vendor.n8nNode), { credentials: sim.n8nCredentials, parameters: sim.n8nParameters, workflowId: `wf-bench-${rep}` }).start();
			try {
				let mark = sim.calls.length;
				let started = performance.now();
				await harness.activate();
				const activated = performance.now() - started;
				const activateCalls = sim.calls.length - mark;
				if (vendor.registering && sim.count() !== 1) throw new Error(`${vendor.id}: n8n activation left ${sim.count()} registrations`);
				mark = sim.calls.length;
				started = performance.now();
				await harness.restart();
				const restarted = performance.now() - started;
				const restartCalls = sim.calls.length - mark;
				if (vendor.registering && sim.count() !== 1) throw new Error(`${vendor.id}: n8n restart left ${sim.count()} registrations`);
				// rep 0 is the warm-up (module loading, first JIT), reported on its own
				const what = (name: string) => (rep === 0 ? `${name}, first (cold)` : name);
				record('n8n', vendor.name, what('activate: checkExists → create'), activated, activateCalls);
				record('n8n', vendor.name, what('restart: checkExists finds it'), restarted, restartCalls);
				await harness.deactivate();
				if (sim.count() !== 0) throw new Error(`${vendor.id}: n8n deactivation left ${sim.count()} registrations`);
			} finally {
				await harness.stop();
			}
		}
	} finally {
		await sim.close();
	}
}

const RED_MODULES = ['legalhooks-legito', 'legalhooks-legalesign', 'legalhooks-quicklysign', 'legalhooks-plexus', 'legalhooks-phenixid'];

async function deploy(red: NodeRedProcess, flows: unknown[]): Promise<number> {
	const started = performance.now();
	const response = await fetch(`${red.base}/flows`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'Node-RED-Deployment-Type': 'full', 'Node-RED-API-Version': 'v1' },
		body: JSON.stringify(flows),
	});
	await response.arrayBuffer();
	if (response.status !== 204 && response.status !== 200) throw new Error(`deploy answered ${response.status}`);
	return performance.now() - started;
}

async function nodeRed(red: NodeRedProcess, vendor: VendorCase): Promise<void> {
	const sim = await vendor.start();
	const tab = { id: 'bench-tab', type: 'tab', label: 'bench' };
	const account = { id: `acct-${vendor.id}`, type: `legalhooks-${vendor.id}-account`, name: vendor.id, baseUrl: 'http://127.0.0.1:1', credentials: sim.redCredentials };
	const accountOnly = [tab, account];
	try {
		await deploy(red, accountOnly);
		for (let rep = 0; rep <= reps; rep++) {
			const what = (name: string) => (rep === 0 ? `${name}, first (cold)` : name);
			// the engine floor: the same deploy adding a node that does nothing
			const floor = await deploy(red, [...accountOnly, { id: `noop-${vendor.id}-${rep}`, type: 'junction', z: tab.id, wires: [[]] }]);
			record('Node-RED', vendor.name, what('engine floor: deploy adding a no-op node, answered'), floor);
			await deploy(red, accountOnly);

			const path = `bench-${rep}`;
			const trigger = { id: `trig-${vendor.id}-${rep}`, type: `legalhooks-${vendor.id}-trigger`, z: tab.id, account: account.id, path, wires: [[]], ...sim.redTrigger };
			const withTrigger = [...accountOnly, trigger];
			const mark = sim.calls.length;
			let started = performance.now();
			const deployed = deploy(red, withTrigger);
			if (vendor.registering) {
				const created = await waitFor(() => sim.calls.slice(mark).find(sim.isCreate), `${vendor.id}: the registration`);
				record('Node-RED', vendor.name, what('deploy → create answered at the simulator'), created.at - started, sim.calls.indexOf(created) + 1 - mark);
				record('Node-RED', vendor.name, what('deploy answered'), await deployed);
			} else {
				const answered = await deployed;
				const route = `${red.base}/legalhooks/${vendor.id}/${path}`;
				for (;;) {
					const response = await fetch(route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
					await response.arrayBuffer();
					if (process.env.BENCH_DEBUG) console.log(`probe ${response.status} at ${(performance.now() - started).toFixed(1)} ms`);
					if (response.status !== 404) break;
					await sleep(1);
				}
				record('Node-RED', vendor.name, what('deploy → route answers (not 404)'), performance.now() - started);
				record('Node-RED', vendor.name, what('deploy answered'), answered);
			}
			if (vendor.registering) {
				// wait until the lifecycle is done (its last write), then redeploy: the stored registration is checked
				await sleep(100);
				const markCheck = sim.calls.length;
				started = performance.now();
				const redeployed = deploy(red, withTrigger);
				const checked = await waitFor(() => sim.calls.slice(markCheck).find(sim.isCheck), `${vendor.id}: the existence check`);
				record('Node-RED', vendor.name, what('full redeploy → existence check answered (kept)'), checked.at - started, sim.calls.indexOf(checked) + 1 - markCheck);
				await redeployed;
				await sleep(100);
				if (sim.count() !== 1) throw new Error(`${vendor.id}: Node-RED redeploy left ${sim.count()} registrations`);
			}
			await deploy(red, accountOnly);
			await waitFor(() => sim.count() === 0, `${vendor.id}: the removal`);
		}
	} finally {
		await sim.close();
	}
}

function table(): string {
	const lines = ['| engine | vendor | what is timed | n | vendor calls | median ms | p95 ms | max ms |', '|---|---|---|---:|---:|---:|---:|---:|'];
	for (const row of rows) {
		const calls = row.calls.length ? String(percentile(row.calls, 50)) : '–';
		lines.push(
			`| ${row.engine} | ${row.vendor} | ${row.what} | ${row.times.length} | ${calls} | ${percentile(row.times, 50).toFixed(1)} | ${percentile(row.times, 95).toFixed(1)} | ${Math.max(...row.times).toFixed(1)} |`,
		);
	}
	return lines.join('\n');
}

async function main() {
	const load = (await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ');
	console.log(`node ${process.version}, ${reps} repetitions after one cold one; load average at start ${load}`);
	for (const vendor of vendors) await baseline(vendor);
	if (engines.includes('n8n')) for (const vendor of vendors) await n8n(vendor);
	if (engines.includes('node-red')) {
		const red = await startNodeRed({ modules: RED_MODULES, flows: [{ id: 'bench-tab', type: 'tab', label: 'bench' }], credentials: {} });
		try {
			for (const vendor of vendors) await nodeRed(red, vendor);
		} finally {
			await red.stop();
		}
	}
	console.log(table());
	console.log(`load average at the end ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

void main().catch((error) => {
	console.error(error);
	process.exit(1);
});
