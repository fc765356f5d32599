import { createHash, randomBytes } from 'node:crypto';
import { NodeApiError, NodeOperationError, type ICredentialDataDecryptedObject, type ICredentialType, type IHttpRequestOptions, type INode } from 'n8n-workflow';
import { LegalhooksSalesforceJwtApi } from '../../n8n/actions/credentials/LegalhooksSalesforceJwtApi.credentials';
import { LegalhooksSalesforceOAuth2Api } from '../../n8n/actions/credentials/LegalhooksSalesforceOAuth2Api.credentials';
import { LegalhooksSlackApi } from '../../n8n/actions/credentials/LegalhooksSlackApi.credentials';
import { LegalhooksSlackWebhookApi } from '../../n8n/actions/credentials/LegalhooksSlackWebhookApi.credentials';
import { LegalhooksXeroOAuth2Api } from '../../n8n/actions/credentials/LegalhooksXeroOAuth2Api.credentials';
import { httpRequest } from './helpers';

/**
 * n8n's credential side for the execute-context harness, modelled on n8n's own code
 * (packages/core …/request-helpers/oauth.ts `requestOAuth2` / `refreshOrFetchToken`, and
 * `httpRequestWithAuthentication` in request-helper-functions.ts):
 * - credentials live in a store that outlives one execution (n8n's database) and are read fresh,
 *   with the credential type's defaults applied and `={{ $self… }}` defaults resolved;
 * - httpRequestWithAuthentication on an `oAuth2Api` child: "OAuth credentials not connected" for an
 *   authorization-code credential without token data; client credentials fetch and save a token on
 *   first use; the request is signed `Authorization: Bearer <access_token>`; when it *throws* a 401
 *   (a status error — n8n's httpRequest throws for >= 400), the stored credential is read back (another
 *   process may have refreshed already), else the token is refreshed with the stored refresh token
 *   (client auth as Basic header or body per `authentication`), old and new token data are merged
 *   and saved to the store, and the request is repeated once. Concurrent refreshes of one
 *   credential share one token request. `invalid_grant` → "needs to be reconnected". Every error
 *   leaves wrapped in NodeApiError with the axios-like error (`response.status/headers/data`) as cause;
 * - generic `authenticate` credentials get their headers filled from `$credentials`; a credential
 *   with `preAuthentication` and an `expirable` field (n8n's CredentialsHelper.preAuthentication)
 *   gets that field filled — and saved to the store — when it is empty, and again once after a 401;
 * - connect(): the Connect button — authorization URL (state, PKCE S256 challenge), the service's
 *   redirect with a code, the code exchange at the token URL, token data saved to the credential.
 */
export const CREDENTIAL_TYPES: Record<string, ICredentialType> = Object.fromEntries(
	[new LegalhooksXeroOAuth2Api(), new LegalhooksSalesforceOAuth2Api(), new LegalhooksSalesforceJwtApi(), new LegalhooksSlackApi(), new LegalhooksSlackWebhookApi()].map((t) => [t.name, t]),
);

const TOKEN_EXPIRED_STATUS = 401;

/** n8n's database of credentials (decrypted view) and its record of token saves. */
export class CredentialStore {
	private readonly data = new Map<string, ICredentialDataDecryptedObject>();
	/** Every updateCredentialsOauthTokenData, in order. */
	readonly saves: Array<{ type: string; oauthTokenData: Record<string, unknown> }> = [];
	/** Token requests n8n made (refreshes, client-credentials fetches, code exchanges). */
	readonly tokenRequests: Array<{ type: string; grantType: string }> = [];
	readonly inFlight = new Map<string, Promise<Record<string, unknown>>>();

	constructor(initial: Record<string, ICredentialDataDecryptedObject> = {}) {
		for (const [type, value] of Object.entries(initial)) this.data.set(type, structuredClone(value));
	}

	has(type: string): boolean {
		return this.data.has(type);
	}

