import { createHash } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { listen } from './server';
import { DestinationFaults, bearer, type RecordedRequest } from './destination-faults';

/**
 * Xero simulator: identity token endpoint (client_credentials for Custom Connections, and
 * refresh_token with rotation), GET /connections, and the Accounting API under /api.xro/2.0:
 * Invoices (PUT/POST, Idempotency-Key replay), Contacts (where Name==), Contact History.
 * Responses carry X-MinLimit-Remaining / X-DayLimit-Remaining; rate-limit faults add
 * X-Rate-Limit-Problem and Retry-After.
 */
export interface XeroSimInvoice {
	InvoiceID: string;
	InvoiceNumber?: string;
	Type: string;
	Status: string;
	Contact: { ContactID: string; Name: string };
	Reference?: string;
	CurrencyCode: string;
	Date?: string;
	DueDate?: string;
	LineAmountTypes?: string;
	LineItems: Array<Record<string, unknown>>;
	Total: number;
	Url?: string;
}

export interface XeroSimState {
	clients: Map<string, string>;
	refreshTokens: Set<string>;
	accessTokens: Set<string>;
	tokensIssued: Array<{ grantType: string; accessToken: string; refreshToken?: string }>;
	tenants: Array<{ tenantId: string; tenantName: string }>;
	contacts: Array<{ ContactID: string; Name: string; tenantId: string }>;
	invoices: Array<XeroSimInvoice & { tenantId: string }>;
	history: Array<{ contactId: string; Details: string }>;
	/**
	 * The app's creation date: Xero gives apps created on or after 2 March 2026 only granular scopes
	 * (accounting.invoices, accounting.payments, …) and refuses accounting.transactions to them
	 * (developer.xero.com/documentation/guides/oauth2/scopes, "granular scopes").
	 */
	appCreated: string;
	/** Authorization codes issued by the sign-in page and not yet exchanged. */
	codes: Map<string, { clientId: string; redirectUri: string; scope: string; challenge?: string }>;
	/**
	 * How long Xero remembers an Idempotency-Key: a repeat within the window gets the first answer,
	 * after it the request runs again; a key reused with a different body is refused
	 * (developer.xero.com/documentation/guides/idempotent-requests/idempotency). Configurable here;
	 * `clockMs` is the simulator's clock offset (advance it to pass the window).
	 */
	idempotencyWindowMs: number;
	clockMs: number;
	/** Every Idempotency-Key received, in order (replays included). */
	idempotencyKeys: string[];
	requests: RecordedRequest[];
}

export interface XeroSimulator {
	url: string;
	identityUrl: string;
	apiUrl: string;
	close(): Promise<void>;
	state: XeroSimState;
	faults: DestinationFaults & { expireTokens(): void; rateLimit429(problem?: string, retryAfter?: string, times?: number): void };
	/** Accounting API requests (not token, not connections). */
	apiRequests(): RecordedRequest[];
}

export const XERO_SIM_CLIENT_ID = 'SIMXEROCLIENTID';
export const XERO_SIM_CLIENT_SECRET = 'sim-xero-client-secret';
export const XERO_SIM_REFRESH_TOKEN = 'sim-xero-refresh-0';
export const XERO_SIM_TENANT_ID = '6f2a1c0e-0000-4000-8000-00000000a001';

function validation(res: Response, messages: string[]) {
	return res.status(400).json({
		ErrorNumber: 10,
		Type: 'ValidationException',
		Message: 'A validation exception occurred',
		Elements: [{ ValidationErrors: messages.map((Message) => ({ Message })) }],
	});
}

