import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { INodeType } from 'n8n-workflow';

// n8n's nodes panel searches a node's displayName and its codex alias (node-creator sublimeSearch
// over properties.displayName and properties.codex.alias): the words users type must be there.
const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const SEARCH_WORDS = ['legalhooks', 'legal', 'contract', 'signature', 'e-signature'];
const N8N_CATEGORIES = ['Analytics', 'Communication', 'Data & Storage', 'Development', 'Finance & Accounting', 'Marketing', 'Miscellaneous', 'Productivity', 'Sales', 'Utility'];

const nodes = (pkg.n8n.nodes as string[]).map((dist) => {
	const source = dist.replace(/^dist\//, '').replace(/\.js$/, '');
	const mod = require(path.join(root, source)) as Record<string, new () => INodeType>;
	const node = new (Object.values(mod)[0])();
	const codex = JSON.parse(readFileSync(path.join(root, `${source}.json`), 'utf8'));
	return [node.description.displayName, node, codex] as const;
});

describe.each(nodes)('%s codex', (_displayName, node, codex) => {
	it('names this node of this package, with n8n categories', () => {
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