	/** The credential as getCredentials returns it: a fresh copy with the type's defaults resolved. */
	read(type: string): ICredentialDataDecryptedObject | undefined {
		const stored = this.data.get(type);
		if (!stored) return undefined;
		return withDefaults(type, structuredClone(stored));
	}

	/** n8n saving what preAuthentication returned into the credential. */
	update(type: string, patch: Record<string, unknown>): void {
		this.data.set(type, { ...(this.data.get(type) ?? {}), ...(structuredClone(patch) as ICredentialDataDecryptedObject) });
		this.preAuthentications.push({ type, fields: Object.keys(patch) });
	}

	readonly preAuthentications: Array<{ type: string; fields: string[] }> = [];

	saveTokenData(type: string, oauthTokenData: Record<string, unknown>): void {
		const stored = this.data.get(type) ?? {};
		this.data.set(type, { ...stored, oauthTokenData: structuredClone(oauthTokenData) as ICredentialDataDecryptedObject['oauthTokenData'] });
		this.saves.push({ type, oauthTokenData: structuredClone(oauthTokenData) });
	}

	tokenData(type: string): Record<string, unknown> | undefined {
		return this.data.get(type)?.oauthTokenData as Record<string, unknown> | undefined;
	}
}

function parentTypes(type: string): string[] {
	const extended = CREDENTIAL_TYPES[type]?.extends ?? [];
	return [...extended, ...extended.flatMap(parentTypes)];
}

export function isOAuth2(type: string): boolean {
	return parentTypes(type).includes('oAuth2Api');
}

/** Resolves `={{ … }}` with `$self` (the credential) the way n8n resolves credential defaults. */
function resolveExpression(value: string, self: Record<string, unknown>): unknown {
	const body = value.slice(1);
	const whole = /^\{\{([\s\S]*)\}\}$/.exec(body.trim());
	const evaluate = (code: string) => new Function('$self', '$credentials', `return (${code});`)(self, self);
	if (whole) return evaluate(whole[1]);
	return body.replace(/\{\{([\s\S]*?)\}\}/g, (_, code: string) => String(evaluate(code)));
}

