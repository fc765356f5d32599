import { createHash, randomBytes } from 'node:crypto';
import type { DeliveryContext } from './delivery';
import { requestToken, type TokenState } from './oauth';

/**
 * The OAuth2 authorization code grant with PKCE (RFC 7636, S256) for engines that run the sign-in
 * themselves (Node-RED): the authorization URL to open, and the code exchange. n8n runs this flow
 * itself for credentials that extend oAuth2Api.
 */
export interface AuthorizationServer {
	service: string;
	authorizeUrl: string;
	tokenUrl: string;
	scope?: string;
	/** `basic`: client id/secret as HTTP Basic (Xero); `body`: in the form (Salesforce). */
	clientAuth: 'basic' | 'body';
}

export interface PendingAuthorization {
	state: string;
	verifier: string;
	url: string;
}

export function startAuthorization(server: AuthorizationServer, clientId: string, redirectUri: string): PendingAuthorization {
	const state = randomBytes(24).toString('base64url');
	const verifier = randomBytes(48).toString('base64url');
	const url = new URL(server.authorizeUrl);
	url.searchParams.set('response_type', 'code');
	url.searchParams.set('client_id', clientId);
	url.searchParams.set('redirect_uri', redirectUri);
	if (server.scope) url.searchParams.set('scope', server.scope);
	url.searchParams.set('state', state);
	url.searchParams.set('code_challenge', createHash('sha256').update(verifier).digest('base64url'));
	url.searchParams.set('code_challenge_method', 'S256');
	return { state, verifier, url: url.toString() };
}

export async function exchangeAuthorizationCode(
	ctx: DeliveryContext,
	server: AuthorizationServer,
	args: { clientId: string; clientSecret: string; code: string; redirectUri: string; verifier: string },
): Promise<TokenState> {
	const form = { grant_type: 'authorization_code', code: args.code, redirect_uri: args.redirectUri, code_verifier: args.verifier };
	return requestToken(ctx, {
		service: server.service,
		url: server.tokenUrl,
		...(server.clientAuth === 'basic'
			? { basicAuth: { username: args.clientId, password: args.clientSecret }, form }
			: { form: { ...form, client_id: args.clientId, client_secret: args.clientSecret } }),
		hints: { invalid_grant: 'the sign-in code was refused (expired, used, or another redirect URL); sign in again' },
	});
}
