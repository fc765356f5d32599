import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ICredentialType, INodeProperties } from 'n8n-workflow';
import type { VendorId } from '../../core/event/normalized-event';
import { vendorModules } from '../../core/vendors';
import { credentialFieldsFor, nodeRedCredentials } from '../../core/vendors/module';
import { LegalesignApi } from '../../n8n/legalesign/credentials/LegalesignApi.credentials';
import { LegitoApi } from '../../n8n/legito/credentials/LegitoApi.credentials';
import { PhenixIdSigningApi } from '../../n8n/phenixid-signing/credentials/PhenixIdSigningApi.credentials';
import { PlexusGatewayApi } from '../../n8n/plexus-gateway/credentials/PlexusGatewayApi.credentials';
import { QuicklySignApi } from '../../n8n/quicklysign/credentials/QuicklySignApi.credentials';
import { baseUrlExpression } from '../../n8n/shared/credential-facts';
import type { VendorModule } from '../../core/vendors/module';

/** Every module as the contract types it (the registration keeps each module's own literal types). */
const modules: Record<string, VendorModule> = vendorModules;

// Each engine's credential fields against the vendor module's (core/vendors/<vendor>/index.ts):
// n8n's credential properties (name, password flag, default) and Node-RED's account node (the
// runtime's credentials block is generated from the module; the editor's .html is checked here).
const root = path.resolve(__dirname, '../..');

const n8nCredentials: Record<VendorId, ICredentialType> = {
	legito: new LegitoApi(),
	legalesign: new LegalesignApi(),
	plexus: new PlexusGatewayApi(),
	quicklysign: new QuicklySignApi(),
	phenixid: new PhenixIdSigningApi(),
};

type Shown = { name: string; secret: boolean; default: string };

const n8nFields = (properties: INodeProperties[]): Shown[] =>
	properties
		.filter((property) => property.type !== 'notice')
		.map((property) => ({ name: property.name, secret: Boolean(property.typeOptions?.password), default: String(property.default ?? '') }));

/** The `credentials: { … }` block of the account node's registerType in the editor's .html. */
function nodeRedEditorCredentials(vendor: VendorId): Record<string, string> {
	const html = fs.readFileSync(path.join(root, `node-red/src/legalhooks-${vendor}.html`), 'utf8');
	const account = html.slice(html.indexOf(`registerType('legalhooks-${vendor}-account'`));
	const block = /credentials:\s*\{([\s\S]*?)\n\t\t\}/.exec(account)?.[1] ?? '';
	return Object.fromEntries([...block.matchAll(/(\w+):\s*\{\s*type:\s*'(\w+)'/g)].map((match) => [match[1], match[2]]));
}

const ids = Object.keys(vendorModules) as VendorId[];

describe.each(ids)('%s credential fields, checked against the vendor module', (vendor) => {
	const module = modules[vendor];

	it('n8n: the same fields, in order, with the same password flag and default', () => {
		const expected = credentialFieldsFor(module, 'n8n').map(({ name, secret, default: value }) => ({ name, secret, default: value }));
		expect(n8nFields(n8nCredentials[vendor].properties)).toEqual(expected);
	});

	it('Node-RED: the editor declares the fields the runtime registers, with the same types', () => {
		const runtime = Object.fromEntries(Object.entries(nodeRedCredentials(module)).map(([name, { type }]) => [name, type]));
		expect(nodeRedEditorCredentials(vendor)).toEqual(runtime);
	});

	it('every required credential is one of the fields', () => {
		const names = module.credentials.map((field) => field.name);
		for (const required of module.definition.requiredCredentials) expect(names).toContain(required.field);
	});
});

describe('the check is not blind', () => {
	it('reads a Node-RED editor credentials block and an n8n password flag', () => {
		expect(Object.keys(nodeRedEditorCredentials('phenixid')).length).toBeGreaterThanOrEqual(9);
		expect(n8nFields([{ displayName: 'K', name: 'k', type: 'string', typeOptions: { password: true }, default: 'x' }])).toEqual([{ name: 'k', secret: true, default: 'x' }]);
	});
});

/** What n8n makes of a `={{ … }}` expression over `$credentials` (plain JavaScript in these). */
const evaluate = (expression: string, credentials: Record<string, string>): unknown =>
	new Function('$credentials', `return (${expression.replace(/^=\{\{/, '').replace(/\}\}$/, '')});`)(credentials);

describe('n8n credential tests call the module’s API base URLs', () => {
	it.each(ids.filter((vendor) => modules[vendor].api?.chosenBy))('%s: each region or environment, and a custom URL trimmed', (vendor) => {
		const api = modules[vendor].api!;
		const expression = baseUrlExpression(api);
		expect((n8nCredentials[vendor].test as { request: { baseURL?: string } }).request.baseURL).toBe(expression);
		for (const [choice, url] of Object.entries(api.baseUrls)) expect(evaluate(expression, { [api.chosenBy!]: choice, apiBaseUrl: '' })).toBe(url);
		expect(evaluate(expression, { [api.chosenBy!]: 'custom', apiBaseUrl: 'https://own.example/api//' })).toBe('https://own.example/api');
	});
});
