import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { startNodeRed, type NodeRedProcess } from '../node-red/runtime';

/**
 * Issue 20: every admin route the Node-RED package adds, called on a real Node-RED with `adminAuth`
 * (admin and node roots both `/`, as by default) by an admin (`*`), a read-only user (`read`), a
 * user who may also edit Xero accounts (`read` + `legalhooks-xero-account.write`) and a request
 * without a token. Each answer is asserted, the table must cover every `RED.httpAdmin` route in
 * node-red/src, and docs/security.md must show this same table.
 */
const root = path.resolve(__dirname, '..', '..');
const PASSWORD = 'matrix-password-0123';
/** bcrypt of PASSWORD, as settings.js holds it (`node-red admin hash-pw`). */
const PASSWORD_HASH = '$2b$08$pMwZ/.qk5W8d.Y85TQGv.OS3pS1qBWgLpNCLrApUTAQhZsIIGVo4W';
const USERS = {
	admin: '*',
	reader: 'read',
	xeroEditor: ['read', 'legalhooks-xero-account.write'],
} as const;
type Caller = keyof typeof USERS | 'anonymous';
const CALLERS: Caller[] = ['admin', 'reader', 'xeroEditor', 'anonymous'];

interface Row {
	/** How the route is written in node-red/src (method and path expression), to check the table is complete. */
	source: string;
	method: 'GET' | 'POST';
	path: string;
	body?: unknown;
	permission: string;
	expect: Record<Caller, number>;
	note?: string;
}

let closedUrl = '';
const typed = (extra: Record<string, unknown> = {}) => ({ id: '', settings: { ...extra }, credentials: {} as Record<string, unknown> });
const redirect = (destination: string) => `http://127.0.0.1:1880/legalhooks/${destination}/auth/callback`;

