/* Build, `npm pack` every n8n package, the Node-RED package and the CLI, and check what the tarballs hold. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { check, log } from './util';

export const repoRoot = path.resolve(__dirname, '../../..');

export interface Packed {
	tarball: string;
	/** the tarball extracted (package/ folder) */
	dir: string;
	pkg: any;
	files: string[];
	/** the package's folder in the built snapshot (what was packed) */
	srcDir: string;
}

function sh(cmd: string, args: string[], cwd: string) {
	return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
}

/**
 * A private copy of the sources to build and pack, so a concurrent `npm run build` in the working
 * tree (which wipes dist/) cannot change what we pack. `head`: the committed tree (what CI's fresh
 * clone holds); otherwise the working tree's tracked and untracked, non-ignored files.
 */
function snapshot(work: string, from: 'head' | 'worktree'): string {
	const dir = path.join(work, 'src');
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	if (from === 'head') {
		execFileSync('bash', ['-c', `git -C "${repoRoot}" archive --format=tar HEAD | tar -x -C "${dir}"`]);
	} else {
		const files = sh('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], repoRoot).split('\0').filter(Boolean);
		for (const f of files) {
			const src = path.join(repoRoot, f);
			if (!fs.existsSync(src) || fs.statSync(src).isDirectory()) continue;
			fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
			fs.copyFileSync(src, path.join(dir, f));
		}
	}
	fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'));
	return dir;
}

/** The n8n packages in a source tree: each folder of n8n/ with a package.json. */
function n8nPackageDirs(src: string): string[] {
	return fs
		.readdirSync(path.join(src, 'n8n'))
		.filter((name) => fs.existsSync(path.join(src, 'n8n', name, 'package.json')))
		.sort()
		.map((name) => path.join(src, 'n8n', name));
}

export function buildAndPack(work: string, { from = 'worktree' as 'head' | 'worktree' } = {}): { n8n: Packed[]; nodeRed: Packed; cli: Packed; srcDir: string } {
	const src = snapshot(work, from);
	log('pack', `npm run build (in a ${from === 'head' ? 'HEAD' : 'working-tree'} snapshot)`);
	execFileSync('npm', ['run', 'build'], { cwd: src, stdio: ['ignore', process.stderr, process.stderr] });
	const out = path.join(work, 'tarballs');
	fs.mkdirSync(out, { recursive: true });
	const pack = (cwd: string, name: string): Packed => {
		const json = JSON.parse(sh('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], cwd));
		const tarball = path.join(out, json[0].filename);
		const dir = path.join(work, 'unpacked', name);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		sh('tar', ['-xzf', tarball, '-C', dir], work);
		const files = (json[0].files as { path: string }[]).map((f) => f.path).sort();
		const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package', 'package.json'), 'utf8'));
		log('pack', `${json[0].filename}: ${files.length} files, ${(json[0].size / 1024).toFixed(0)} kB`);
		return { tarball, dir: path.join(dir, 'package'), pkg, files, srcDir: cwd };
	};
	const n8n = n8nPackageDirs(src).map((dir) => pack(dir, `n8n-${path.basename(dir)}`));
	check(n8n.length > 0, 'no n8n package (n8n/*/package.json) to pack');
	return { n8n, nodeRed: pack(path.join(src, 'node-red'), 'node-red'), cli: pack(path.join(src, 'cli'), 'cli'), srcDir: src };
}

/** Things that must never be in a published tarball. */
const FORBIDDEN: [RegExp, string][] = [
	[/(^|\/)(test|tests|__tests__|__mocks__|fixtures|simulators|sandbox|bench|coverage)\//, 'test/bench/fixture folder'],
	[/\.(test|spec)\.(js|ts|d\.ts|js\.map)$/, 'test file'],
	[/(^|\/)(jest|tsconfig)[^/]*\.(js|json)$/, 'tool config'],
	[/\.ts$/, 'TypeScript source (only .d.ts allowed)'],
	[/(^|\/)\.env/, 'env file'],
	[/\.(pem|key|p12|pfx|crt)$/, 'key/certificate file'],
	[/(^|\/)(\.npmrc|\.git\/|\.ci\/|node_modules\/)/, 'repo internals'],
];

function commonChecks(p: Packed, errors: string[]) {
	for (const f of p.files) {
		if (f.endsWith('.d.ts')) continue;
		for (const [re, why] of FORBIDDEN) if (re.test(f)) errors.push(`${f}: ${why} must not be published`);
	}
	for (const f of p.files) {
		const full = path.join(p.dir, f);
		const text = fs.readFileSync(full, 'utf8');
		if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) errors.push(`${f}: contains a PEM private key`);
		if (f.endsWith('.map')) {
			try {
				const sources: string[] = JSON.parse(text).sources ?? [];
				const bad = sources.filter((s) => /(^|\/)(test|bench|fixtures)\//.test(s) || /\.test\.ts$/.test(s));
				if (bad.length) errors.push(`${f}: source map of test sources (${bad.join(', ')})`);
			} catch {
				errors.push(`${f}: unreadable source map`);
			}
		}
	}
	// The event contract (scripts/event-schema.js), beside each package's compiled core.
	if (!p.files.includes('dist/core/normalized-event.schema.json')) errors.push('dist/core/normalized-event.schema.json (the event JSON Schema) missing from the tarball');
	for (const f of ['package.json', 'README.md', 'LICENSE']) {
		if (!p.files.includes(f) && !p.files.some((x) => x.toLowerCase() === f.toLowerCase() || (f === 'LICENSE' && /^licen[cs]e(\.md|\.txt)?$/i.test(x)))) {
			errors.push(`${f} missing from the tarball`);
		}
	}
}

/** Requires the n8n community-package scan allows (see CONVENTIONS.md). */
const N8N_ALLOWED_IMPORTS = /^(n8n-workflow|lodash(\/.*)?|moment|p-limit|luxon|zod(\/.*)?|crypto|node:crypto|\.{1,2}(\/.*)?)$/;

export function checkN8nTarball(p: Packed): { errors: string[]; nodes: string[]; credentials: string[] } {
	const errors: string[] = [];
	commonChecks(p, errors);
	const n8n = p.pkg.n8n;
	check(n8n && n8n.n8nNodesApiVersion === 1, 'package.json n8n.n8nNodesApiVersion must be 1');
	if (!(p.pkg.keywords ?? []).includes('n8n-community-node-package')) errors.push('keyword n8n-community-node-package missing');
	if (p.pkg.dependencies && Object.keys(p.pkg.dependencies).length) errors.push(`runtime dependencies present: ${Object.keys(p.pkg.dependencies).join(', ')}`);
	for (const s of ['preinstall', 'install', 'postinstall', 'prepare']) if (p.pkg.scripts?.[s]) errors.push(`install script "${s}" present`);
	const nodes: string[] = n8n.nodes ?? [];
	const credentials: string[] = n8n.credentials ?? [];
	for (const f of [...nodes, ...credentials]) {
		if (!p.files.includes(f)) errors.push(`${f} listed in package.json n8n but not in the tarball`);
	}
	for (const f of nodes) {
		const codex = f.replace(/\.js$/, '.json');
		if (!p.files.includes(codex)) errors.push(`${codex}: codex file missing for ${f}`);
		else {
			const c = JSON.parse(fs.readFileSync(path.join(p.dir, codex), 'utf8'));
			for (const k of ['node', 'nodeVersion', 'codexVersion', 'categories']) if (!(k in c)) errors.push(`${codex}: "${k}" missing`);
		}
	}
	// every icon a node or credential names must be shipped beside it
	for (const f of [...nodes, ...credentials]) {
		if (!p.files.includes(f)) continue;
		const js = fs.readFileSync(path.join(p.dir, f), 'utf8');
		for (const m of js.matchAll(/file:([\w./-]+\.(?:svg|png))/g)) {
			const icon = path.posix.normalize(path.posix.join(path.posix.dirname(f), m[1]));
			if (!p.files.includes(icon)) errors.push(`${f}: icon ${m[1]} not in the tarball (${icon})`);
		}
	}
	// approximate community-package scan over every .js
	for (const f of p.files.filter((x) => x.endsWith('.js'))) {
		const js = fs.readFileSync(path.join(p.dir, f), 'utf8');
		for (const m of js.matchAll(/require\(["']([^"']+)["']\)/g)) {
			if (!N8N_ALLOWED_IMPORTS.test(m[1])) errors.push(`${f}: require("${m[1]}") is not allowed by the n8n community-package scan`);
		}
		for (const [re, what] of [
			[/\bprocess\.(env|exit|cwd|argv|stdout|stderr|platform|nextTick)\b/, 'process'],
			[/\bconsole\.(log|warn|error|info|debug)\(/, 'console'],
			[/(?<![.\w])(setTimeout|setInterval|setImmediate)\(/, 'timers'],
			[/\b(__dirname|__filename|globalThis)\b/, 'globals'],
		] as [RegExp, string][]) {
			if (re.test(js)) errors.push(`${f}: uses ${what} (rejected by the n8n community-package scan)`);
		}
	}
	// Node-RED files have no business in an n8n package
	for (const f of p.files) if (/\.html$/.test(f) || /(^|\/)node-red\//.test(f)) errors.push(`${f}: Node-RED file in the n8n package`);
	// one service per package: a vendor's package carries no other vendor's core and no destination, the
	// actions package no vendor (n8n verifies packages that integrate one service)
	const coreFolders = (kind: string) => [...new Set(p.files.map((f) => new RegExp(`^dist/core/${kind}/([^/]+)/`).exec(f)?.[1]).filter(Boolean))];
	const vendorsIn = coreFolders('vendors');
	const destinationsIn = coreFolders('destinations');
	if (vendorsIn.length + (destinationsIn.length > 0 ? 1 : 0) > 1) errors.push(`more than one service's code: vendors ${vendorsIn.join(', ') || 'none'}, destinations ${destinationsIn.join(', ') || 'none'}`);
	if (!p.pkg.repository?.directory) errors.push('package.json repository.directory missing (npm must name the package folder in the repository)');
	return { errors, nodes, credentials };
}

export function checkNodeRedTarball(p: Packed): { errors: string[]; sets: Record<string, string>; types: string[] } {
	const errors: string[] = [];
	commonChecks(p, errors);
	const nr = p.pkg['node-red'];
	check(nr && nr.nodes, 'node-red/package.json has no node-red.nodes');
	if (!(p.pkg.keywords ?? []).includes('node-red')) errors.push('keyword node-red missing');
	const deps = Object.keys(p.pkg.dependencies ?? {});
	if (deps.length > 6) errors.push(`more than six dependencies: ${deps.join(', ')}`);
	// node-red.nodes maps a node *set* to a file; one file may register several types (account + trigger)
	const sets: Record<string, string> = nr.nodes;
	const types: string[] = [];
	const iconFiles = p.files.filter((f) => /(^|\/)icons\/[^/]+$/.test(f));
	const exampleFiles = p.files.filter((f) => /^examples\/.+\.json$/.test(f));
	let exampleText = '';
	if (!exampleFiles.length) errors.push('no examples/*.json');
	for (const f of exampleFiles) {
		const text = fs.readFileSync(path.join(p.dir, f), 'utf8');
		exampleText += text;
		try {
			if (!Array.isArray(JSON.parse(text))) errors.push(`${f}: not a flow (JSON array)`);
		} catch (e) {
			errors.push(`${f}: not JSON (${(e as Error).message})`);
		}
	}
	for (const [set, js] of Object.entries(sets)) {
		if (!p.files.includes(js)) {
			errors.push(`${js} (node set ${set}) not in the tarball`);
			continue;
		}
		const html = js.replace(/\.js$/, '.html');
		const base = path.posix.basename(js, '.js');
		if (!p.files.includes(html)) {
			errors.push(`${html}: editor file missing for ${set}`);
			continue;
		}
		const h = fs.readFileSync(path.join(p.dir, html), 'utf8');
		const regs = [...h.matchAll(/RED\.nodes\.registerType\(\s*["']([\w-]+)["']/g)];
		if (!regs.length) errors.push(`${html}: registers no node type`);
		regs.forEach((m, i) => {
			const type = m[1];
			types.push(type);
			if (!type.startsWith('legalhooks-')) errors.push(`${html}: type ${type} lacks the legalhooks- prefix`);
			const def = h.slice(m.index!, regs[i + 1]?.index ?? h.length);
			const isConfig = /category\s*:\s*["']config["']/.test(def);
			const icon = /icon\s*:\s*["']([^"']+)["']/.exec(def)?.[1];
			if (!isConfig && !icon) errors.push(`${html}: ${type} has no icon`);
			if (icon && !icon.includes('/') && !iconFiles.some((f) => path.posix.basename(f) === icon)) errors.push(`${html}: icon ${icon} of ${type} not in the tarball`);
			if (!new RegExp(`data-help-name=["']${type}["']`).test(h) && !p.files.some((f) => f.endsWith(`locales/en-US/${base}.html`))) {
				errors.push(`${html}: no help text for ${type}`);
			}
			if (!isConfig && !exampleText.includes(`"${type}"`)) errors.push(`node ${type} appears in no example flow`);
		});
	}
	return { errors, sets, types };
}
