import { createServer } from 'node:net';
import { main } from '../../cli/src/main';
import { PlexusTrigger } from '../../n8n/plexus-gateway/nodes/PlexusTrigger/PlexusTrigger.node';
import { N8nTriggerHarness } from '../n8n/trigger-harness';

// What the CLI's commands say and send, run in process against a real trigger. The published package
// (its manifest, the tarball, the installed bin) is test/packaging/cli-package.test.ts.
const secret = 'a3f1c9e2b7d4a6f8c0e1b2d3f4a5b6c7';

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
