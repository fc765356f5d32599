#!/usr/bin/env node
// One build for every package and the CLI: tsc for each, then the files tsc does not copy
// (n8n icons and codex JSON; Node-RED .html and icons) next to the compiled JS, and the n8n
// triggers' output schemas generated from the normalized event's zod schema (output-schema.js).
// Each n8n package (n8n/<service>/) compiles its own node and credential files with the repository
// root as rootDir, so tsc emits exactly what they import: its own files, the core files they need and
// n8n/shared; n8n-dist.js places that in the package's dist as n8n expects it (dist/nodes,
// dist/credentials, dist/core, dist/shared). The root tsconfig compiles core alone into dist/, for
// the schema scripts.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { n8nPackages } = require('./n8n-packages');
const { placeCompiled } = require('./n8n-dist');
const { compileProjects } = require('./tsc-projects');
const { writeOutputSchemas } = require('./output-schema');

const root = path.resolve(__dirname, '..');
const tsc = require.resolve('typescript/bin/tsc');

function run(project) {
	console.log(`build: tsc -p ${project}`);
	execFileSync(process.execPath, [tsc, '-p', path.join(root, project)], { stdio: 'inherit', cwd: root });
}

function copyMatching(fromDir, toDir, test) {
	if (!fs.existsSync(fromDir)) return;
	for (const entry of fs.readdirSync(fromDir, { withFileTypes: true })) {
		const from = path.join(fromDir, entry.name);
		const to = path.join(toDir, entry.name);
		if (entry.isDirectory()) copyMatching(from, to, test);
		else if (test(from)) {
			fs.mkdirSync(toDir, { recursive: true });
			fs.copyFileSync(from, to);
		}
	}
}

const packages = n8nPackages();
for (const dir of ['dist', 'node-red/dist', 'cli/dist', '.cache/tsc', ...packages.map((p) => `${p.dir}/dist`)]) fs.rmSync(path.join(root, dir), { recursive: true, force: true });

compileProjects(['tsconfig.json', ...packages.map((p) => `${p.dir}/tsconfig.json`)].map((project) => path.join(root, project)));
for (const p of packages) {
	placeCompiled(path.join(root, '.cache/tsc', p.short), path.join(p.abs, 'dist'), p.short);
	for (const dir of ['nodes', 'credentials']) {
		copyMatching(path.join(p.abs, dir), path.join(p.abs, 'dist', dir), (f) => /\.(svg|png)$/.test(f) || /\.node\.json$/.test(f));
	}
	writeOutputSchemas(p.abs, path.join(root, 'dist'));
}

run('node-red/tsconfig.json');
copyMatching(path.join(root, 'node-red/src'), path.join(root, 'node-red/dist/node-red/src'), (f) => !f.endsWith('.ts'));
require('./event-schema').writeEventSchema();

run('cli/tsconfig.json');
console.log(`built ${packages.map((p) => `${p.dir}/dist/`).join(', ')}, node-red/dist/, cli/dist/`);
