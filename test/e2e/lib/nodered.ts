/* A real Node-RED (from the engine cache) with our packed package installed into its user dir. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { check, fail, freePort, jsonRequest, log, Proc, request, networkEnv, systemPath, tail, waitFor } from './util';

export interface NodeRedEngineSpec {
	label: string; // "Node-RED 4.1.15"
	version: string;
	installDir: string;
	nodeBinDir?: string;
	installMode: 'readme' | 'palette';
	/** pin the engine to these CPUs (taskset), for benchmarks */
	cpuList?: string;
}

export const NR_PACKAGE_NAME = '@legalhooks/node-red-legalhooks';
export const CREDENTIAL_SECRET = 'legalhooks-e2e-credential-secret';

export class NodeRed {
	readonly userDir: string;
	readonly logFile: string;
	port = 0;
	proc?: Proc;
	constructor(
		readonly spec: NodeRedEngineSpec,
		work: string,
	) {
		this.userDir = path.join(work, `node-red-${spec.version}`);
		this.logFile = path.join(work, `node-red-${spec.version}.log`);
	}
	get base() {
		return `http://127.0.0.1:${this.port}`;
	}
	env(): NodeJS.ProcessEnv {
		const PATH = systemPath(this.spec.nodeBinDir);
		return { ...networkEnv(), PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', TZ: 'UTC', NODE_RED_HOME: this.userDir };
	}

	/**
	 * What a user does (README): `cd ~/.node-red && npm install @legalhooks/node-red-legalhooks`
	 * (mode readme) or Manage palette → Install (mode palette: the flags Node-RED's palette manager
	 * passes), here with the packed tarball, run by the engine's own Node and npm.
	 */
	installPackage(tarball: string, mode: 'readme' | 'palette') {
		fs.rmSync(this.userDir, { recursive: true, force: true });
		fs.mkdirSync(this.userDir, { recursive: true });
		fs.writeFileSync(
			path.join(this.userDir, 'package.json'),
			JSON.stringify({ name: 'node-red-project', description: 'e2e', version: '0.0.1', private: true, dependencies: {} }, null, 2),
		);
		// README: `cd ~/.node-red && npm install <package>`; the palette manager adds these flags
		const args = mode === 'readme' ? ['install', tarball] : ['install', '--no-audit', '--no-update-notifier', '--no-fund', '--save', '--save-prefix=~', '--omit=dev', '--engine-strict', tarball];
		execFileSync('npm', args, {
			cwd: this.userDir,
			env: { ...this.env(), npm_config_userconfig: '/dev/null', npm_config_loglevel: 'error' },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		check(fs.existsSync(path.join(this.userDir, 'node_modules', ...NR_PACKAGE_NAME.split('/'), 'package.json')), 'node-red package not installed');
		fs.writeFileSync(
			path.join(this.userDir, 'settings.js'),
			`module.exports = {
	uiHost: '127.0.0.1',
	flowFile: 'flows.json',
	credentialSecret: ${JSON.stringify(CREDENTIAL_SECRET)},
	// httpAdminRoot and httpNodeRoot left at their defaults ('/' both): the overlap users get
	logging: { console: { level: 'info', metrics: false, audit: false } },
	editorTheme: { tours: false, projects: { enabled: false } },
	diagnostics: { enabled: false },
	runtimeState: { enabled: false },
	telemetry: { enabled: false },
	externalModules: { palette: { allowInstall: false } },
};
`,
		);
	}

	async start() {
		if (!this.port) this.port = await freePort();
		fs.appendFileSync(this.logFile, `\n===== start ${new Date().toISOString()} =====\n`);
		const red = path.join(this.spec.installDir, 'node_modules', 'node-red', 'red.js');
		const args = [red, '-u', this.userDir, '-s', path.join(this.userDir, 'settings.js'), '-p', String(this.port)];
		this.proc = new Proc(this.spec.label, this.spec.cpuList ? 'taskset' : 'node', this.spec.cpuList ? ['-c', this.spec.cpuList, 'node', ...args] : args, {
			cwd: this.userDir,
			env: this.env(),
			logFile: this.logFile,
		});
		const t0 = Date.now();
		await waitFor(
			`${this.spec.label} admin API`,
			async () => {
				if (!this.proc!.running) fail(`${this.spec.label} exited with code ${this.proc!.exitCode}`);
				const r = await request(`${this.base}/settings`, { headers: { accept: 'application/json' }, timeoutMs: 3000 });
				return r.status === 200;
			},
			{ timeoutMs: 60_000, intervalMs: 300 },
		);
		log(this.spec.label, `up on :${this.port} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	}

	async stop() {
		await this.proc?.stop(20_000);
	}

	logTail(lines = 80) {
		return tail(this.logFile, lines);
	}

	/** Our module as the runtime loaded it: every node set loaded, none with an error. */
	async moduleInfo(): Promise<{ types: string[]; errors: string[]; sets: number }> {
		const r = await request(`${this.base}/nodes/${NR_PACKAGE_NAME}`, { headers: { accept: 'application/json' } });
		check(r.status === 200, `GET /nodes/${NR_PACKAGE_NAME} → ${r.status} ${r.text.slice(0, 300)}`);
		const types: string[] = [];
		const errors: string[] = [];
		for (const set of r.json.nodes ?? []) {
			types.push(...(set.types ?? []));
			if (set.err) errors.push(`${set.name}: ${set.err}`);
			else if (!set.enabled) errors.push(`${set.name}: not enabled`);
		}
		return { types, errors, sets: (r.json.nodes ?? []).length };
	}

	/** Editor HTML for our nodes (what the palette shows) */
	async editorHtml(): Promise<string> {
		const r = await request(`${this.base}/nodes`, { headers: { accept: 'text/html' } });
		check(r.status === 200, `GET /nodes (html) → ${r.status}`);
		return r.text;
	}

	async getFlows(): Promise<any[]> {
		const r = await request(`${this.base}/flows`, { headers: { accept: 'application/json' } });
		check(r.status === 200, `GET /flows → ${r.status}`);
		return r.json;
	}

	/** Full deploy through the admin API (what the editor's Deploy button sends). */
	async deploy(flows: unknown[], type: 'full' | 'nodes' | 'flows' = 'full') {
		const r = await jsonRequest(`${this.base}/flows`, 'POST', flows, { 'node-red-deployment-type': type, 'node-red-api-version': 'v1' });
		if (r.status !== 204 && r.status !== 200) fail(`POST /flows → ${r.status} ${r.text.slice(0, 500)}`);
	}
}
