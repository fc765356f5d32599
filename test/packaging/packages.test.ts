import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

describe('Node-RED package manifest', () => {
	const pkg = JSON.parse(read('node-red/package.json'));
	const entries = Object.entries(pkg['node-red'].nodes as Record<string, string>);
	const examples = readdirSync(path.join(root, 'node-red/examples'))
		.filter((f) => f.endsWith('.json'))
		.flatMap((f) => JSON.parse(read(`node-red/examples/${f}`)) as Array<{ type: string }>);

	it('declares the Node-RED versions the e2e tests (4.1+), the node-red keyword and a scoped name', () => {
		expect(pkg['node-red'].version).toBe('>=4.1.0');
		expect(pkg.keywords).toContain('node-red');
		expect(pkg.name).toBe('@legalhooks/node-red-legalhooks');
		expect(Object.keys(pkg.dependencies ?? {}).length).toBeLessThanOrEqual(6);
	});

	it.each(entries)('%s has its source, .html and icons, and every palette node is in an example', (name, dist) => {
		expect(dist).toBe(`dist/node-red/src/${name}.js`);
		expect(existsSync(path.join(root, `node-red/src/${name}.ts`))).toBe(true);
		const html = read(`node-red/src/${name}.html`);
		// the dialogs and help are English in the .html; a message catalogue would be dead weight unless
		// the .html (data-i18n, this._) and the runtime (RED._) read it
		expect(existsSync(path.join(root, 'node-red/src/locales'))).toBe(false);
		expect(html).not.toMatch(/data-i18n|this\._\(/);
		const types = [...html.matchAll(/registerType\('([^']+)',\s*\{\s*category:\s*'([^']+)'/g)].map((m) => ({ type: m[1], category: m[2] }));
		expect(types.length).toBeGreaterThan(0);
		for (const { type, category } of types) {
			expect(type).toMatch(/^legalhooks-/);
			expect(html).toContain(`data-template-name="${type}"`);
			expect(html).toContain(`data-help-name="${type}"`);
			if (category === 'config') continue;
			const icon = html.match(new RegExp(`registerType\\('${type}'[\\s\\S]*?icon:\\s*'([^']+)'`))?.[1];
			expect(icon && existsSync(path.join(root, 'node-red/src/icons', icon))).toBe(true);
			expect(examples.map((n) => n.type)).toContain(type);
		}
	});
});

const n8nDirs = readdirSync(path.join(root, 'n8n')).filter((dir) => existsSync(path.join(root, 'n8n', dir, 'package.json')));

it('has one n8n package per service, and the actions package', () => {
	expect(n8nDirs.sort()).toEqual(['actions', 'legalesign', 'legito', 'phenixid-signing', 'plexus-gateway', 'quicklysign']);
	expect(JSON.parse(read('package.json'))).toMatchObject({ name: 'legalhooks-dev', private: true });
	expect(JSON.parse(read('package.json')).n8n).toBeUndefined();
});

describe.each(n8nDirs)('n8n package manifest of n8n/%s', (dir) => {
	const pkg = JSON.parse(read(`n8n/${dir}/package.json`));
	const entries = [...pkg.n8n.nodes, ...pkg.n8n.credentials] as string[];

	it('is a community package named for its service, with no runtime dependencies', () => {
		expect(pkg.name).toBe(dir === 'actions' ? '@legalhooks/n8n-nodes-legalhooks-actions' : `@legalhooks/n8n-nodes-${dir}`);
		expect(pkg.license).toBe('MIT');
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.n8n.n8nNodesApiVersion).toBe(1);
		expect(pkg.n8n.strict).toBe(true);
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		// optional, so `npm install` in ~/.n8n/nodes does not add a second n8n-workflow beside the host's
		expect(pkg.peerDependenciesMeta).toEqual({ 'n8n-workflow': { optional: true } });
		expect(pkg.dependencies).toBeUndefined();
		expect(pkg.main).toBeUndefined();
		// npm's repository must match the public repository, with the package's folder (n8n verification)
		expect(pkg.repository).toEqual({ type: 'git', url: 'git+https://github.com/legalhooks/legalhooks.git', directory: `n8n/${dir}` });
		expect(pkg.publishConfig).toEqual({ access: 'public', provenance: true });
		// dist, less the built files n8n never loads (test/packaging/shipped-files.test.ts checks the rest), the
		// examples and the CHANGELOG (npm adds README, LICENSE and package.json itself)
		expect(pkg.files[0]).toBe('dist');
		expect(pkg.files.slice(-2)).toEqual(['examples', 'CHANGELOG.md']);
		for (const excluded of pkg.files.slice(1, -2)) expect(excluded).toMatch(/^!dist\//);
	});

	it('has its README, CHANGELOG, MIT LICENSE and an example workflow, and ships them', () => {
		const shipped = (JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: path.join(root, 'n8n', dir), encoding: 'utf8' })) as Array<{ files: Array<{ path: string }> }>)[0].files.map((f) => f.path);
		expect(shipped).toEqual(expect.arrayContaining(['README.md', 'CHANGELOG.md', 'LICENSE', 'package.json']));
		expect(shipped.filter((f) => /^examples\/.+\.json$/.test(f)).length).toBeGreaterThan(0);
		for (const file of ['README.md', 'CHANGELOG.md', 'LICENSE']) expect(existsSync(path.join(root, 'n8n', dir, file))).toBe(true);
		expect(read(`n8n/${dir}/LICENSE`)).toMatch(/^MIT License/);
		expect(readdirSync(path.join(root, 'n8n', dir, 'examples')).filter((f) => f.endsWith('.json')).length).toBeGreaterThan(0);
	});

	it('builds exactly its manifest entries (tsconfig files), and its README names each full node type', () => {
		const tsconfig = JSON.parse(read(`n8n/${dir}/tsconfig.json`));
		expect(tsconfig.files.sort()).toEqual(entries.map((entry) => entry.replace(/^dist\//, '').replace(/\.js$/, '.ts')).sort());
		const readme = read(`n8n/${dir}/README.md`);
		for (const node of pkg.n8n.nodes as string[]) {
			const className = path.basename(node, '.node.js');
			const typeName = `${pkg.name}.${className.charAt(0).toLowerCase()}${className.slice(1)}`;
			expect(readme).toContain(typeName);
		}
	});

	it.each(entries)('%s has its source', (dist: string) => {
		expect(existsSync(path.join(root, 'n8n', dir, dist.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
	});
});
