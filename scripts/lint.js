#!/usr/bin/env node
// `npm run lint`, in steps; each runs even when an earlier one failed, the exit code says
// whether all passed:
//   1. n8n's community-node lint (`n8n-node lint`, strict, the template's unmodified ESLint config)
//      on exactly what the n8n package publishes from: package.json, core/, nodes/, credentials/,
//      icons/. `n8n-node lint` lints every .ts under its working directory, so it runs in a staged
//      copy that leaves out the Node-RED package, the CLI, tests and benchmarks.
//   2. n8n's community-package scanner rules with inline configuration off, on the sources and
//      on the packed tarball (scripts/n8n-scan.mjs).
//   3. Node-RED's scorecard (`node-red-dev validate`) on the packed Node-RED package; the two checks
//      that need the flow library's catalogue are reported as not checked when it cannot be reached
//      (scripts/node-red-scorecard.js).
// Steps 2 and 3 check what `npm pack` makes, so this builds first.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

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

function n8nNodeLint() {
	const stage = path.join(root, '.cache', 'lint');
	fs.rmSync(stage, { recursive: true, force: true });
	fs.mkdirSync(stage, { recursive: true });
	for (const entry of ['package.json', 'tsconfig.json', 'eslint.config.mjs', 'core', 'nodes', 'credentials', 'icons', 'README.md', 'LICENSE']) {
		const from = path.join(root, entry);
		if (fs.existsSync(from)) fs.cpSync(from, path.join(stage, entry), { recursive: true });
	}
	fs.symlinkSync(path.join(root, 'node_modules'), path.join(stage, 'node_modules'), 'dir');
	execFileSync(path.join(root, 'node_modules', '.bin', 'n8n-node'), ['lint'], { cwd: stage, stdio: 'inherit', env: { ...process.env, CI: 'true' } });
}

const node = (script) => () => execFileSync(process.execPath, [path.join(__dirname, script)], { cwd: root, stdio: 'inherit' });

const linted = step('n8n-node lint', n8nNodeLint);
const built = step('build', node('build.js'));
const results = [linted, built && step('n8n scanner rules', node('n8n-scan.mjs')), built && step('Node-RED scorecard', node('node-red-scorecard.js'))];
process.exit(results.every(Boolean) ? 0 : 1);
