/*
 * Our packages into a real n8n through n8n's own community-package installer: the REST call the
 * Settings → Community Nodes → Install dialog makes (`POST /rest/community-packages`, owner cookie),
 * n8n's code then runs `npm pack` / `npm install` itself and loads the package.
 *
 * The registry: n8n's N8N_COMMUNITY_PACKAGES_REGISTRY is licensed. Any value but
 * https://registry.npmjs.org makes getNpmRegistry() throw FeatureNotLicensedError
 * (feat:communityNodes:customRegistry) on an unlicensed instance — n8n 1.123.81
 * dist/modules/community-packages/community-packages.service.js:304, 2.41.1 same file :337 — and every
 * install goes through it. So the e2e uses npm's own configuration for the `npm` processes n8n spawns
 * (they inherit n8n's environment): `npm_config_userconfig` names an npmrc with
 * `@legalhooks:registry=<local registry>/`. npm sends a scoped package to its scope's registry even
 * when n8n passes `--registry=https://registry.npmjs.org` on the command line, and everything else
 * keeps going to n8n's default registry.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { N8n } from './n8n';
import type { LocalRegistry } from './registry';
import { check, fail, log, request } from './util';

export const UNVERIFIED_REFUSED = 'Installation of unverified community packages is forbidden!';

async function rest(n8n: N8n, method: string, p: string, body?: unknown, timeoutMs = 30_000) {
	return request(`${n8n.base}/rest${p}`, {
		method,
		headers: { accept: 'application/json', cookie: n8n.cookie, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
		body: body === undefined ? undefined : JSON.stringify(body),
		timeoutMs,
	});
}

/**
 * A fresh user folder whose npm config routes our scope to the local registry, n8n started, the owner
 * set up, then one Install per package, as the Settings page sends it. The name carries the exact
 * version (`<name>@<version>`, which the dialog accepts): without one n8n 1.123 asks the default
 * registry for `<name>/latest` (404: nothing is published there) and its `npm view` fallback compares
 * the resolved version with the string "latest" (npm-utils.js:78-82), so a version-less install from
 * any other registry fails there.
 */
