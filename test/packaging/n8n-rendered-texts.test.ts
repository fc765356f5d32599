import * as path from 'node:path';
import { credentialTexts, intendedText, n8nHtml, n8nNoticeRenderers, n8nPackageContents, nodeTexts, visibleText, type EditorText } from '../n8n/editor-render';

// n8n renders notices, descriptions and hints as sanitized HTML and drops the tags it does not know:
// `--secret <secret>` reads "--secret" in the panel. Every text of every node and credential the
// repository's n8n packages declare must read in n8n as written.
const root = path.resolve(__dirname, '../..');
const { nodes, docs, credentials } = n8nPackageContents(root);
const texts: EditorText[] = [...nodes.flatMap(nodeTexts), ...credentials.flatMap(credentialTexts)];

it('finds the nodes and credentials of every n8n package', () => {
	expect(nodes.length).toBeGreaterThanOrEqual(8);
	expect(credentials.length).toBeGreaterThanOrEqual(10);
	expect(texts.filter((t) => t.kind === 'notice').length).toBeGreaterThanOrEqual(5);
});

it('the check itself: a raw placeholder is dropped by n8n, an escaped one and a link are not', () => {
	const raw = 'run legalhooks send --secret <secret>';
	for (const [, render] of n8nNoticeRenderers) expect(visibleText(render(raw))).not.toBe(intendedText(raw));
	const fine = 'run <code>send --secret &lt;secret&gt;</code>, <a href="https://example.org" target="_blank">docs</a>';
	for (const [, render] of n8nNoticeRenderers) expect(visibleText(render(fine))).toBe(intendedText(fine));
});

describe.each(nodes.filter((node) => node.description.group.includes('trigger')).map((node) => [node.description.displayName, node] as const))(
	'%s notice',
	(_name, node) => {
		const notice = node.description.properties.find((p) => p.type === 'notice')!.displayName;
		const seen = visibleText(n8nHtml(notice));

		it('is short: what to do first, with a link to the setup guide (the node\'s documentation page) for the rest', () => {
			expect(seen.length).toBeLessThanOrEqual(400);
			const link = /<a href="([^"]+)" target="_blank">/.exec(notice);
			expect(link?.[1]).toBe(docs.get(node));
		});

		it('names no button by one n8n version\'s label', () => {
			expect(seen).not.toMatch(/Listen for test event|Test this trigger|Execute step|Test step|Fetch test event/i);
		});
	},
);

describe.each(texts.map((t) => [`${t.kind} of ${t.where.slice(0, 120)}`, t] as const))('%s', (_label, { kind, text }) => {
	const renderers = kind === 'notice' ? n8nNoticeRenderers : [['v-n8n-html', n8nHtml] as const];
	it.each(renderers.map(([name, render]) => [name, render] as const))('reads as written through %s', (_name, render) => {
		expect(visibleText(render(text))).toBe(intendedText(text));
	});
});

// n8n's OAuth2 credential panel says "In <app>, use the URL above when prompted to enter an OAuth
// callback or redirect URL", <app> being the credential's display name without the words API, OAuth1,
// OAuth2 (editor-ui getAppNameFromCredType): it must name the service, not a product of ours.
const appName = (displayName: string) => displayName.split(' ').filter((word) => !['API', 'OAuth1', 'OAuth2'].includes(word)).join(' ');

it.each(credentials.filter((c) => c.extends?.includes('oAuth2Api')).map((c) => [c.displayName, c] as const))(
	'%s: n8n\'s redirect-URL hint names the service the user signs in to',
	(_name, credential) => {
		expect(['Xero', 'Salesforce', 'Slack']).toContain(appName(credential.displayName));
	},
);
