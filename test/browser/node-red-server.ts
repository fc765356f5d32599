import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const packageDir = path.join(root, 'node-red');

export interface NodeRedEditorServer {
	/** The editor and the webhook routes, both at Node-RED's default root `/`. */
	base: string;
	/** The node types our package registered, as Node-RED reports them (GET /nodes). */
	types: string[];
	output(): string;
	stop(): Promise<void>;
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = (server.address() as net.AddressInfo);
			server.close(() => resolve(port));
		});
	});
}

/**
 * node-red/ as Node-RED loads an installed package (package.json with its `node-red` section,
 * examples/, resources/, icons and .html beside each node file), but each node file runs the
 * TypeScript source through tsx: the editor is tested against the working tree without a build.
 * The folder mirrors what scripts/build.js puts in the package: every non-.ts file of node-red/src.
 */
function stagePackage(into: string): string {
	const pkg = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
	const staged = path.join(into, 'node-red-legalhooks');
	const src = path.join(staged, 'src');
	fs.mkdirSync(src, { recursive: true });
	for (const entry of fs.readdirSync(path.join(packageDir, 'src'))) {
		if (entry.endsWith('.ts')) continue;
		fs.symlinkSync(path.join(packageDir, 'src', entry), path.join(src, entry));
	}
	const nodes: Record<string, string> = {};
	for (const name of Object.keys(pkg['node-red'].nodes)) {
		const source = path.join(packageDir, 'src', `${name}.ts`);
		fs.writeFileSync(path.join(src, `${name}.js`), `require('tsx/cjs');\nmodule.exports = require(${JSON.stringify(source)});\n`);
		nodes[name] = `src/${name}.js`;
	}
	for (const dir of ['examples', 'resources']) fs.symlinkSync(path.join(packageDir, dir), path.join(staged, dir));
	fs.writeFileSync(path.join(staged, 'package.json'), JSON.stringify({ ...pkg, 'node-red': { ...pkg['node-red'], nodes } }, null, 2));
	return staged;
}

/** A real Node-RED (the repository's dev dependency, its own red.js) with an empty workspace and our package. */
export async function startNodeRedEditor(): Promise<NodeRedEditorServer> {
	const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'legalhooks-browser-nr-'));
	const staged = stagePackage(userDir);
	const settings = {
		uiHost: '127.0.0.1',
		flowFile: 'flows.json',
		credentialSecret: false,
		nodesDir: [staged],
		logging: { console: { level: 'info', metrics: false, audit: false } },
		editorTheme: { tours: false, projects: { enabled: false } },
		diagnostics: { enabled: false },
		runtimeState: { enabled: false },
		telemetry: { enabled: false },
		externalModules: { palette: { allowInstall: false } },
	};
	fs.writeFileSync(path.join(userDir, 'settings.js'), `module.exports = ${JSON.stringify(settings, null, 2)};\n`);
	const port = await freePort();
	let output = '';
	const child = spawn(process.execPath, [require.resolve('node-red/red.js'), '-u', userDir, '-s', path.join(userDir, 'settings.js'), '-p', String(port)], {
		cwd: root,
		env: { ...process.env, NODE_PATH: path.join(root, 'node_modules'), NODE_RED_HOME: userDir, TZ: 'UTC' },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	await new Promise<void>((resolve, reject) => {
		const onData = () => {
			if (/Started flows|Flows file .* not found|Starting flows/.test(output) && /Server now running/.test(output)) resolve();
		};
		child.stdout.on('data', onData);
		void exited.then(() => reject(new Error(`Node-RED exited before it served the editor:\n${output}`)));
	});
	const base = `http://127.0.0.1:${port}`;
	const nodes = (await (await fetch(`${base}/nodes`, { headers: { accept: 'application/json' } })).json()) as { module: string; types: string[] }[];
	const types = nodes.filter((set) => set.module === '@legalhooks/node-red-legalhooks').flatMap((set) => set.types);
	return {
		base,
		types,
		output: () => output,
		stop: async () => {
			if (child.exitCode === null) child.kill('SIGTERM');
			await exited;
			fs.rmSync(userDir, { recursive: true, force: true });
		},
	};
}
