import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// scripts/n8n-scan.mjs is n8n's community-package scanner gate (inline configuration off): an
// eslint-disable comment must not hide a finding, as it does not in n8n's scan.
const root = path.resolve(__dirname, '../..');
const scan = (dir: string) => spawnSync(process.execPath, [path.join(root, 'scripts/n8n-scan.mjs'), '--source', dir], { encoding: 'utf8' });

function fixture(nodeSource: string): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'legalhooks-scan-fixture-'));
	const pkg = JSON.parse(fs.readFileSync(path.join(root, 'n8n/legito/package.json'), 'utf8'));
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ ...pkg, n8n: { ...pkg.n8n, credentials: [], nodes: ['dist/nodes/Hooked/Hooked.node.js'] } }, null, 2));
	fs.mkdirSync(path.join(dir, 'nodes/Hooked'), { recursive: true });
	fs.writeFileSync(path.join(dir, 'nodes/Hooked/Hooked.node.ts'), nodeSource);
	return dir;
}

const trigger = (prefix: string) => `import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

${prefix}
export class Hooked implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Hooked Trigger',
		name: 'hookedTrigger',
		icon: 'file:hooked.svg',
		group: ['trigger'],
		version: 1,
		description: 'Starts on a hook',
		defaults: { name: 'Hooked Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [],
	};
}
`;

describe('n8n scanner gate (scripts/n8n-scan.mjs)', () => {
	it('reports a finding that an eslint-disable comment tries to hide', () => {
		const dir = fixture(trigger('// eslint-disable-next-line @n8n/community-nodes/webhook-lifecycle-complete'));
		try {
			const result = scan(dir);
			expect(result.stdout).toContain('@n8n/community-nodes/webhook-lifecycle-complete');
			expect(result.status).toBe(1);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	it.each(fs.readdirSync(path.join(root, 'n8n')).filter((dir) => fs.existsSync(path.join(root, 'n8n', dir, 'package.json'))))("passes the sources of n8n/%s with no error", (dir) => {
		const result = scan(path.join(root, 'n8n', dir));
		expect(result.stdout).toMatch(/sources of .*: \d+ files, 0 errors/);
		expect(result.status).toBe(0);
	});
});
