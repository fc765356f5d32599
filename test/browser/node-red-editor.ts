/* What a user does in the Node-RED editor, as Playwright steps. Page-side code reaches the editor's own RED and jQuery. */
import type { ElementHandle, Locator, Page } from 'playwright-core';

export const PACKAGE = '@legalhooks/node-red-legalhooks';

/** Opens the editor and waits until our package's palette entries are drawn. */
export async function openEditor(page: Page, base: string): Promise<void> {
	await page.goto(`${base}/`);
	await page.waitForSelector('.red-ui-palette-node[data-palette-type^="legalhooks-"]', { timeout: 30_000 });
	await page.waitForFunction(() => (globalThis as any).RED?.workspaces?.active?.());
	// trays slide in and out by CSS transitions: off, so a step waits for the editor, not for animations
	await page.addStyleTag({ content: '*, *::before, *::after { transition: none !important; }' });
}

export interface TypeInfo {
	category: string;
	paletteLabel: string;
	/** Properties (defaults) and credentials the node definition declares. */
	defaults: string[];
	credentials: string[];
	/** Properties/credentials a new node leaves empty although they are required. */
	requiredEmpty: string[];
	/** The config node type of each property that refers to one. */
	configRefs: Record<string, string>;
	/** The help template's text, whitespace collapsed. */
	helpText: string;
}

export function typeInfo(page: Page, type: string): Promise<TypeInfo> {
	return page.evaluate((t) => {
		const g = globalThis as any;
		const def = g.RED.nodes.getType(t);
		const label = typeof def.paletteLabel === 'function' ? def.paletteLabel.call(def) : def.paletteLabel;
		const empty = (v: unknown) => v === '' || v === undefined || v === null;
		const defaults = Object.keys(def.defaults ?? {});
		const credentials = Object.keys(def.credentials ?? {});
		const requiredEmpty = [
			...defaults.filter((k) => def.defaults[k].required && empty(def.defaults[k].value)),
			...credentials.filter((k) => def.credentials[k].required),
		];
		const configRefs: Record<string, string> = {};
		for (const k of defaults) if (def.defaults[k].type) configRefs[k] = def.defaults[k].type;
		const help = g.$(`script[data-help-name="${t}"]`);
		const helpText = g.$('<div>').html(help.html() ?? '').text().replace(/\s+/g, ' ').trim();
		return { category: def.category, paletteLabel: label ?? '', defaults, credentials, requiredEmpty, configRefs, helpText };
	}, type);
}

/** Drags a palette entry onto the workspace and answers the new node's id. */
export async function dragFromPalette(page: Page, type: string, at: { x: number; y: number }): Promise<string> {
	const count = (): Promise<string[]> => page.evaluate((t) => (globalThis as any).RED.nodes.filterNodes({ type: t }).map((n: any) => n.id as string), type);
	const before = await count();
	await page.fill('#red-ui-palette-search input', 'legal');
	await page.locator(`.red-ui-palette-node[data-palette-type="${type}"]`).dragTo(page.locator('#red-ui-workspace-chart'), { targetPosition: at });
	const added = (await count()).filter((id) => !before.includes(id));
	if (added.length !== 1) throw new Error(`dragging ${type} from the palette added ${added.length} nodes`);
	return added[0];
}

/** The edit tray on top: its title, form and buttons. */
export class Tray {
	constructor(
		readonly page: Page,
		/** 'node-input' for a flow node's dialog, 'node-config-input' for a config node's. */
		readonly prefix: 'node-input' | 'node-config-input',
		/** The tray element (Node-RED detaches the one below while another is stacked on it). */
		private readonly element: ElementHandle,
	) {}

