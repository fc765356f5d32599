/*
 * The n8n editor in Debian's chromium, on the n8n the e2e started: the nodes panel finds every node of
 * our packages with its icon when searching "legalhooks"; each trigger opens its parameter panel (from a
 * workflow holding it) with its notice as written, and
 * its credential form without page errors. Runs when chromium is installed (.ci/run installs it).
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { chromiumAvailable, CHROMIUM, launchChromium, PageProblems } from '../../browser/chromium';
import { isOurType, type N8n } from './n8n';
import { fail, request } from './util';

interface NodeType {
	name: string;
	displayName: string;
	group: string[];
	iconUrl?: unknown;
	properties?: { name: string; type: string; displayName: string }[];
	version: number | number[];
	defaultVersion?: number;
	credentials?: { name: string; required?: boolean; displayOptions?: unknown }[];
}

interface CredentialType {
	name: string;
	displayName: string;
	properties: { name: string; type: string; required?: boolean; displayOptions?: unknown }[];
}

async function types<T>(n8n: N8n, which: 'nodes' | 'credentials'): Promise<T[]> {
	const r = await request(`${n8n.base}/types/${which}.json`, { headers: { cookie: n8n.cookie } });
	if (r.status !== 200 || !Array.isArray(r.json)) throw new Error(`/types/${which}.json → ${r.status}`);
	return r.json as T[];
}

/** Node panel entries: name and icon of every node (or action) item shown, once their icons finished loading. */
async function panelEntries(page: Page) {
	await page
		.waitForFunction(
			() => Array.from((globalThis as any).document.querySelectorAll('[data-test-id="node-creator"] img') as ArrayLike<any>).every((img: any) => img.complete),
			null,
			{ timeout: 10_000 },
		)
		.catch(() => undefined);
	return page.evaluate(() => {
		const doc = (globalThis as any).document;
		return Array.from(doc.querySelectorAll('[data-test-id="node-creator-node-item"], [data-test-id="node-creator-action-item"]') as ArrayLike<any>).map((item: any) => {
			const img = item.querySelector('img');
			const name = (item.querySelector('[data-test-id="node-creator-item-name"]')?.textContent ?? item.innerText.split('\n')[0]).trim();
			return { name, icon: img?.getAttribute('src') ?? '', iconLoaded: !!img && img.complete && img.naturalWidth > 0 };
		});
	});
}

/** Opens the nodes panel, types `search`, and waits (up to 10 s) until one of `expect` is listed. */
async function openNodesPanel(page: Page, search: string, expect: string[]): Promise<void> {
	const add = page.locator('[data-test-id="canvas-add-button"]');
	if (await add.isVisible()) await add.click();
	else await page.click('[data-test-id="node-creator-plus-button"]');
	const input = page.locator('[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]').first();
	await input.fill(search);
	await page
		.waitForFunction(
			(names) =>
				Array.from((globalThis as any).document.querySelectorAll('[data-test-id="node-creator-item-name"], [data-test-id="node-creator-action-item"]') as ArrayLike<any>).some((el: any) =>
					names.some((n: string) => el.innerText.trim().startsWith(n)),
				),
			expect,
			{ timeout: 10_000 },
		)
		.catch(() => undefined);
}

/**
 * The names a node may have in the panel: n8n shows a trigger whose "Events" field lists several
 * events as a node with actions, named without " Trigger" (its actions are the events).
 */
function panelNames(displayName: string): string[] {
	const short = displayName.replace(/ Trigger$/, '');
	return short === displayName ? [displayName] : [displayName, short];
}

/**
 * Opens a trigger's parameter panel from a workflow holding only it (made through n8n's API): the nodes
 * panel groups a trigger with its service's main node, whose actions it would open first.
 */
