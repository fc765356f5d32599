import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

// scripts/one-service.js: an n8n package's nodes and credentials name no service but their own (n8n's
// verification: "Each package should integrate exactly one third-party service").
// eslint-disable-next-line @typescript-eslint/no-require-imports
const oneService = require('../../scripts/one-service.js') as {
	OWN: Record<string, string[]>;
	otherServices(texts: Array<{ at: string; text: string }>, own: string[]): Array<{ at: string; service: string }>;
	packageTexts(dir: string): Array<{ at: string; text: string }>;
	strings(value: unknown, at: string): Array<{ at: string; text: string }>;
};

const root = path.resolve(__dirname, '../..');

beforeAll(() => {
	// the check reads the built nodes; build once when a fresh checkout has none yet
	if (Object.keys(oneService.OWN).some((dir) => !existsSync(path.join(root, 'n8n', dir, 'dist')))) {
		execFileSync(process.execPath, [path.join(root, 'scripts/build.js')], { cwd: root, stdio: 'ignore' });
	}
}, 300_000);

describe('one service per n8n package', () => {
	it('finds another service by name or API host in any text of a description', () => {
		const description = {
			displayName: 'Legito Trigger',
			properties: [
				{ displayName: 'Notice', name: 'notice', type: 'notice', default: 'Then post it to Slack' },
				{ displayName: 'Ledger', name: 'ledger', type: 'options', options: [{ name: 'Books', value: 'x', description: 'Sent to https://api.xero.com/api.xro/2.0' }] },
			],
			documentationUrl: 'https://docs.quicklysign.com/',
		};
		const found = oneService.otherServices(oneService.strings(description, 'node'), ['legito']);
		expect(found.map((f) => f.service).sort()).toEqual(['quicklysign', 'slack', 'xero']);
		expect(found.find((f) => f.service === 'xero')?.at).toBe('node.properties[1].options[0].description');
	});

	it.each(Object.keys(oneService.OWN))('n8n/%s names only its own service', (dir) => {
		const texts = oneService.packageTexts(path.join(root, 'n8n', dir));
		expect(texts.length).toBeGreaterThan(50);
		expect(oneService.otherServices(texts, oneService.OWN[dir])).toEqual([]);
	});

	it('the actions package names no vendor, a vendor package no destination', () => {
		const legito = oneService.packageTexts(path.join(root, 'n8n/legito'));
		expect(oneService.otherServices(legito, ['slack']).map((f) => f.service)).toContain('legito');
		const actions = oneService.packageTexts(path.join(root, 'n8n/actions'));
		expect(new Set(oneService.otherServices(actions, []).map((f) => f.service))).toEqual(new Set(['slack', 'salesforce', 'xero']));
	});
});
