/* A real n8n (from the engine cache) with our packed n8n packages installed as a user installs them. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { check, fail, freePort, jsonRequest, log, Proc, request, networkEnv, systemPath, tail, waitFor, type HttpResult } from './util';
import type { LocalRegistry } from './registry';

export interface N8nEngineSpec {
	label: string; // "n8n 1.123.81"
	version: string;
	/** the cache folder holding node_modules/n8n */
	installDir: string;
	/** a folder put first in PATH (its `node` runs n8n and the task runner), or undefined for the system Node */
	nodeBinDir?: string;
	/** headers for native builds (not needed at run time) */
	extraEnv: Record<string, string>;
	major: number;
	/**
	 * installer: Settings → Community Nodes → Install itself (POST /rest/community-packages) from `registry`
	 * (lib/n8n-installer.ts); cli: the README's by-hand `npm install`; ui: the steps that installer runs, copied
	 */
	installMode: 'ui' | 'cli' | 'installer';
	registry?: LocalRegistry;
	/** more n8n environment at run time (e.g. N8N_UNVERIFIED_PACKAGES_ENABLED) */
	runEnv?: Record<string, string>;
	/** pin the engine to these CPUs (taskset), for benchmarks */
	cpuList?: string;
}

/** Our n8n packages (n8n/<folder>/package.json), one per service, and the nodes each holds. */
export const N8N_PACKAGES: Record<string, { name: string; nodes: string[] }> = {
	legito: { name: '@legalhooks/n8n-nodes-legito', nodes: ['legitoTrigger', 'legito', 'legitoPollTrigger'] },
	legalesign: { name: '@legalhooks/n8n-nodes-legalesign', nodes: ['legalesignTrigger', 'legalesign', 'legalesignPollTrigger'] },
	'plexus-gateway': { name: '@legalhooks/n8n-nodes-plexus-gateway', nodes: ['plexusTrigger'] },
	quicklysign: { name: '@legalhooks/n8n-nodes-quicklysign', nodes: ['quicklySignTrigger', 'quicklySign', 'quicklySignPollTrigger'] },
	'phenixid-signing': { name: '@legalhooks/n8n-nodes-phenixid-signing', nodes: ['phenixIdTrigger', 'phenixIdSigning', 'phenixIdPollTrigger'] },
	actions: { name: '@legalhooks/n8n-nodes-legalhooks-actions', nodes: ['legalSlack', 'legalSalesforce', 'legalXero'] },
};

/** The full type name n8n knows one of our nodes by: `<its package>.<node name>`. */
export function nodeType(node: string): string {
	const pkg = Object.values(N8N_PACKAGES).find((p) => p.nodes.includes(node));
	check(pkg !== undefined, `node ${node} is in none of our n8n packages (test/e2e/lib/n8n.ts N8N_PACKAGES)`);
	return `${pkg!.name}.${node}`;
}

/** Is this n8n type name one of ours? */
export const isOurType = (typeName: string) => Object.values(N8N_PACKAGES).some((p) => typeName.startsWith(`${p.name}.`));
const OWNER = { email: 'e2e@legalhooks.test', firstName: 'E2E', lastName: 'Owner', password: 'E2e-Passw0rd!' };

export class N8n {
	readonly userFolder: string;
	readonly logFile: string;
	port = 0;
	brokerPort = 0;
	proc?: Proc;
	apiKey = '';
	cookie = '';
	/** the npmrc of the npm processes n8n spawns (its installer's registry route, lib/n8n-installer.ts) */
	npmUserConfig?: string;
	constructor(
		readonly spec: N8nEngineSpec,
		work: string,
	) {
		this.userFolder = path.join(work, `n8n-${spec.version}`);
		this.logFile = path.join(work, `n8n-${spec.version}.log`);
	}

