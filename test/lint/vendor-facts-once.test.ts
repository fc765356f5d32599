import * as fs from 'node:fs';
import * as path from 'node:path';
import { DOCUMENT_STATUSES } from '../../core/event/normalized-event';
import { vendors } from '../../core/vendors';

// Every vendor fact lives in core/vendors/<vendor>/ only: the engine folders get event lists, labels
// and defaults from core (n8n builds its descriptions from it, Node-RED exports it to the editor as
// a node setting). A vendor's event name typed into an engine file is a copy that will drift.
const root = path.resolve(__dirname, '../..');
const ENGINE_FOLDERS = ['n8n', 'node-red/src', 'node-red/resources'];
const SOURCE = /\.(ts|js|html|json)$/;

function filesUnder(dir: string): string[] {
	const full = path.join(root, dir);
	if (!fs.existsSync(full)) return [];
	return fs.readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
		const relative = path.join(dir, entry.name);
		if (entry.isDirectory()) return ['dist', 'node_modules', 'examples'].includes(entry.name) ? [] : filesUnder(relative);
		return SOURCE.test(entry.name) ? [relative] : [];
	});
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * How a vendor event name shows up when copied: a name like `SignCompleted`, `document_updated` or
 * `document.10` anywhere as a whole word; a plain English word (Legalesign's `signed`, `sent`) only
 * as a quoted value or an HTML option, so prose may still say "sent".
 */
function copiedName(name: string): RegExp {
	const word = escape(name);
	return /[A-Z_.\d]/.test(name)
		? new RegExp(`(?<![A-Za-z0-9_.])${word}(?![A-Za-z0-9_])`)
		: new RegExp(`(['"\`]${word}['"\`])|(>${word}<)`);
}

// A plain word that is also a normalized document status (Legalesign's `rejected`) is core's vocabulary too.
const coreWords = new Set<string>(DOCUMENT_STATUSES);
const names = Object.values(vendors).flatMap((vendor) =>
	vendor!.vendorEventTypes.filter((name) => !coreWords.has(name)).map((name) => ({ vendor: vendor!.id, name })),
);
const files = ENGINE_FOLDERS.flatMap(filesUnder);

describe('every vendor fact once: no vendor event name in the engine folders', () => {
	it('scans the engine sources and knows every vendor event', () => {
		expect(files.length).toBeGreaterThan(20);
		expect(files).toEqual(expect.arrayContaining(['node-red/resources/legalhooks-editor.js', 'node-red/src/legalhooks-legito.html', 'n8n/legito/nodes/LegitoTrigger/LegitoTrigger.node.ts']));
		expect(names.length).toBeGreaterThanOrEqual(3 + 38 + 10 + 6 + 20);
	});

	it('finds a copied event name where one is typed (the check is not blind)', () => {
		expect(copiedName('SignCompleted').test("var events = ['ApprovalApproved', 'SignCompleted'];")).toBe(true);
		expect(copiedName('document.10').test("codes = ['document.10', 'signer.4']")).toBe(true);
		expect(copiedName('sent').test('<option value="sent">upon sending</option>')).toBe(true);
		expect(copiedName('sent').test('the document was sent for signature')).toBe(false);
		expect(copiedName('documentUpdated').test('a documentUpdatedAt field')).toBe(false);
	});

	it.each(files)('%s names no vendor event', (file) => {
		const text = fs.readFileSync(path.join(root, file), 'utf8');
		const copied = names.filter(({ name }) => copiedName(name).test(text)).map(({ vendor, name }) => `${vendor}:${name}`);
		expect(copied).toEqual([]);
	});
});
