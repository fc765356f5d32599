/*
 * The e2e's local npm registry: verdaccio (test/e2e/registry, installed by engines/install.sh) on
 * 127.0.0.1, storage in the work dir, our packed tarballs published to it with `npm publish`.
 * It serves only what was published here: no uplinks, so any other name answers 404 (n8n's installer
 * fetches nothing else — our packages have no dependencies — and a stray request fails loudly).
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { check, freePort, jsonRequest, log, Proc, request, systemPath, tail, waitFor } from './util';

export interface Published {
	name: string;
	version: string;
	tarball: string;
}

export interface LocalRegistry {
	/** http://127.0.0.1:<port> (no trailing slash) */
	url: string;
	/** what was published, in publish order */
	published: Published[];
	publish(tarballs: string[]): Promise<Published[]>;
	/**
	 * npm configuration that sends the published packages' scopes (and only those) to this registry:
	 * `@scope:registry=<url>/` lines for a user npmrc.
	 */
	scopeNpmrc(): string;
	close(): Promise<void>;
}

const USER = { name: 'legalhooks-e2e', password: 'e2e-registry-only' };

function configYaml(storage: string, htpasswd: string): string {
	return `storage: ${JSON.stringify(storage)}
auth:
  htpasswd:
    file: ${JSON.stringify(htpasswd)}
    max_users: 1
uplinks: {}
packages:
  '@legalhooks/*':
    access: $all
    publish: $authenticated
    unpublish: $authenticated
  '**':
    access: $all
    publish: $authenticated
web:
  enable: false
max_body_size: 64mb
log: { type: stdout, format: pretty, level: warn }
`;
}

/** Starts verdaccio from the engine cache (REGISTRY_DIR) with Node 22 (NODE22_BIN) on a free port. */
export async function startRegistry(work: string, vars: Record<string, string>): Promise<LocalRegistry> {
	const dir = path.join(work, 'registry');
	fs.mkdirSync(path.join(dir, 'storage'), { recursive: true });
	const config = path.join(dir, 'config.yaml');
	fs.writeFileSync(config, configYaml(path.join(dir, 'storage'), path.join(dir, 'htpasswd')));
	const bin = path.join(vars.REGISTRY_DIR, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
	check(fs.existsSync(bin), `no verdaccio at ${bin} (test/e2e/engines/install.sh registry)`);
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const logFile = path.join(dir, 'verdaccio.log');
	const t0 = Date.now();
	const proc = new Proc('verdaccio', 'node', [bin, '--config', config, '--listen', `127.0.0.1:${port}`], {
		cwd: dir,
		env: { PATH: systemPath(vars.NODE22_BIN), HOME: process.env.HOME, LANG: 'C.UTF-8' },
		logFile,
	});
	await waitFor(
		'verdaccio to answer /-/ping',
		async () => {
			check(proc.running, `verdaccio exited with code ${proc.exitCode}:\n${tail(logFile, 30)}`);
			return (await request(`${url}/-/ping`, { timeoutMs: 3000 })).status === 200;
		},
		{ timeoutMs: 60_000, intervalMs: 300 },
	);
	// the one publishing user, created through the registry's own API (what `npm adduser` calls)
	const u = await jsonRequest(`${url}/-/user/org.couchdb.user:${USER.name}`, 'PUT', { _id: `org.couchdb.user:${USER.name}`, name: USER.name, password: USER.password, type: 'user', roles: [] });
	check(u.status === 201 && u.json?.token, `verdaccio adduser → ${u.status} ${u.text.slice(0, 200)}`);
	// publishing uses its own npmrc: the token for this registry and nothing of the machine's or the repo's config
	const publishNpmrc = path.join(dir, 'publish.npmrc');
	fs.writeFileSync(publishNpmrc, `registry=${url}/\n//127.0.0.1:${port}/:_authToken=${u.json.token}\n`, { mode: 0o600 });
	log('registry', `verdaccio on ${url} in ${((Date.now() - t0) / 1000).toFixed(1)} s (storage ${dir})`);

	const published: Published[] = [];
	return {
		url,
		published,
		async publish(tarballs) {
			const out: Published[] = [];
			for (const tarball of tarballs) {
				const pkg = JSON.parse(execFileSync('tar', ['-xOzf', tarball, 'package/package.json'], { encoding: 'utf8' }));
				// --provenance=false: the package's publishConfig asks for provenance, which only a CI publish can give
				execFileSync('npm', ['publish', tarball, '--provenance=false', '--access=public', '--tag=latest', `--registry=${url}/`, '--loglevel=error'], {
					cwd: dir,
					env: { PATH: systemPath(), HOME: process.env.HOME, npm_config_userconfig: publishNpmrc, npm_config_globalconfig: '/dev/null', npm_config_update_notifier: 'false' },
					stdio: ['ignore', 'pipe', 'pipe'],
				});
				// what the registry now serves is byte for byte the packed tarball
				const meta = await request(`${url}/${encodeURIComponent(pkg.name)}`, { headers: { accept: 'application/json' } });
				const dist = meta.json?.versions?.[pkg.version]?.dist;
				const sha1 = createHash('sha1').update(fs.readFileSync(tarball)).digest('hex');
				check(meta.status === 200 && dist?.shasum === sha1, `registry serves ${pkg.name}@${pkg.version} with shasum ${dist?.shasum}, the packed tarball has ${sha1}`);
				out.push({ name: pkg.name, version: pkg.version, tarball });
			}
			published.push(...out);
			log('registry', `published ${out.map((p) => `${p.name}@${p.version}`).join(', ')}`);
			return out;
		},
		scopeNpmrc() {
			const scopes = [...new Set(published.map((p) => p.name.split('/')[0]).filter((s) => s.startsWith('@')))];
			check(published.every((p) => p.name.startsWith('@')), `unscoped package published (${published.map((p) => p.name).join(', ')}): a scope registry cannot route it`);
			return scopes.map((s) => `${s}:registry=${url}/\n`).join('');
		},
		async close() {
			await proc.stop(10_000);
		},
	};
}