	get base() {
		return `http://127.0.0.1:${this.port}`;
	}
	/** Where n8n keeps an installed community package. */
	packageDir(name: string) {
		return path.join(this.userFolder, '.n8n', 'nodes', 'node_modules', ...name.split('/'));
	}
	/** The names of the packages installPackages() installed. */
	installed: string[] = [];
	nodeEnv(): NodeJS.ProcessEnv {
		const PATH = systemPath(this.spec.nodeBinDir);
		// a clean env: nothing of the repo's npm config leaks into the engine
		const env: NodeJS.ProcessEnv = { ...networkEnv(), PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', TZ: 'UTC' };
		return env;
	}

	/**
	 * Installs the tarballs exactly the way n8n's community-package installer does (n8n 1.123/2.41
	 * CommunityPackagesService.downloadPackage), one package after the other: extract into
	 * ~/.n8n/nodes/node_modules/<package>, drop dev/peer/optional dependencies from its package.json,
	 * `npm install` its (runtime) dependencies in that folder with scripts off, and record it in
	 * ~/.n8n/nodes/package.json. n8n-workflow and zod then resolve from the host n8n (NODE_PATH, see
	 * checkHostResolution).
	 */
	installPackages(tarballs: string[], mode: N8nEngineSpec['installMode']) {
		check(mode !== 'installer', 'installMode installer: lib/n8n-installer.ts installs through the running n8n');
		fs.rmSync(this.userFolder, { recursive: true, force: true });
		const nodesDir = path.join(this.userFolder, '.n8n', 'nodes');
		if (mode === 'cli') return this.installPackagesCli(tarballs, nodesDir);
		const dependencies: Record<string, string> = {};
		for (const tarball of tarballs) {
			const staging = path.join(this.userFolder, '.n8n', 'staging');
			fs.rmSync(staging, { recursive: true, force: true });
			fs.mkdirSync(staging, { recursive: true });
			execFileSync('tar', ['-xzf', tarball, '-C', staging, '--strip-components=1']);
			const { name } = JSON.parse(fs.readFileSync(path.join(staging, 'package.json'), 'utf8'));
			const dir = this.packageDir(name);
			fs.mkdirSync(path.dirname(dir), { recursive: true });
			fs.renameSync(staging, dir);
			const pj = path.join(dir, 'package.json');
			const { devDependencies, peerDependencies, optionalDependencies, ...pkg } = JSON.parse(fs.readFileSync(pj, 'utf8'));
			void devDependencies, void peerDependencies, void optionalDependencies;
			fs.writeFileSync(pj, JSON.stringify(pkg, null, 2));
			execFileSync('npm', ['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false', '--loglevel=error'], {
				cwd: dir,
				env: { ...this.nodeEnv(), npm_config_userconfig: '/dev/null' },
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			const pulled = packagesIn(path.join(dir, 'node_modules'));
			check(pulled.length === 0, `installing ${name} pulled in packages of its own: ${pulled.join(', ')} (must come from the host)`);
			dependencies[name] = pkg.version;
			this.installed.push(name);
		}
		fs.writeFileSync(path.join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies }, null, 2));
	}

	/**
	 * The README's by-hand install for a self-hosted n8n: `npm install --prefix ~/.n8n/nodes <package>…`.
	 * The n8n-workflow peer is marked optional (peerDependenciesMeta), so npm 7+ does not install the
	 * latest n8n-workflow (with isolated-vm and other native builds) beside our packages, where our
	 * require() would resolve it instead of the host's copy: checked below.
	 */
	private installPackagesCli(tarballs: string[], nodesDir: string) {
		fs.mkdirSync(nodesDir, { recursive: true });
		execFileSync('npm', ['install', '--prefix', nodesDir, ...tarballs, '--loglevel=error'], {
			cwd: nodesDir,
			env: { ...this.nodeEnv(), npm_config_userconfig: '/dev/null' },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		// npm 10 leaves empty scope folders of the omitted peers behind: count real packages only
		const installed = packagesIn(path.join(nodesDir, 'node_modules')).sort();
		const ours = Object.values(N8N_PACKAGES)
			.map((p) => p.name)
			.filter((name) => installed.includes(name));
		check(installed.length === tarballs.length && ours.length === tarballs.length, `npm install put other packages than ours into ~/.n8n/nodes/node_modules: ${installed.join(', ')}`);
		for (const name of installed) check(fs.existsSync(path.join(this.packageDir(name), 'package.json')), `package not installed at ${this.packageDir(name)}`);
		this.installed.push(...installed);
	}

	/**
	 * Resolves `n8n-workflow`, `zod` and `zod/v4` from each installed package the way n8n makes
	 * community packages resolve host modules: LoadNodesAndCredentials.init() prepends its own
	 * module.paths to NODE_PATH and calls Module._initPaths(); then loads every node and credential
	 * the packages declare. The answer is the first package's, with `nodes load` for all of them.
	 */
	checkHostResolution(): Record<string, string> {
		const loader = path.join(this.spec.installDir, 'node_modules', 'n8n', 'dist', 'load-nodes-and-credentials.js');
		check(fs.existsSync(loader), `no ${loader}`);
		const script = `
			const Module = require('module');
			process.env.NODE_PATH = Module._nodeModulePaths(require('path').dirname(${JSON.stringify(loader)})).join(':');
			Module._initPaths();
			const packages = ${JSON.stringify(this.installed.map((name) => this.packageDir(name)))};
			const from = require('path').join(packages[0], 'dist', 'core');
			const out = {};
			for (const m of ['n8n-workflow', 'zod/v4']) {
				try { out[m] = require.resolve(m, { paths: [from] }); } catch (e) { out[m] = 'UNRESOLVED: ' + e.message.split(String.fromCharCode(10))[0]; }
			}
			try { out['zod version'] = require(require.resolve('zod/package.json', { paths: [from] })).version; } catch (e) { out['zod version'] = 'none'; }
			try { out['n8n-workflow version'] = require(require.resolve('n8n-workflow/package.json', { paths: [from] })).version; } catch (e) {}
			try { const { z } = require(require.resolve('zod/v4', { paths: [from] })); out['zod/v4 works'] = String(z.object({ a: z.iso.datetime() }).safeParse({ a: '2020-01-01T00:00:00Z' }).success); } catch (e) { out['zod/v4 works'] = 'no: ' + e.message; }
			const failed = [];
			for (const dir of packages) {
				const pkg = require(require('path').join(dir, 'package.json'));
				if (require.resolve('n8n-workflow', { paths: [require('path').join(dir, 'dist')] }) !== out['n8n-workflow']) failed.push(pkg.name + ': another n8n-workflow');
				for (const entry of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
					try { require(require('path').join(dir, entry)); } catch (e) { failed.push(pkg.name + '/' + entry + ': ' + e.message.split(String.fromCharCode(10))[0]); }
				}
			}
			out['nodes load'] = failed.length === 0 ? 'true' : 'no: ' + failed.join('; ');
			console.log(JSON.stringify(out));`;
		const out = execFileSync('node', ['-e', script], { env: this.nodeEnv(), encoding: 'utf8' });
		return JSON.parse(out);
	}

	env(): NodeJS.ProcessEnv {
		const env: NodeJS.ProcessEnv = {
			...this.nodeEnv(),
			N8N_USER_FOLDER: this.userFolder,
			DB_TYPE: 'sqlite',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PORT: String(this.port),
			WEBHOOK_URL: `${this.base}/`,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_EXPRESSION_ENGINE: 'legacy',
			N8N_LOG_LEVEL: 'info',
			N8N_LOG_OUTPUT: 'console',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
			N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false',
			DB_SQLITE_POOL_SIZE: '2',
			EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
			EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
			N8N_ENCRYPTION_KEY: 'legalhooks-e2e-encryption-key',
		};
		if (this.spec.major < 2) env.N8N_RUNNERS_ENABLED = 'false';
		if (this.npmUserConfig) env.npm_config_userconfig = this.npmUserConfig;
		return { ...env, ...this.spec.runEnv };
	}

	async start() {
		if (!this.port) {
			this.port = await freePort();
			this.brokerPort = await freePort();
		}
		fs.appendFileSync(this.logFile, `\n===== start ${new Date().toISOString()} =====\n`);
		const bin = path.join(this.spec.installDir, 'node_modules', 'n8n', 'bin', 'n8n');
		const [cmd, args] = this.spec.cpuList ? ['taskset', ['-c', this.spec.cpuList, 'node', bin, 'start']] : ['node', [bin, 'start']];
		this.proc = new Proc(this.spec.label, cmd as string, args as string[], { cwd: this.userFolder, env: this.env(), logFile: this.logFile });
		const t0 = Date.now();
		await waitFor(
			`${this.spec.label} to answer /rest/settings`,
			async () => {
				if (!this.proc!.running) fail(`${this.spec.label} exited with code ${this.proc!.exitCode}`);
				const r = await request(`${this.base}/rest/settings`, { timeoutMs: 5000 });
				return r.status === 200 && r.json?.data ? true : false;
			},
			{ timeoutMs: 180_000, intervalMs: 500 },
		);
		log(this.spec.label, `up on :${this.port} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	}

	async stop() {
		await this.proc?.stop(20_000);
	}

	logTail(lines = 80) {
		return tail(this.logFile, lines);
	}

	private async rest(method: string, p: string, body?: unknown): Promise<HttpResult> {
		return jsonRequest(`${this.base}/rest${p}`, method, body, this.cookie ? { cookie: this.cookie } : {});
	}

	async api(method: string, p: string, body?: unknown, okStatuses = [200, 201, 204]): Promise<any> {
		const r = await jsonRequest(`${this.base}/api/v1${p}`, method, body, { 'x-n8n-api-key': this.apiKey });
		if (!okStatuses.includes(r.status)) fail(`${method} /api/v1${p} → ${r.status}: ${r.text.slice(0, 600)}`);
		return r.json;
	}

	/** owner → auth cookie → API key (the non-interactive sequence in ENGINES.md) */
	async setupOwner() {
		const r = await this.rest('POST', '/owner/setup', OWNER);
		check(r.status === 200, `owner setup → ${r.status} ${r.text.slice(0, 300)}`);
		const set = ([] as string[]).concat(r.headers['set-cookie'] ?? []);
		const auth = set.map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
		check(auth, 'owner setup set no n8n-auth cookie');
		this.cookie = auth;
		const scopes = await this.rest('GET', '/api-keys/scopes');
		check(scopes.status === 200, `api-keys/scopes → ${scopes.status} ${scopes.text.slice(0, 300)}`);
		const k = await this.rest('POST', '/api-keys', { label: 'e2e', scopes: scopes.json.data, expiresAt: null });
		check(k.status === 200 && k.json?.data?.rawApiKey, `api-keys → ${k.status} ${k.text.slice(0, 300)}`);
		this.apiKey = k.json.data.rawApiKey;
	}

	/** Logs in again after a restart (the cookie survives, but be explicit) */
	async login() {
		const r = await this.rest('POST', '/login', { emailOrLdapLoginId: OWNER.email, email: OWNER.email, password: OWNER.password });
		check(r.status === 200, `login → ${r.status} ${r.text.slice(0, 300)}`);
		const set = ([] as string[]).concat(r.headers['set-cookie'] ?? []);
		const auth = set.map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
		if (auth) this.cookie = auth;
	}

	/** The node type names this n8n loaded from our packages. */
	async loadedTypes(): Promise<string[]> {
		const r = await request(`${this.base}/types/nodes.json`, { headers: { cookie: this.cookie } });
		check(r.status === 200 && Array.isArray(r.json), `/types/nodes.json → ${r.status}`);
		return (r.json as { name: string }[]).map((n) => n.name).filter(isOurType);
	}

	async loadedCredentialTypes(): Promise<string[]> {
		const r = await request(`${this.base}/types/credentials.json`, { headers: { cookie: this.cookie } });
		check(r.status === 200 && Array.isArray(r.json), `/types/credentials.json → ${r.status}`);
		return (r.json as { name: string }[]).map((n) => n.name);
	}

	/**
	 * POST /api/v1/credentials. The public API validates `data` against a JSON schema in which an
	 * absent "if" property matches vacuously (e.g. n8n's own allowedHttpRequestDomains → then
	 * allowedDomains is required); the editor would send the default. Send a non-matching enum value.
	 */
	async createCredential(name: string, type: string, data: Record<string, unknown>): Promise<string> {
		const schema = await this.api('GET', `/credentials/schema/${type}`);
		const filled = { ...data };
		for (const clause of schema.allOf ?? []) {
			for (const [prop, cond] of Object.entries<any>(clause.if?.properties ?? {})) {
				if (prop in filled) continue;
				const options: unknown[] = schema.properties?.[prop]?.enum ?? [];
				const other = options.find((o) => !(cond.enum ?? []).includes(o));
				if (other !== undefined) filled[prop] = other;
			}
		}
		const r = await this.api('POST', '/credentials', { name, type, data: filled });
		return r.id;
	}

	async createWorkflow(workflow: { name: string; nodes: unknown[]; connections: unknown }): Promise<string> {
		const r = await this.api('POST', '/workflows', { ...workflow, settings: { executionOrder: 'v1' } });
		return r.id;
	}

	async activate(id: string) {
		await this.api('POST', `/workflows/${id}/activate`);
		await waitFor(`workflow ${id} active`, async () => (await this.api('GET', `/workflows/${id}`)).active === true, { timeoutMs: 30_000 });
	}

	async deactivate(id: string) {
		await this.api('POST', `/workflows/${id}/deactivate`);
	}

	/** 2.x answers 409 "still being unpublished" for a moment after deactivation: retry */
	async deleteWorkflow(id: string) {
		await waitFor(
			`workflow ${id} deleted`,
			async () => {
				const r = await jsonRequest(`${this.base}/api/v1/workflows/${id}`, 'DELETE', undefined, { 'x-n8n-api-key': this.apiKey });
				if (r.status === 409) return false;
				if (r.status !== 200) fail(`DELETE /api/v1/workflows/${id} → ${r.status}: ${r.text.slice(0, 300)}`);
				return true;
			},
			{ timeoutMs: 30_000, intervalMs: 500 },
		);
	}

	async executions(workflowId: string): Promise<any[]> {
		const r = await this.api('GET', `/executions?workflowId=${workflowId}&includeData=true&limit=50`);
		return r.data ?? [];
	}
}

/** names of the packages (folders with a package.json) in a node_modules folder */
function packagesIn(nodeModules: string): string[] {
	if (!fs.existsSync(nodeModules)) return [];
	const out: string[] = [];
	for (const d of fs.readdirSync(nodeModules)) {
		if (d.startsWith('.')) continue;
		if (d.startsWith('@')) {
			for (const sub of fs.readdirSync(path.join(nodeModules, d))) if (fs.existsSync(path.join(nodeModules, d, sub, 'package.json'))) out.push(`${d}/${sub}`);
		} else if (fs.existsSync(path.join(nodeModules, d, 'package.json'))) out.push(d);
	}
	return out;
}

/** The items a node put out in an execution (main output 0). */
export function nodeOutput(execution: any, nodeName: string): any[] {
	let data = execution?.data;
	if (typeof data === 'string') data = JSON.parse(data);
	const runs = data?.resultData?.runData?.[nodeName];
	if (!runs?.length) return [];
	return (runs[0]?.data?.main?.[0] ?? []).map((i: any) => i.json);
}

export function executionError(execution: any): string | undefined {
	let data = execution?.data;
	if (typeof data === 'string') data = JSON.parse(data);
	const e = data?.resultData?.error;
	return e ? `${e.message}${e.description ? ` (${e.description})` : ''}` : undefined;
}
