/**
 * `npm start` (sandbox/start.ts) as a process, issue 22: it never destroys — a busy port ends with
 * one line before anything is written; the user's own tabs, their credentials and their triggers'
 * registrations survive a restart — `/` leads to the editor, the editor opens on the debug sidebar,
 * and the banner's promises hold for its commands as printed: the Plexus sample's document and
 * PhenixID's signed document are downloaded, and the downloaded-files debug node never gets a
 * message without files. The sandbox loads the built Node-RED package: `npm run build` first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { main as cli } from '../../cli/src/main';
import { withEventDebug } from '../../sandbox/flows';

jest.setTimeout(120_000);
const root = path.resolve(__dirname, '..', '..');

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

interface Started {
	child: ChildProcess;
	output(): string;
	exit: Promise<number | null>;
}

function startSandbox(port: number, userDir: string): Started {
	let output = '';
	const child = spawn(process.execPath, [require.resolve('tsx/cli'), path.join(root, 'sandbox', 'start.ts')], {
		cwd: root,
		env: { ...process.env, PORT: String(port), LEGALHOOKS_USER_DIR: userDir, TZ: 'UTC' },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	return { child, output: () => output, exit };
}

async function ready(started: Started): Promise<void> {
	await Promise.race([
		new Promise<void>((resolve) => {
			const check = () => (/npx @legalhooks\/cli send .*\n/.test(started.output()) ? resolve() : setTimeout(check, 100));
			check();
		}),
		started.exit.then(() => Promise.reject(new Error(`the sandbox exited:\n${started.output()}`))),
	]);
}

async function stop(started: Started | undefined): Promise<void> {
	if (!started || started.child.exitCode !== null) return;
	started.child.kill('SIGTERM');
	await started.exit;
}

async function waitForFile(file: string, timeoutMs = 15_000): Promise<string> {
	for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
		if (fs.existsSync(file) && fs.readFileSync(file, 'utf8').trim()) return fs.readFileSync(file, 'utf8');
	}
	throw new Error(`${file} was not written`);
}

/** The user's own tab: a Plexus and a PhenixID trigger on the sandbox's accounts, writing what they downloaded to files. */
function userTab(dir: string) {
	const writer = (id: string, file: string, y: number) => [
		{ id: `${id}-fn`, type: 'function', z: 'my-tab', name: 'what came', func: 'msg.payload = JSON.stringify({ files: (msg.files || []).map((f) => f.fileName + " " + f.size), errors: msg.payload.data.fileErrors || null }); return msg;', outputs: 1, x: 400, y, wires: [[`${id}-file`]] },
		{ id: `${id}-file`, type: 'file', z: 'my-tab', name: '', filename: path.join(dir, file), filenameType: 'str', appendNewline: true, createDir: true, overwriteFile: 'true', encoding: 'utf8', x: 600, y, wires: [[]] },
	];
	return [
		{ id: 'my-tab', type: 'tab', label: 'My own flow', disabled: false, info: '' },
		{ id: 'my-config', type: 'http proxy', name: 'my proxy', url: 'http://proxy.example:3128', noproxy: [] },
		{ id: 'my-plexus', type: 'legalhooks-plexus-trigger', z: 'my-tab', name: 'mine', account: 'lh-px2-plexus-account', path: 'mine', downloadDocuments: true, x: 150, y: 80, wires: [['my-plexus-fn']] },
		...writer('my-plexus', 'plexus.json', 80),
		{ id: 'my-phenixid', type: 'legalhooks-phenixid-trigger', z: 'my-tab', name: 'mine', account: 'lh-phenixid-account', path: 'mine', downloadDocuments: true, x: 150, y: 160, wires: [['my-phenixid-fn']] },
		...writer('my-phenixid', 'phenixid.json', 160),
	];
}

const send = async (args: string[]) => {
	const lines: string[] = [];
	const code = await cli(args, { out: (l) => lines.push(l), err: (l) => lines.push(l), version: 'test' });
	return { code, output: lines.join('\n') };
};

