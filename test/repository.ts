import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const IGNORED = new Set(['node_modules', 'dist', '.git']);

/** Every package.json in the repository (not in node_modules or build output), with its folder. */
export function repositoryPackages(root: string): Array<{ dir: string; pkg: any }> {
	const found: Array<{ dir: string; pkg: any }> = [];
	const walk = (dir: string) => {
		if (existsSync(path.join(dir, 'package.json'))) found.push({ dir, pkg: JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) });
		for (const entry of readdirSync(dir, { withFileTypes: true })) {
			if (entry.isDirectory() && !IGNORED.has(entry.name) && !entry.name.startsWith('.')) walk(path.join(dir, entry.name));
		}
	};
	walk(root);
	return found;
}

/** The names this repository publishes: every package.json in it that is not private. */
export const publishedNames = (root: string): string[] => repositoryPackages(root).filter(({ pkg }) => !pkg.private).map(({ pkg }) => pkg.name as string);
