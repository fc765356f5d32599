import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { vendorModules } from '../../core/vendors';

// Every link in the documentation must work where it is read: a relative link on GitHub, an absolute
// link to this repository on npm and in n8n (the package READMEs, the codex files, the credentials'
// documentationUrl). A link resolves to a file or folder of the repository, never to build output, and
// its #anchor names a heading of the page it lands on.
const root = path.resolve(__dirname, '../..');
const REPOSITORY_URL = /^https:\/\/github\.com\/legalhooks\/legalhooks(?:\/(?:tree|blob)\/main\/([^#?]*))?\/?(?:#(.*))?$/;
const BUILD_OUTPUT = /(^|\/)(dist|node_modules|\.git)(\/|$)/;

const markdownUnder = (dir: string): string[] =>
	readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
		const relative = path.posix.join(dir, entry.name);
		if (entry.isDirectory()) return markdownUnder(relative);
		return entry.name.endsWith('.md') ? [relative] : [];
	});

const n8nPackages = readdirSync(path.join(root, 'n8n')).filter((dir) => existsSync(path.join(root, 'n8n', dir, 'package.json')));
const PAGES = [
	'README.md',
	'CONTRIBUTING.md',
	'BENCHMARKS.md',
	'node-red/README.md',
	'cli/README.md',
	'test/README.md',
	...markdownUnder('docs'),
	...n8nPackages.map((dir) => `n8n/${dir}/README.md`),
];

/** The text outside fenced code blocks and inline code spans: where a link or a heading can be. */
const prose = (markdown: string) => markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, (span) => ' '.repeat(span.length));

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function headingAnchors(markdown: string): Set<string> {
	const seen = new Map<string, number>();
	const anchors = new Set<string>();
	const text = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
	for (const [, heading] of text.matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
		const base = heading
			.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
			.toLowerCase()
			.replace(/[^\p{L}\p{N}\s_-]/gu, '')
			.trim()
			.replace(/\s/g, '-');
		const count = seen.get(base) ?? 0;
		seen.set(base, count + 1);
		anchors.add(count === 0 ? base : `${base}-${count}`);
	}
	return anchors;
}

/** What is wrong with a link to `target` (a path inside the repository) and `anchor`, or nothing. */
function problem(target: string, anchor: string | undefined): string | undefined {
	if (BUILD_OUTPUT.test(target)) return 'points into build output';
	const full = path.join(root, target);
	if (!full.startsWith(root) || !existsSync(full)) return 'no such file or folder';
	if (anchor === undefined || anchor === '') return undefined;
	const page = statSync(full).isDirectory() ? path.join(full, 'README.md') : full;
	if (statSync(full).isDirectory() && anchor === 'readme') return existsSync(page) ? undefined : 'folder without a README';
	if (!page.endsWith('.md') || !existsSync(page)) return `#${anchor} on a page that is not Markdown`;
	return headingAnchors(readFileSync(page, 'utf8')).has(decodeURIComponent(anchor).toLowerCase()) ? undefined : `no heading for #${anchor}`;
}

/** A link's target as a path from the repository root, or undefined for a link elsewhere. */
function resolve(from: string, href: string): { target: string; anchor?: string } | undefined {
	const repository = REPOSITORY_URL.exec(href);
	if (repository) return { target: repository[1] || 'README.md', anchor: repository[2] };
	if (/^[a-z][a-z0-9+.-]*:/i.test(href)) return undefined;
	const [file, anchor] = href.split('#');
	const target = file === '' ? from : path.posix.normalize(path.posix.join(path.posix.dirname(from), decodeURIComponent(file)));
	return { target, anchor };
}

const linksOf = (page: string): string[] =>
	[...prose(readFileSync(path.join(root, page), 'utf8')).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]);

