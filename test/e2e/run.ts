/*
 * npm run test:e2e — the packed packages in real engines (see docs/e2e.md).
 *
 *   tsx test/e2e/run.ts [--only n8n1,n8n2,nr4,nr5] [--suites triggers,actions,templates,queue,instances,polling,catchup] [--head] [--keep]
 *   --head: build the committed tree (git archive HEAD) instead of the working tree
 *
 * 1. installs/reuses the engines (test/e2e/engines/install.sh, cache outside the repo)
 * 2. builds, packs every n8n package and the Node-RED package, checks the tarballs' contents
 * 3. per engine/version: installs the tarballs like a user (n8n: its own Community Nodes installer, from a
 *    local verdaccio: lib/registry.ts, lib/n8n-installer.ts), starts the engine, drives every trigger
 *    through its own API (vendors.ts is the table), prints one summary line each.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { installPackedCli } from './lib/cli';
import { buildAndPack, checkN8nTarball, checkNodeRedTarball, type Packed } from './lib/pack';
import { check, E2EError, engineInstallEnv, log } from './lib/util';
import { nodeType } from './lib/n8n';
import { startRegistry, type LocalRegistry } from './lib/registry';
import { runN8n, type N8nTrigger } from './suites/n8n';
import { runNodeRed } from './suites/nodered';
import { runN8nActions } from './suites/n8n-actions';
import { runN8nTemplates } from './suites/n8n-templates';
import { runNodeRedActions } from './suites/nodered-actions';
import { runN8nQueue } from './suites/n8n-queue';
import { runN8nPolling } from './suites/n8n-polling';
import { runNodeRedCatchup } from './suites/nodered-catchup';
import { runNodeRedInstances } from './suites/nodered-instances';
import { vendorRows, type VendorRow } from './vendors';
import { destinations } from './destinations';

type EngineKey = 'n8n1' | 'n8n2' | 'nr4' | 'nr5';
const ALL: EngineKey[] = ['n8n1', 'n8n2', 'nr4', 'nr5'];

interface Summary {
	engine: string;
	ok: boolean;
	seconds: number;
	detail: string;
}

function parseArgs() {
	const args = process.argv.slice(2);
	const get = (flag: string) => {
		const i = args.indexOf(flag);
		return i >= 0 ? args[i + 1] : undefined;
	};
	const only = (get('--only') ?? process.env.LEGALHOOKS_E2E_ONLY ?? ALL.join(',')).split(',').filter(Boolean) as EngineKey[];
	for (const o of only) if (!ALL.includes(o)) throw new Error(`--only: unknown engine ${o} (known: ${ALL.join(', ')})`);
	return { only, from: (args.includes('--head') ? 'head' : 'worktree') as 'head' | 'worktree', keep: args.includes('--keep') || process.env.LEGALHOOKS_E2E_KEEP === '1' };
}

function installEngines(only: EngineKey[]): Record<string, string> {
	const t0 = Date.now();
	log('engines', `install/reuse ${only.join(' ')} (cache ${process.env.LEGALHOOKS_E2E_CACHE ?? '~/.cache/legalhooks-e2e'})`);
	// n8n gets our packages through its own installer, from the local registry (lib/n8n-installer.ts)
	const components = only.some((k) => k.startsWith('n8n')) ? [...only, 'registry'] : only;
	const out = execFileSync('bash', [path.join(__dirname, 'engines', 'install.sh'), ...components], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
		cwd: os.tmpdir(),
		// a clean environment: never the npm_config_* that `npm run` exports from the repository's .npmrc
		// (ignore-scripts=true would turn the engines' `npm rebuild` into a no-op)
		env: engineInstallEnv(),
		maxBuffer: 16 << 20,
	});
	const vars: Record<string, string> = {};
	for (const line of out.split('\n')) {
		const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
		if (m) vars[m[1]] = m[2];
	}
	log('engines', `ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	return vars;
}

/** The n8n nodes in the build: name, version, trigger?, webhook path (read from the built node classes). */
function discoverN8nNodes(n8nPacked: Packed[]): (N8nTrigger & { trigger: boolean; polling: boolean })[] {
	const triggers: (N8nTrigger & { trigger: boolean; polling: boolean })[] = [];
	for (const p of n8nPacked) for (const rel of p.pkg.n8n.nodes as string[]) {
		// the snapshot's dist is what was packed; load it there so n8n-workflow resolves from the repo
		const mod = require(path.join(p.srcDir, rel));
		for (const Cls of Object.values(mod) as any[]) {
			if (typeof Cls !== 'function') continue;
			const d = new Cls().description;
			if (!d?.name) continue;
			const trigger = (d.group ?? []).includes('trigger') || /Trigger$/.test(d.name);
			const version = Array.isArray(d.version) ? Math.max(...d.version) : (d.version ?? 1);
			// the type name the suites use for it must be the one n8n gives it: <this package>.<node>
			check(nodeType(d.name) === `${p.pkg.name}.${d.name}`, `${p.pkg.name} holds ${d.name}, test/e2e/lib/n8n.ts N8N_PACKAGES says ${nodeType(d.name)}`);
			triggers.push({ name: d.name, displayName: d.displayName, webhookPath: d.webhooks?.[0]?.path ?? 'webhook', version, file: rel, trigger, polling: d.polling === true });
		}
	}
	return triggers;
}

