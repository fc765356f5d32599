/**
 * `npm start` (sandbox/start.ts) in a browser: the first command its banner suggests (the README's
 * first `npx @legalhooks/cli send`) puts a normalized event in the debug sidebar of the editor it opens
 * on, and no deployed example flow draws its nodes or status texts over each other.
 * The sandbox loads the built Node-RED package (node-red/dist): `npm run build` first, as .ci/run does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { main as cli } from '../../cli/src/main';
import { launchChromium, PageProblems, type Browser } from './chromium';
import { copyWith, debugMessages, openConfigDialog, openDebugSidebar, openNodeDialog, overlappingNodes, type DebugMessage } from './node-red-editor';

jest.setTimeout(60_000);

const root = path.resolve(__dirname, '..', '..');

function newestMtime(dir: string): number {
	let newest = 0;
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const file = path.join(dir, entry.name);
		newest = Math.max(newest, entry.isDirectory() ? newestMtime(file) : fs.statSync(file).mtimeMs);
	}
	return newest;
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

let child: ChildProcess;
let output = '';
let userDir: string;
let browser: Browser;
let page: Page;
let problems: PageProblems;
let base: string;

beforeAll(async () => {
	const dist = path.join(root, 'node-red', 'dist');
	if (!fs.existsSync(dist) || newestMtime(path.join(root, 'node-red', 'src')) > newestMtime(dist)) {
		throw new Error('node-red/dist is missing or older than node-red/src: run `npm run build` (the sandbox loads the built package)');
	}
	const port = await freePort();
	base = `http://127.0.0.1:${port}`;
	userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'legalhooks-browser-sandbox-'));
	// the user's own tab from an earlier run: a Plexus account whose secret was never filled in
	fs.writeFileSync(
		path.join(userDir, 'flows.json'),
		JSON.stringify([
			{ id: 'my-tab', type: 'tab', label: 'My flow' },
			{ id: 'my-plexus-account', type: 'legalhooks-plexus-account', name: 'my plexus' },
			{ id: 'my-plexus-trigger', type: 'legalhooks-plexus-trigger', z: 'my-tab', name: 'my trigger', account: 'my-plexus-account', path: 'mine', x: 160, y: 80, wires: [[]] },
		]),
	);
	child = spawn(process.execPath, [require.resolve('tsx/cli'), path.join(root, 'sandbox', 'start.ts')], {
		cwd: root,
		env: { ...process.env, PORT: String(port), LEGALHOOKS_USER_DIR: userDir, TZ: 'UTC' },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	await new Promise<void>((resolve, reject) => {
		child.stdout!.on('data', () => /npx @legalhooks\/cli send .*\n/.test(output) && resolve());
		child.once('exit', () => reject(new Error(`npm start exited:\n${output}`)));
	});
	browser = await launchChromium([base]);
	page = await browser.context.newPage();
	problems = new PageProblems(page, base);
	await page.goto(`${base}/red/`);
	await page.waitForSelector('.red-ui-palette-node[data-palette-type^="legalhooks-"]', { timeout: 30_000 });
	await page.waitForFunction(() => (globalThis as any).RED?.workspaces?.active?.());
});

afterAll(async () => {
	await browser?.close();
	if (child && child.exitCode === null) {
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill('SIGTERM');
		await exited;
	}
	if (userDir) fs.rmSync(userDir, { recursive: true, force: true });
});

test('the editor opens on the debug sidebar', async () => {
	await page.waitForSelector('.red-ui-debug-content', { state: 'visible', timeout: 10_000 });
});

test("the banner's first `npx @legalhooks/cli send` shows a normalized event in the debug sidebar of the tab the editor opens on", async () => {
	const first = /npx @legalhooks\/cli send (.+)/.exec(output)![1].trim();
	const tab = await page.evaluate(() => {
		const RED = (globalThis as any).RED;
		return RED.nodes.workspace(RED.workspaces.active()).label as string;
	});
	await openDebugSidebar(page);
	const lines: string[] = [];
	const code = await cli(['send', ...first.split(/\s+/)], { out: (l) => lines.push(l), err: (l) => lines.push(l), version: 'test' });
	expect({ code, output: lines.join('\n') }).toEqual({ code: 0, output: expect.stringMatching(/HTTP 2\d\d/) });
	// the trigger's message reaches two debug nodes (the event, and the downloaded files): wait for the event's
	let event: DebugMessage | undefined;
	for (const deadline = Date.now() + 15_000; !event && Date.now() < deadline; await page.waitForTimeout(200)) {
		event = (await debugMessages(page)).find((m) => /vendor: "plexus"/.test(m.text));
	}
	expect(event?.text).toMatch(/type: "document\.completed"/);
	// no red line: the sample's document is downloaded (the sandbox serves it), and no debug node prints undefined
	let files: DebugMessage | undefined;
	for (const deadline = Date.now() + 15_000; !files && Date.now() < deadline; await page.waitForTimeout(200)) {
		files = (await debugMessages(page)).find((m) => m.name === 'downloaded files');
	}
	expect(files?.text).toMatch(/object/); // the file list, collapsed
	expect((await debugMessages(page)).filter((m) => /failed/.test(m.text) || m.text === 'undefined')).toEqual([]);
	expect(problems.take()).toEqual([]);
	// the banner names the tab it opens on as the editor labels it
	expect(/tab "([^"]+)"/.exec(output)?.[1]).toBe(tab);
});

test('an account without its secret is invalid for the deploy check, and its trigger is red with what to fill in', async () => {
	await page.waitForFunction(() => (globalThis as any).RED.nodes.node('my-plexus-account')?.valid === false, null, { timeout: 10_000 });
	const accounts = await page.evaluate(() => {
		const RED = (globalThis as any).RED;
		const out: Record<string, unknown> = {};
		RED.nodes.eachConfig((n: any) => {
			if (/^legalhooks-.*-account$/.test(n.type)) out[n.id] = n.valid ? true : n.validationErrors;
		});
		return out;
	});
	expect(accounts['my-plexus-account']).toEqual(['Fill in the webhook secret']);
	expect(Object.entries(accounts).filter(([id, valid]) => id !== 'my-plexus-account' && valid !== true)).toEqual([]);
	await page.evaluate(() => (globalThis as any).RED.workspaces.show('my-tab'));
	await page.waitForFunction(() => /account: fill in webhook secret/.test((globalThis as any).$('#red-ui-workspace-chart g[id="my-plexus-trigger"]').text()), null, { timeout: 10_000 });
	expect(output).toMatch(/Your own tabs are kept \("My flow"\)/);
	expect(problems.take()).toEqual([]);
});

test('the Legito trigger’s dialog copies the `npx @legalhooks/cli send` command with its registration token, and the trigger accepts it', async () => {
	const tray = await openNodeDialog(page, 'lh-legito-trigger');
	await page.waitForFunction(() => /--secret <registration token>/.test((globalThis as any).$('#legalhooks-token-sample > code').text()), null, { timeout: 10_000 });
	const shown = await page.locator('#legalhooks-token-sample > code').innerText();
	expect(shown).not.toMatch(/[0-9a-f]{64}/);
	const command = await copyWith(page, page.locator('[data-legalhooks-copy="sample-command"]'));
	expect(command).toMatch(/^npx @legalhooks\/cli send legito SignCompleted --url \S+ --secret [0-9a-f]{64} --registration-id \S+$/);
	await tray.cancel();
	const lines: string[] = [];
	const code = await cli(command.replace(/^npx @legalhooks\/cli /, '').split(/\s+/), { out: (l) => lines.push(l), err: (l) => lines.push(l), version: 'test' });
	expect({ code, output: lines.join('\n') }).toEqual({ code: 0, output: expect.stringMatching(/HTTP 200/) });
	expect(problems.take()).toEqual([]);
});

test('two unnamed accounts of one vendor are told apart by their public URL; the several-instances settings are folded under Advanced', async () => {
	const labels = await page.evaluate(() => {
		const RED = (globalThis as any).RED;
		return ['legito', 'legalesign', 'quicklysign'].map((vendor) => {
			const label = RED.nodes.getType(`legalhooks-${vendor}-account`).label;
			return [label.call({ baseUrl: 'https://one.example.org/red' }), label.call({ baseUrl: 'https://two.example.org' }), label.call({ name: 'Mine', baseUrl: 'https://one.example.org' })];
		});
	});
	for (const [one, two, named] of labels) {
		expect(one).toMatch(/one\.example\.org$/);
		expect(two).toMatch(/two\.example\.org$/);
		expect(named).toBe('Mine');
	}
	const trigger = await openNodeDialog(page, 'lh-legito-trigger');
	const account = await openConfigDialog(page, 'account', 'edit');
	expect(await page.locator('#node-config-input-contextStore').isVisible()).toBe(false);
	await page.click('#legalhooks-advanced-toggle');
	expect(await page.locator('#node-config-input-contextStore').isVisible()).toBe(true);
	expect(await page.locator('#node-config-input-registers').isVisible()).toBe(true);
	await account.cancel();
	await trigger.cancel();
	expect(problems.take()).toEqual([]);
});

test('no deployed example flow draws nodes or status texts over each other', async () => {
	const tabs: { id: string; label: string }[] = await page.evaluate(() => {
		const out: { id: string; label: string }[] = [];
		(globalThis as any).RED.nodes.eachWorkspace((w: any) => out.push({ id: w.id, label: w.label }));
		return out;
	});
	expect(tabs.length).toBeGreaterThanOrEqual(7);
	const found: string[] = [];
	for (const tab of tabs) {
		await page.evaluate((id) => (globalThis as any).RED.workspaces.show(id), tab.id);
		// a registering trigger settles on its final status text first
		await page.waitForFunction(() => !/registering/.test((globalThis as any).$('#red-ui-workspace-chart').text()), null, { timeout: 10_000 }).catch(() => undefined);
		for (const overlap of await overlappingNodes(page, tab.id)) found.push(`${tab.label}: ${overlap}`);
	}
	expect(found).toEqual([]);
	expect(problems.take()).toEqual([]);
});