export async function start(): Promise<XeroSimulator> {
	const state: XeroSimState = {
		clients: new Map([[XERO_SIM_CLIENT_ID, XERO_SIM_CLIENT_SECRET]]),
		refreshTokens: new Set([XERO_SIM_REFRESH_TOKEN]),
		accessTokens: new Set(),
		tokensIssued: [],
		tenants: [{ tenantId: XERO_SIM_TENANT_ID, tenantName: 'Demo Company (AU)' }],
		contacts: [],
		invoices: [],
		history: [],
		appCreated: '2026-04-01',
		idempotencyWindowMs: 24 * 60 * 60 * 1000,
		clockMs: 0,
		codes: new Map(),
		idempotencyKeys: [],
		requests: [],
	};
	let counter = 0;
	const uuid = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;
	const replay = new Map<string, { status: number; body: unknown; request: string; at: number }>();
	const now = () => Date.now() + state.clockMs;
	const isToken = (path: string) => path.startsWith('/connect/');
	const faults = Object.assign(new DestinationFaults(isToken), {
		expireTokens() {
			state.accessTokens.clear();
		},
		rateLimit429(problem: string = 'minute', retryAfter = '1', times = 1) {
			faults.rateLimit({ times, retryAfter, headers: { 'X-Rate-Limit-Problem': problem, 'X-MinLimit-Remaining': '0' }, body: { Title: 'Too Many Requests', Status: 429, Detail: `Rate limit exceeded (${problem})` } });
		},
	});

	const app = express();
	app.use(express.json({ limit: '1mb' }));
	app.use(express.urlencoded({ extended: false }));
	app.use((_req, res, next) => {
		res.set({ 'X-MinLimit-Remaining': '59', 'X-DayLimit-Remaining': '4999', 'X-AppMinLimit-Remaining': '9999' });
		next();
	});
	app.use(faults.middleware(state.requests));

	// The sign-in page (login.xero.com/identity/connect/authorize): the user signs in, consents and is
	// sent back with a code. Broad scopes are refused to apps created from 2 March 2026.
	app.get('/identity/connect/authorize', (req, res) => {
		const q = req.query as Record<string, string>;
		if (!q.client_id || !state.clients.has(q.client_id)) return res.status(400).send('unauthorized_client');
		const back = new URL(q.redirect_uri);
		if (q.state) back.searchParams.set('state', q.state);
		const scopes = String(q.scope ?? '').split(' ').filter(Boolean);
		if (q.response_type !== 'code') back.searchParams.set('error', 'unsupported_response_type');
		else if (state.appCreated >= '2026-03-02' && scopes.includes('accounting.transactions')) back.searchParams.set('error', 'invalid_scope');
		else {
			const code = `sim-xero-code-${++counter}`;
			state.codes.set(code, { clientId: q.client_id, redirectUri: q.redirect_uri, scope: scopes.join(' '), challenge: q.code_challenge });
			back.searchParams.set('code', code);
		}
		return res.redirect(302, back.toString());
	});

	app.post('/connect/token', (req, res) => {
		const header = req.headers.authorization ?? '';
		const [id, secret] = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8').split(':') : [];
		if (!id || state.clients.get(id) !== secret) return res.status(400).json({ error: 'invalid_client' });
		const body = req.body as Record<string, string>;
		let refreshToken: string | undefined;
		let scope = body.scope ?? 'accounting.invoices accounting.contacts';
		if (body.grant_type === 'authorization_code') {
			const code = state.codes.get(body.code);
			state.codes.delete(body.code); // single use
			if (!code || code.clientId !== id || code.redirectUri !== body.redirect_uri) return res.status(400).json({ error: 'invalid_grant' });
			if (code.challenge && createHash('sha256').update(String(body.code_verifier ?? '')).digest('base64url') !== code.challenge) return res.status(400).json({ error: 'invalid_grant' });
			scope = code.scope;
			if (code.scope.split(' ').includes('offline_access')) {
				refreshToken = `sim-xero-refresh-${++counter}`;
				state.refreshTokens.add(refreshToken);
			}
		} else if (body.grant_type === 'refresh_token') {
			if (!state.refreshTokens.has(body.refresh_token)) return res.status(400).json({ error: 'invalid_grant' });
			// Xero rotates refresh tokens: each refresh returns a new one and the old one is spent
			// (developer.xero.com/documentation/guides/oauth2/auth-flow, "Refreshing access tokens").
			state.refreshTokens.delete(body.refresh_token);
			refreshToken = `sim-xero-refresh-${++counter}`;
			state.refreshTokens.add(refreshToken);
		} else if (body.grant_type !== 'client_credentials') {
			return res.status(400).json({ error: 'unsupported_grant_type' });
		}
		const accessToken = `sim-xero-access-${++counter}`;
		state.accessTokens.add(accessToken);
		state.tokensIssued.push({ grantType: body.grant_type, accessToken, refreshToken });
		return res.json({ access_token: accessToken, expires_in: 1800, token_type: 'Bearer', ...(refreshToken ? { refresh_token: refreshToken } : {}), scope });
	});

	const unauthorized = (res: Response) => res.status(401).json({ Type: null, Title: 'Unauthorized', Status: 401, Detail: 'TokenExpired: token expired at 01/01/2030 00:00:00' });

	app.get('/connections', (req, res) => {
		const token = bearer(req);
		if (!token || !state.accessTokens.has(token)) return unauthorized(res);
		return res.json(state.tenants.map((t, i) => ({ id: `conn-${i}`, authEventId: `auth-${i}`, tenantId: t.tenantId, tenantType: 'ORGANISATION', tenantName: t.tenantName, createdDateUtc: '2024-01-01T00:00:00', updatedDateUtc: '2024-01-01T00:00:00' })));
	});

	const api = express.Router();
	api.use((req, res, next) => {
		const token = bearer(req);
		if (!token || !state.accessTokens.has(token)) return unauthorized(res);
		const tenant = req.headers['xero-tenant-id'];
		if (!state.tenants.some((t) => t.tenantId === tenant)) return res.status(403).json({ Type: null, Title: 'Forbidden', Status: 403, Detail: 'AuthenticationUnsuccessful' });
		const key = req.headers['idempotency-key'];
		if (typeof key === 'string' && req.method !== 'GET') {
			state.idempotencyKeys.push(key);
			const request = `${req.method} ${req.path} ${JSON.stringify(req.body ?? null)}`;
			const seen = replay.get(`${tenant}:${key}`);
			if (seen && now() - seen.at <= state.idempotencyWindowMs) {
				if (seen.request !== request) {
					return res.status(400).json({ Type: 'IdempotencyException', Title: 'Bad Request', Status: 400, Detail: 'The Idempotency-Key has already been used with a different request' });
				}
				return res.status(seen.status).json(seen.body);
			}
			const json = res.json.bind(res);
			res.json = ((body: unknown) => {
				if (res.statusCode < 500) replay.set(`${tenant}:${key}`, { status: res.statusCode, body, request, at: now() });
				return json(body);
			}) as typeof res.json;
		}
		return next();
	});

	const putInvoices = (req: Request, res: Response) => {
		const tenantId = String(req.headers['xero-tenant-id']);
		const input = (req.body as { Invoices?: Array<Record<string, unknown>> }).Invoices;
		if (!Array.isArray(input) || input.length === 0) return validation(res, ['No invoices were provided']);
		const created: XeroSimInvoice[] = [];
		for (const raw of input) {
			const messages: string[] = [];
			if (raw.Type !== 'ACCREC' && raw.Type !== 'ACCPAY') messages.push('Invoice Type must be ACCREC or ACCPAY');
			const contactIn = (raw.Contact ?? {}) as Record<string, string>;
			if (!contactIn.Name && !contactIn.ContactID) messages.push('A Contact must be specified for this type of transaction');
			const lines = Array.isArray(raw.LineItems) ? (raw.LineItems as Array<Record<string, unknown>>) : [];
			if (lines.length === 0) messages.push('At least one line item is required');
			for (const line of lines) if (typeof line.UnitAmount !== 'number') messages.push('Line item UnitAmount must be a number');
			if (raw.CurrencyCode !== undefined && !/^[A-Z]{3}$/.test(String(raw.CurrencyCode))) messages.push(`The currency code ${String(raw.CurrencyCode)} is not valid`);
			if (messages.length) return validation(res, messages);
			let contact = state.contacts.find((c) => c.tenantId === tenantId && (c.ContactID === contactIn.ContactID || c.Name === contactIn.Name));
			if (!contact) {
				contact = { ContactID: uuid(), Name: contactIn.Name, tenantId };
				state.contacts.push(contact);
			}
			const total = lines.reduce((sum, l) => sum + Number(l.UnitAmount) * Number(l.Quantity ?? 1), 0);
			const invoice: XeroSimInvoice & { tenantId: string } = {
				InvoiceID: uuid(),
				InvoiceNumber: raw.Type === 'ACCREC' ? `INV-${String(state.invoices.length + 1).padStart(4, '0')}` : (raw.InvoiceNumber as string | undefined),
				Type: String(raw.Type),
				Status: String(raw.Status ?? 'DRAFT'),
				Contact: { ContactID: contact.ContactID, Name: contact.Name },
				Reference: raw.Reference as string | undefined,
				CurrencyCode: String(raw.CurrencyCode ?? 'AUD'),
				Date: raw.Date as string | undefined,
				DueDate: raw.DueDate as string | undefined,
				LineAmountTypes: raw.LineAmountTypes as string | undefined,
				LineItems: lines,
				Total: total,
				Url: raw.Url as string | undefined,
				tenantId,
			};
			state.invoices.push(invoice);
			const { tenantId: _t, ...view } = invoice;
			created.push(view);
		}
		return res.json({ Id: uuid(), Status: 'OK', ProviderName: 'legalhooks', DateTimeUTC: '/Date(1700000000000)/', Invoices: created });
	};
	api.put('/Invoices', putInvoices);
	api.post('/Invoices', putInvoices);

	api.get('/Contacts', (req, res) => {
		const tenantId = String(req.headers['xero-tenant-id']);
		const where = String(req.query.where ?? '');
		const match = /^Name=="((?:[^"\\]|\\.)*)"$/.exec(where);
		const contacts = state.contacts.filter((c) => c.tenantId === tenantId && (!where || (match && c.Name === match[1].replace(/\\(.)/g, '$1'))));
		res.json({ Contacts: contacts.map(({ tenantId: _t, ...c }) => ({ ...c, ContactStatus: 'ACTIVE' })) });
	});

	api.put('/Contacts/:id/History', (req, res) => {
		const contact = state.contacts.find((c) => c.ContactID === req.params.id);
		if (!contact) return res.status(404).json({ Title: 'Not Found', Status: 404, Detail: 'The resource you are looking for cannot be found' });
		const records = (req.body as { HistoryRecords?: Array<{ Details?: string }> }).HistoryRecords;
		if (!Array.isArray(records) || records.length === 0 || !records.every((r) => typeof r.Details === 'string' && r.Details)) return validation(res, ['HistoryRecords need Details']);
		for (const r of records) state.history.push({ contactId: contact.ContactID, Details: r.Details as string });
		return res.json({ HistoryRecords: records.map((r) => ({ Details: r.Details, DateUTC: '/Date(1700000000000)/' })) });
	});

	app.use('/api.xro/2.0', api);

	const running = await listen(app);
	return {
		url: running.url,
		identityUrl: running.url,
		apiUrl: running.url,
		close: running.close,
		state,
		faults,
		apiRequests: () => state.requests.filter((r) => r.path.startsWith('/api.xro/')),
	};
}

/** Adds a contact to the simulated organisation (for note tests). */
export function seedContact(sim: XeroSimulator, name: string): string {
	const ContactID = `c0000000-0000-4000-8000-${String(sim.state.contacts.length + 1).padStart(12, '0')}`;
	sim.state.contacts.push({ ContactID, Name: name, tenantId: sim.state.tenants[0].tenantId });
	return ContactID;
}