export async function installThroughN8n(n8n: N8n, registry: LocalRegistry, tarballs: string[]): Promise<number> {
	const packages = tarballs.map((t) => registry.published.find((p) => p.tarball === t) ?? fail(`${t} was not published to the local registry`));
	fs.rmSync(n8n.userFolder, { recursive: true, force: true });
	fs.mkdirSync(n8n.userFolder, { recursive: true });
	const npmrc = path.join(n8n.userFolder, '.npmrc');
	fs.writeFileSync(npmrc, registry.scopeNpmrc());
	n8n.npmUserConfig = npmrc;
	await n8n.start();
	await n8n.setupOwner();
	const t0 = Date.now();
	for (const p of packages) {
		// n8n runs npm pack + npm install inside the request: minutes on a loaded machine
		const r = await rest(n8n, 'POST', '/community-packages', { name: `${p.name}@${p.version}` }, 300_000);
		check(r.status === 200, `n8n's installer: POST /rest/community-packages ${p.name}@${p.version} → ${r.status} ${r.text.slice(0, 600)}`);
		const got = r.json?.data ?? r.json;
		check(got?.packageName === p.name && got?.installedVersion === p.version, `n8n's installer answered ${r.text.slice(0, 300)} for ${p.name}@${p.version}`);
		check(Array.isArray(got.installedNodes) && got.installedNodes.length > 0, `n8n's installer installed no nodes from ${p.name}: ${r.text.slice(0, 300)}`);
		const dir = path.join(n8n.userFolder, '.n8n', 'nodes', 'node_modules', ...p.name.split('/'));
		check(fs.existsSync(path.join(dir, 'package.json')), `n8n's installer left no ${dir}`);
		check(!fs.existsSync(path.join(dir, 'node_modules')) || fs.readdirSync(path.join(dir, 'node_modules')).every((d) => d.startsWith('.')), `n8n's npm install pulled packages into ${dir}/node_modules (our packages have no dependencies)`);
		log(n8n.spec.label, `installed ${p.name}@${p.version} through n8n's installer (${got.installedNodes.length} nodes)`);
		n8n.installed.push(p.name);
	}
	const list = await rest(n8n, 'GET', '/community-packages');
	check(list.status === 200, `GET /rest/community-packages → ${list.status} ${list.text.slice(0, 300)}`);
	const listed: string[] = (list.json?.data ?? []).map((x: { packageName: string }) => x.packageName);
	for (const p of packages) check(listed.includes(p.name), `${p.name} missing from Settings → Community Nodes (GET /rest/community-packages: ${listed.join(', ')})`);
	log(n8n.spec.label, `${packages.length} package(s) through n8n's installer from ${registry.url} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	return packages.length;
}

/**
 * With N8N_UNVERIFIED_PACKAGES_ENABLED=false (n8n 3.0's default) the Install dialog's call is refused
 * before n8n contacts any registry: CommunityPackagesService.checkInstallPermissions() (2.41.1
 * community-packages.service.js:345-348, 1.123.81 :312-315) throws unless the package comes with
 * n8n's vetted checksum (`verify: true`, only for packages on n8n's verified list). Returns the answer.
 */
export async function expectUnverifiedRefused(n8n: N8n, name: string): Promise<string> {
	const settings = await rest(n8n, 'GET', '/settings');
	const flag = settings.json?.data?.unverifiedCommunityNodesEnabled;
	check(flag === false, `N8N_UNVERIFIED_PACKAGES_ENABLED=false, yet /rest/settings says unverifiedCommunityNodesEnabled=${flag}`);
	const r = await rest(n8n, 'POST', '/community-packages', { name }, 120_000);
	const message: string = r.json?.message ?? r.text;
	check(r.status >= 400 && message.includes(UNVERIFIED_REFUSED), `N8N_UNVERIFIED_PACKAGES_ENABLED=false: expected n8n to refuse installing ${name} ("${UNVERIFIED_REFUSED}"), got ${r.status} ${r.text.slice(0, 300)}`);
	return `${r.status} ${message.split('\n')[0]}`;
}

/**
 * Installs the tarballs the way spec.installMode says, starts n8n and sets up the owner. Returns how
 * they got in, for the log. With N8N_UNVERIFIED_PACKAGES_ENABLED=false in spec.runEnv (by-hand modes
 * only), also proves n8n's Install refuses them while the by-hand install still loads.
 */
export async function installAndStart(n8n: N8n, tarballs: string[]): Promise<string> {
	const { spec } = n8n;
	if (spec.installMode === 'installer') {
		check(spec.registry, `${spec.label}: installMode installer without a registry`);
		const n = await installThroughN8n(n8n, spec.registry, tarballs);
		return `n8n community-package install: ${n} packages through n8n's installer`;
	}
	n8n.installPackages(tarballs, spec.installMode);
	await n8n.start();
	await n8n.setupOwner();
	const how = spec.installMode === 'cli' ? 'README: npm install in ~/.n8n/nodes' : "n8n's community-package installer steps";
	if (n8n.env().N8N_UNVERIFIED_PACKAGES_ENABLED !== 'false') return how;
	const refused: string[] = [];
	for (const t of tarballs) {
		const pkg = JSON.parse(execFileSync('tar', ['-xOzf', t, 'package/package.json'], { encoding: 'utf8' }));
		refused.push(await expectUnverifiedRefused(n8n, `${pkg.name}@${pkg.version}`));
		const types = await request(`${n8n.base}/types/nodes.json`, { headers: { cookie: n8n.cookie } });
		const ours = ((types.json ?? []) as { name: string }[]).filter((n) => n.name.startsWith(`${pkg.name}.`));
		check(ours.length > 0, `N8N_UNVERIFIED_PACKAGES_ENABLED=false: n8n did not load the by-hand installed ${pkg.name}`);
	}
	return `${how}; N8N_UNVERIFIED_PACKAGES_ENABLED=false: n8n's Install refused ${refused.length} package(s) (${refused[0]}), the by-hand install loaded`;
}
