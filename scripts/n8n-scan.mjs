#!/usr/bin/env node
// n8n's community-package scanner, offline: the ESLint gate of `@n8n/scan-community-package`
// (scanner/scanner.mjs, 0.32.0: `buildScanConfig` + `analyzePackage`) with inline configuration
// OFF, so an `eslint-disable` comment changes nothing, exactly as n8n runs it before it lists or
// verifies a package. Two legs, as the scanner has, for each n8n package (n8n/<service>/):
//   1. the source: package.json and nodes/**, credentials/** (.js/.ts/.json) of the package's folder;
//   2. the tarball `npm pack` makes of it: every .js in it and its package.json.
// The rule plugins are the ones @n8n/node-cli ships (@n8n/eslint-plugin-community-nodes 0.32.0,
// a superset of the 0.29.0 the scanner pins: one more rule; eslint-plugin-n8n-nodes-base), so no
// second ESLint stack is installed. The scanner's provenance and source-download steps need the
// npm registry and GitHub; they are what .github/workflows/publish.yml provides.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fromNodeCli = createRequire(path.join(root, 'node_modules', '@n8n', 'node-cli', 'package.json'));
const load = async (name) => import(pathToFileURL(fromNodeCli.resolve(name)).href);
// eslint-plugin-n8n-nodes-base skips its file-name checks when NODE_ENV is "test" (its own rule
// tests); the scanner never runs so, and neither does this gate (jest sets it for child processes).
delete process.env.NODE_ENV;

/** The scanner's SOURCE_FILE_PATTERNS and its tarball leg's patterns. */
export const SOURCE_PATTERNS = ['package.json', '{nodes,credentials}/**/*.{js,ts,json}'];
export const TARBALL_PATTERNS = ['**/*.js', 'package.json'];

/** The scanner's buildScanConfig(), rule for rule. */
async function scanConfig() {
	const { n8nCommunityNodesPlugin } = await load('@n8n/eslint-plugin-community-nodes');
	const n8nNodesBase = (await load('eslint-plugin-n8n-nodes-base')).default;
	const parser = (await load('typescript-eslint')).default.parser;
	const { defineConfig } = await load('eslint/config');
	return defineConfig(
		n8nCommunityNodesPlugin.configs.recommended,
		{ rules: { 'no-console': 'error' } },
		{ plugins: { 'n8n-nodes-base': n8nNodesBase } },
		{ files: ['package.json'], rules: { ...n8nNodesBase.configs.community.rules } },
		{
			files: ['**/credentials/**/*.ts'],
			rules: {
				...n8nNodesBase.configs.credentials.rules,
				'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
				'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
			},
		},
		{
			files: ['**/nodes/**/*.ts'],
			rules: {
				...n8nNodesBase.configs.nodes.rules,
				'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
				'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
				'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
			},
		},
		{ files: ['**/*.json'], languageOptions: { parser } },
		{ files: ['**/*.ts'], languageOptions: { parser } },
	);
}

/** The scanner's analyzePackage(dir, patterns): errors fail, warnings are reported. */
export async function analyze(dir, patterns) {
	const { ESLint } = await load('eslint');
	const glob = (await load('fast-glob')).default;
	const eslint = new ESLint({ cwd: dir, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: await scanConfig() });
	const files = glob.sync(patterns, { cwd: dir, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
	const results = await eslint.lintFiles(files);
	const errors = results.reduce((sum, r) => sum + r.errorCount, 0);
	const warnings = results.reduce((sum, r) => sum + r.warningCount, 0);
	const report = errors + warnings > 0 ? await (await eslint.loadFormatter('stylish')).format(results) : '';
	return { files: files.length, errors, warnings, report };
}

/** `npm pack` of the n8n package in `dir` (dist/ must be built), unpacked into a fresh directory. */
export function packAndUnpack(dir) {
	const out = fs.mkdtempSync(path.join(os.tmpdir(), 'legalhooks-scan-'));
	const [{ filename }] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
	execFileSync('tar', ['-xzf', path.join(out, filename), '-C', out]);
	return { dir: path.join(out, 'package'), cleanup: () => fs.rmSync(out, { recursive: true, force: true }) };
}

function print(leg, result) {
	if (result.report) console.log(`n8n scanner rules, ${leg}:${result.report}`);
	console.log(`n8n scanner rules (inline config off), ${leg}: ${result.files} files, ${result.errors} errors, ${result.warnings} warnings`);
	return result.files > 0 && result.errors === 0;
}

/** The n8n packages: each folder of n8n/ with a package.json (scripts/n8n-packages.js). */
const packageDirs = () =>
	fs
		.readdirSync(path.join(root, 'n8n'))
		.filter((name) => fs.existsSync(path.join(root, 'n8n', name, 'package.json')))
		.sort()
		.map((name) => path.join(root, 'n8n', name));

/** Both legs on one package. */
async function scanPackage(dir) {
	const name = path.relative(root, dir);
	if (!fs.existsSync(path.join(dir, 'dist', 'nodes'))) {
		console.error(`n8n scan: ${name}/dist/ is not built; run \`npm run build\` first`);
		return false;
	}
	const sourcesPass = print(`sources of ${name}`, await analyze(dir, SOURCE_PATTERNS));
	const packed = packAndUnpack(dir);
	try {
		return print(`packed tarball of ${name}`, await analyze(packed.dir, TARBALL_PATTERNS)) && sourcesPass;
	} finally {
		packed.cleanup();
	}
}

/** `node scripts/n8n-scan.mjs`: both legs on every n8n package. `--source DIR`: the source leg on DIR. */
async function main(args) {
	if (args[0] === '--source') return print(`sources of ${args[1]}`, await analyze(path.resolve(args[1]), SOURCE_PATTERNS)) ? 0 : 1;
	let passed = true;
	for (const dir of packageDirs()) passed = (await scanPackage(dir)) && passed;
	return passed ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
	process.exitCode = await main(process.argv.slice(2));
}