/** Filled once the closed URL is known (the services all point at a port nothing listens on). */
function rows(): Row[] {
	const write = (admin: number, xeroEditor = 401) => ({ admin, reader: 401, xeroEditor, anonymous: 401 });
	const accountTest = (type: string): Row => ({
		source: 'post /${spec.type}/test',
		method: 'POST',
		path: `/${type}/test`,
		body: { id: '', credentials: { apiKey: 'k', apiBaseUrl: closedUrl } },
		permission: `${type}.write`,
		expect: write(200),
	});
	const registrations = (vendor: string): Row[] => [
		{ source: 'get base', method: 'GET', path: `/legalhooks/${vendor}/registrations`, permission: 'flows.read', expect: { admin: 200, reader: 200, xeroEditor: 200, anonymous: 401 } },
		{ source: 'post ${base}/retry', method: 'POST', path: `/legalhooks/${vendor}/registrations/retry`, permission: 'flows.write', expect: write(200) },
	];
	return [
		accountTest('legalhooks-legito-account'),
		accountTest('legalhooks-legalesign-account'),
		accountTest('legalhooks-quicklysign-account'),
		{ source: 'get /${spec.type}/missing', method: 'GET', path: '/legalhooks-legito-account/missing', permission: 'legalhooks-legito-account.read', expect: { admin: 200, reader: 200, xeroEditor: 200, anonymous: 401 }, note: 'deployed accounts with an empty required field, no values' },
		{ source: 'get /${type}/:id/deliveries', method: 'GET', path: '/legalhooks-plexus-trigger/no-such-node/deliveries', permission: 'legalhooks-plexus-trigger.read', expect: { admin: 404, reader: 404, xeroEditor: 404, anonymous: 401 }, note: 'recent deliveries of a deployed trigger, no bodies or secrets' },
		{ source: 'get /legalhooks/${vendor.id}/registrations/:node/sample-command', method: 'GET', path: '/legalhooks/legito/registrations/no-such-node/sample-command', permission: 'flows.write', expect: write(200), note: 'the CLI command with the registration token' },
		...registrations('legito'),
		...registrations('legalesign'),
		...registrations('quicklysign'),
		{
			source: 'post /legalhooks/${spec.destination}/test',
			method: 'POST',
			path: '/legalhooks/slack/test',
			body: { ...typed({ connection: 'botToken', baseUrl: closedUrl }), credentials: { botToken: 'xoxb-typed' } },
			permission: 'legalhooks-slack-account.write',
			expect: write(200),
		},
		{
			source: 'post /legalhooks/${spec.destination}/test',
			method: 'POST',
			path: '/legalhooks/salesforce/test',
			body: { ...typed({ grantType: 'client_credentials', loginUrl: closedUrl }), credentials: { clientId: 'c', clientSecret: 's' } },
			permission: 'legalhooks-salesforce-account.write',
			expect: write(200),
		},
		{
			source: 'post /legalhooks/${spec.destination}/test',
			method: 'POST',
			path: '/legalhooks/xero/test',
			body: { ...typed({ grantType: 'client_credentials', identityUrl: closedUrl, apiUrl: closedUrl }), credentials: { clientId: 'c', clientSecret: 's' } },
			permission: 'legalhooks-xero-account.write',
			expect: write(200, 200),
		},
		{ source: 'get /legalhooks/${spec.path}', method: 'GET', path: '/legalhooks/slack/channels?account=slack-acct', permission: 'legalhooks-slack.write', expect: write(200) },
		{ source: 'get /legalhooks/${spec.path}', method: 'GET', path: '/legalhooks/salesforce/objects?account=sf-acct', permission: 'legalhooks-salesforce.write', expect: write(200) },
		{ source: 'get /legalhooks/${spec.path}', method: 'GET', path: '/legalhooks/salesforce/external-id-fields?account=sf-acct', permission: 'legalhooks-salesforce.write', expect: write(200) },
		{ source: 'get /legalhooks/${spec.path}', method: 'GET', path: '/legalhooks/xero/organisations?account=xero-acct', permission: 'legalhooks-xero-account.write', expect: write(200, 200) },
		{
			source: 'post ${base}/start',
			method: 'POST',
			path: '/legalhooks/xero/auth/start',
			body: { ...typed({ identityUrl: closedUrl }), credentials: { clientId: 'c', clientSecret: 'typed-secret' }, redirectUri: redirect('xero') },
			permission: 'legalhooks-xero-account.write',
			expect: write(200, 200),
		},
		{
			source: 'post ${base}/start',
			method: 'POST',
			path: '/legalhooks/xero/auth/start',
			body: { id: 'sf-acct', settings: { identityUrl: closedUrl }, credentials: { clientId: 'sf-client', clientSecret: '__PWRD__' }, redirectUri: redirect('xero') },
			permission: 'legalhooks-xero-account.write',
			expect: write(400, 400),
			note: "the Salesforce account's id: its secret is not lent",
		},
		{
			source: 'post ${base}/start',
			method: 'POST',
			path: '/legalhooks/xero/auth/start',
			body: { id: 'xero-acct', settings: { identityUrl: closedUrl.replace('127.0.0.1', 'localhost') }, credentials: { clientId: 'xero-client', clientSecret: '__PWRD__' }, redirectUri: redirect('xero') },
			permission: 'legalhooks-xero-account.write',
			expect: write(400, 400),
			note: "the Xero account's id with another identity URL: its secret is not lent",
		},
		{
			source: 'post ${base}/start',
			method: 'POST',
			path: '/legalhooks/salesforce/auth/start',
			body: { ...typed({ loginUrl: closedUrl }), credentials: { clientId: 'c', clientSecret: 'typed-secret' }, redirectUri: redirect('salesforce') },
			permission: 'legalhooks-salesforce-account.write',
			expect: write(200),
		},
		{ source: 'get ${base}/result', method: 'GET', path: '/legalhooks/xero/auth/result?state=unknown', permission: 'legalhooks-xero-account.write', expect: write(404, 404) },
		{ source: 'get ${base}/result', method: 'GET', path: '/legalhooks/salesforce/auth/result?state=unknown', permission: 'legalhooks-salesforce-account.write', expect: write(404) },
		{
			source: 'get ${base}/callback',
			method: 'GET',
			path: '/legalhooks/xero/auth/callback?state=unknown&code=x',
			permission: 'none (a redirect from the service; only a started state is accepted, once)',
			expect: { admin: 400, reader: 400, xeroEditor: 400, anonymous: 400 },
		},
		{
			source: 'get ${base}/callback',
			method: 'GET',
			path: '/legalhooks/salesforce/auth/callback?state=unknown&code=x',
			permission: 'none (a redirect from the service; only a started state is accepted, once)',
			expect: { admin: 400, reader: 400, xeroEditor: 400, anonymous: 400 },
		},
	];
}

/** The admin routes written in node-red/src: `get /path-expression` for each `RED.httpAdmin.<method>(`. */
function routesInSource(): Set<string> {
	const found = new Set<string>();
	const walk = (dir: string) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			const file = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(file);
			else if (file.endsWith('.ts')) {
				for (const m of fs.readFileSync(file, 'utf8').matchAll(/RED\.httpAdmin\.(get|post|put|delete|patch|use)\(\s*([^,]+),/g)) {
					found.add(`${m[1]} ${m[2].replace(/^[`'"]|[`'"]$/g, '')}`);
				}
			}
		}
	};
	walk(path.join(root, 'node-red', 'src'));
	return found;
}