function withDefaults(type: string, data: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject {
	const properties = CREDENTIAL_TYPES[type]?.properties ?? [];
	for (const property of properties) if (data[property.name] === undefined && property.default !== undefined) data[property.name] = property.default as never;
	if (isOAuth2(type)) data.grantType ??= 'authorizationCode';
	for (const property of properties) {
		const value = data[property.name];
		if (typeof value === 'string' && value.startsWith('=')) data[property.name] = resolveExpression(value, data) as never;
	}
	return data;
}

function basic(username: string, password: string): string {
	return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** axios as n8n's httpRequest uses it: a status >= 400 throws an AxiosError carrying the response. */
async function axiosLike(options: IHttpRequestOptions): Promise<{ body: unknown; headers: Record<string, string>; statusCode: number }> {
	let full: { body: unknown; headers: Record<string, string>; statusCode: number };
	try {
		full = await httpRequest({ ...options, returnFullResponse: true, ignoreHttpStatusErrors: true });
	} catch (cause) {
		throw Object.assign(new Error((cause as Error).message), { name: 'AxiosError', isAxiosError: true, code: 'ECONNRESET', cause });
	}
	if (full.statusCode >= 400 && !options.ignoreHttpStatusErrors) {
		throw Object.assign(new Error(`Request failed with status code ${full.statusCode}`), {
			name: 'AxiosError',
			isAxiosError: true,
			response: { status: full.statusCode, headers: full.headers, data: full.body },
		});
	}
	return full;
}

interface TokenCall {
	grantType: string;
	form: Record<string, string | undefined>;
}

async function tokenRequest(store: CredentialStore, type: string, credentials: ICredentialDataDecryptedObject, call: TokenCall): Promise<Record<string, unknown>> {
	store.tokenRequests.push({ type, grantType: call.grantType });
	const form: Record<string, string> = { grant_type: call.grantType };
	for (const [key, value] of Object.entries(call.form)) if (value) form[key] = value;
	const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json, application/x-www-form-urlencoded' };
	if (credentials.authentication === 'body') {
		form.client_id = String(credentials.clientId ?? '');
		form.client_secret = String(credentials.clientSecret ?? '');
	} else {
		headers.authorization = basic(String(credentials.clientId ?? ''), String(credentials.clientSecret ?? ''));
	}
	const response = await httpRequest({
		method: 'POST',
		url: String(credentials.accessTokenUrl),
		headers,
		body: new URLSearchParams(form).toString(),
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	});
	const body = (typeof response.body === 'string' ? JSON.parse(response.body || '{}') : response.body) as Record<string, unknown>;
	if (response.statusCode >= 400 || typeof body.access_token !== 'string') {
		// @n8n/client-oauth2's AuthError carries the body; `invalid_grant` means reconnect.
		throw Object.assign(new Error(`OAuth2 token request failed: ${String(body.error ?? response.statusCode)}`), { name: 'AuthError', body, code: 'EAUTH' });
	}
	return body;
}

export interface OAuth2Context {
	node: INode;
	store: CredentialStore;
}

async function refreshOrFetchToken(ctx: OAuth2Context, type: string, used: Record<string, unknown>): Promise<Record<string, unknown>> {
	const running = ctx.store.inFlight.get(type);
	if (running) return running;
	const run = (async () => {
		const current = ctx.store.read(type) as ICredentialDataDecryptedObject;
		const stored = (current.oauthTokenData ?? {}) as Record<string, unknown>;
		if (stored.access_token !== used.access_token) return stored; // refreshed elsewhere meanwhile
		let fresh: Record<string, unknown>;
		try {
			fresh =
				current.grantType === 'clientCredentials'
					? await tokenRequest(ctx.store, type, current, { grantType: 'client_credentials', form: { scope: String(current.scope ?? '') || undefined } })
					: await tokenRequest(ctx.store, type, current, { grantType: 'refresh_token', form: { refresh_token: String(used.refresh_token ?? '') } });
		} catch (error) {
			if ((error as { body?: { error?: unknown } }).body?.error === 'invalid_grant') {
				throw new NodeOperationError(ctx.node, `The credential of type "${type}" needs to be reconnected.`, { level: 'warning' });
			}
			throw error;
		}
		const merged = { ...used, ...fresh };
		ctx.store.saveTokenData(type, merged);
		return merged;
	})().finally(() => ctx.store.inFlight.delete(type));
	ctx.store.inFlight.set(type, run);
	return run;
}

function signed(options: IHttpRequestOptions, token: Record<string, unknown>): IHttpRequestOptions {
	return { ...options, headers: { ...(options.headers ?? {}), Authorization: `Bearer ${String(token.access_token)}` } };
}

async function requestOAuth2(ctx: OAuth2Context, type: string, options: IHttpRequestOptions): Promise<unknown> {
	const credentials = ctx.store.read(type) as ICredentialDataDecryptedObject;
	let token = credentials.oauthTokenData as Record<string, unknown> | undefined;
	if (credentials.grantType !== 'clientCredentials' && token === undefined) throw new Error('OAuth credentials not connected');
	if (credentials.grantType === 'clientCredentials' && (!token || !token.access_token)) {
		token = await tokenRequest(ctx.store, type, credentials, { grantType: 'client_credentials', form: { scope: String(credentials.scope ?? '') || undefined } });
		ctx.store.saveTokenData(type, token);
	}
	const first = token as Record<string, unknown>;
	const result = await axiosLike(signed(options, first)).catch(async (error: { response?: { status?: number } }) => {
		if (error.response?.status !== TOKEN_EXPIRED_STATUS) throw error;
		const next = await refreshOrFetchToken(ctx, type, first);
		return axiosLike(signed(options, next));
	});
	return options.returnFullResponse ? result : result.body;
}

function genericAuth(type: string, credentials: ICredentialDataDecryptedObject, options: IHttpRequestOptions): IHttpRequestOptions {
	const auth = CREDENTIAL_TYPES[type]?.authenticate as { type?: string; properties?: { headers?: Record<string, string> } } | undefined;
	if (!auth || auth.type !== 'generic') return options;
	const headers: Record<string, string> = { ...((options.headers as Record<string, string>) ?? {}) };
	for (const [name, value] of Object.entries(auth.properties?.headers ?? {})) headers[name] = String(resolveExpression(value, credentials));
	return { ...options, headers };
}

async function preAuthenticate(ctx: OAuth2Context, type: string, credentials: ICredentialDataDecryptedObject, expired: boolean): Promise<ICredentialDataDecryptedObject> {
	const credentialType = CREDENTIAL_TYPES[type];
	const expirable = credentialType?.properties.find((p) => (p.typeOptions as { expirable?: boolean } | undefined)?.expirable);
	if (!credentialType?.preAuthentication || !expirable) return credentials;
	if (!expired && credentials[expirable.name]) return credentials;
	const output = await credentialType.preAuthentication.call({ helpers: { httpRequest } } as never, credentials);
	ctx.store.update(type, output as Record<string, unknown>);
	return { ...credentials, ...(output as ICredentialDataDecryptedObject) };
}

/** helpers.httpRequestWithAuthentication as n8n runs it for a regular node. */
export async function httpRequestWithAuthentication(ctx: OAuth2Context, type: string, options: IHttpRequestOptions): Promise<unknown> {
	try {
		if (isOAuth2(type)) return await requestOAuth2(ctx, type, options);
		const credentials = ctx.store.read(type);
		if (!credentials) throw new NodeOperationError(ctx.node, `Node "${ctx.node.name}" does not have any credentials of type "${type}" set`);
		const ready = await preAuthenticate(ctx, type, credentials, false);
		const full = await axiosLike(genericAuth(type, ready, options)).catch(async (error: { response?: { status?: number } }) => {
			if (error.response?.status !== 401 || !CREDENTIAL_TYPES[type]?.preAuthentication) throw error;
			return axiosLike(genericAuth(type, await preAuthenticate(ctx, type, ready, true), options));
		});
		return options.returnFullResponse ? full : full.body;
	} catch (error) {
		throw new NodeApiError(ctx.node, error as never);
	}
}

/**
 * The credential's Connect button (n8n's OAuth2 authorize + callback): opens the authorization URL
 * (the simulator signs the user in and redirects with a code), exchanges the code — with the PKCE
 * verifier for the `pkce` grant — and saves the token data to the credential.
 */
export async function connect(store: CredentialStore, type: string, redirectUri = 'http://localhost:5678/rest/oauth2-credential/callback'): Promise<Record<string, unknown>> {
	const credentials = store.read(type) as ICredentialDataDecryptedObject;
	const authorize = new URL(String(credentials.authUrl));
	const state = randomBytes(8).toString('hex');
	const verifier = randomBytes(32).toString('base64url');
	authorize.searchParams.set('client_id', String(credentials.clientId));
	authorize.searchParams.set('redirect_uri', redirectUri);
	authorize.searchParams.set('response_type', 'code');
	authorize.searchParams.set('state', state);
	if (credentials.scope) authorize.searchParams.set('scope', String(credentials.scope));
	if (credentials.grantType === 'pkce') {
		authorize.searchParams.set('code_challenge', createHash('sha256').update(verifier).digest('base64url'));
		authorize.searchParams.set('code_challenge_method', 'S256');
	}
	const response = await fetch(authorize, { redirect: 'manual' });
	const location = response.headers.get('location');
	const back = location ? new URL(location) : undefined;
	if (!back || back.searchParams.get('state') !== state || !back.searchParams.get('code')) {
		throw new Error(`authorization failed: ${back?.searchParams.get('error') ?? response.status} ${back?.searchParams.get('error_description') ?? ''}`.trim());
	}
	const token = await tokenRequest(store, type, credentials, {
		grantType: 'authorization_code',
		form: { code: back.searchParams.get('code') ?? '', redirect_uri: redirectUri, code_verifier: credentials.grantType === 'pkce' ? verifier : undefined },
	});
	store.saveTokenData(type, token);
	return token;
}
