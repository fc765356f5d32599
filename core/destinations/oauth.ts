import { ServiceError, messageFromBody } from '../outbound/errors';
import type { HttpRequest, HttpResponse } from '../outbound/http';
import { ServiceTransport } from '../outbound/transport';
import { classifyStatus, nowOf, runWithRetry, type AttemptOutcome, type DeliveryContext, type DeliveryReport } from './delivery';
import type { TokenKeeper, TokenState } from './token-keeper';

export { TokenKeeper, type TokenState } from './token-keeper';

/** Refresh a token this long before it expires. */
const EXPIRY_MARGIN_MS = 60_000;

export interface TokenRequest {
	service: string;
	url: string;
	form: Record<string, string | undefined>;
	/** HTTP Basic client authentication (Xero); otherwise the client id/secret go in the form. */
	basicAuth?: { username: string; password: string };
	hints?: Record<string, string>;
}

export function formEncode(form: Record<string, string | undefined>): string {
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(form)) if (value !== undefined && value !== '') params.set(key, value);
	return params.toString();
}

function base64(text: string): string {
	return Buffer.from(text, 'utf8').toString('base64');
}

/** POSTs a token request (with the shared retry policy) and reads the standard token response. */
export async function requestToken(ctx: DeliveryContext, request: TokenRequest, report?: DeliveryReport): Promise<TokenState> {
	const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
	if (request.basicAuth) headers.authorization = `Basic ${base64(`${request.basicAuth.username}:${request.basicAuth.password}`)}`;
	const body = formEncode(request.form);
	const action = 'token request';
	return runWithRetry<TokenState>(
		ctx,
		{ service: request.service, action },
		async () => {
			const response = await ctx.http({ method: 'POST', url: request.url, headers, body });
			const issuedAt = nowOf(ctx);
			if (response.status === 400 || response.status === 401 || response.status === 403) {
				const code = errorCode(response.body);
				return {
					kind: 'fail',
					error: new ServiceError({
						service: request.service,
						action,
						status: response.status,
						serviceMessage: messageFromBody(response.body),
						hint: (code && request.hints?.[code]) ?? tokenHint(code),
					}),
				};
			}
			return classifyStatus<TokenState>(response, {
				service: request.service,
				action,
				now: issuedAt,
				ok: (res) => {
					const raw = (res.body ?? {}) as Record<string, unknown>;
					if (typeof raw.access_token !== 'string' || !raw.access_token) {
						throw new ServiceError({ service: request.service, action, status: res.status, hint: 'the token response has no access_token' });
					}
					const expiresIn = Number(raw.expires_in);
					return {
						accessToken: raw.access_token,
						expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? issuedAt + expiresIn * 1000 : undefined,
						instanceUrl: typeof raw.instance_url === 'string' ? raw.instance_url : undefined,
						refreshToken: typeof raw.refresh_token === 'string' ? raw.refresh_token : undefined,
					};
				},
			});
		},
		report,
	);
}

function errorCode(body: unknown): string | undefined {
	if (body && typeof body === 'object' && typeof (body as Record<string, unknown>).error === 'string') {
		return (body as Record<string, string>).error;
	}
	return undefined;
}

function tokenHint(code: string | undefined): string {
	switch (code) {
		case 'invalid_grant':
			return 'the refresh token is expired or revoked, or the user/app is not allowed this grant; authorize again and update the credential';
		case 'invalid_client':
		case 'invalid_client_id':
		case 'unauthorized_client':
			return 'the client id or client secret is wrong, or the app is not enabled for this grant type';
		case 'unsupported_grant_type':
			return 'the app does not allow this grant type';
		default:
			return 'the token request was refused; check the client id, client secret and grant settings of the credential';
	}
}

/**
 * A token in use for one destination: hands out the cached token while it is valid, fetches one
 * when there is none, and re-fetches on demand (after a 401). `state` is what the engine keeps;
 * with a TokenKeeper the state is the keeper's, shared with other messages of the account.
 */
export class TokenSession {
	private own: TokenState | undefined;
	private readonly fetchToken: () => Promise<TokenState>;
	private readonly now: () => number;
	private readonly keeper?: TokenKeeper;
	private used?: string;

	constructor(fetchToken: () => Promise<TokenState>, state: TokenState | undefined, now: () => number = Date.now, keeper?: TokenKeeper) {
		this.fetchToken = fetchToken;
		this.keeper = keeper;
		if (keeper) keeper.state ??= state;
		else this.own = state;
		this.now = now;
	}

	get state(): TokenState | undefined {
		return this.keeper ? this.keeper.state : this.own;
	}

	private valid(state: TokenState | undefined): boolean {
		return !!state?.accessToken && (state.expiresAt === undefined || state.expiresAt - EXPIRY_MARGIN_MS > this.now());
	}

	async current(): Promise<TokenState> {
		const state = this.state;
		if (state && this.valid(state)) {
			this.used = state.accessToken;
			return state;
		}
		return this.renew(state?.accessToken || undefined);
	}

	/** A new token; after a 401 the one just used is passed on, so a concurrent refresh is reused. */
	async renew(used: string | undefined = this.used): Promise<TokenState> {
		let next: TokenState;
		if (this.keeper) next = await this.keeper.renew(used, this.fetchToken);
		else {
			const previous = this.own;
			const fetched = await this.fetchToken();
			next = { ...fetched, instanceUrl: fetched.instanceUrl ?? previous?.instanceUrl, refreshToken: fetched.refreshToken ?? previous?.refreshToken };
			this.own = next;
		}
		this.used = next.accessToken;
		return next;
	}
}

/**
 * One API call made with an OAuth2 token, under the delivery policy: the session's current token as
 * `Authorization: Bearer …`, and on a 401 one refresh and one more try. Without a session the
 * engine's HTTP client signs (and refreshes) itself, so a 401 reaching us is final.
 */
export async function sendWithToken<T>(
	ctx: DeliveryContext,
	args: {
		service: string;
		action: string;
		/** Undefined: the engine signs. */
		session: TokenSession | undefined;
		stats: DeliveryReport;
		/** The request for the token in use (Salesforce's instance URL comes from it). */
		build: (token: TokenState | undefined) => HttpRequest;
		classify: (response: HttpResponse) => AttemptOutcome<T>;
	},
): Promise<T> {
	const { session } = args;
	return runWithRetry<T>(
		ctx,
		{
			service: args.service,
			action: args.action,
			refreshAuth: session
				? async () => {
						await session.renew();
						return true;
					}
				: undefined,
		},
		async () => {
			const token = session ? await session.current() : undefined;
			const transport = new ServiceTransport({
				service: args.service,
				http: ctx.http,
				authorize: (request) => (token ? { ...request, headers: { authorization: `Bearer ${token.accessToken}`, ...request.headers } } : request),
			});
			return args.classify(await transport.exchange(args.build(token)));
		},
		args.stats,
	);
}