/** Salesforce and Xero in each engine (suites/*-actions.ts), after the trigger suites. */
function actionSuites(vars: Record<string, string>, work: string, packed: { n8n: Packed[]; nodeRed: Packed }, registry?: LocalRegistry): { key: EngineKey; label: string; run: () => Promise<string> }[] {
	return [
		{
			key: 'n8n1',
			label: `n8n ${vars.N8N1_VERSION} actions`,
			run: () => runN8nActions({ label: `n8n ${vars.N8N1_VERSION}`, version: vars.N8N1_VERSION, installDir: vars.N8N1_DIR, extraEnv: {}, major: 1, installMode: 'installer', registry }, work, packed.n8n),
		},
		{
			key: 'n8n2',
			label: `n8n ${vars.N8N2_VERSION} actions`,
			// n8n 3.0's default: n8n's Install refuses our (unverified) package; the README's by-hand route still works
			run: () =>
				runN8nActions(
					{ label: `n8n ${vars.N8N2_VERSION}`, version: vars.N8N2_VERSION, installDir: vars.N8N2_DIR, nodeBinDir: vars.NODE24_BIN, extraEnv: {}, major: 2, installMode: 'cli', runEnv: { N8N_UNVERIFIED_PACKAGES_ENABLED: 'false' } },
					work,
					packed.n8n,
				),
		},
		{
			key: 'nr4',
			label: `Node-RED ${vars.NR4_VERSION} actions`,
			run: () => runNodeRedActions({ label: `Node-RED ${vars.NR4_VERSION}`, version: vars.NR4_VERSION, installDir: vars.NR4_DIR, installMode: 'readme' }, work, packed.nodeRed),
		},
		{
			key: 'nr5',
			label: `Node-RED ${vars.NR5_VERSION} actions`,
			run: () => runNodeRedActions({ label: `Node-RED ${vars.NR5_VERSION}`, version: vars.NR5_VERSION, installDir: vars.NR5_DIR, nodeBinDir: vars.NODE22_BIN, installMode: 'palette' }, work, packed.nodeRed),
		},
	];
}

