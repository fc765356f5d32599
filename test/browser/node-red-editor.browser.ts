/**
 * The Node-RED editor in a real browser (Debian's chromium through playwright-core) against a real
 * Node-RED serving our package: every node's dialog from the palette, every example flow through
 * Import → Examples, and a signed sample delivery (the CLI) that ends in the debug sidebar.
 * `npm run test:browser`; .ci/run installs chromium.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { main as cli } from '../../cli/src/main';
import { launchChromium, PageProblems, type Browser } from './chromium';
import {
	copyWith,
	debugMessages,
	deploy,
	dragFromPalette,
	helpPanel,
	importExample,
	openConfigDialog,
	openDebugSidebar,
	openEditor,
	openNodeDialog,
	overlappingNodes,
	typeInfo,
	type Tray,
	type TypeInfo,
} from './node-red-editor';
import { startNodeRedEditor, type NodeRedEditorServer } from './node-red-server';

jest.setTimeout(60_000);

const examplesDir = path.resolve(__dirname, '..', '..', 'node-red', 'examples');
const exampleFlows = fs
	.readdirSync(examplesDir)
	.filter((f) => f.endsWith('.json'))
	.sort()
	.map((f) => f.replace(/\.json$/, ''));

/** The package's flow nodes (their config nodes are opened from their dialogs). */
const FLOW_TYPES = [
	'legalhooks-plexus-trigger',
	'legalhooks-phenixid-trigger',
	'legalhooks-legito-trigger',
	'legalhooks-legalesign-trigger',
	'legalhooks-quicklysign-trigger',
	'legalhooks-slack',
	'legalhooks-salesforce',
	'legalhooks-xero',
];

/** A node type's name as the user must never see it (raw `legalhooks-…` type names). */
const RAW_TYPE_NAME = /\blegalhooks-[a-z]/;
/** An i18n key Node-RED could not resolve shows as the key itself. */
const UNRESOLVED_I18N = /\blegalhooks-[a-z]+(?:-[a-z]+)?[.:][A-Za-z]+\.[A-Za-z]/;

let server: NodeRedEditorServer;
let browser: Browser;
let page: Page;
let problems: PageProblems;
const infos = new Map<string, TypeInfo>();
const configTypesOpened = new Set<string>();

beforeAll(async () => {
	server = await startNodeRedEditor();
	browser = await launchChromium([server.base]);
	page = await browser.context.newPage();
	problems = new PageProblems(page, server.base);
	await openEditor(page, server.base);
	for (const type of server.types) infos.set(type, await typeInfo(page, type));
});

afterAll(async () => {
	await browser?.close();
	await server?.stop();
});

afterEach(async () => {
	// a failed step can leave dialogs open: cancel them so the next test starts on the workspace
	for (let open = 0; open < 3 && page; open++) {
		const cancel = page.locator('#node-config-dialog-cancel:visible, #node-dialog-cancel:visible').first();
		if (!(await cancel.isVisible().catch(() => false))) break;
		await cancel.click().catch(() => undefined);
		await page.waitForTimeout(400); // the dialog below slides back in
	}
});

const flowTypes = () => server.types.filter((t) => infos.get(t)!.category !== 'config');

/**
 * What is wrong with an open dialog, as sentences (all of them, so one defect does not hide the
 * next): required fields without an input or not flagged, inputs the definition does not declare
 * (never saved), labels for nothing, raw type names or i18n keys shown, help missing.
 */
