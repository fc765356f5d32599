#!/usr/bin/env node
// `npm run lint`, in steps; each runs even when an earlier one failed, the exit code says
// whether all passed:
//   1. n8n's community-node lint (`n8n-node lint`, strict, the template's unmodified ESLint config)
//      on each n8n package (n8n/<service>/), in the package's folder of a staged copy that holds only
//      what the packages compile from (core/, n8n/shared/, the package) — `n8n-node lint` lints
//      every .ts under its working directory and wants the template's eslint.config.mjs there.
//   2. n8n's community-package scanner rules with inline configuration off, on each package's sources
//      and on its packed tarball (scripts/n8n-scan.mjs).
//   3. One service per n8n package: its nodes and credentials name no other vendor or destination
//      (scripts/one-service.js).
//   4. Node-RED's scorecard (`node-red-dev validate`) on the packed Node-RED package; the two checks
//      that need the flow library's catalogue are reported as not checked when it cannot be reached
//      (scripts/node-red-scorecard.js).
//   5. The type check of everything, tests included (tsconfig.test.json): jest only transpiles.
// Steps 2 to 4 check what the build and `npm pack` make, so this builds first.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { n8nPackages } = require('./n8n-packages');

const root = path.resolve(__dirname, '..');

function step(name, run) {
	try {
		run();
		return true;
	} catch (error) {
		console.error(`lint: ${name} failed${error.status ? ` (exit ${error.status})` : ''}`);
		return false;
	}
}

function n8nNodeLint(p) {
	const stage = path.join(root, '.cache', 'lint', p.short);
	fs.rmSync(stage, { recursive: true, force: true });
	fs.mkdirSync(stage, { recursive: true });
	for (const entry of ['tsconfig.json', 'core', 'n8n/shared', p.dir]) {
		fs.cpSync(path.join(root, entry), path.join(stage, entry), { recursive: true, filter: (from) => !from.startsWith(path.join(p.abs, 'dist')) });
	}
	fs.copyFileSync(path.join(root, 'eslint.config.mjs'), path.join(stage, p.dir, 'eslint.config.mjs'));
	fs.symlinkSync(path.join(root, 'node_modules'), path.join(stage, 'node_modules'), 'dir');
	execFileSync(path.join(root, 'node_modules', '.bin', 'n8n-node'), ['lint'], { cwd: path.join(stage, p.dir), stdio: 'inherit', env: { ...process.env, CI: 'true' } });
}

const node = (script) => () => execFileSync(process.execPath, [path.join(__dirname, script)], { cwd: root, stdio: 'inherit' });

const linted = n8nPackages().map((p) => step(`n8n-node lint of ${p.dir}`, () => n8nNodeLint(p)));
const built = step('build', node('build.js'));
const results = [
	...linted,
	built && step('n8n scanner rules', node('n8n-scan.mjs')),
	built && step('one service per n8n package', node('one-service.js')),
	built && step('Node-RED scorecard', node('node-red-scorecard.js')),
	step('type check, tests included', () =>
		execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.test.json', '--noEmit'], { cwd: root, stdio: 'inherit' }),
	),
];
process.exit(results.every(Boolean) ? 0 : 1);
