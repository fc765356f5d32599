/*
 * The packed CLI (`@legalhooks/cli`) installed outside the repository, as `npx @legalhooks/cli` gets it
 * on a user's machine: what the n8n trigger notices tell users to run.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { check } from './util';

/** Installs the CLI tarball (and its zod from the registry) into `<work>/cli`; answers the bin's path. */
export function installPackedCli(work: string, tarball: string): string {
	const dir = path.join(work, 'cli');
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'legalhooks-e2e-cli', private: true }));
	execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
	const bin = path.join(dir, 'node_modules', '@legalhooks', 'cli', 'bin', 'legalhooks.js');
	check(fs.existsSync(bin), `the packed CLI has no bin at ${bin}`);
	return bin;
}

/**
 * Runs a command as a notice prints it (`npx @legalhooks/cli send …` with WEBHOOK_URL, SECRET, KEY)
 * with the packed CLI, the placeholders filled in. Answers the CLI's output; throws on a non-zero exit.
 */
export function runPrintedCommand(bin: string, printed: string, values: Record<string, string | undefined>): string {
	const words = printed.trim().split(/\s+/);
	check(words[0] === 'npx' && words[1] === '@legalhooks/cli', `not a command of our published CLI: ${printed}`);
	const args = words.slice(2).map((w) => values[w] ?? w);
	const missing = args.filter((a) => /^[A-Z][A-Z_]{2,}$/.test(a));
	check(missing.length === 0, `no value for ${missing.join(', ')} in "${printed}"`);
	return execFileSync(process.execPath, [bin, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