describe('npm start (sandbox/start.ts)', () => {
	let userDir: string;
	let port: number;
	let running: Started | undefined;

	beforeAll(async () => {
		const dist = path.join(root, 'node-red', 'dist');
		if (!fs.existsSync(dist)) throw new Error('node-red/dist is missing: run `npm run build` (the sandbox loads the built package)');
		userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'legalhooks-sandbox-start-'));
		port = await freePort();
		// A user directory from an earlier run: the user's own tab, its credentials and a registration of theirs.
		fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify([{ id: 'lh-px2-trigger', type: 'legalhooks-plexus-trigger', z: 'gone', path: 'old' }, ...userTab(userDir)]));
		fs.writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify({ 'my-config': { username: 'me', password: 'kept' } }));
		fs.mkdirSync(path.join(userDir, '.legalhooks'));
		const entry = (account: string) => ({ vendor: 'legito', accountType: 'legalhooks-legito-account', state: { registration: { ids: ['1'], url: 'https://x.example/h', secret: 's', settings: {}, account: { id: account, fingerprint: 'f' } }, pending: [] } });
		fs.writeFileSync(path.join(userDir, '.legalhooks', 'registrations.json'), JSON.stringify({ version: 2, entries: { 'users-trigger': entry('users-account'), 'lh-legito-trigger': entry('lh-legito-account') } }));
		running = startSandbox(port, userDir);
		await ready(running);
	});
	afterAll(async () => {
		await stop(running);
		if (userDir) fs.rmSync(userDir, { recursive: true, force: true });
	});

	it("keeps the user's tab and says so, drops only its own triggers' old registrations, and opens the editor on the debug sidebar", async () => {
		const flows = JSON.parse(fs.readFileSync(path.join(userDir, 'flows.json'), 'utf8')) as Array<{ id: string; z?: string; path?: string }>;
		expect(flows.filter((n) => n.z === 'my-tab').map((n) => n.id)).toEqual(expect.arrayContaining(['my-plexus', 'my-phenixid']));
		expect(flows.find((n) => n.id === 'lh-px2-trigger')?.path).toBe('contracts'); // the sandbox's own node rewritten
		expect(JSON.parse(fs.readFileSync(path.join(userDir, 'flows_cred.json'), 'utf8'))).toMatchObject({ 'my-config': { username: 'me', password: 'kept' } });
		expect(running!.output()).toMatch(/Your own tabs are kept \("My own flow"\)/);
		const store = JSON.parse(fs.readFileSync(path.join(userDir, '.legalhooks', 'registrations.json'), 'utf8'));
		expect(Object.keys(store.entries)).toContain('users-trigger');
		// the sandbox trigger registered afresh with this run's simulator; the old entry is gone
		expect(store.entries['lh-legito-trigger']?.state.registration?.url).not.toBe('https://x.example/h');
		expect(JSON.stringify(store.entries['users-trigger'])).toContain('https://x.example/h');
		const settings = await (await fetch(`http://127.0.0.1:${port}/red/settings/user`)).json();
		expect(settings.editor.sidebar.order[0]).toBe('debug');
	});

	it('/ leads to the editor', async () => {
		const answer = await fetch(`http://127.0.0.1:${port}/`, { redirect: 'manual' });
		expect([answer.status, answer.headers.get('location')]).toEqual([302, '/red/']);
	});

	it('a second start on the busy port ends with one line and a non-zero code, and writes nothing', async () => {
		const before = ['flows.json', 'flows_cred.json', '.legalhooks/registrations.json'].map((f) => fs.readFileSync(path.join(userDir, f), 'utf8'));
		const second = startSandbox(port, userDir);
		const code = await second.exit;
		expect(code).not.toBe(0);
		expect(second.output().trim()).toBe(`port ${port} is in use: set PORT=… to another port (e.g. PORT=${port + 1} npm start)`);
		expect(['flows.json', 'flows_cred.json', '.legalhooks/registrations.json'].map((f) => fs.readFileSync(path.join(userDir, f), 'utf8'))).toEqual(before);
	});

	it("the banner's Plexus and PhenixID commands, as printed, bring their documents", async () => {
		const banner = running!.output();
		const plexus = /npx @legalhooks\/cli send (plexus executed --url \S+ --secret \S+)\n/.exec(banner)![1].replace(/\/contracts\b/, '/mine');
		expect(await send(['send', ...plexus.split(/\s+/)])).toEqual({ code: 0, output: expect.stringMatching(/HTTP 200/) });
		expect(JSON.parse(await waitForFile(path.join(userDir, 'plexus.json')))).toEqual({ files: [expect.stringMatching(/^Contract_4JF72sf\.pdf \d+$/)], errors: null });
		const phenixid = /npx @legalhooks\/cli send (phenixid OrderSigned .*)\n/.exec(banner)![1].replace(/\/example\b/, '/mine');
		expect(await send(['send', ...phenixid.trim().split(/\s+/)])).toEqual({ code: 0, output: expect.stringMatching(/HTTP 200/) });
		expect(JSON.parse(await waitForFile(path.join(userDir, 'phenixid.json')))).toEqual({ files: [expect.stringMatching(/\.pdf \d+$/)], errors: null });
	});
});

describe('the sandbox debug nodes', () => {
	it('the downloaded-files debug node only gets messages that carry files', () => {
		const flows = withEventDebug([
			{ id: 'tab', type: 'tab' },
			{ id: 't', type: 'legalhooks-plexus-trigger', z: 'tab', x: 100, y: 100, downloadDocuments: true, wires: [[]] },
		]);
		const trigger = flows.find((n) => n.id === 't')!;
		const filesDebug = flows.find((n) => n.type === 'debug' && n.complete === 'files')!;
		expect(trigger.wires[0]).not.toContain(filesDebug.id);
		const gate = flows.find((n) => (n.wires?.[0] ?? []).includes(filesDebug.id))!;
		expect(gate).toMatchObject({ type: 'switch', property: 'files', propertyType: 'msg', rules: [{ t: 'nempty' }] });
		expect(trigger.wires[0]).toContain(gate.id);
	});

	it('no example flow wires a trigger straight to a debug node of msg.files (it would print undefined for events without files)', () => {
		const dir = path.join(root, 'node-red', 'examples');
		const flows = withEventDebug(fs.readdirSync(dir).filter((f) => f.endsWith('.json')).flatMap((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))));
		const filesDebugs = new Set(flows.filter((n) => n.type === 'debug' && n.complete === 'files').map((n) => n.id));
		expect(filesDebugs.size).toBeGreaterThan(0);
		const straight = flows.filter((n) => /^legalhooks-.*-trigger$/.test(n.type) && (n.wires?.[0] ?? []).some((id: string) => filesDebugs.has(id))).map((n) => n.id);
		expect(straight).toEqual([]);
	});
});
