import { createHash } from 'node:crypto';
import type { NormalizedEvent } from '../../event';
import { ServiceError, messageFromBody } from '../../errors';
import type { HttpResponse } from '../../http';
import { classifyStatus, headerOf, nowOf, parseRetryAfter, runWithRetry, type AttemptOutcome, type DeliveryContext, type DeliveryReport } from '../delivery';
import { EventInputError, STATUS_LABELS, VENDOR_LABELS, documentLabel, documentPageUrl, personOf, renderTemplate, stringAt, valueAt } from '../event-input';
import type { AuthorizationServer } from '../authorization-code';
import { TokenSession, requestToken, sendWithToken, type TokenState } from '../oauth';

export const XERO_SERVICE = 'Xero';
export const XERO_DEFAULT_IDENTITY_URL = 'https://identity.xero.com';
export const XERO_DEFAULT_API_URL = 'https://api.xero.com';
export const XERO_LOGIN_URL = 'https://login.xero.com';
/** Apps created from 2 March 2026 get only granular scopes; older apps may use accounting.transactions. */
export const XERO_GRANULAR_SCOPES = 'accounting.invoices accounting.contacts';

/** Xero's sign-in (authorization code + PKCE) for an engine that runs it; `offline_access` gives a refresh token. */
export function xeroAuthorizationServer(settings: { identityUrl?: string; scopes?: string }): AuthorizationServer {
	const identity = (settings.identityUrl || XERO_DEFAULT_IDENTITY_URL).replace(/\/+$/, '');
	const login = identity === XERO_DEFAULT_IDENTITY_URL ? XERO_LOGIN_URL : identity;
	const scopes = (settings.scopes?.trim() || XERO_GRANULAR_SCOPES).split(/\s+/).filter((s) => s !== 'offline_access');
	return { service: XERO_SERVICE, authorizeUrl: `${login}/identity/connect/authorize`, tokenUrl: `${identity}/connect/token`, scope: ['offline_access', ...scopes].join(' '), clientAuth: 'basic' };
}

export interface XeroCredentials {
	/**
	 * `client_credentials`: a Xero Custom Connection; `refresh_token`: a standard app (tokens rotate);
	 * `engine`: the injected HTTP client signs every request and refreshes the token itself (n8n's
	 * OAuth2 credential), so this client sends no Authorization header and never asks for a token.
	 */
	grantType: 'client_credentials' | 'refresh_token' | 'engine';
	clientId?: string;
	clientSecret?: string;
	refreshToken?: string;
	/** Organisation (tenant) id; when empty the only connection of the token is used. */
	tenantId?: string;
	/** Scopes to request with client credentials (space separated); empty = those of the app. */
	scopes?: string;
	identityUrl?: string;
	apiUrl?: string;
}

/** What the engine keeps between calls: the token (incl. a rotated refresh token) and the tenant. */
export interface XeroState {
	token?: TokenState;
	tenantId?: string;
}

export type XeroOperation = 'createInvoice' | 'createBill' | 'addContactNote';

export interface XeroOptions {
	operation: XeroOperation;
	/** Line item account code (e.g. 200 Sales, 400 Advertising); empty leaves it to be set in Xero. */
	accountCode?: string;
	taxType?: string;
	lineAmountTypes?: 'Exclusive' | 'Inclusive' | 'NoTax';
	/** Days from the invoice date to the due date (default 30). */
	dueInDays?: number;
	/** Line item description; `{{path}}` placeholders (default the document title). */
	description?: string;
	/** Currency when the event has no data.currency (empty = the organisation's base currency). */
	defaultCurrency?: string;
	/** addContactNote: the ContactID; when empty the contact is found by data.counterpartyName. */
	contactId?: string;
	/** addContactNote: the note; `{{path}}` placeholders. */
	note?: string;
}

export interface XeroResult {
	destination: 'xero';
	operation: XeroOperation;
	tenantId: string;
	invoiceId?: string;
	invoiceNumber?: string;
	status?: string;
	contactId?: string;
	idempotencyKey: string;
	request: Record<string, unknown>;
	attempts: number;
	waitedMs: number[];
	tokenRefreshed: boolean;
}