async function main() {
	const t0 = Date.now();
	const { only, from, keep } = parseArgs();
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'legalhooks-e2e-'));
	log('e2e', `work dir ${work}`);
	const summaries: Summary[] = [];
	let failed = false;

	const vars = installEngines(only);

	// --- pack ---
	let packed: { n8n: Packed[]; nodeRed: Packed; cli: Packed; srcDir: string };
	let nrTypes: string[] = [];
	{
		const ts = Date.now();
		try {
			packed = buildAndPack(work, { from });
		} catch (err) {
			process.stdout.write(`\n=== legalhooks e2e ===\nFAIL  build + pack ${((Date.now() - ts) / 1000).toFixed(1).padStart(6)} s  ${(err as Error).message.split('\n')[0]} (output above)\n`);
			process.stdout.write(`logs kept in ${work}\n`);
			process.exit(1);
		}
		const a = packed.n8n.map((p) => ({ p, ...checkN8nTarball(p) }));
		const b = checkNodeRedTarball(packed.nodeRed);
		nrTypes = b.types;
		const errors = [...a.flatMap(({ p, errors: e }) => e.map((x) => `${p.pkg.name}: ${x}`)), ...b.errors.map((e) => `node-red: ${e}`)];
		const detail = errors.length
			? `${errors.length} problem(s):\n    ${errors.join('\n    ')}`
			: `${a.map(({ p, nodes, credentials }) => `${p.pkg.name.replace('@legalhooks/', '')} ${p.files.length} files (${nodes.length}+${credentials.length})`).join(', ')}; node-red ${packed.nodeRed.files.length} files (${b.types.length} node types)`;
		summaries.push({ engine: 'tarballs', ok: errors.length === 0, seconds: (Date.now() - ts) / 1000, detail });
		if (errors.length) failed = true;
	}

	// --- the packed CLI, as `npx @legalhooks/cli` gets it: runs the commands the n8n notices print ---
	let cliBin: string | undefined;
	if (only.some((k) => k.startsWith('n8n'))) {
		const ts = Date.now();
		try {
			cliBin = installPackedCli(work, packed.cli.tarball);
			summaries.push({ engine: 'packed CLI', ok: true, seconds: (Date.now() - ts) / 1000, detail: `${packed.cli.pkg.name}@${packed.cli.pkg.version} installed outside the repository (${packed.cli.files.length} files)` });
		} catch (err) {
			failed = true;
			summaries.push({ engine: 'packed CLI', ok: false, seconds: (Date.now() - ts) / 1000, detail: (err as Error).message.split('\n')[0] });
		}
	}

	// --- the local npm registry n8n's installer gets the packages from ---
	let registry: LocalRegistry | undefined;
	if (only.some((k) => k.startsWith('n8n'))) {
		const ts = Date.now();
		try {
			registry = await startRegistry(work, vars);
			const published = await registry.publish(packed.n8n.map((p) => p.tarball));
			summaries.push({ engine: 'local registry', ok: true, seconds: (Date.now() - ts) / 1000, detail: `verdaccio ${registry.url}: ${published.map((p) => `${p.name}@${p.version}`).join(', ')}` });
		} catch (err) {
			failed = true;
			summaries.push({ engine: 'local registry', ok: false, seconds: (Date.now() - ts) / 1000, detail: (err as Error).message });
		}
	}

	// --- which triggers, which rows ---
	const n8nNodes = discoverN8nNodes(packed.n8n);
	// The vendor table's rows are the webhook triggers; the polling triggers beside them have none.
	const n8nTriggers = n8nNodes.filter((n) => n.trigger && !n.polling);
	const nrTriggers = nrTypes.filter((t) => /-trigger$/.test(t));
	const missingRows = [
		...n8nTriggers.filter((t) => !vendorRows.some((r) => r.n8n.node === t.name)).map((t) => `n8n trigger ${t.name}`),
		...nrTriggers.filter((t) => !vendorRows.some((r) => r.nodeRed.trigger === t)).map((t) => `Node-RED trigger ${t}`),
	];
	if (missingRows.length) {
		summaries.push({ engine: 'vendor table', ok: false, seconds: 0, detail: `no row in test/e2e/vendors.ts for: ${missingRows.join(', ')}` });
		failed = true;
	}
	const n8nRows: [VendorRow, N8nTrigger][] = vendorRows.flatMap((r) => {
		const t = n8nTriggers.find((x) => x.name === r.n8n.node);
		return t ? [[r, t] as [VendorRow, N8nTrigger]] : [];
	});
	const nrRows = vendorRows.filter((r) => nrTriggers.includes(r.nodeRed.trigger));
	log('e2e', `n8n triggers: ${n8nRows.map(([r]) => r.id).join(', ') || 'none'}; Node-RED triggers: ${nrRows.map((r) => r.id).join(', ') || 'none'}`);
	const slackN8n = destinations.slack.n8nAvailable(n8nNodes);
	const slackNr = destinations.slack.nodeRedAvailable(nrTypes);

	// --- engines ---
	const engines: { key: EngineKey; label: string; run: () => Promise<string> }[] = [
		{
			key: 'n8n1',
			label: `n8n ${vars.N8N1_VERSION} (Node 20)`,
			run: () =>
				runN8n(
					{ label: `n8n ${vars.N8N1_VERSION}`, version: vars.N8N1_VERSION, installDir: vars.N8N1_DIR, extraEnv: {}, major: 1, installMode: 'installer', registry },
					work,
					packed.n8n,
					n8nRows,
					slackN8n,
					cliBin,
				),
		},
		{
			key: 'n8n2',
			label: `n8n ${vars.N8N2_VERSION} (Node 24)`,
			run: () =>
				runN8n(
					{ label: `n8n ${vars.N8N2_VERSION}`, version: vars.N8N2_VERSION, installDir: vars.N8N2_DIR, nodeBinDir: vars.NODE24_BIN, extraEnv: {}, major: 2, installMode: 'installer', registry },
					work,
					packed.n8n,
					n8nRows,
					slackN8n,
					cliBin,
				),
		},
		{
			key: 'nr4',
			label: `Node-RED ${vars.NR4_VERSION} (Node 20)`,
			run: () => runNodeRed({ label: `Node-RED ${vars.NR4_VERSION}`, version: vars.NR4_VERSION, installDir: vars.NR4_DIR, installMode: 'readme' }, work, packed.nodeRed, nrRows, slackNr),
		},
		{
			key: 'nr5',
			label: `Node-RED ${vars.NR5_VERSION} (Node 22)`,
			run: () =>
				runNodeRed(
					{ label: `Node-RED ${vars.NR5_VERSION}`, version: vars.NR5_VERSION, installDir: vars.NR5_DIR, nodeBinDir: vars.NODE22_BIN, installMode: 'palette' },
					work,
					packed.nodeRed,
					nrRows,
					slackNr,
				),
		},
	];
	engines.push(...actionSuites(vars, work, packed, registry));
	engines.push({
		key: 'n8n2',
		label: `n8n ${vars.N8N2_VERSION} polling`,
		run: () => runN8nPolling({ label: `n8n ${vars.N8N2_VERSION}`, version: vars.N8N2_VERSION, installDir: vars.N8N2_DIR, nodeBinDir: vars.NODE24_BIN, extraEnv: {}, major: 2, installMode: 'cli' }, work, packed.n8n),
	});
	engines.push({
		key: 'nr5',
		label: `Node-RED ${vars.NR5_VERSION} catch-up`,
		run: () => runNodeRedCatchup({ label: `Node-RED ${vars.NR5_VERSION}`, version: vars.NR5_VERSION, installDir: vars.NR5_DIR, nodeBinDir: vars.NODE22_BIN, installMode: 'palette' }, work, packed.nodeRed),
	});
	// the vendor packages' templates with n8n's own Slack, Salesforce and Xero nodes (suites/n8n-templates.ts)
	for (const [key, dir, bin, version] of [['n8n1', vars.N8N1_DIR, undefined, vars.N8N1_VERSION], ['n8n2', vars.N8N2_DIR, vars.NODE24_BIN, vars.N8N2_VERSION]] as const) {
		engines.push({
			key,
			label: `n8n ${version} templates`,
			run: () => runN8nTemplates({ label: `n8n ${version}`, version, installDir: dir, nodeBinDir: bin, extraEnv: {}, major: key === 'n8n1' ? 1 : 2, installMode: 'installer', registry }, work, packed.n8n, n8nRows),
		});
	}
	if (slackN8n) {
		engines.push({
			key: 'n8n2',
			label: `n8n ${vars.N8N2_VERSION} queue mode`,
			run: () => runN8nQueue({ label: `n8n ${vars.N8N2_VERSION}`, version: vars.N8N2_VERSION, installDir: vars.N8N2_DIR, nodeBinDir: vars.NODE24_BIN, extraEnv: {}, major: 2, installMode: 'installer', registry }, work, packed.n8n, n8nRows, slackN8n),
		});
	}
	engines.push({
		key: 'nr5',
		label: `Node-RED ${vars.NR5_VERSION} instances`,
		run: () => runNodeRedInstances({ label: `Node-RED ${vars.NR5_VERSION}`, version: vars.NR5_VERSION, installDir: vars.NR5_DIR, nodeBinDir: vars.NODE22_BIN, installMode: 'palette' }, work, packed.nodeRed),
	});
	// --suites triggers,actions,templates,queue,instances,polling,catchup (default all): which suites run for the chosen engines
	const suites = (process.argv.includes('--suites') ? process.argv[process.argv.indexOf('--suites') + 1] : 'triggers,actions,templates,queue,instances,polling,catchup').split(',');
	const suiteOf = (label: string) => (/ actions$/.test(label) ? 'actions' : / templates$/.test(label) ? 'templates' : / queue mode$/.test(label) ? 'queue' : / instances$/.test(label) ? 'instances' : / polling$/.test(label) ? 'polling' : / catch-up$/.test(label) ? 'catchup' : 'triggers');
	for (const e of engines.filter((x) => only.includes(x.key) && suites.includes(suiteOf(x.label)))) {
		const ts = Date.now();
		log(e.label, 'start');
		try {
			const detail = await e.run();
			summaries.push({ engine: e.label, ok: true, seconds: (Date.now() - ts) / 1000, detail });
		} catch (err) {
			failed = true;
			const msg = err instanceof E2EError ? err.message : (err as Error).stack ?? String(err);
			summaries.push({ engine: e.label, ok: false, seconds: (Date.now() - ts) / 1000, detail: msg });
		}
	}

	await registry?.close();

	process.stdout.write('\n=== legalhooks e2e ===\n');
	for (const s of summaries) {
		process.stdout.write(`${s.ok ? 'PASS' : 'FAIL'}  ${s.engine.padEnd(28)} ${s.seconds.toFixed(1).padStart(6)} s  ${s.detail}\n`);
	}
	process.stdout.write(`total ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
	const passed = summaries.filter((s) => s.ok).length;
	process.stdout.write(`e2e: ${passed} passed, ${summaries.length - passed} failed\n`);
	if (!keep && !failed) fs.rmSync(work, { recursive: true, force: true });
	else process.stdout.write(`logs and user folders kept in ${work}\n`);
	process.exit(failed ? 1 : 0);
}

main().catch((err) => {
	process.stderr.write(`${(err as Error).stack ?? err}\n`);
	process.exit(1);
});