	get root(): Locator {
		return this.page.locator('.red-ui-tray').last();
	}
	get form(): Locator {
		return this.page.locator(this.prefix === 'node-input' ? '#dialog-form' : '#node-config-dialog-edit-form');
	}
	/** The title of this dialog (the last crumb when it is stacked on another). */
	async title(): Promise<string> {
		return (await this.root.locator('.red-ui-tray-titlebar li').last().innerText()).trim();
	}
	input(property: string): Locator {
		return this.page.locator(`#${this.prefix}-${property}`);
	}
	/** Which of `properties` have an input in the form. */
	async inputsFor(properties: string[]): Promise<string[]> {
		const present: string[] = [];
		for (const p of properties) if ((await this.input(p).count()) === 1) present.push(p);
		return present;
	}
	/** Properties whose input (or its typedInput box) Node-RED marks invalid. */
	flagged(properties: string[]): Promise<string[]> {
		return this.page.evaluate(
			({ prefix, props }) => {
				const g = globalThis as any;
				return props.filter((p: string) => {
					const input = g.$(`#${prefix}-${p}`);
					return input.hasClass('input-error') || input.next('.red-ui-typedInput-container').hasClass('input-error');
				});
			},
			{ prefix: this.prefix, props: properties },
		);
	}
	/** Text the user sees in the tray: title, labels, option texts, tips. */
	async visibleText(): Promise<string> {
		const options = await this.form.locator('select option').allTextContents();
		return `${await this.title()}\n${await this.form.innerText()}\n${options.join('\n')}`;
	}
	/** Form inputs named like a property (`<prefix>-<name>`) that the node definition does not declare: their value is never saved. */
	undeclaredInputs(declared: string[]): Promise<string[]> {
		return this.form.evaluate(
			(form: any, { prefix, known }) =>
				Array.from(form.querySelectorAll('input[id], select[id], textarea[id]') as ArrayLike<any>)
					.map((el: any) => el.id as string)
					.filter((id) => id.startsWith(`${prefix}-`) && !/-(btn|lookup)-/.test(id))
					.map((id) => id.slice(prefix.length + 1))
					.filter((name) => !known.includes(name)),
			{ prefix: this.prefix, known: declared },
		);
	}
	/** `label for=` targets that are not in the form. */
	danglingLabels(): Promise<string[]> {
		return this.form.evaluate((form: any) =>
			Array.from(form.querySelectorAll('label[for]') as ArrayLike<any>)
				.map((l: any) => l.getAttribute('for') as string)
				.filter((id) => !form.querySelector(`[id="${id}"]`)),
		);
	}
	async openHelp(): Promise<void> {
		await this.root.locator('.red-ui-tray-footer-left button:has(i.fa-book)').click();
	}
	cancel(): Promise<void> {
		return this.close(this.prefix === 'node-input' ? '#node-dialog-cancel' : '#node-config-dialog-cancel');
	}
	done(): Promise<void> {
		return this.close(this.prefix === 'node-input' ? '#node-dialog-ok' : '#node-config-dialog-ok');
	}
	private async close(button: string): Promise<void> {
		await this.page.click(button);
		await this.page.waitForFunction((el: any) => !el.isConnected, this.element);
		if ((await this.page.locator('.red-ui-tray').count()) > 0) await settledTray(this.page);
	}
}

/** Double-clicks a node on the workspace and waits for its edit dialog. */
export async function openNodeDialog(page: Page, id: string): Promise<Tray> {
	await page.evaluate((nodeId) => {
		const RED = (globalThis as any).RED;
		const node = RED.nodes.node(nodeId);
		if (RED.workspaces.active() !== node.z) RED.workspaces.show(node.z);
	}, id);
	// the node's body, not its group's centre: a long status label widens the group past the wires
	await page.locator(`#red-ui-workspace-chart g[id="${id}"] rect.red-ui-flow-node`).first().dblclick();
	await page.waitForSelector('#dialog-form', { state: 'visible' });
	return new Tray(page, 'node-input', await settledTray(page));
}

/** Clicks the add (+) or edit (pencil) button next to a config-node property and waits for that dialog. */
export async function openConfigDialog(page: Page, property: string, how: 'add' | 'edit'): Promise<Tray> {
	await page.click(`#node-input-btn-${property}-${how}`);
	await page.waitForSelector('#node-config-dialog-edit-form', { state: 'visible' });
	return new Tray(page, 'node-config-input', await settledTray(page));
}

/** The tray on top, once it stopped sliding in from the right. */
async function settledTray(page: Page): Promise<ElementHandle> {
	const tray = page.locator('.red-ui-tray').last();
	let last = '';
	for (;;) {
		const box = JSON.stringify(await tray.boundingBox());
		if (box === last) return tray.elementHandle() as Promise<ElementHandle>;
		last = box;
		await page.waitForTimeout(50);
	}
}

/** The help sidebar: its title, section headings and text. */
export async function helpPanel(page: Page): Promise<{ title: string; headings: string[]; text: string }> {
	await page.waitForFunction(() => {
		const g = globalThis as any;
		return g.$('.red-ui-sidebar-info .red-ui-help:visible').text().trim().length > 0;
	});
	return page.evaluate(() => {
		const g = globalThis as any;
		const title = g.$('.red-ui-sidebar-info h1.red-ui-help-title:visible').last();
		const headings = title.parent().find('h3').toArray().map((h: any) => g.$(h).text().trim());
		return { title: title.text().trim(), headings, text: title.parent().text().replace(/\s+/g, ' ').trim() };
	});
}

/** Clicks a copy button and answers what landed on the clipboard. */
export async function copyWith(page: Page, button: Locator): Promise<string> {
	await page.evaluate(() => (globalThis as any).navigator.clipboard.writeText('(nothing copied)'));
	await button.click();
	return page.evaluate(() => (globalThis as any).navigator.clipboard.readText());
}

/**
 * Menu → Import → Examples → our package → the flow → Import. The editor fetches the flow after the
 * dialog closed: waits until `expected` (the file's ids) are in the workspace, answers the ids added.
 */
