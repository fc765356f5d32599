// The n8n packages: each folder of n8n/ with a package.json, one per service (n8n/shared is the
// n8n adapter code that each package's tsc build compiles into its own dist, not a package).
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

/** [{ dir: 'n8n/legito', abs, pkg, nodes: dist paths, credentials: dist paths }] in name order. */
function n8nPackages() {
	const base = path.join(root, 'n8n');
	return fs
		.readdirSync(base)
		.filter((name) => fs.existsSync(path.join(base, name, 'package.json')))
		.sort()
		.map((name) => {
			const abs = path.join(base, name);
			const pkg = JSON.parse(fs.readFileSync(path.join(abs, 'package.json'), 'utf8'));
			return { dir: `n8n/${name}`, short: name, abs, pkg, nodes: pkg.n8n.nodes, credentials: pkg.n8n.credentials };
		});
}

module.exports = { n8nPackages, root };