async function openOnCanvas(n8n: N8n, page: Page, trigger: NodeType): Promise<void> {
	const version = trigger.defaultVersion ?? (Array.isArray(trigger.version) ? Math.max(...trigger.version) : trigger.version);
	const id = await n8n.createWorkflow({
		name: `editor check: ${trigger.displayName}`,
		nodes: [{ id: randomUUID(), name: trigger.displayName, type: trigger.name, typeVersion: version, position: [0, 0], parameters: {}, webhookId: randomUUID() }],
		connections: {},
	});
	await page.goto(`${n8n.base}/workflow/${id}`);
	const node = page.locator('[data-test-id="canvas-node"]').first();
	await node.waitFor({ state: 'visible', timeout: 60_000 });
	await node.dblclick();
	await page.locator('[data-test-id="ndv"] [data-test-id="node-parameters"]').waitFor({ state: 'visible', timeout: 30_000 });
}

async function closeNdv(page: Page): Promise<void> {
	await page.keyboard.press('Escape');
	await page.locator('[data-test-id="ndv"] [data-test-id="node-parameters"]').waitFor({ state: 'hidden' });
}

/**
 * The trigger's notice as the parameter panel shows it: every placeholder of the command it prints
 * (the description's `<code>`) must be visible as written — n8n renders notices as sanitized HTML and
 * drops what looks like an unknown tag. Answers the command as the page shows it, if any.
 */
async function checkNotice(page: Page, trigger: NodeType, found: string[]): Promise<string | undefined> {
	const notice = trigger.properties?.find((p) => p.type === 'notice');
	if (!notice) return undefined;
	const shown = page.locator('[data-test-id="ndv"] [data-test-id="node-parameters"] [role="alert"]').first();
	if ((await shown.count()) === 0) {
		found.push(`${trigger.displayName}: no notice in the parameter panel`);
		return undefined;
	}
	const text = (await shown.innerText()).replace(/\s+/g, ' ');
	const command = /<code>(.*?)<\/code>/.exec(notice.displayName)?.[1];
	const words = (notice.displayName.replace(/<[^>]*>/g, ' ').match(/\b[A-Z][A-Z_]{2,}\b/g) ?? []).filter((w) => w !== 'URL');
	for (const w of words) if (!text.includes(w)) found.push(`${trigger.displayName}: the notice does not show ${w} (shown: ${text.slice(0, 300)})`);
	if (/[<>]/.test(text)) found.push(`${trigger.displayName}: the notice shows raw markup: ${text.slice(0, 300)}`);
	if (!command) return undefined;
	// n8n 2.x's notice keeps only a, ul and li tags: the command shows as plain text, so it is read from there
	if (!text.includes(command)) {
		found.push(`${trigger.displayName}: the notice does not print "${command}" as written (shown: ${text.slice(0, 300)})`);
		return undefined;
	}
	return command;
}

/**
 * Runs the page checks; answers a one-line summary, throws with every finding when something is wrong.
 * Skipped (answered as such) when there is no chromium. `commands` gets the CLI command each trigger's
 * notice prints, by node name.
 */
