// An n8n package's dist in the layout n8n and its scanner expect: `dist/nodes/…` and
// `dist/credentials/…` beside the package's `nodes/` and `credentials/` sources (the scanner maps a
// manifest entry to its source by dropping `dist/`). tsc compiled the package with the repository
// root as rootDir (so it emitted exactly the files the package imports); this moves that output into
// the package's dist — `n8n/<service>/X` → `X`, `n8n/shared/X` → `shared/X`, `core/X` → `core/X` —
// and rewrites each relative require for the new places.
const fs = require('node:fs');
const path = require('node:path');

const REQUIRE = /\brequire\("(\.{1,2}\/[^"]+)"\)/g;

/** Where a file compiled to `relative` (posix, from the repository root) goes in the package's dist. */
function placeOf(relative, service) {
	if (relative.startsWith(`n8n/${service}/`)) return relative.slice(`n8n/${service}/`.length);
	if (relative.startsWith('n8n/shared/')) return relative.slice('n8n/'.length);
	if (relative.startsWith('core/')) return relative;
	throw new Error(`n8n/${service} compiled ${relative}: an n8n package may import its own files, n8n/shared and core only`);
}

function filesUnder(dir, base = dir) {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		return entry.isDirectory() ? filesUnder(full, base) : [path.relative(base, full).split(path.sep).join('/')];
	});
}

/** Moves the tsc output in `compiledDir` into `distDir` for the package `n8n/<service>`. */
function placeCompiled(compiledDir, distDir, service) {
	for (const relative of filesUnder(compiledDir)) {
		const place = placeOf(relative, service);
		let text = fs.readFileSync(path.join(compiledDir, relative), 'utf8');
		if (relative.endsWith('.js')) {
			text = text.replace(REQUIRE, (_, spec) => {
				const target = path.posix.normalize(path.posix.join(path.posix.dirname(relative), spec));
				const moved = path.posix.relative(path.posix.dirname(place), placeOf(target, service));
				return `require("${moved.startsWith('.') ? moved : `./${moved}`}")`;
			});
		}
		fs.mkdirSync(path.dirname(path.join(distDir, place)), { recursive: true });
		fs.writeFileSync(path.join(distDir, place), text);
	}
}

module.exports = { placeCompiled, placeOf };