function closedPort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

/** The table as docs/security.md shows it. */
function markdownLines(table: Row[]): string[] {
	return table.map((row) => {
		const target = row.path.replace(/\?.*$/, '');
		return `| ${row.method} \`${target}\`${row.note ? ` (${row.note})` : ''} | ${row.permission.includes(' ') ? row.permission : `\`${row.permission}\``} | ${CALLERS.map((c) => row.expect[c]).join(' | ')} |`;
	});
}

let red: NodeRedProcess;
const tokens: Partial<Record<Caller, string>> = {};

beforeAll(async () => {
	closedUrl = `http://127.0.0.1:${await closedPort()}`;
	red = await startNodeRed({
		modules: ['legalhooks-legito', 'legalhooks-legalesign', 'legalhooks-quicklysign', 'legalhooks-phenixid', 'legalhooks-plexus', 'legalhooks-slack', 'legalhooks-salesforce', 'legalhooks-xero'],
		flows: [
			{ id: 'slack-acct', type: 'legalhooks-slack-account', connection: 'botToken', baseUrl: closedUrl },
			{ id: 'sf-acct', type: 'legalhooks-salesforce-account', grantType: 'client_credentials', loginUrl: closedUrl, apiVersion: '60.0' },
			{ id: 'xero-acct', type: 'legalhooks-xero-account', grantType: 'client_credentials', identityUrl: closedUrl, apiUrl: closedUrl },
		],
		credentials: {
			'slack-acct': { botToken: 'xoxb-deployed-slack-token' },
			'sf-acct': { clientId: 'sf-client', clientSecret: 'deployed-salesforce-secret' },
			'xero-acct': { clientId: 'xero-client', clientSecret: 'deployed-xero-secret' },
		},
		settings: {
			adminAuth: { type: 'credentials', users: Object.entries(USERS).map(([username, permissions]) => ({ username, password: PASSWORD_HASH, permissions })) },
		},
	});
	for (const [username, permissions] of Object.entries(USERS)) {
		const response = await fetch(`${red.base}/auth/token`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ client_id: 'node-red-admin', grant_type: 'password', scope: ([] as string[]).concat(permissions).join(' '), username, password: PASSWORD }),
		});
		if (!response.ok) throw new Error(`no token for ${username}: ${response.status} ${await response.text()}`);
		tokens[username as Caller] = ((await response.json()) as { access_token: string }).access_token;
	}
}, 120_000);

afterAll(async () => {
	await red?.stop();
});

async function call(row: Row, caller: Caller): Promise<{ status: number; type: string; text: string }> {
	const headers: Record<string, string> = {};
	if (caller !== 'anonymous') headers.authorization = `Bearer ${tokens[caller]}`;
	if (row.body !== undefined) headers['content-type'] = 'application/json';
	const response = await fetch(`${red.base}${row.path}`, { method: row.method, headers, body: row.body === undefined ? undefined : JSON.stringify(row.body) });
	return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

describe('Node-RED admin routes under adminAuth: who may call what', () => {
	it('the table covers every RED.httpAdmin route in node-red/src', () => {
		expect([...new Set(rows().map((r) => r.source))].sort()).toEqual([...routesInSource()].sort());
	});

	it('each caller gets the expected answer from each route; nothing answered lends a deployed secret', async () => {
		const table = rows();
		const got: string[] = [];
		const want: string[] = [];
		for (const row of table) {
			for (const caller of CALLERS) {
				const answer = await call(row, caller);
				got.push(`${row.method} ${row.path}${row.note ? ` (${row.note})` : ''} as ${caller}: ${answer.status}`);
				want.push(`${row.method} ${row.path}${row.note ? ` (${row.note})` : ''} as ${caller}: ${row.expect[caller]}`);
				if (answer.status !== 401 && !row.path.includes('/auth/callback')) expect(answer.type).toMatch(/^application\/json/);
				for (const secret of ['xoxb-deployed-slack-token', 'deployed-salesforce-secret', 'deployed-xero-secret']) expect(answer.text).not.toContain(secret);
			}
		}
		expect(got).toEqual(want);
		expect(red.running()).toBe(true);
	});

	it('docs/security.md shows this table', () => {
		const page = fs.readFileSync(path.join(root, 'docs', 'security.md'), 'utf8');
		const missing = markdownLines(rows()).filter((line) => !page.includes(line.replace(closedUrl, '')));
		expect(missing).toEqual([]);
	});
});