it('the check itself: anchors as GitHub makes them, links resolved from their page', () => {
	expect([...headingAnchors('# A `raw` title: "why?"\n## Same\n## Same\n```sh\n# not a heading\n```')]).toEqual(['a-raw-title-why', 'same', 'same-1']);
	expect(resolve('docs/triggers/legito.md', '../normalized-event.md#fields')).toEqual({ target: 'docs/normalized-event.md', anchor: 'fields' });
	expect(resolve('n8n/legito/README.md', 'https://github.com/legalhooks/legalhooks/tree/main/node-red')).toEqual({ target: 'node-red', anchor: undefined });
	expect(resolve('n8n/legito/README.md', 'https://github.com/legalhooks/legalhooks#the-normalized-event')).toEqual({ target: 'README.md', anchor: 'the-normalized-event' });
	expect(resolve('README.md', 'https://nodered.org')).toBeUndefined();
	expect(problem('README.md', 'the-normalized-event')).toBe('no heading for #the-normalized-event');
	expect(problem('dist/core/normalized-event.schema.json', undefined)).toBe('points into build output');
	expect(linksOf('README.md').length).toBeGreaterThan(10);
});

it.each(PAGES)('every link in %s resolves to a file of the repository and a heading', (page) => {
	const broken = linksOf(page).flatMap((href) => {
		const link = resolve(page, href);
		const why = link && problem(link.target, link.anchor);
		return why ? [`${href}: ${why}`] : [];
	});
	expect(broken).toEqual([]);
});

/** Files of `dir` (recursively) whose name ends with `ending`, from the repository root. */
const filesUnder = (dir: string, ending: string): string[] =>
	existsSync(path.join(root, dir))
		? readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
				.filter((file) => file.endsWith(ending) && !BUILD_OUTPUT.test(file))
				.map((file) => path.posix.join(dir, file))
		: [];

it('every documentation URL the engines show (codex, credentials, Node-RED help, package homepages) resolves to a folder and heading', () => {
	const sources = [
		...n8nPackages.flatMap((dir) => [...filesUnder(`n8n/${dir}/nodes`, '.node.json'), ...filesUnder(`n8n/${dir}/credentials`, '.credentials.ts'), `n8n/${dir}/package.json`]),
		...filesUnder('node-red/src', '.html'),
		'node-red/package.json',
		'cli/package.json',
	];
	const urls = sources.flatMap((file) => {
		const text = readFileSync(path.join(root, file), 'utf8');
		const found = file.endsWith('package.json') ? [JSON.parse(text).homepage as string] : [...text.matchAll(/https:\/\/github\.com\/legalhooks\/legalhooks[^'"\s<>)]*/g)].map((m) => m[0]);
		return found.map((url) => ({ file, url }));
	});
	expect(urls.filter(({ file }) => file.endsWith('.node.json')).length).toBeGreaterThanOrEqual(8);
	expect(urls.filter(({ file }) => file.endsWith('.html')).length).toBeGreaterThanOrEqual(5);
	const broken = urls.flatMap(({ file, url }) => {
		const link = REPOSITORY_URL.exec(url);
		if (!link) return [`${file}: ${url}: not a link into this repository's main branch`];
		const why = problem(link[1] || 'README.md', link[2]);
		return why ? [`${file}: ${url}: ${why}`] : [];
	});
	expect(broken).toEqual([]);
});

it('the README is read in five minutes: at most 200 lines', () => {
	expect(readFileSync(path.join(root, 'README.md'), 'utf8').trimEnd().split('\n').length).toBeLessThanOrEqual(200);
});

it('every link in the n8n notices core writes for each trigger resolves to a docs page', () => {
	const notices = Object.values(vendorModules).map((module) => module.trigger.n8nNotice ?? '');
	const hrefs = notices.flatMap((notice) => [...notice.matchAll(/href="([^"]+)"/g)].map((m) => m[1]));
	expect(hrefs.length).toBe(Object.keys(vendorModules).length);
	const broken = hrefs.flatMap((href) => {
		const link = REPOSITORY_URL.exec(href);
		const why = link ? problem(link[1] || 'README.md', link[2]) : 'not a link into this repository';
		return why ? [`${href}: ${why}`] : [];
	});
	expect(broken).toEqual([]);
});