/** Idempotency-Key for an event and operation (Xero allows up to 128 characters). */
export function xeroIdempotencyKey(event: NormalizedEvent, operation: XeroOperation): string {
	const key = `legalhooks-${operation}-${event.vendor}-${event.id}`;
	if (key.length <= 128 && /^[\w.:-]+$/.test(key)) return key;
	return `legalhooks-${operation}-${createHash('sha256').update(`${event.vendor}:${event.id}`).digest('hex')}`;
}

function isoDate(value: string | undefined | null): string | undefined {
	if (!value) return undefined;
	const ms = Date.parse(value);
	return Number.isNaN(ms) ? undefined : new Date(ms).toISOString().slice(0, 10);
}

function addDays(date: string, days: number): string {
	return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function missing(field: string, purpose: string, event: NormalizedEvent): EventInputError {
	return new EventInputError(
		`The event has no ${field} (${purpose}), so no Xero ${'draft'} can be made from it. ${VENDOR_LABELS[event.vendor]} event ${event.id} for document ${event.document.id}: map the value into ${field} before this node, or only send executed contracts that carry it.`,
		field,
	);
}

/** Builds the draft invoice/bill from the event; throws EventInputError naming a missing field. */
export function buildXeroInvoice(event: NormalizedEvent, options: XeroOptions): Record<string, unknown> {
	const type = options.operation === 'createBill' ? 'ACCPAY' : 'ACCREC';
	const contactName = stringAt(event, 'data.counterpartyName');
	if (!contactName) throw missing('data.counterpartyName', 'the Xero contact', event);
	const rawValue = valueAt(event, 'data.contractValue');
	if (rawValue === undefined || rawValue === null || rawValue === '') throw missing('data.contractValue', 'the amount', event);
	const amount = typeof rawValue === 'number' ? rawValue : Number(rawValue);
	if (!Number.isFinite(amount) || amount <= 0) {
		throw new EventInputError(`data.contractValue must be a positive amount for a Xero ${type === 'ACCPAY' ? 'bill' : 'invoice'}; the event has ${JSON.stringify(rawValue)}`, 'data.contractValue');
	}
	const currency = stringAt(event, 'data.currency') || options.defaultCurrency?.trim() || undefined;
	if (currency && !/^[A-Za-z]{3}$/.test(currency)) throw new EventInputError(`data.currency "${currency}" is not a 3-letter currency code`, 'data.currency');
	const date = isoDate(stringAt(event, 'data.executedAt')) ?? isoDate(event.occurredAt) ?? (isoDate(event.receivedAt) as string);
	const dueInDays = options.dueInDays ?? 30;
	const lineItem: Record<string, unknown> = {
		Description: (options.description?.trim() ? renderTemplate(options.description, event) : documentLabel(event)).slice(0, 4000) || documentLabel(event),
		Quantity: 1,
		UnitAmount: Math.round(amount * 100) / 100,
	};
	if (options.accountCode?.trim()) lineItem.AccountCode = options.accountCode.trim();
	if (options.taxType?.trim()) lineItem.TaxType = options.taxType.trim();
	const invoice: Record<string, unknown> = {
		Type: type,
		Status: 'DRAFT',
		Contact: { Name: contactName },
		Date: date,
		DueDate: addDays(date, dueInDays),
		LineAmountTypes: options.lineAmountTypes ?? 'Exclusive',
		LineItems: [lineItem],
	};
	// Bills carry the supplier's reference in InvoiceNumber; Reference is for sales invoices.
	if (type === 'ACCPAY') invoice.InvoiceNumber = event.document.id.slice(0, 255);
	else invoice.Reference = event.document.id.slice(0, 255);
	if (currency) invoice.CurrencyCode = currency.toUpperCase();
	const page = documentPageUrl(event);
	if (page) invoice.Url = page;
	return { Invoices: [invoice] };
}

export function buildXeroNote(event: NormalizedEvent, options: XeroOptions): string {
	if (options.note?.trim()) return renderTemplate(options.note, event).slice(0, 2500);
	const who = personOf(event);
	return [
		`${VENDOR_LABELS[event.vendor]}: ${documentLabel(event)} is ${STATUS_LABELS[event.document.status].toLowerCase()}`,
		who ? ` (${who})` : '',
		`. Document ${event.document.id}, event ${event.id}, ${event.occurredAt ?? event.receivedAt}.`,
	]
		.join('')
		.slice(0, 2500);
}

function validationMessages(body: unknown): string[] {
	const messages: string[] = [];
	const visit = (value: unknown): void => {
		if (Array.isArray(value)) value.forEach(visit);
		else if (value && typeof value === 'object') {
			const record = value as Record<string, unknown>;
			if (Array.isArray(record.ValidationErrors)) {
				for (const item of record.ValidationErrors) {
					const message = (item as Record<string, unknown>)?.Message;
					if (typeof message === 'string') messages.push(message);
				}
			}
			for (const key of ['Elements', 'Invoices', 'Contacts', 'HistoryRecords']) if (record[key]) visit(record[key]);
		}
	};
	visit(body);
	return [...new Set(messages)];
}

function hintFor(status: number, body: unknown): string | undefined {
	const text = JSON.stringify(body ?? '');
	if (status === 403) {
		if (/AuthorizationUnsuccessful|scope/i.test(text)) {
			return 'the app lacks a scope this needs (accounting.invoices — or accounting.transactions for apps created before 2 March 2026 — for invoices and bills, accounting.contacts for notes) or is not connected to this organisation';
		}
		return 'the app is not allowed to do this in the organisation';
	}
	if (status === 404) return 'the organisation, contact or endpoint was not found; check the tenant id and the contact id';
	if (status === 400 && /idempotency/i.test(text)) {
		return 'this event was already sent to Xero with different settings or data (same Idempotency-Key); Xero keeps the first request. Undo the first draft in Xero or send the event as a new one';
	}
	if (status === 400) return 'Xero rejected the data; see the validation message';
	if (status === 401) return 'the token was refused after a refresh; check the credential';
	return undefined;
}

export class XeroClient {
	readonly session: TokenSession;
	readonly stats: DeliveryReport = { attempts: 0, waitedMs: [], tokenRefreshed: false };
	tenantId?: string;

	constructor(
		private readonly ctx: DeliveryContext,
		private readonly credentials: XeroCredentials,
		state: XeroState = {},
	) {
		if (credentials.grantType !== 'engine' && (!credentials.clientId || !credentials.clientSecret)) throw new EventInputError('The Xero credential needs a client id and client secret', 'clientId');
		if (credentials.grantType === 'refresh_token' && !credentials.refreshToken && !state.token?.refreshToken) {
			throw new EventInputError('The Xero credential uses the refresh-token grant but has no refresh token', 'refreshToken');
		}
		this.session = new TokenSession(() => this.fetchToken(), state.token, ctx.now, ctx.tokens);
		this.tenantId = credentials.tenantId?.trim() || state.tenantId;
	}

	get state(): XeroState {
		return { token: this.session.state, tenantId: this.tenantId };
	}

	private apiUrl(): string {
		return (this.credentials.apiUrl || XERO_DEFAULT_API_URL).replace(/\/+$/, '');
	}

	private async fetchToken(): Promise<TokenState> {
		const identity = (this.credentials.identityUrl || XERO_DEFAULT_IDENTITY_URL).replace(/\/+$/, '');
		const refreshToken = this.session?.state?.refreshToken ?? this.credentials.refreshToken;
		return requestToken(this.ctx, {
			service: XERO_SERVICE,
			url: `${identity}/connect/token`,
			basicAuth: { username: this.credentials.clientId ?? '', password: this.credentials.clientSecret ?? '' },
			form:
				this.credentials.grantType === 'refresh_token'
					? { grant_type: 'refresh_token', refresh_token: refreshToken }
					: { grant_type: 'client_credentials', scope: this.credentials.scopes?.trim() || undefined },
		});
	}

	/** One Xero API call under the delivery policy (429 honours Retry-After / X-Rate-Limit-Problem; 401 → one refresh). */
	async request<T>(method: 'GET' | 'PUT' | 'POST', path: string, action: string, args: { body?: unknown; qs?: Record<string, string>; idempotencyKey?: string; tenant?: boolean }, ok: (response: HttpResponse) => T): Promise<T> {
		return sendWithToken<T>(this.ctx, {
			service: XERO_SERVICE,
			action,
			// With engine auth the engine signs, and a 401 reaching us already survived its own refresh.
			session: this.credentials.grantType === 'engine' ? undefined : this.session,
			stats: this.stats,
			build: () => {
				const headers: Record<string, string> = { accept: 'application/json' };
				if (args.body !== undefined) headers['content-type'] = 'application/json';
				if (args.tenant !== false && this.tenantId) headers['xero-tenant-id'] = this.tenantId;
				if (args.idempotencyKey) headers['idempotency-key'] = args.idempotencyKey;
				return { method, url: `${this.apiUrl()}${path}`, headers, qs: args.qs, body: args.body };
			},
			classify: (response) => this.classify(response, action, ok),
		});
	}

	private classify<T>(response: HttpResponse, action: string, ok: (response: HttpResponse) => T): AttemptOutcome<T> {
		const validation = validationMessages(response.body);
		const message = validation.length ? validation.join('; ').slice(0, 500) : messageFromBody(response.body);
		if (response.status === 429) {
			// "day", "minute", "appminute", "concurrent" — compared without regard to case.
			const problem = headerOf(response, 'x-rate-limit-problem')?.trim().toLowerCase();
			const error = new ServiceError({
				service: XERO_SERVICE,
				action,
				status: 429,
				serviceMessage: message ?? `rate limit (${problem ?? 'unknown'})`,
				hint: problem === 'day' ? 'the daily API limit of this organisation is used up; it resets within 24 hours' : `rate limited (${problem ?? 'limit'})`,
			});
			if (problem === 'day') return { kind: 'fail', error };
			return { kind: 'retry', error, retryAfterMs: parseRetryAfter(headerOf(response, 'retry-after'), nowOf(this.ctx)) };
		}
		return classifyStatus(response, { service: XERO_SERVICE, action, now: nowOf(this.ctx), message, hint: response.status >= 300 ? hintFor(response.status, response.body) : undefined, ok });
	}

	/** Lists the organisations the token can reach (GET /connections). */
	async connections(): Promise<Array<{ tenantId: string; tenantName?: string; tenantType?: string }>> {
		return this.request('GET', '/connections', 'list connections', { tenant: false }, (res) =>
			Array.isArray(res.body) ? (res.body as Array<{ tenantId: string; tenantName?: string; tenantType?: string }>) : [],
		);
	}

	/** The tenant to use: the configured one, else the only organisation of the token. */
	async resolveTenant(): Promise<string> {
		if (this.tenantId) return this.tenantId;
		const orgs = (await this.connections()).filter((c) => !c.tenantType || c.tenantType === 'ORGANISATION');
		if (orgs.length === 1) {
			this.tenantId = orgs[0].tenantId;
			return this.tenantId;
		}
		throw new EventInputError(
			orgs.length === 0
				? 'The Xero token is connected to no organisation; connect the app to one'
				: `The Xero token reaches ${orgs.length} organisations (${orgs.map((o) => `${o.tenantName ?? '?'}: ${o.tenantId}`).join(', ')}); set the tenant id in the credential`,
			'tenantId',
		);
	}
}

function result(client: XeroClient, operation: XeroOperation, idempotencyKey: string, request: Record<string, unknown>, extra: Partial<XeroResult>): XeroResult {
	return {
		destination: 'xero',
		operation,
		tenantId: client.tenantId ?? '',
		idempotencyKey,
		request,
		attempts: client.stats.attempts,
		waitedMs: client.stats.waitedMs,
		tokenRefreshed: client.stats.tokenRefreshed,
		...extra,
	};
}

function quoteWhere(value: string): string {
	return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Creates a draft invoice/bill (PUT /Invoices with an Idempotency-Key from the event id) or adds a
 * History note to a contact. Missing event fields are refused before anything is sent.
 * Returns the new state (token incl. a rotated refresh token, tenant) for the engine to keep.
 */
export async function sendToXero(ctx: DeliveryContext, credentials: XeroCredentials, event: NormalizedEvent, options: XeroOptions, state: XeroState = {}): Promise<{ result: XeroResult; state: XeroState }> {
	const idempotencyKey = xeroIdempotencyKey(event, options.operation);
	if (options.operation === 'createInvoice' || options.operation === 'createBill') {
		const body = buildXeroInvoice(event, options);
		const client = new XeroClient(ctx, credentials, state);
		await client.resolveTenant();
		const invoice = await client.request('PUT', '/api.xro/2.0/Invoices', options.operation === 'createBill' ? 'create draft bill' : 'create draft invoice', { body, idempotencyKey }, (res) => {
			const invoices = (res.body as Record<string, unknown> | undefined)?.Invoices;
			return (Array.isArray(invoices) ? invoices[0] : {}) as Record<string, unknown>;
		});
		const contact = invoice.Contact as Record<string, unknown> | undefined;
		return {
			result: result(client, options.operation, idempotencyKey, body, {
				invoiceId: invoice.InvoiceID as string | undefined,
				invoiceNumber: invoice.InvoiceNumber as string | undefined,
				status: invoice.Status as string | undefined,
				contactId: contact?.ContactID as string | undefined,
			}),
			state: client.state,
		};
	}
	if (options.operation === 'addContactNote') {
		const details = buildXeroNote(event, options);
		let contactId = options.contactId?.trim();
		const contactName = stringAt(event, 'data.counterpartyName');
		if (!contactId && !contactName) throw missing('data.counterpartyName', 'the contact to add the note to; or set the Contact ID', event);
		const client = new XeroClient(ctx, credentials, state);
		await client.resolveTenant();
		if (!contactId) {
			const found = await client.request('GET', '/api.xro/2.0/Contacts', 'find contact', { qs: { where: `Name==${quoteWhere(contactName as string)}` } }, (res) => {
				const contacts = (res.body as Record<string, unknown> | undefined)?.Contacts;
				return Array.isArray(contacts) ? (contacts as Array<Record<string, unknown>>) : [];
			});
			if (found.length === 0) {
				throw new ServiceError({ service: XERO_SERVICE, action: 'find contact', serviceMessage: `no contact named "${contactName}"`, hint: 'create the contact in Xero or set the Contact ID', retryable: false });
			}
			contactId = found[0].ContactID as string;
		}
		const body = { HistoryRecords: [{ Details: details }] };
		await client.request('PUT', `/api.xro/2.0/Contacts/${encodeURIComponent(contactId)}/History`, 'add contact note', { body, idempotencyKey }, () => undefined);
		return { result: result(client, options.operation, idempotencyKey, body, { contactId }), state: client.state };
	}
	throw new EventInputError(`Unknown Xero operation "${String(options.operation)}"`, 'operation');
}

/** Credential check for the engines' "test" buttons: a token and the organisations it reaches. */
export async function testXeroCredentials(ctx: DeliveryContext, credentials: XeroCredentials): Promise<{ ok: true; organisations: Array<{ tenantId: string; tenantName?: string }> }> {
	const client = new XeroClient(ctx, credentials);
	const organisations = await client.connections();
	if (credentials.tenantId && !organisations.some((o) => o.tenantId === credentials.tenantId)) {
		throw new ServiceError({ service: XERO_SERVICE, action: 'tenant check', serviceMessage: `the tenant id ${credentials.tenantId} is not among the organisations this app can reach`, hint: 'pick one of the connected organisations', retryable: false });
	}
	return { ok: true, organisations: organisations.map((o) => ({ tenantId: o.tenantId, tenantName: o.tenantName })) };
}
