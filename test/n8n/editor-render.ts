import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import sanitize from 'sanitize-html';
import type { ICredentialType, INodeProperties, INodeType } from 'n8n-workflow';
import { repositoryPackages } from '../repository';

/**
 * How n8n's editor turns a node's texts into HTML. Both go through `sanitize-html`, which drops every
 * tag it does not allow — a placeholder like `<secret>` vanishes, its words with it:
 * - notices (`type: 'notice'`): the design system's N8nNotice (`sanitizeHtml(content, { allowedAttributes:
 *   { a: ['data-key', 'href', 'target'] } })`, n8n 1.x);
 * - descriptions and hints: the `v-n8n-html` directive (`packages/design-system/src/directives/n8n-html.ts`,
 *   n8n 1.x and 2.x; newer N8nNotice versions use it too): the default tags plus `img` and `input`.
 */
export const n8nNoticeRenderers: Array<[string, (html: string) => string]> = [
	['N8nNotice', (html) => sanitize(html, { allowedAttributes: { a: ['data-key', 'href', 'target'] } })],
	['v-n8n-html', (html) => n8nHtml(html)],
];

export function n8nHtml(html: string): string {
	return sanitize(html, {
		allowedTags: sanitize.defaults.allowedTags.concat(['img', 'input']),
		allowedAttributes: {
			...sanitize.defaults.allowedAttributes,
			img: ['src', 'srcset', 'alt', 'title', 'width', 'height', 'loading'],
			input: ['type', 'id', 'checked'],
		},
	});
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'", nbsp: ' ' };
const decode = (text: string) => text.replace(/&(amp|lt|gt|quot|#39|#x27|nbsp);/g, (_m, name: string) => ENTITIES[name]);
const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

/** What a reader sees of rendered HTML: its text, tags gone, entities decoded. */
export function visibleText(html: string): string {
	return squash(decode(html.replace(/<[^>]*>/g, '')));
}

/** What the author meant the reader to see: the text with only the tags n8n keeps taken out. */
export function intendedText(source: string): string {
	const allowed = new Set([...sanitize.defaults.allowedTags, 'img', 'input']);
	return squash(decode(source.replace(/<\/?([a-zA-Z][\w-]*)(\s[^<>]*)?\/?>/g, (tag, name: string) => (allowed.has(name.toLowerCase()) ? '' : tag))));
}

export interface EditorText {
	where: string;
	kind: 'notice' | 'description' | 'hint';
	text: string;
}

function propertyTexts(owner: string, properties: readonly INodeProperties[]): EditorText[] {
	return properties.flatMap((property) => {
		const where = `${owner} › ${property.displayName}`;
		const own: EditorText[] = [];
		if (property.type === 'notice') own.push({ where, kind: 'notice', text: property.displayName });
		if (property.description) own.push({ where, kind: 'description', text: property.description });
		if (property.hint) own.push({ where, kind: 'hint', text: property.hint });
		const nested = (property.options ?? []).flatMap((option) => {
			if ('values' in option) return propertyTexts(`${where} › ${option.displayName}`, option.values);
			if ('type' in option) return propertyTexts(where, [option as INodeProperties]);
			const choice = option as { name: string; description?: string };
			return choice.description ? [{ where: `${where} › ${choice.name}`, kind: 'description' as const, text: choice.description }] : [];
		});
		return [...own, ...nested];
	});
}

export const nodeTexts = (node: INodeType): EditorText[] => [
	{ where: node.description.displayName, kind: 'description', text: node.description.description },
	...propertyTexts(node.description.displayName, node.description.properties),
];

export const credentialTexts = (credential: ICredentialType): EditorText[] => propertyTexts(credential.displayName, credential.properties);

/** An n8n package entry (`dist/…js`) as its TypeScript source when there is one, else the built file. */
function loadEntry(dir: string, entry: string): Record<string, unknown> {
	const source = path.join(dir, entry.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return require(existsSync(source) ? source : path.join(dir, entry));
}

const instances = <T>(module: Record<string, unknown>): T[] =>
	Object.values(module)
		.filter((value): value is new () => T => typeof value === 'function')
		.map((Class) => new Class());

/** A node's codex (`<Name>.node.json` beside its source or built file): its documentation links. */
function codexOf(dir: string, entry: string): { resources?: { primaryDocumentation?: Array<{ url: string }> } } {
	const candidates = [entry.replace(/^dist\//, ''), entry].map((file) => path.join(dir, file.replace(/\.js$/, '.json')));
	const found = candidates.find((file) => existsSync(file));
	return found ? JSON.parse(readFileSync(found, 'utf8')) : {};
}

/** The nodes (with their documentation page) and credentials every n8n package of the repository declares. */
export function n8nPackageContents(root: string): { nodes: INodeType[]; docs: Map<INodeType, string | undefined>; credentials: ICredentialType[] } {
	const packages = repositoryPackages(root).filter(({ pkg }) => pkg.n8n);
	const docs = new Map<INodeType, string | undefined>();
	for (const { dir, pkg } of packages) {
		for (const entry of (pkg.n8n.nodes ?? []) as string[]) {
			for (const node of instances<INodeType>(loadEntry(dir, entry))) docs.set(node, codexOf(dir, entry).resources?.primaryDocumentation?.[0]?.url);
		}
	}
	return {
		nodes: [...docs.keys()],
		docs,
		credentials: packages.flatMap(({ dir, pkg }) => (pkg.n8n.credentials ?? []).flatMap((entry: string) => instances<ICredentialType>(loadEntry(dir, entry)))),
	};
}
