/*
 * The engine installer must not inherit the repository's npm settings: `npm run` exports
 * `.npmrc`'s ignore-scripts=true as npm_config_ignore_scripts, which made `npm rebuild sqlite3`
 * a no-op and broke every cold e2e run.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { engineInstallEnv } from '../e2e/lib/util';

const installer = path.join(__dirname, '..', 'e2e', 'engines', 'install.sh');

function npmCheck(env: NodeJS.ProcessEnv): string {
	return execFileSync('bash', [installer, 'npm-check'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('engine installer environment', () => {
	const inherited = { ...process.env, npm_config_ignore_scripts: 'true', npm_config_nodedir: '/nowhere', LEGALHOOKS_E2E_CACHE: '/tmp/legalhooks-npm-check' };

	it('clears npm_config_* inherited from `npm run` before any npm call', () => {
		expect(npmCheck(inherited)).toContain('ignore-scripts=false');
	});

	it('the runner hands the installer no npm settings of the repository', () => {
		const saved = process.env.npm_config_ignore_scripts;
		process.env.npm_config_ignore_scripts = 'true';
		try {
			const env = engineInstallEnv();
			expect(Object.keys(env).filter((k) => /^npm_/.test(k) && !['npm_config_registry', 'npm_config_cafile'].includes(k))).toEqual([]);
		} finally {
			if (saved === undefined) delete process.env.npm_config_ignore_scripts;
			else process.env.npm_config_ignore_scripts = saved;
		}
	});
});
