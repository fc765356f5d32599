#!/usr/bin/env node
// One build for both packages and the CLI: tsc for each, then the files tsc does not copy
// (n8n icons and codex JSON; Node-RED .html and icons) next to the compiled JS, and the n8n
// triggers' output schemas generated from the normalized event's zod schema (output-schema.js).
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

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

for (const dir of ['dist', 'node-red/dist', 'cli/dist']) fs.rmSync(path.join(root, dir), { recursive: true, force: true });

run('tsconfig.json');
for (const dir of ['nodes', 'credentials', 'icons']) {
	copyMatching(path.join(root, dir), path.join(root, 'dist', dir), (f) => /\.(svg|png)$/.test(f) || /\.node\.json$/.test(f));
}
writeOutputSchemas(path.join(root, 'dist'));

run('node-red/tsconfig.json');
copyMatching(path.join(root, 'node-red/src'), path.join(root, 'node-red/dist/node-red/src'), (f) => !f.endsWith('.ts'));
require('./event-schema').writeEventSchema();

run('cli/tsconfig.json');
console.log('built dist/, node-red/dist/, cli/dist/');
