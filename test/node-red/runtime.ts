import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

/**
 * A real Node-RED in its own process, started by its own `red.js` as users start it, with
 * httpAdminRoot and httpNodeRoot left at their default `/` (the admin app's body parsers run before
 * httpNode). Our node modules are loaded from source through tsx, so no build is needed. A process
 * of its own because what is under test is that the process survives.
 */
export interface NodeRedProcess {
	base: string;
	port: number;
	pid: number;
	/** Everything the process wrote to stdout and stderr so far. */
	output(): string;
	running(): boolean;
	stop(): Promise<void>;
}

export interface NodeRedProcessOptions {
	/** Node module file names under node-red/src, e.g. 'legalhooks-plexus'. */
	modules: string[];
	flows: unknown[];
	credentials: Record<string, Record<string, string>>;
	/** Extra settings.js entries. */
	settings?: Record<string, unknown>;
	/** Extra settings.js entries as JavaScript source (e.g. a context store's `require(...)`). */
	settingsSource?: Record<string, string>;
	/** Use this user directory (and leave it on stop), so a later runtime starts on the same one (a restart). */
	userDir?: string;
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

export async function startNodeRed(options: NodeRedProcessOptions): Promise<NodeRedProcess> {
	const userDir = options.userDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'legalhooks-nr-'));
	const nodesDir = path.join(userDir, 'legalhooks-nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	for (const name of options.modules) {
		const source = path.join(root, 'node-red', 'src', name);
		fs.writeFileSync(path.join(nodesDir, `${name}.js`), `require('tsx/cjs');\nmodule.exports = require(${JSON.stringify(`${source}.ts`)});\n`);
		fs.copyFileSync(`${source}.html`, path.join(nodesDir, `${name}.html`));
	}
	fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(options.flows));
	fs.writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify(options.credentials));
	const settings = {
		uiHost: '127.0.0.1',
		flowFile: 'flows.json',
		credentialSecret: false,
		nodesDir: [nodesDir],
		logging: { console: { level: 'info', metrics: false, audit: false } },
		editorTheme: { tours: false, projects: { enabled: false } },
		diagnostics: { enabled: false },
		runtimeState: { enabled: false },
		telemetry: { enabled: false },
		...options.settings,
	};
	const source = Object.entries(options.settingsSource ?? {}).map(([name, code]) => `\n${JSON.stringify(name)}: ${code},`).join('');
	fs.writeFileSync(path.join(userDir, 'settings.js'), `module.exports = {${source}\n...${JSON.stringify(settings, null, 2)}};\n`);

	const port = await freePort();
	let output = '';
	const child: ChildProcess = spawn(process.execPath, [require.resolve('node-red/red.js'), '-u', userDir, '-s', path.join(userDir, 'settings.js'), '-p', String(port)], {
		cwd: root,
		env: { ...process.env, NODE_PATH: path.join(root, 'node_modules'), NODE_RED_HOME: userDir },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let exited = false;
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	void exit.then(() => (exited = true));

	const started = new Promise<void>((resolve, reject) => {
		const onData = () => {
			// red.js starts the flows, then listens: wait for both
			if (/Started flows/.test(output) && /Server now running at/.test(output)) resolve();
		};
		child.stdout?.on('data', onData);
		void exit.then(() => reject(new Error(`Node-RED exited before starting its flows:\n${output}`)));
	});
	await started;

	return {
		base: `http://127.0.0.1:${port}`,
		port,
		pid: child.pid ?? 0,
		output: () => output,
		running: () => !exited,
		stop: async () => {
			if (!exited) child.kill('SIGTERM');
			await exit;
			if (!options.userDir) fs.rmSync(userDir, { recursive: true, force: true });
		},
	};
}

export interface RawResponse {
	status: number;
	headers: Record<string, string>;
	body: string;
}

/** Parses one HTTP/1.1 response (the server closes the connection after it). */
function parseResponse(text: string): RawResponse {
	const end = text.indexOf('\r\n\r\n');
	const head = text.slice(0, end).split('\r\n');
	const status = Number(head[0].split(' ')[1]);
	const headers: Record<string, string> = {};
	for (const line of head.slice(1)) {
		const colon = line.indexOf(':');
		headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
	}
	let body = text.slice(end + 4);
	if (headers['transfer-encoding'] === 'chunked') {
		let decoded = '';
		let rest = body;
		for (;;) {
			const lineEnd = rest.indexOf('\r\n');
			const size = parseInt(rest.slice(0, lineEnd), 16);
			if (!size) break;
			decoded += rest.slice(lineEnd + 2, lineEnd + 2 + size);
			rest = rest.slice(lineEnd + 2 + size + 2);
		}
		body = decoded;
	}
	return { status, headers, body };
}

/**
 * Sends bytes as they are (request targets `fetch` will not send, such as an absolute-form URL with
 * an invalid port) and resolves with the response once the server has answered and closed.
 * `hold`: keep the connection open after writing, resolving as soon as a full response head arrived.
 */
export function rawRequest(port: number, request: string | Buffer, options: { hold?: boolean } = {}): { response: Promise<RawResponse>; socket: net.Socket } {
	const socket = net.connect(port, '127.0.0.1');
	const chunks: Buffer[] = [];
	const response = new Promise<RawResponse>((resolve, reject) => {
		socket.on('data', (chunk: Buffer) => {
			chunks.push(chunk);
			const text = Buffer.concat(chunks).toString('latin1');
			if (options.hold && text.includes('\r\n\r\n')) {
				const parsed = parseResponse(text);
				const length = Number(parsed.headers['content-length']);
				if (Number.isFinite(length) && Buffer.byteLength(parsed.body, 'latin1') >= length) resolve(parsed);
			}
		});
		socket.on('end', () => resolve(parseResponse(Buffer.concat(chunks).toString('latin1'))));
		socket.on('error', (error) => (chunks.length > 0 ? resolve(parseResponse(Buffer.concat(chunks).toString('latin1'))) : reject(error)));
	});
	socket.write(request);
	return { response, socket };
}
