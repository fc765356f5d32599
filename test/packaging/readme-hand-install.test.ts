import { readFileSync } from 'node:fs';
import * as path from 'node:path';

// After the README's by-hand install a user opens Settings → Community Nodes and finds it empty:
// the README must say so where it gives the command, with how to update and remove such a package.
it('the README says a hand install is not listed under Settings → Community Nodes, and how to update and remove it', () => {
	const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
	const handInstall = readme.indexOf('npm install --prefix ~/.n8n/nodes');
	expect(handInstall).toBeGreaterThan(-1);
	const after = readme.slice(handInstall, handInstall + 1500);
	expect(after).toMatch(/not listed under Settings →\s+Community Nodes/);
	expect(after).toMatch(/npm uninstall --prefix ~\/\.n8n\/nodes/);
});
