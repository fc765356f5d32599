import * as fs from 'node:fs';
import * as path from 'node:path';
import { DOCUMENT_STATUSES, EVENT_TYPES } from '../../core/event/normalized-event';
import { vendorModules, vendors } from '../../core/vendors';
import { LEGALESIGN_SIGNATURE_HEADER } from '../../core/vendors/legalesign/inbound';
import { LEGITO_TOKEN_HEADER } from '../../core/vendors/legito/api';
import { PHENIXID_SIGNATURE_HEADER } from '../../core/vendors/phenixid/precheck';
import { PLEXUS_SIGNATURE_HEADER } from '../../core/vendors/plexus/precheck';
import type { VendorModule } from '../../core/vendors/module';

/** Every module as the contract types it (the registration keeps each module's own literal types). */
const modules: Record<string, VendorModule> = vendorModules;

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

// A plain word that is also a normalized document status (Legalesign's `rejected`), or a vendor event
// named exactly as a normalized event type (Legalesign realtime's `recipient.completed`), is core's vocabulary too.
const coreWords = new Set<string>([...DOCUMENT_STATUSES, ...EVENT_TYPES]);
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

// API URLs, header names and credential field names are vendor facts too: they live in the vendor
// modules (core/vendors/<vendor>/index.ts, core/vendors/module.ts) and the engines read them there.
const headerNames = [LEGITO_TOKEN_HEADER, PLEXUS_SIGNATURE_HEADER, PHENIXID_SIGNATURE_HEADER, LEGALESIGN_SIGNATURE_HEADER];
const apiUrls = Object.values(modules).flatMap((module) => Object.values(module.api?.baseUrls ?? {}));
const schemes = Object.values(modules).flatMap((module) => (module.api?.authorization ? [module.api.authorization.scheme] : []));
/** Field names no engine's own code has a reason to spell (the generic ones, like apiKey, are everywhere). */
const vendorFieldNames = [...new Set(Object.values(modules).flatMap((module) => module.credentials.map((field) => field.name)))].filter(
	(name) => !['secret', 'key', 'apiKey', 'apiBaseUrl', 'username', 'region', 'environment', 'clientId', 'clientSecret'].includes(name),
);
/** Engine code that every vendor shares: it may not name one vendor's credential field. */
const SHARED_FOLDERS = ['n8n/shared/', 'node-red/src/shared/', 'node-red/resources/'];

/** A header name as a value in code or markup (quoted), not in help prose (`<code>X-Signature</code>`). */
const quotedHeader = (name: string) => new RegExp(`['"\`]${escape(name)}['"\`]`, 'i');
/** An authorization header put together in an engine: the scheme followed by an interpolation. */
const builtScheme = (scheme: string) => new RegExp(`${escape(scheme)} (\\$\\{|\\{\\{)`);
/** A credential field read by name: `credentials.x`, `credentials?.x`, `$credentials.x`, `['x']`. */
const readField = (name: string) => new RegExp(`credentials\\??\\.${escape(name)}\\b|\\[['"]${escape(name)}['"]\\]`);

function factsIn(file: string, text: string): string[] {
	const found = [
		...apiUrls.filter((url) => text.includes(url)).map((url) => `API URL ${url}`),
		...headerNames.filter((name) => quotedHeader(name).test(text)).map((name) => `header ${name}`),
		...schemes.filter((scheme) => builtScheme(scheme).test(text)).map((scheme) => `authorization scheme ${scheme}`),
	];
	if (SHARED_FOLDERS.some((folder) => file.startsWith(folder))) found.push(...vendorFieldNames.filter((name) => readField(name).test(text)).map((name) => `credential field ${name}`));
	return found;
}

describe('every vendor fact once: no vendor API URL, header name or credential field in the engine folders', () => {
	it('knows the facts to look for', () => {
		expect(apiUrls.length).toBeGreaterThanOrEqual(5 + 2 + 1);
		expect(schemes).toEqual(['ApiKey']);
		expect(vendorFieldNames).toEqual(expect.arrayContaining(['privateKey', 'certificate', 'previousSecretValidUntil', 'requiredHeaders', 'clientCertificate']));
	});

	it('finds a copied fact where one is written (the check is not blind)', () => {
		expect(factsIn('n8n/x.ts', "baseURL: 'https://api.quicklysign.com/v1/access_tokens'")).toEqual(['API URL https://api.quicklysign.com/v1']);
		expect(factsIn('n8n/x.ts', "headers: { 'X-Legalhooks-Token': token }")).toEqual(['header X-Legalhooks-Token']);
		expect(factsIn('n8n/x.html', '<code>X-Legalhooks-Token</code> header')).toEqual([]);
		expect(factsIn('n8n/x.ts', 'authorization: `ApiKey ${user}:${key}`')).toEqual(['authorization scheme ApiKey']);
		expect(factsIn('node-red/src/shared/x.ts', 'const pem = account.credentials?.certificate;')).toEqual(['credential field certificate']);
	});

	it.each(files)('%s holds no vendor API URL, header name or (shared code) credential field', (file) => {
		expect(factsIn(file, fs.readFileSync(path.join(root, file), 'utf8'))).toEqual([]);
	});
});
