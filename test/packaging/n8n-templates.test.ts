import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

// The templates for everyone who cannot install the actions package: n8n's own Slack, Salesforce and
// Xero nodes after a vendor trigger, once per event. test/e2e/suites/n8n-templates.ts runs them in n8n.
const n8nDir = path.resolve(__dirname, '../../n8n');
const NATIVE = ['n8n-nodes-base.slack', 'n8n-nodes-base.salesforce', 'n8n-nodes-base.xero'];
// typeVersions both tested n8n versions (1.123, 2.41) have
const VERSIONS: Record<string, number> = { 'n8n-nodes-base.slack': 2.2, 'n8n-nodes-base.salesforce': 1, 'n8n-nodes-base.xero': 1, 'n8n-nodes-base.removeDuplicates': 2 };

interface Node {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, any>;
}
const vendorDirs = readdirSync(n8nDir).filter((d) => d !== 'actions' && existsSync(path.join(n8nDir, d, 'package.json')));
const templates = vendorDirs.flatMap((dir) =>
	readdirSync(path.join(n8nDir, dir, 'examples'))
		.filter((f) => f.endsWith('.json'))
		.map((f) => ({ dir, file: f, wf: JSON.parse(readFileSync(path.join(n8nDir, dir, 'examples', f), 'utf8')) as { nodes: Node[]; connections: Record<string, any> } }))
		.filter((t) => t.wf.nodes.some((n) => NATIVE.includes(n.type))),
);

it('every vendor package has one, and together they use each of Slack, Salesforce and Xero', () => {
	expect(new Set(templates.map((t) => t.dir))).toEqual(new Set(vendorDirs));
	for (const type of NATIVE) expect(templates.some((t) => t.wf.nodes.some((n) => n.type === type))).toBe(true);
});

it.each(templates.map((t) => [`${t.dir}/examples/${t.file}`, t] as const))('%s: the native node right after Remove Duplicates on the event id, in versions n8n 1.123 and 2.41 share', (_name, t) => {
	const dedupe = t.wf.nodes.find((n) => n.type === 'n8n-nodes-base.removeDuplicates')!;
	expect(dedupe.parameters).toMatchObject({ operation: 'removeItemsSeenInPreviousExecutions', dedupeValue: '={{ $json.id }}' });
	const native = t.wf.nodes.find((n) => NATIVE.includes(n.type))!;
	expect(t.wf.connections[dedupe.name].main[0]).toEqual([{ node: native.name, type: 'main', index: 0 }]);
	for (const n of t.wf.nodes) if (n.type in VERSIONS) expect(n.typeVersion).toBe(VERSIONS[n.type]);
	// mapped from the normalized event
	expect(JSON.stringify(native.parameters)).toMatch(/\$json\.document\.(title|id)/);
});
