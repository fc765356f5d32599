import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { refusal } = require('../../scripts/prepublish-guard.js') as { refusal(env: Record<string, string | undefined>, cwd: string): string | undefined };

const root = path.resolve(__dirname, '../..');
const ci = { GITHUB_ACTIONS: 'true', npm_config_provenance: 'true' };

describe('prepublishOnly guard', () => {
	it('refuses a publish by hand, naming the workflow to use', () => {
		expect(refusal({}, path.join(root, 'n8n/legito'))).toMatch(/publish\.yml.*provenance/);
	});

	it('refuses a CI publish without provenance', () => {
		expect(refusal({ GITHUB_ACTIONS: 'true' }, path.join(root, 'n8n/legito'))).toMatch(/provenance is off/);
	});

	it('refuses when a declared node is not built, naming it', () => {
		const unbuilt = fs.mkdtempSync(path.join(os.tmpdir(), 'legalhooks-unbuilt-'));
		try {
			fs.copyFileSync(path.join(root, 'n8n/legito/package.json'), path.join(unbuilt, 'package.json'));
			expect(refusal(ci, unbuilt)).toMatch(/build is missing \(dist\/nodes\/.*\.node\.js\)/);
		} finally {
			fs.rmSync(unbuilt, { recursive: true, force: true });
		}
	});

	it("refuses a tag that is not the package's own", () => {
		const legito = path.join(root, 'n8n/legito');
		const version = JSON.parse(fs.readFileSync(path.join(legito, 'package.json'), 'utf8')).version;
		expect(refusal({ ...ci, GITHUB_REF_TYPE: 'tag', GITHUB_REF_NAME: `legalesign-v${version}` }, legito)).toMatch(/not this package's \(legito-v/);
		expect(refusal({ ...ci, GITHUB_REF_TYPE: 'tag', GITHUB_REF_NAME: 'legito-v99.0.0' }, legito)).toMatch(/not this package's/);
		expect(refusal({ ...ci, GITHUB_REF_TYPE: 'tag', GITHUB_REF_NAME: `legito-v${version}` }, legito)).toBeUndefined();
	});

	it('refuses the CLI when its build is missing, naming the file', () => {
		const unbuilt = fs.mkdtempSync(path.join(os.tmpdir(), 'legalhooks-unbuilt-cli-'));
		try {
			fs.copyFileSync(path.join(root, 'cli/package.json'), path.join(unbuilt, 'package.json'));
			expect(refusal(ci, unbuilt)).toMatch(/build is missing \(dist\/cli\/src\/main\.js\)/);
		} finally {
			fs.rmSync(unbuilt, { recursive: true, force: true });
		}
	});

	it('lets the tag workflow publish every built package', () => {
		const n8nDirs = fs.readdirSync(path.join(root, 'n8n')).filter((dir) => fs.existsSync(path.join(root, 'n8n', dir, 'package.json')));
		expect(n8nDirs).toHaveLength(6);
		for (const dir of n8nDirs) expect(refusal(ci, path.join(root, 'n8n', dir))).toBeUndefined();
		expect(refusal(ci, path.join(root, 'node-red'))).toBeUndefined();
		expect(refusal(ci, path.join(root, 'cli'))).toBeUndefined();
	});
});
