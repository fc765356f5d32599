import { ServiceError, messageFromBody } from '../../outbound/errors';
import type { HttpResponse } from '../../outbound/http';
import { classifyStatus, headerOf, nowOf, parseRetryAfter, type AttemptOutcome, type DeliveryContext, type DeliveryReport } from '../delivery';
import { EventInputError } from '../event-input';
import type { AuthorizationServer } from '../authorization-code';
import { TokenSession, requestToken, sendWithToken, type TokenState } from '../oauth';
import { XERO_DEFAULT_API_URL, XERO_DEFAULT_IDENTITY_URL, XERO_GRANULAR_SCOPES, XERO_LOGIN_URL, XERO_SERVICE, type XeroCredentials, type XeroState } from './types';

/** Xero's sign-in (authorization code + PKCE) for an engine that runs it; `offline_access` gives a refresh token. */
export function xeroAuthorizationServer(settings: { identityUrl?: string; scopes?: string }): AuthorizationServer {
	const identity = (settings.identityUrl || XERO_DEFAULT_IDENTITY_URL).replace(/\/+$/, '');
	const login = identity === XERO_DEFAULT_IDENTITY_URL ? XERO_LOGIN_URL : identity;
	const scopes = (settings.scopes?.trim() || XERO_GRANULAR_SCOPES).split(/\s+/).filter((s) => s !== 'offline_access');
	return { service: XERO_SERVICE, authorizeUrl: `${login}/identity/connect/authorize`, tokenUrl: `${identity}/connect/token`, scope: ['offline_access', ...scopes].join(' '), clientAuth: 'basic' };
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

/** Credential check for the engines' "test" buttons: a token and the organisations it reaches. */
export async function testXeroCredentials(ctx: DeliveryContext, credentials: XeroCredentials): Promise<{ ok: true; organisations: Array<{ tenantId: string; tenantName?: string }> }> {
	const client = new XeroClient(ctx, credentials);
	const organisations = await client.connections();
	if (credentials.tenantId && !organisations.some((o) => o.tenantId === credentials.tenantId)) {
		throw new ServiceError({ service: XERO_SERVICE, action: 'tenant check', serviceMessage: `the tenant id ${credentials.tenantId} is not among the organisations this app can reach`, hint: 'pick one of the connected organisations', retryable: false });
	}
	return { ok: true, organisations: organisations.map((o) => ({ tenantId: o.tenantId, tenantName: o.tenantName })) };
}
