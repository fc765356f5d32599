import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

// Each published package ships only JavaScript its engine can load: every .js in `npm pack`'s list is
// reached by following the built files' relative requires from an entry point in package.json
// (n8n: `n8n.nodes`, `n8n.credentials`; Node-RED: `node-red.nodes`, and the editor scripts
// their .html loads from the package's resources/ folder). Code only the CLI, the
// tests or the benchmarks use (the sample builders) stays out of the tarballs, and an n8n package
// for one service carries no other vendor's or destination's code.

const root = path.resolve(__dirname, '../..');

function packedFiles(dir: string): string[] {
	const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, encoding: 'utf8' });
	return (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0].files.map((f) => f.path);
}

function resolveRelative(fromFile: string, spec: string): string | undefined {
	const base = path.resolve(path.dirname(fromFile), spec);
	return [base, `${base}.js`, path.join(base, 'index.js')].find((candidate) => candidate.endsWith('.js') && existsSync(candidate));
}

/** Files reachable from `entries` through `require('./…')`, as paths relative to `dir`. */
function reachable(dir: string, entries: string[]): Set<string> {
	const seen = new Set<string>();
	const queue = entries.map((entry) => path.join(dir, entry));
	while (queue.length > 0) {
		const file = queue.pop()!;
		const relative = path.relative(dir, file);
		if (seen.has(relative)) continue;
		seen.add(relative);
		for (const match of readFileSync(file, 'utf8').matchAll(/\brequire\(\s*["'](\.{1,2}\/[^"']*)["']\s*\)/g)) {
			const target = resolveRelative(file, match[1]);
			if (!target) throw new Error(`${relative} requires ${match[1]}, which is not a built file`);
			queue.push(target);
		}
	}
	return seen;
}

const n8nDirs = readdirSync(path.join(root, 'n8n')).filter((dir) => existsSync(path.join(root, 'n8n', dir, 'package.json')));

const packages = [
	...n8nDirs.map((dir) => ({
		name: `n8n package (n8n/${dir}/)`,
		dir: path.join(root, 'n8n', dir),
		entries: (pkg: any): string[] => [...pkg.n8n.nodes, ...pkg.n8n.credentials],
	})),
	{
		name: 'Node-RED package (node-red/)',
		dir: path.join(root, 'node-red'),
		entries: (pkg: any): string[] => {
			const nodes = Object.values(pkg['node-red'].nodes as Record<string, string>);
			const editorScripts = nodes.flatMap((node) => {
				const html = readFileSync(path.join(root, 'node-red', node.replace(/\.js$/, '.html')), 'utf8');
				return [...html.matchAll(/<script src="resources\/([^"]+)"/g)].map((m) => {
					const prefix = `${pkg.name}/`;
					if (!m[1].startsWith(prefix)) throw new Error(`${node}'s .html loads ${m[1]}, not from ${prefix}`);
					return `resources/${m[1].slice(prefix.length)}`;
				});
			});
			return [...new Set([...nodes, ...editorScripts])];
		},
	},
];

beforeAll(() => {
	// npm pack lists what is on disk; build once when a fresh checkout has no dist yet
	if (packages.some(({ dir }) => !existsSync(path.join(dir, 'dist')))) {
		execFileSync(process.execPath, [path.join(root, 'scripts/build.js')], { cwd: root, stdio: 'ignore' });
	}
}, 180_000);

describe.each(packages)('$name', ({ dir, entries }) => {
	const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));

	it('ships every entry point package.json names', () => {
		const shipped = packedFiles(dir);
		for (const entry of entries(pkg)) expect(shipped).toContain(entry);
	});

	it('ships no .js that nothing in it requires', () => {
		const loaded = reachable(dir, entries(pkg));
		const unreachable = packedFiles(dir).filter((file) => file.endsWith('.js') && !loaded.has(file));
		expect(unreachable).toEqual([]);
	});
});

// The core folders of each service: a vendor's package holds core/vendors/<its vendor>/ only and no
// destination; the actions package holds the destinations and no vendor.
const SERVICE_CORE: Record<string, { vendors: string[]; destinations: string[] }> = {
	legito: { vendors: ['legito'], destinations: [] },
	legalesign: { vendors: ['legalesign'], destinations: [] },
	'plexus-gateway': { vendors: ['plexus'], destinations: [] },
	quicklysign: { vendors: ['quicklysign'], destinations: [] },
	'phenixid-signing': { vendors: ['phenixid'], destinations: [] },
	actions: { vendors: [], destinations: ['salesforce', 'slack', 'xero'] },
};

describe.each(n8nDirs)('n8n/%s ships the code of its own service only', (dir) => {
	it('holds no other vendor or destination folder of core', () => {
		const shipped = packedFiles(path.join(root, 'n8n', dir));
		const folders = (kind: string) => [...new Set(shipped.map((file) => new RegExp(`^dist/core/${kind}/([^/]+)/`).exec(file)?.[1]).filter(Boolean))].sort();
		expect(SERVICE_CORE[dir]).toBeDefined();
		expect(folders('vendors')).toEqual(SERVICE_CORE[dir].vendors);
		expect(folders('destinations')).toEqual(SERVICE_CORE[dir].destinations);
	});
});
