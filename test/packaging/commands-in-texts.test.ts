import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { publishedNames, repositoryPackages } from '../repository';

// Every `npx <package>` and `npm install <package>` a text of this repository tells someone to run
// must name a package that exists for them: one this repository publishes (derived from its
// package.json files, private ones excluded), or a tool a clone installs (a dependency of one of
// those package.json files). `npx legalhooks` ran the bin of a clone's devDependency — on a clean
// machine it asked the registry for an unscoped `legalhooks` package we do not own.
const root = path.resolve(__dirname, '../..');

/** Engines the docs tell users to install themselves (`npm install n8n@…`), not dependencies of ours. */
const ENGINES = ['n8n', 'node-red'];
const TEXT_FILE = /\.(md|html|ts|js|mjs|cjs|ya?ml|txt)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.git', 'test']);

function textFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) || entry.name.startsWith('.') && entry.name !== '.github' ? [] : textFiles(full);
		return TEXT_FILE.test(entry.name) ? [full] : [];
	});
}

/** `@scope/name@1.2` → `@scope/name`; `name@^1` → `name`. */
const packageName = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/').replace(/(?<=\/[^@]+)@.*$/, '') : spec.replace(/@.*$/, ''));
const looksLikePackage = (word: string) => /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(@[\w.^~<>=*-]+)?$/i.test(word) && !/\.(tgz|tar\.gz)$/.test(word);

/** The packages the commands in `text` would fetch: `npx <pkg>`, `npm install|i|add [flags] <pkg>…`. */
export function commandedPackages(text: string): string[] {
	const found: string[] = [];
	for (const [, command, args] of text.matchAll(/\b(npx|npm (?:install|i|add))\b((?:[ \t]+[^\s`'"&|;#)<>]+)*)/g)) {
		const words = args.trim().split(/[ \t]+/).filter(Boolean);
		for (let i = 0; i < words.length; i++) {
			const word = words[i];
			if (word.startsWith('-')) {
				if (/^--(prefix|registry|package|cache)$/.test(word)) i++;
				continue;
			}
			if (looksLikePackage(word)) found.push(packageName(word));
			if (command === 'npx') break; // the rest are the command's own arguments
		}
	}
	return found;
}

const published = publishedNames(root);
const cloneTools = repositoryPackages(root).flatMap(({ pkg }) => Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }));
const runnable = new Set([...published, ...cloneTools, ...ENGINES]);

it('the check itself: finds the package of every form, skips flags, paths and the command\'s own arguments', () => {
	expect(commandedPackages('npx legalhooks send plexus executed --url x')).toEqual(['legalhooks']);
	expect(commandedPackages('run `npx @legalhooks/cli send plexus` now')).toEqual(['@legalhooks/cli']);
	expect(commandedPackages('npm install --prefix ~/.n8n/nodes @legalhooks/n8n-nodes-plexus@1.2.3')).toEqual(['@legalhooks/n8n-nodes-plexus']);
	expect(commandedPackages('cd x && npm i -D zod@^4 left-pad && npm start')).toEqual(['zod', 'left-pad']);
	expect(commandedPackages('npm install ./legalhooks-cli-0.1.0.tgz; npm install')).toEqual([]);
	expect(commandedPackages('npx tsx bench/ingest/run.ts --rounds 15')).toEqual(['tsx']);
});

it('derives what the repository publishes from its package.json files', () => {
	expect(published).toContain('@legalhooks/cli');
	expect(published).not.toContain('legalhooks');
});

/** Markdown: its code (fenced blocks and inline spans), where commands are; prose says "npm install into…". */
const commandText = (file: string, text: string) =>
	file.endsWith('.md') ? [...text.matchAll(/```[^\n]*\n([\s\S]*?)```|`([^`\n]+)`/g)].map((m) => m[1] ?? m[2]).join('\n') : text;

it('every command in the repository\'s texts runs a package a user can get', () => {
	const offending = textFiles(root).flatMap((file) => {
		const text = commandText(file, readFileSync(file, 'utf8'));
		return commandedPackages(text)
			.filter((name) => !runnable.has(name))
			.map((name) => `${path.relative(root, file)}: ${name}`);
	});
	expect(offending).toEqual([]);
});