export async function importExample(page: Page, flow: string, expected: string[]): Promise<string[]> {
	const before: string[] = await page.evaluate(() => {
		const RED = (globalThis as any).RED;
		const ids: string[] = [];
		RED.nodes.eachWorkspace((w: any) => ids.push(w.id));
		RED.nodes.eachNode((n: any) => ids.push(n.id));
		RED.nodes.eachConfig((n: any) => ids.push(n.id));
		return ids;
	});
	await page.click('#red-ui-header-button-sidemenu');
	await page.click('#menu-item-import');
	await page.click('#red-ui-tab-red-ui-clipboard-dialog-import-tab-examples a');
	const tab = page.locator('#red-ui-clipboard-dialog-import-tab-examples');
	const entry = tab.locator('.red-ui-treeList-label-text').filter({ hasText: new RegExp(`^${flow.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) });
	const importButton = page.locator('.ui-dialog-buttonset button:visible', { hasText: /^Import$/ });
	// Import is enabled once the chosen entry is selected; on a loaded machine the package folder may
	// still be opening (a second click would close it), so choose again until it is
	for (let attempt = 0; attempt < 5 && !(await importButton.isEnabled()); attempt++) {
		if (!(await entry.isVisible())) await tab.locator('.red-ui-treeList-label-text').filter({ hasText: PACKAGE }).click();
		await entry.click({ timeout: 10_000 }).catch(() => undefined);
		await page.waitForTimeout(300 * (attempt + 1));
	}
	await importButton.click();
	await page.waitForSelector('#red-ui-clipboard-dialog', { state: 'hidden' });
	await page
		.waitForFunction((ids) => ids.every((id: string) => (globalThis as any).RED.nodes.node(id) || (globalThis as any).RED.nodes.workspace(id)), expected, { timeout: 10_000 })
		.catch(() => undefined);
	return page.evaluate((old) => {
		const RED = (globalThis as any).RED;
		const ids: string[] = [];
		RED.nodes.eachWorkspace((w: any) => ids.push(w.id));
		RED.nodes.eachNode((n: any) => ids.push(n.id));
		RED.nodes.eachConfig((n: any) => ids.push(n.id));
		return ids.filter((id) => !old.includes(id));
	}, before);
}

/** Clicks Deploy and waits for Node-RED's "Successfully deployed" notification. */
export async function deploy(page: Page): Promise<void> {
	await page.click('#red-ui-header-button-deploy');
	await page.waitForSelector('.red-ui-notification:has-text("Successfully deployed")', { timeout: 20_000 });
}

/**
 * Nodes of a flow tab drawn over each other: the drawn node (label, ports, and its status text once
 * deployed) is the node's SVG group; two groups whose boxes intersect are unreadable.
 */
export async function overlappingNodes(page: Page, tab: string): Promise<string[]> {
	await page.evaluate((t) => (globalThis as any).RED.workspaces.show(t), tab);
	const boxes: { id: string; name: string; x: number; y: number; w: number; h: number }[] = await page.evaluate((t) => {
		const g = globalThis as any;
		return g.RED.nodes.filterNodes({ z: t }).map((n: any) => {
			const r = g.document.querySelector(`#red-ui-workspace-chart g[id="${n.id}"]`)?.getBoundingClientRect();
			return { id: n.id, name: n.name || n.type, x: r?.x ?? NaN, y: r?.y ?? NaN, w: r?.width ?? 0, h: r?.height ?? 0 };
		});
	}, tab);
	const found = boxes.filter((b) => Number.isNaN(b.x)).map((b) => `${b.id} is not drawn`);
	for (const a of boxes) {
		for (const b of boxes) {
			if (a.id < b.id && a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) {
				found.push(`"${a.name}" (${a.id}) and "${b.name}" (${b.id}) are drawn over each other (labels, ports or status texts)`);
			}
		}
	}
	return found;
}

export interface DebugMessage {
	/** the debug node's name as the sidebar heads the message */
	name: string;
	/** the message's text as shown (the object preview) */
	text: string;
}

export async function openDebugSidebar(page: Page): Promise<void> {
	await page.evaluate(() => (globalThis as any).RED.sidebar.show('debug'));
	await page.waitForSelector('.red-ui-debug-content', { state: 'visible' });
}

export function debugMessages(page: Page): Promise<DebugMessage[]> {
	return page.evaluate(() => {
		const g = globalThis as any;
		return g
			.$('.red-ui-debug-content .red-ui-debug-msg')
			.toArray()
			.map((m: any) => ({ name: g.$(m).find('.red-ui-debug-msg-name').text().replace(/^node: /, '').trim(), text: g.$(m).find('.red-ui-debug-msg-payload').text().replace(/\s+/g, ' ').trim() }));
	});
}
