import { ServiceError } from '../../outbound/errors';
import type { HttpResponse } from '../../outbound/http';
import { classifyStatus, headerOf, nowOf, type AttemptOutcome, type DeliveryContext, type DeliveryReport } from '../delivery';
import { EventInputError } from '../event-input';
import type { AuthorizationServer } from '../authorization-code';
import { TokenSession, requestToken, sendWithToken, type TokenState } from '../oauth';
import { SALESFORCE_DEFAULT_API_VERSION, SALESFORCE_DEFAULT_LOGIN_URL, SALESFORCE_SERVICE, type SalesforceCredentials } from './types';

/** Salesforce's web server flow (authorization code + PKCE) for an engine that runs it. */
export function salesforceAuthorizationServer(settings: { loginUrl?: string }): AuthorizationServer {
	const login = (settings.loginUrl || SALESFORCE_DEFAULT_LOGIN_URL).replace(/\/+$/, '');
	return { service: SALESFORCE_SERVICE, authorizeUrl: `${login}/services/oauth2/authorize`, tokenUrl: `${login}/services/oauth2/token`, scope: 'api refresh_token', clientAuth: 'body' };
}

interface SalesforceErrorItem {
	message?: string;
	errorCode?: string;
	fields?: string[];
}

function errorItems(body: unknown): SalesforceErrorItem[] {
	if (Array.isArray(body)) return body.filter((item) => item && typeof item === 'object') as SalesforceErrorItem[];
	if (body && typeof body === 'object') {
		const record = body as Record<string, unknown>;
		if (Array.isArray(record.errors)) return errorItems(record.errors);
		if (typeof record.message === 'string') return [record as SalesforceErrorItem];
	}
	return [];
}

function isConcurrentLimit(items: SalesforceErrorItem[]): boolean {
	return items.some((item) => /concurrent/i.test(item.message ?? ''));
}

