#!/usr/bin/env node
// `npm run lint`: n8n's community-node lint (strict, the template's unmodified ESLint config) on
// exactly what the n8n package publishes from: package.json, core/, nodes/, credentials/, icons/.
// `n8n-node lint` lints every .ts under its working directory, so it runs in a staged copy that
// leaves out the Node-RED package, the CLI, tests and benchmarks (they use process, timers, fs).
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const stage = path.join(root, '.cache', 'lint');
fs.rmSync(stage, { recursive: true, force: true });
fs.mkdirSync(stage, { recursive: true });
for (const entry of ['package.json', 'tsconfig.json', 'eslint.config.mjs', 'core', 'nodes', 'credentials', 'icons', 'README.md', 'LICENSE']) {
	const from = path.join(root, entry);
	if (fs.existsSync(from)) fs.cpSync(from, path.join(stage, entry), { recursive: true });
}
fs.symlinkSync(path.join(root, 'node_modules'), path.join(stage, 'node_modules'), 'dir');
const bin = path.join(root, 'node_modules', '.bin', 'n8n-node');
try {
	execFileSync(bin, ['lint'], { cwd: stage, stdio: 'inherit', env: { ...process.env, CI: 'true' } });
} catch (error) {
	process.exit(error.status || 1);
}