async function dialogFindings(tray: Tray, type: string): Promise<string[]> {
	const info = infos.get(type)!;
	const found: string[] = [];
	const declared = [...info.defaults, ...info.credentials];
	const withInput = await tray.inputsFor(info.requiredEmpty);
	for (const p of info.requiredEmpty.filter((p) => !withInput.includes(p))) found.push(`required ${p} has no input`);
	for (const p of await tray.undeclaredInputs(declared)) found.push(`input ${p} is not a property or credential of the node: its value is never saved`);
	for (const id of await tray.danglingLabels()) found.push(`a label is for #${id}, which the form does not have`);
	const flagged = await tray.flagged(declared);
	for (const p of info.requiredEmpty.filter((p) => !flagged.includes(p))) found.push(`required ${p} is empty but not marked invalid`);
	for (const p of flagged.filter((p) => !info.requiredEmpty.includes(p))) found.push(`${p} is marked invalid in a new node`);
	const lines = [...new Set((await tray.visibleText()).split('\n'))];
	for (const line of lines.filter((l) => RAW_TYPE_NAME.test(l))) found.push(`shows a raw type name: "${line.trim()}"`);
	for (const line of lines.filter((l) => UNRESOLVED_I18N.test(l))) found.push(`shows an i18n key: "${line.trim()}"`);
	for (const line of lines.filter((l) => /\bundefined\b|\bNaN\b/.test(l))) found.push(`shows "${line.trim()}"`);

	await tray.openHelp();
	const help = await helpPanel(page);
	if (!info.paletteLabel) found.push('has no paletteLabel: its dialog and help are titled with the raw type name');
	else if (help.title !== info.paletteLabel) found.push(`help is titled "${help.title}", expected "${info.paletteLabel}"`);
	if (info.helpText.length < 40) found.push(`help text is ${info.helpText.length} characters`);
	else if (!help.text.includes(info.helpText.slice(0, 60))) found.push(`help sidebar does not show the node's help ("${info.helpText.slice(0, 60)}…")`);
	// Node-RED's help style guide, for the triggers' many options: a section per kind of content
	if (/-trigger$/.test(type)) {
		const missing = ['Properties', 'Outputs', 'Details', 'References'].filter((h) => !help.headings.includes(h));
		if (missing.length) found.push(`help has no ${missing.join(', ')} section (has: ${help.headings.join(', ') || 'none'})`);
	}
	return found.map((f) => `${type}: ${f}`);
}

/** Clicks the copy button `data-legalhooks-copy=<what>` and checks the clipboard holds `expected`. */
async function copyFindings(page: Page, tray: Tray, what: 'webhook-url' | 'secret', expected: string, type: string): Promise<string[]> {
	const button = tray.form.locator(`[data-legalhooks-copy="${what}"]`);
	if ((await button.count()) !== 1) return [`${type}: ${(await button.count()) || 'no'} copy button [data-legalhooks-copy="${what}"]`];
	const copied = await copyWith(page, button);
	return copied === expected ? [] : [`${type}: copying the ${what} put "${copied}" on the clipboard, expected "${expected}"`];
}

describe('Node-RED editor, every node of the package', () => {
	test('the palette lists every node with its icon', async () => {
		const types = flowTypes();
		// a node added to the package gets its dialog test by joining FLOW_TYPES
		expect([...types].sort()).toEqual([...FLOW_TYPES].sort());
		for (const type of types) {
			const entry = page.locator(`.red-ui-palette-node[data-palette-type="${type}"]`);
			await expect(entry.count()).resolves.toBe(1);
			const icon = await entry.locator('.red-ui-palette-icon').evaluate((el: any) => (globalThis as any).getComputedStyle(el).backgroundImage as string);
			const url = /url\("?([^")]+)"?\)/.exec(icon)?.[1];
			expect({ type, icon: url }).toEqual({ type, icon: expect.stringContaining(`icons/@legalhooks/node-red-legalhooks/`) });
			const response = await fetch(url!);
			expect({ type, status: response.status, contentType: response.headers.get('content-type') }).toEqual({
				type,
				status: 200,
				contentType: expect.stringContaining('image/svg'),
			});
		}
		expect(problems.take()).toEqual([]);
	});

	test.each(FLOW_TYPES.map((t) => [t]))('%s: dialog from the palette, its account dialog, help, required fields, copy buttons', async (type) => {
		expect(server.types).toContain(type);
		const index = flowTypes().indexOf(type);
		const id = await dragFromPalette(page, type, { x: 200 + (index % 2) * 260, y: 80 + index * 70 });
		const tray = await openNodeDialog(page, id);
		const found: string[] = [];
		const title = await tray.title();
		if (title !== `Edit ${infos.get(type)!.paletteLabel} node`) found.push(`${type}: dialog titled "${title}"`);
		found.push(...(await dialogFindings(tray, type)));

		const vendor = /^legalhooks-(.+)-trigger$/.exec(type)?.[1];
		if (vendor) {
			const url = `${server.base}/legalhooks/${vendor}/${id}`;
			if (!(await tray.form.innerText()).includes(url)) found.push(`${type}: the dialog does not show the webhook URL ${url}`);
			found.push(...(await copyFindings(page, tray, 'webhook-url', url, type)));
			// a path changes the URL shown and copied
			await tray.input('path').fill('contracts-in');
			await tray.input('path').dispatchEvent('keyup');
			const withPath = `${server.base}/legalhooks/${vendor}/contracts-in`;
			if (!(await tray.form.innerText()).includes(withPath)) found.push(`${type}: with path "contracts-in" the dialog does not show ${withPath}`);
			if (!found.some((f) => f.includes('copy button'))) found.push(...(await copyFindings(page, tray, 'webhook-url', withPath, type)));
		}

		for (const [property, configType] of Object.entries(infos.get(type)!.configRefs)) {
			const account = await openConfigDialog(page, property, 'add');
			configTypesOpened.add(configType);
			const accountTitle = await account.title();
			if (accountTitle !== `Add new ${infos.get(configType)!.paletteLabel} config node`) found.push(`${configType}: dialog titled "${accountTitle}"`);
			found.push(...(await dialogFindings(account, configType)));
			if (infos.get(configType)!.credentials.includes('secret')) {
				const generate = account.form.getByRole('button', { name: /generate/i });
				if ((await generate.count()) !== 1) found.push(`${configType}: no Generate button for the secret`);
				else {
					await generate.click();
					const secret = await account.input('secret').inputValue();
					if (!/^[0-9a-f]{64}$/.test(secret)) found.push(`${configType}: Generate put "${secret.length} characters" in the secret, expected 64 hex digits`);
					if ((await account.flagged(['secret'])).length) found.push(`${configType}: the secret stays marked invalid after Generate`);
					found.push(...(await copyFindings(page, account, 'secret', secret, configType)));
				}
			}
			await account.cancel();
		}
		await tray.cancel();
		found.push(...problems.take());
		expect(found).toEqual([]);
	});

	test('every config node of the package was opened from its node', () => {
		const configTypes = server.types.filter((t) => infos.get(t)!.category === 'config');
		expect([...configTypesOpened].sort()).toEqual(configTypes.sort());
	});
});

