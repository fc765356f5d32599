import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { INodeProperties } from 'n8n-workflow';
import { n8nPackageContents } from '../n8n/editor-render';

// One placeholder syntax, {{path}}, in every action field that takes event values — what the
// editors show (defaults, placeholders, descriptions) teaches no other form. The earlier Salesforce
// forms ($status, a bare path) are still read (test/unit/salesforce.test.ts), only no longer shown.
const root = path.resolve(__dirname, '../..');
const actions = n8nPackageContents(root).nodes.filter((node) => !node.description.group.includes('trigger'));
const OTHER_FORMS = /\$(status|title|date)\b/;

const shown = (properties: readonly INodeProperties[]): string[] =>
	properties.flatMap((p) => [
		p.description ?? '',
		p.placeholder ?? '',
		typeof p.default === 'string' ? p.default : '',
		...((p.options ?? []) as Array<INodeProperties | { values?: INodeProperties[] }>).flatMap((o) =>
			'values' in o && o.values ? shown(o.values) : 'displayName' in o && 'type' in o ? shown([o as INodeProperties]) : [],
		),
	]);

it.each(actions.map((node) => [node.description.displayName, node] as const))('%s shows only {{path}} placeholders', (_name, node) => {
	const texts = shown(node.description.properties);
	expect(texts.filter((text) => OTHER_FORMS.test(text))).toEqual([]);
	const fieldMap = node.description.properties.find((p) => p.name === 'fieldMap');
	if (fieldMap) for (const value of Object.values(JSON.parse(String(fieldMap.default)))) expect(value).toMatch(/^\{\{[\w.]+\}\}$/);
});

it('the Node-RED Salesforce node offers the same default mapping', () => {
	const html = readFileSync(path.join(root, 'node-red/src/legalhooks-salesforce.html'), 'utf8');
	const fieldMap = JSON.parse(/var FIELD_MAP = '([^']*)'/.exec(html)![1].replace(/\\n/g, '\n'));
	for (const value of Object.values(fieldMap)) expect(value).toMatch(/^\{\{[\w.]+\}\}$/);
});

it('the actions page documents the placeholders once, for all three actions, and says the earlier forms still work', () => {
	const page = readFileSync(path.join(root, 'docs/actions/README.md'), 'utf8');
	const section = /## Placeholders \(all three actions\)\n([\s\S]*?)\n## /.exec(page)?.[1] ?? '';
	expect(section).toMatch(/Slack[\s\S]*Salesforce[\s\S]*Xero/);
	expect(section).toMatch(/\$status[\s\S]*still read/);
});

it('the Salesforce default external ID field is explained where it is set', () => {
	const salesforce = actions.find((node) => node.description.name === 'legalSalesforce')!;
	const field = salesforce.description.properties.find((p) => p.name === 'externalIdField')!;
	expect(field.description).toMatch(/Legalhooks_Document_Id__c is a custom field you add[\s\S]*External ID/);
	const html = readFileSync(path.join(root, 'node-red/src/legalhooks-salesforce.html'), 'utf8');
	expect(html).toMatch(/node-input-externalIdField[\s\S]{0,200}form-tips[\s\S]*Legalhooks_Document_Id__c<\/code> is a custom field you add/);
});
