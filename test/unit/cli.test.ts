import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { main } from '../../cli/src/main';
import { PlexusTrigger } from '../../n8n/plexus-gateway/nodes/PlexusTrigger/PlexusTrigger.node';
import { N8nTriggerHarness } from '../n8n/trigger-harness';

const secret = 'a3f1c9e2b7d4a6f8c0e1b2d3f4a5b6c7';
const root = path.resolve(__dirname, '../..');

async function run(...argv: string[]) {
	const out: string[] = [];
	const err: string[] = [];
	const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), version: '9.8.7' });
	return { code, out: out.join('\n'), err: err.join('\n') };
}

async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	await new Promise((resolve) => server.close(resolve));
	return port;
}

describe('legalhooks CLI against a real trigger (n8n Plexus Gateway Trigger)', () => {
	let harness: N8nTriggerHarness;
	beforeEach(async () => {
		harness = await new N8nTriggerHarness(new PlexusTrigger(), { credentials: { plexusGatewayApi: { secret } } }).start();
	});
	afterEach(() => harness.stop());

	it('gives every send a fresh event id, so the same sample sent twice runs twice', async () => {
		expect((await run('send', 'plexus', 'executed', '--url', harness.url(), '--secret', secret)).code).toBe(0);
		expect((await run('send', 'plexus', 'executed', '--url', harness.url(), '--secret', secret)).code).toBe(0);
		expect(harness.executions).toHaveLength(2);
		expect(harness.executions[0][0].json.id).not.toBe(harness.executions[1][0].json.id);
	});

	it('repeats the sample id with --repeat-id: the second send is a retry and is dropped', async () => {
		await run('send', 'plexus', 'executed', '--repeat-id', '--url', harness.url(), '--secret', secret);
		const second = await run('send', 'plexus', 'executed', '--repeat-id', '--url', harness.url(), '--secret', secret);
		expect(second.code).toBe(0);
		expect(harness.executions).toHaveLength(1);
	});

	it('explains a 401: the signature over the body does not match the webhook secret', async () => {
		const result = await run('send', 'plexus', 'executed', '--url', harness.url(), '--secret', 'not-the-secret');
		expect(result.code).toBe(1);
		expect(result.out).toContain('HTTP 401');
		expect(result.err).toMatch(/refused the signature \(HMAC-SHA512 of the body \(plexus-webhook-signature\)\): --secret must be exactly the webhook secret/);
		expect(result.err + result.out).not.toContain('not-the-secret');
	});

	it('--tamper expects the 401 and says so', async () => {
		const result = await run('send', 'plexus', 'executed', '--tamper', '--url', harness.url(), '--secret', secret);
		expect(result.code).toBe(0);
		expect(result.out).toMatch(/HTTP 401[\s\S]*refused the broken signature/);
		expect(harness.executions).toHaveLength(0);
	});
});

describe('legalhooks CLI: every error names what is missing or wrong', () => {
	it.each([
		[['send', 'plexus', 'executed', '--tamper'], /needs --url .* and --secret/],
		[['send', 'plexus', 'executed', '--url', 'http://127.0.0.1:1/x'], /needs --secret/],
		[['send', 'plexus', 'executed', '--secret', 's', '--url', 'localhost:1880/x'], /--url "localhost:1880\/x" is not an http\(s\) URL/],
		[['send', 'plexus', 'executed', '--secret', 's', '--url', 'not a url'], /--url "not a url" is not a URL/],
		[['send', 'plexus', 'executed', '--url'], /option --url needs a value/],
		[['send', 'plexus', 'executed', '--secrt', 's'], /unknown option --secrt/],
		[['send', 'plexsu', 'executed'], /unknown vendor "plexsu"; vendors: plexus, /],
		[['send', 'plexus'], /send plexus needs an event; plexus events: documentCreated/],
		[['send', 'plexus', 'signed'], /unknown plexus event "signed"/],
		[['sned'], /unknown command "sned"/],
		[[], /no command given/],
	])('%j', async (argv, message) => {
		const result = await run(...argv);
		expect(result.code).toBe(2);
		expect(result.err).toMatch(message);
		expect(result.err).toContain('npx @legalhooks/cli --help');
		expect(result.err).not.toContain('Usage:');
	});

	it('turns a refused connection into a sentence', async () => {
		const port = await closedPort();
		const result = await run('send', 'plexus', 'executed', '--url', `http://127.0.0.1:${port}/legalhooks/plexus/contracts`, '--secret', 's');
		expect(result.code).toBe(1);
		expect(result.err).toContain(`nothing is listening at http://127.0.0.1:${port} (connection refused)`);
		expect(result.err).not.toMatch(/ECONNREFUSED/);
	});

	it('has --version and a --help with examples', async () => {
		expect(await run('--version')).toMatchObject({ code: 0, out: '9.8.7' });
		const help = await run('--help');
		expect(help.code).toBe(0);
		expect(help.out).toMatch(/Examples:\n\s+npx @legalhooks\/cli list\n\s+npx @legalhooks\/cli send plexus executed --url http/);
	});
});

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
		expect(packed.filter((file) => /dist\/core\/(destinations|pipeline|ingest)/.test(file))).toEqual([]);
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