describe('Node-RED editor, example flows', () => {
	test.each(exampleFlows.map((f) => [f]))('Import → Examples → %s', async (flow) => {
		const file = JSON.parse(fs.readFileSync(path.join(examplesDir, `${flow}.json`), 'utf8')) as { id: string; type: string; z?: string }[];
		const added = await importExample(page, flow, file.map((n) => n.id));
		expect(added.sort()).toEqual(file.map((n) => n.id).sort());
		const state = await page.evaluate((ids) => {
			const RED = (globalThis as any).RED;
			const nodes = ids.map((i: string) => RED.nodes.node(i) ?? RED.nodes.workspace(i)).filter(Boolean);
			return {
				unknown: nodes.filter((n: any) => n.type === 'unknown' || n._def?.category === 'unknown' || (n.type !== 'tab' && !n._def)).map((n: any) => n.type),
				notifications: (globalThis as any).$('.red-ui-notification-error:visible').text(),
			};
		}, added);
		expect(state).toEqual({ unknown: [], notifications: '' });
		const tab = file.find((n) => n.type === 'tab')!.id;
		expect(await overlappingNodes(page, tab)).toEqual([]);
		expect(problems.take()).toEqual([]);
	});
});

describe('Node-RED editor, a sample delivery', () => {
	let fresh: Page;
	let freshProblems: PageProblems;
	/** The first test's deployed trigger, for the next one. */
	let deployed: { url: string; secret: string } | undefined;

	beforeAll(async () => {
		// a new tab on the deployed (empty) flows: the examples above were never deployed
		fresh = await browser.context.newPage();
		freshProblems = new PageProblems(fresh, server.base);
		await openEditor(fresh, server.base);
	});

	test('Plexus Gateway example: set the secret, deploy, send a signed sample → the normalized event in the debug sidebar', async () => {
		const file = JSON.parse(fs.readFileSync(path.join(examplesDir, 'Plexus Gateway trigger.json'), 'utf8')) as { id: string }[];
		const added = await importExample(fresh, 'Plexus Gateway trigger', file.map((n) => n.id));
		expect(added).toContain('lh-plexus-trigger');
		const trigger = await openNodeDialog(fresh, 'lh-plexus-trigger');
		const url = `${server.base}/legalhooks/plexus/example`;
		expect(await trigger.form.innerText()).toContain(url);
		const account = await openConfigDialog(fresh, 'account', 'edit');
		expect({ flagged: await account.flagged(['secret']) }).toEqual({ flagged: ['secret'] });
		await account.form.getByRole('button', { name: /generate/i }).click();
		const secret = await account.input('secret').inputValue();
		await account.done();
		await trigger.done();
		await deploy(fresh);
		await openDebugSidebar(fresh);

		const lines: string[] = [];
		const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l), version: 'test' };
		expect(await cli(['send', 'plexus', 'executed', '--url', url, '--secret', secret], io)).toBe(0);
		await fresh.waitForFunction(() => (globalThis as any).$('.red-ui-debug-content .red-ui-debug-msg').length >= 1, null, { timeout: 15_000 });
		const [message] = await debugMessages(fresh);
		expect(message.name).toBe('executed contract');
		expect(message.text).toMatch(/vendor: "plexus"/);
		expect(message.text).toMatch(/type: "document\.completed"/);
		expect(message.text).toMatch(/vendorEventType: "documentUpdated"/);

		// a tampered delivery is refused: the trigger's warning, no event; the next event is the next message
		expect(await cli(['send', 'plexus', 'executed', '--tamper', '--url', url, '--secret', secret], io)).toBe(0);
		expect(lines.join('\n')).toMatch(/HTTP 401/);
		expect(await cli(['send', 'plexus', 'documentCreated', '--url', url, '--secret', secret], io)).toBe(0);
		await fresh.waitForFunction(() => (globalThis as any).$('.red-ui-debug-content .red-ui-debug-msg').length >= 3, null, { timeout: 15_000 });
		const messages = await debugMessages(fresh);
		expect(messages.map((m) => m.name)).toEqual(['executed contract', 'Plexus Gateway', 'other events']);
		expect(messages[1].text).toMatch(/refused with HTTP 401/);
		expect(messages[1].text).not.toContain(secret);
		expect(messages[2].text).toMatch(/type: "document\.created"/);
		// the deployed flow with its status texts (trigger and both debug nodes) stays readable
		await fresh.waitForFunction(() => (globalThis as any).$('#red-ui-workspace-chart .red-ui-flow-node-status-label:visible').length >= 3);
		expect(await overlappingNodes(fresh, 'lh-plexus-tab')).toEqual([]);
		expect(freshProblems.take()).toEqual([]);
		deployed = { url, secret };
	});

	test('every delivery accounted for: the status counts a repeat and a refusal, Recent deliveries in the dialog lists each', async () => {
		expect(deployed).toBeDefined();
		const { url, secret } = deployed!;
		const io = { out: () => undefined, err: () => undefined, version: 'test' };
		// the sample's fixed event id (a vendor retry): the second is a repeat
		for (let i = 0; i < 2; i++) expect(await cli(['send', 'plexus', 'documentCreated', '--repeat-id', '--url', url, '--secret', secret], io)).toBe(0);
		const status = fresh.locator('#red-ui-workspace-chart g[id="lh-plexus-trigger"] .red-ui-flow-node-status-label');
		for (let i = 0; i < 150 && !/repeats\/older dropped/.test((await status.textContent()) ?? ''); i++) await fresh.waitForTimeout(100);
		expect(await status.textContent()).toMatch(/^3 event\(s\), 1 repeats\/older dropped, 1 refused, last a repeat at \d\d:\d\d:\d\d$/);

		const trigger = await openNodeDialog(fresh, 'lh-plexus-trigger');
		await trigger.form.getByRole('button', { name: 'Recent deliveries' }).click();
		await fresh.waitForSelector('#legalhooks-recent table tbody tr');
		const rows = await fresh.$$eval('#legalhooks-recent tbody tr', (trs) => trs.map((tr) => ({ outcome: tr.getAttribute('data-outcome'), text: (tr as HTMLElement).innerText })));
		expect(rows.map((r) => r.outcome)).toEqual(['repeat', 'emitted', 'emitted', 'refused', 'emitted']);
		expect(rows[0].text).toMatch(/repeat dropped\s+already emitted: document\.created 8cfa669c-41cc-412c-858d-0374e2c007fc/);
		expect(rows[3].text).toMatch(/refused\s+HTTP 401: /);
		expect(rows.map((r) => r.text).join('\n')).not.toContain(secret);
		await trigger.cancel();
		expect(freshProblems.take()).toEqual([]);
	});
});
