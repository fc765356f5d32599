import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { PlexusTrigger } from '../../n8n/plexus-gateway/nodes/PlexusTrigger/PlexusTrigger.node';
import { N8nTriggerHarness } from '../n8n/trigger-harness';

// The CLI as it is published: its package.json, what `npm pack` puts in the tarball, and the installed
// bin run outside the repository. What its commands say is test/unit/cli.test.ts.
const secret = 'a3f1c9e2b7d4a6f8c0e1b2d3f4a5b6c7';
const root = path.resolve(__dirname, '../..');

describe('cli package', () => {
	it('imports no engine package and declares what it needs to run when published', () => {
		const pkg = JSON.parse(readFileSync(path.join(root, 'cli/package.json'), 'utf8'));
		expect(pkg.files).toEqual(['bin', 'dist', 'CHANGELOG.md']);
		expect(pkg.dependencies.zod).toBeDefined();
		expect(pkg.engines.node).toBeDefined();
		for (const file of readdirSync(path.join(root, 'cli/src'))) {
			const imports = [...readFileSync(path.join(root, 'cli/src', file), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
			for (const spec of imports) expect(spec).toMatch(/^(node:|\.\/|\.\.\/\.\.\/core\/)/);
		}
		const tsconfig = JSON.parse(readFileSync(path.join(root, 'cli/tsconfig.json'), 'utf8'));
		expect(tsconfig.include.join(' ')).not.toMatch(/node-red|nodes\//);
	});
});

describe('the packed CLI, installed outside the repository (what `npx @legalhooks/cli` runs)', () => {
	const cliDir = path.join(root, 'cli');
	let work: string;
	let packed: string[];
	let installed: string;
	let harness: N8nTriggerHarness;

	beforeAll(() => {
		if (!existsSync(path.join(cliDir, 'dist/cli/src/main.js'))) throw new Error('cli/dist is missing: run npm run build first');
		work = mkdtempSync(path.join(os.tmpdir(), 'legalhooks-cli-packed-'));
		const [pack] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: cliDir, encoding: 'utf8' }));
		packed = pack.files.map((file: { path: string }) => file.path);
		installed = path.join(work, 'app/node_modules/@legalhooks/cli');
		mkdirSync(installed, { recursive: true });
		execFileSync('tar', ['-xzf', path.join(work, pack.filename), '-C', installed, '--strip-components=1']);
		// the one dependency npm would install beside it (this test does not reach the registry)
		symlinkSync(path.join(root, 'node_modules/zod'), path.join(work, 'app/node_modules/zod'), 'dir');
	});
	afterAll(() => rmSync(work, { recursive: true, force: true }));
	beforeEach(async () => {
		harness = await new N8nTriggerHarness(new PlexusTrigger(), { credentials: { plexusGatewayApi: { secret } } }).start();
	});
	afterEach(() => harness.stop());

	it('is a public package under our scope with bin legalhooks, its README, LICENSE and CHANGELOG', () => {
		const pkg = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8'));
		expect(pkg).toMatchObject({ name: '@legalhooks/cli', bin: { legalhooks: 'bin/legalhooks.js' }, publishConfig: { access: 'public', provenance: true } });
		expect(pkg.private).toBeUndefined();
		expect(pkg.repository).toMatchObject({ directory: 'cli' });
		expect(packed).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'CHANGELOG.md', 'bin/legalhooks.js', 'dist/cli/src/main.js', 'dist/core/samples/sets.js']));
		expect(packed.filter((file) => file.endsWith('.ts'))).toEqual([]);
		// only what the sample builders need: no trigger pipeline, no destinations
		expect(packed.filter((file) => /dist\/core\/(destinations|inbound\/pipeline|inbound\/ingest)/.test(file))).toEqual([]);
	});

	it('requires only Node built-ins, its own files and its declared dependencies', () => {
		const pkg = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8'));
		for (const file of packed.filter((name) => name.endsWith('.js'))) {
			for (const [, spec] of readFileSync(path.join(installed, file), 'utf8').matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)) {
				if (spec.startsWith('.') || spec.startsWith('node:') || spec === 'tsx/cjs') continue;
				expect(`${file}: ${Object.keys(pkg.dependencies).find((dep) => spec === dep || spec.startsWith(`${dep}/`)) ?? spec}`).toBe(`${file}: ${spec.split('/')[0]}`);
			}
		}
	});

	it('sends a signed sample that the trigger runs: send plexus executed --url … --secret …', async () => {
		const bin = path.join(installed, 'bin/legalhooks.js');
		const { stdout } = await promisify(execFile)(process.execPath, [bin, 'send', 'plexus', 'executed', '--url', harness.url(), '--secret', secret], { cwd: work });
		expect(stdout).toMatch(/^plexus executed → HTTP 200/);
		expect(harness.executions).toHaveLength(1);
		expect(harness.executions[0][0].json).toMatchObject({ vendor: 'plexus', type: 'document.completed' });
	});
});
