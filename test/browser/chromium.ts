import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium package (`apt-get install -y chromium`, done by .ci/run). */
export const CHROMIUM = process.env.LEGALHOOKS_CHROMIUM || '/usr/bin/chromium';

/**
 * Headless and quiet: with no network besides 127.0.0.1, Chromium's own background connections
 * (component updates, sync, field trials, QUIC probes) are refused many at a time and slow every
 * page down; these flags keep it from making them.
 */
const FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

export function chromiumAvailable(): boolean {
	return fs.existsSync(CHROMIUM);
}

export interface Browser {
	context: BrowserContext;
	close(): Promise<void>;
}

/** Chromium with a fresh user-data-dir, and clipboard access for the origins under test. */
export async function launchChromium(origins: string[]): Promise<Browser> {
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'legalhooks-chromium-'));
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: CHROMIUM,
		headless: true,
		args: FLAGS,
		viewport: { width: 1600, height: 1000 },
		timezoneId: 'UTC',
		locale: 'en-US',
	});
	for (const origin of origins) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
	return {
		context,
		close: async () => {
			await context.close();
			fs.rmSync(userDataDir, { recursive: true, force: true });
		},
	};
}

/**
 * What went wrong in a page: uncaught errors, console errors, failed requests to the app's origin.
 * Not counted: the browser's console line for a resource of another origin that failed to load (the
 * engines ask their catalogues and npm from the page; this machine's network is closed).
 */
export class PageProblems {
	private readonly seen: string[] = [];
	private mark = 0;

	constructor(page: Page, origin: string, ignore: RegExp[] = []) {
		const add = (text: string) => {
			if (!ignore.some((pattern) => pattern.test(text))) this.seen.push(text);
		};
		page.on('pageerror', (error) => add(`page error: ${error.stack ?? error.message}`));
		page.on('console', (message) => {
			if (message.type() !== 'error') return;
			const url = message.location().url;
			if (/^Failed to load resource:/.test(message.text()) && url && !url.startsWith(origin)) return;
			add(`console error: ${message.text()} (${url})`);
		});
		page.on('requestfailed', (request) => {
			if (request.url().startsWith(origin)) add(`request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`);
		});
		page.on('response', (response) => {
			if (response.url().startsWith(origin) && response.status() >= 400) add(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
		});
	}

	/** Problems since the last call. */
	take(): string[] {
		const fresh = this.seen.slice(this.mark);
		this.mark = this.seen.length;
		return fresh;
	}

	all(): string[] {
		return [...this.seen];
	}
}