function hintFor(status: number, items: SalesforceErrorItem[], response: HttpResponse): string {
	const code = items[0]?.errorCode;
	const fields = items.flatMap((item) => item.fields ?? []);
	if (code === 'REQUEST_LIMIT_EXCEEDED') {
		const usage = headerOf(response, 'sforce-limit-info');
		return `the org's API request limit is reached${usage ? ` (${usage})` : ''}; it resets over 24 hours`;
	}
	if (code === 'INSUFFICIENT_ACCESS_OR_READONLY' || code === 'INSUFFICIENT_ACCESS' || status === 403) return 'the integration user lacks permission on this object or field';
	if (code === 'NOT_FOUND' || status === 404) return 'the object, record or external ID field does not exist; check the API names';
	if (code === 'INVALID_FIELD' || code === 'INVALID_FIELD_FOR_INSERT_UPDATE') return `check the field mapping${fields.length ? ` (${fields.join(', ')})` : ''}`;
	if (code === 'REQUIRED_FIELD_MISSING') return `a required field is missing${fields.length ? `: ${fields.join(', ')}` : ''} — add it to the field mapping or extra fields`;
	if (code === 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' || code === 'FIELD_INTEGRITY_EXCEPTION') return `a value is not allowed${fields.length ? ` for ${fields.join(', ')}` : ''}; check the status map against the picklist`;
	if (status === 300) return 'the external ID matches several records; make the field unique';
	if (status === 401) return 'the session was refused after a token refresh; check the credential';
	if (status >= 500) return 'Salesforce had an internal error';
	return fields.length ? `check ${fields.join(', ')}` : 'check the node settings';
}

export class SalesforceClient {
	readonly session: TokenSession;
	readonly stats: DeliveryReport = { attempts: 0, waitedMs: [], tokenRefreshed: false };
	apiUsage?: string;

	constructor(
		private readonly ctx: DeliveryContext,
		private readonly credentials: SalesforceCredentials,
		tokenState?: TokenState,
	) {
		if (credentials.grantType !== 'engine' && (!credentials.clientId || !credentials.clientSecret)) throw new EventInputError('The Salesforce credential needs a client id and client secret', 'clientId');
		if (credentials.grantType === 'refresh_token' && !credentials.refreshToken) throw new EventInputError('The Salesforce credential uses the refresh-token grant but has no refresh token', 'refreshToken');
		this.session = new TokenSession(() => this.fetchToken(), tokenState, ctx.now, ctx.tokens);
	}

	private async fetchToken(): Promise<TokenState> {
		const loginUrl = (this.credentials.loginUrl || SALESFORCE_DEFAULT_LOGIN_URL).replace(/\/+$/, '');
		return requestToken(this.ctx, {
			service: SALESFORCE_SERVICE,
			url: `${loginUrl}/services/oauth2/token`,
			form: {
				grant_type: this.credentials.grantType,
				client_id: this.credentials.clientId,
				client_secret: this.credentials.clientSecret,
				// With refresh-token rotation on, the newest refresh token is the one the last refresh returned.
				refresh_token: this.credentials.grantType === 'refresh_token' ? (this.session?.state?.refreshToken ?? this.credentials.refreshToken) : undefined,
			},
			hints: this.credentials.grantType === 'client_credentials' ? { invalid_grant: 'client credentials need the My Domain login URL and a "Run As" user on the connected app' } : undefined,
		});
	}

	private baseUrl(token: TokenState | undefined): string {
		const instance = (this.credentials.instanceUrl || token?.instanceUrl || '').replace(/\/+$/, '');
		if (!instance) throw new EventInputError('No Salesforce instance URL: the token response had none; set Instance URL in the credential', 'instanceUrl');
		return `${instance}/services/data/v${(this.credentials.apiVersion || SALESFORCE_DEFAULT_API_VERSION).replace(/^v/, '')}`;
	}

	/** One REST call under the delivery policy (401 → one token refresh). */
	async request<T>(method: 'GET' | 'POST' | 'PATCH', path: string, action: string, body: unknown, ok: (response: HttpResponse) => T, qs?: Record<string, string>): Promise<T> {
		return sendWithToken<T>(this.ctx, {
			service: SALESFORCE_SERVICE,
			action,
			// With engine auth the engine signs, and a 401 reaching us already survived its own refresh.
			session: this.credentials.grantType === 'engine' ? undefined : this.session,
			stats: this.stats,
			build: (token) => ({ method, url: `${this.baseUrl(token)}${path}`, qs, headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body }),
			classify: (response) => {
				this.apiUsage = headerOf(response, 'sforce-limit-info') ?? this.apiUsage;
				return this.classify(response, action, ok);
			},
		});
	}

	private classify<T>(response: HttpResponse, action: string, ok: (response: HttpResponse) => T): AttemptOutcome<T> {
		const items = errorItems(response.body);
		const serviceMessage = items.length
			? items.map((item) => `${item.errorCode ? `${item.errorCode}: ` : ''}${item.message ?? ''}${item.fields?.length ? ` [${item.fields.join(', ')}]` : ''}`).join('; ').slice(0, 500)
			: undefined;
		if (response.status === 300) {
			return { kind: 'fail', error: new ServiceError({ service: SALESFORCE_SERVICE, action, status: 300, serviceMessage, hint: hintFor(300, items, response) }) };
		}
		if (response.status === 403 && items[0]?.errorCode === 'REQUEST_LIMIT_EXCEEDED') {
			// Salesforce answers no 429: REQUEST_LIMIT_EXCEEDED means either the concurrent long-running
			// request limit ("ConcurrentPerOrgLongTxn Limit exceeded"), which clears when running requests
			// finish — retried with backoff — or the daily allocation ("TotalRequests Limit exceeded"),
			// which waiting seconds does not help: fail now with the usage.
			if (isConcurrentLimit(items)) {
				return { kind: 'retry', ambiguous: false, error: new ServiceError({ service: SALESFORCE_SERVICE, action, status: 403, serviceMessage, hint: 'too many long-running requests at once in the org (concurrent request limit)', retryable: true }) };
			}
			return { kind: 'fail', error: new ServiceError({ service: SALESFORCE_SERVICE, action, status: 403, serviceMessage, hint: hintFor(403, items, response), retryable: false }) };
		}
		return classifyStatus(response, { service: SALESFORCE_SERVICE, action, now: nowOf(this.ctx), message: serviceMessage, hint: response.status >= 300 ? hintFor(response.status, items, response) : undefined, ok });
	}

	/** Checks the credential: a token, then the org limits resource. */
	async check(): Promise<{ instanceUrl: string }> {
		await this.request('GET', '/limits', 'limits check', undefined, () => undefined);
		const token = this.credentials.grantType === 'engine' ? undefined : await this.session.current();
		return { instanceUrl: this.credentials.instanceUrl || token?.instanceUrl || '' };
	}
}

export function bodyRecord(response: HttpResponse): Record<string, unknown> {
	return response.body && typeof response.body === 'object' ? (response.body as Record<string, unknown>) : {};
}

/** Credential check for the engines' "test" buttons: token + limits. */
export async function testSalesforceCredentials(ctx: DeliveryContext, credentials: SalesforceCredentials): Promise<{ ok: true; instanceUrl: string }> {
	const client = new SalesforceClient(ctx, credentials);
	const { instanceUrl } = await client.check();
	return { ok: true, instanceUrl };
}