export async function checkN8nEditor(n8n: N8n, commands: Record<string, string> = {}): Promise<string> {
	if (!chromiumAvailable()) return `editor check skipped (no ${CHROMIUM})`;
	const t0 = Date.now();
	const ours = (await types<NodeType>(n8n, 'nodes')).filter((n) => isOurType(n.name) && !/Tool$/.test(n.name));
	const credentialTypes = await types<CredentialType>(n8n, 'credentials');
	const browser = await launchChromium([n8n.base]);
	const found: string[] = [];
	let credentialFields = 0;
	try {
		const [name, value] = n8n.cookie.split(/=(.*)/s);
		await browser.context.addCookies([{ name, value, url: n8n.base }]);
		const page = await browser.context.newPage();
		// n8n logs its failed call to api.n8n.io for banners (the network here is closed) as an error of its own;
		// opening the next trigger's workflow aborts the page's own requests still in flight
		const problems = new PageProblems(page, n8n.base, [
			/^console error: Failed to fetch dynamic banners: ResponseError: Can't connect to n8n/,
			/^request failed: GET .* net::ERR_ABORTED$/,
			// n8n 1.123 opening a saved workflow: its AI assistant's licensed metadata call, and the last
			// successful execution of a workflow that has none — n8n's own calls, answered as n8n means to
			/^HTTP 403: POST \S+\/rest\/ai\/sessions\/metadata$/,
			/^console error: Failed to fetch sessions metadata: ResponseError: Plan lacks license/,
			/^HTTP 404: GET \S+\/rest\/workflows\/\w+\/executions\/last-successful$/,
			/^console error: Failed to load resource: the server responded with a status of (403 \(Forbidden\) \(\S+\/rest\/ai\/sessions\/metadata\)|404 \(Not Found\) \(\S+\/executions\/last-successful\))$/,
		]);
		await page.goto(`${n8n.base}/workflow/new`);
		await page.waitForSelector('[data-test-id="canvas-add-button"], [data-test-id="node-creator-plus-button"]', { timeout: 60_000 });

		// --- the nodes panel, searching "legalhooks" ---
		await openNodesPanel(page, 'legalhooks', ours.flatMap((n) => panelNames(n.displayName)));
		const entries = await panelEntries(page);
		for (const node of ours) {
			const entry = entries.find((e) => panelNames(node.displayName).includes(e.name));
			if (!entry) found.push(`nodes panel, search "legalhooks": no ${node.displayName} (shown: ${entries.map((e) => e.name).join(', ') || 'nothing'})`);
			else if (entry.icon && !entry.iconLoaded) found.push(`nodes panel: the icon of ${node.displayName} (${entry.icon}) does not load`);
			else if (!entry.icon && node.iconUrl) found.push(`nodes panel: ${node.displayName} is shown without its icon`);
		}
		for (const p of problems.take()) found.push(`nodes panel: ${p}`);
		await page.keyboard.press('Escape');

		// --- every trigger: parameter panel, then its credential form ---
		const triggers = ours.filter((n) => n.group.includes('trigger'));
		for (const trigger of triggers) {
			await openOnCanvas(n8n, page, trigger);
			const ndv = page.locator('[data-test-id="ndv"]');
			const title = (await ndv.locator('[data-test-id="node-title-container"]').innerText()).trim();
			if (!title.startsWith(trigger.displayName)) found.push(`${trigger.displayName}: parameter panel titled "${title}"`);
			const printed = await checkNotice(page, trigger, found);
			if (printed) commands[trigger.name.replace(/^.*\./, '')] = printed;
			const credential = trigger.credentials?.[0];
			const credentialType = credentialTypes.find((c) => c.name === credential?.name);
			if (credential && credentialType) {
				// 1.x: a credential select with "Create new credential"; 2.x: a "Connect to …" button
				const select = ndv.locator('[data-test-id="node-credentials-select"]');
				if ((await select.count()) > 0) {
					await select.click();
					await page.getByText('Create new credential').last().click();
				} else await ndv.getByText(/^Connect to /).first().click();
				const modal = page.locator('[data-test-id="editCredential-modal"]');
				await modal.waitFor({ state: 'visible' });
				const required = credentialType.properties.filter((p) => p.required && !p.displayOptions && p.type !== 'notice' && p.type !== 'hidden');
				for (const p of required) {
					credentialFields += 1;
					if ((await modal.locator(`[data-test-id="parameter-input-${p.name}"]`).count()) === 0) found.push(`${trigger.displayName}: the ${credentialType.displayName} form has no input for ${p.name}`);
				}
				await page.keyboard.press('Escape');
				await modal.waitFor({ state: 'hidden' });
			} else if (credential) found.push(`${trigger.displayName}: credential type ${credential.name} is not loaded`);
			for (const p of problems.take()) found.push(`${trigger.displayName}: ${p}`);
			await closeNdv(page);
		}
		for (const p of problems.take()) found.push(p);
		if (found.length) fail(`n8n editor in chromium:\n    ${found.join('\n    ')}`);
		return `editor in chromium: ${ours.length} nodes in the panel with icons, ${triggers.length} trigger panels with their notices as written (${Object.keys(commands).length} CLI commands) and credential forms (${credentialFields} required fields), no page errors (${((Date.now() - t0) / 1000).toFixed(1)} s)`;
	} finally {
		await browser.close();
	}
}
