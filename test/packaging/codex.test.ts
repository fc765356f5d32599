import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { INodeType } from 'n8n-workflow';

// n8n's nodes panel searches a node's displayName and its codex alias (node-creator sublimeSearch
// over properties.displayName and properties.codex.alias): the words users type must be there.
const root = path.resolve(__dirname, '../..');
const packageDirs = readdirSync(path.join(root, 'n8n')).filter((dir) => existsSync(path.join(root, 'n8n', dir, 'package.json')));
const SEARCH_WORDS = ['legalhooks', 'legal', 'contract', 'signature', 'e-signature'];
const N8N_CATEGORIES = ['Analytics', 'Communication', 'Data & Storage', 'Development', 'Finance & Accounting', 'Marketing', 'Miscellaneous', 'Productivity', 'Sales', 'Utility'];

const nodes = packageDirs.flatMap((dir) => {
	const pkg = JSON.parse(readFileSync(path.join(root, 'n8n', dir, 'package.json'), 'utf8'));
	return (pkg.n8n.nodes as string[]).map((dist) => {
		const source = dist.replace(/^dist\//, `n8n/${dir}/`).replace(/\.js$/, '');
		const mod = require(path.join(root, source)) as Record<string, new () => INodeType>;
		const node = new (Object.values(mod)[0])();
		const codex = JSON.parse(readFileSync(path.join(root, `${source}.json`), 'utf8'));
		return [node.description.displayName, node, codex, pkg, dir] as const;
	});
});

// 8 webhook triggers and actions, the 4 vendor main nodes and the 4 polling triggers.
it('covers the nodes of every n8n package', () => expect(nodes).toHaveLength(8 + 4 + 4));

describe.each(nodes)('%s codex', (_displayName, node, codex, pkg, dir) => {
	it('names this node of its own package, with n8n categories and its README as documentation', () => {
		expect(codex.resources.primaryDocumentation).toEqual([{ url: `https://github.com/legalhooks/legalhooks/tree/main/n8n/${dir}#readme` }]);
		expect(codex.node).toBe(`${pkg.name}.${node.description.name}`);
		expect(codex.categories.length).toBeGreaterThan(0);
		for (const category of codex.categories) expect(N8N_CATEGORIES).toContain(category);
	});

	it('has the aliases users search for', () => {
		for (const word of SEARCH_WORDS) expect(codex.alias).toContain(word);
		if (node.description.group.includes('trigger')) {
			const vendor = node.description.displayName.replace(/ (Signing Service |Gateway )?Trigger$/, '').split(' ')[0];
			expect(codex.alias).toContain(vendor);
		}
	});
});
