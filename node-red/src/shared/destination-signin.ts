import type { NodeAPI } from 'node-red';
import { asyncRouteHandler } from './async-route-handler';
import { exchangeAuthorizationCode, startAuthorization, type AuthorizationServer } from '../../../core/destinations/authorization-code';
import { ServiceError } from '../../../core/outbound/errors';
import { deliveryContext } from './destination-node';
import { ownDeployedNode, testCredentials } from './test-connection';

/**
 * "Sign in" for an OAuth account config node (authorization code + PKCE), run by Node-RED:
 * - POST <admin>/legalhooks/<destination>/auth/start — needs `<type>.write`; takes the dialog's client
 *   id/secret and settings, returns the service's sign-in URL for a popup. A client secret left as
 *   the placeholder is lent only by a deployed node of this type, and only with that node's deployed
 *   client id and settings (token and identity URLs): otherwise it must be typed in;
 * - GET  <admin>/legalhooks/<destination>/auth/callback — where the service sends the browser back.
 *   It carries no admin token (it is a redirect), so it only accepts the unguessable `state` a
 *   permitted user started, once (used up before anything is awaited, so two callbacks racing for
 *   one state cannot both exchange a code), within 10 minutes; it exchanges the code and shows a short page;
 * - GET  <admin>/legalhooks/<destination>/auth/result?state — needs `<type>.write`; hands the refresh
 *   token to the dialog, which puts it in the (encrypted) credential field, once.
 * The redirect URL to register with the service is <editor URL>/legalhooks/<destination>/auth/callback.
 */
export interface SignInSpec {
	type: string;
	destination: string;
	/** The account settings the sign-in uses (server URLs, scopes): deployed ones when the deployed secret is lent. */
	settings: string[];
	server(settings: Record<string, unknown>): AuthorizationServer;
	/** After the exchange: extra values for the dialog (Xero: the organisations the sign-in reaches). */
	describe?(accessToken: string, settings: Record<string, unknown>): Promise<Record<string, unknown>>;
}

interface Pending {
	verifier: string;
	redirectUri: string;
	clientId: string;
	clientSecret: string;
	server: AuthorizationServer;
	settings: Record<string, unknown>;
	startedAt: number;
	/** Set by the first callback, before it awaits anything. */
	used?: boolean;
	result?: { ok: true; refreshToken: string; extra: Record<string, unknown> } | { ok: false; message: string };
}

const PENDING_TTL_MS = 10 * 60 * 1000;

const SIGN_IN_FIELDS = { clientId: { type: 'text' }, clientSecret: { type: 'password' } } as const;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, text: string): string {
	return `<!doctype html><meta charset="utf-8"><title>${escapeHtml(title)}</title><body style="font-family:sans-serif;margin:2em"><h3>${escapeHtml(title)}</h3><p>${escapeHtml(text)}</p><p>You can close this window.</p></body>`;
}

export function registerSignIn(RED: NodeAPI, spec: SignInSpec): void {
	const pending = new Map<string, Pending>();
	const sweep = () => {
		for (const [state, entry] of pending) if (Date.now() - entry.startedAt > PENDING_TTL_MS) pending.delete(state);
	};
	const base = `/legalhooks/${spec.destination}/auth`;
	const write = RED.auth.needsPermission(`${spec.type}.write`);

	RED.httpAdmin.post(`${base}/start`, write, asyncRouteHandler(RED, async (req: any, res: any) => {
		sweep();
		const body = (req.body ?? {}) as { id?: unknown; settings?: Record<string, unknown>; credentials?: Record<string, unknown>; redirectUri?: string };
		const own = ownDeployedNode<{ type?: string; config?: Record<string, unknown> }>(RED, body.id, spec.type);
		const merged = testCredentials({
			fields: SIGN_IN_FIELDS,
			form: body.credentials ?? {},
			deployed: own?.credentials,
			settingKeys: spec.settings,
			formSettings: body.settings,
			deployedSettings: own?.node.config,
		});
		if (!merged.ok) return res.status(400).json({ ok: false, message: merged.message.replace('to test with', 'to sign in with') });
		const clientId = text(merged.credentials.clientId);
		const clientSecret = text(merged.credentials.clientSecret);
		const redirectUri = String(body.redirectUri ?? '');
		if (!clientId || !clientSecret) return res.status(400).json({ ok: false, message: 'Enter the client id and client secret first' });
		let redirect: URL;
		try {
			redirect = new URL(redirectUri);
		} catch {
			return res.status(400).json({ ok: false, message: 'redirectUri is not a URL' });
		}
		if (!/^https?:$/.test(redirect.protocol) || !redirect.pathname.endsWith(`${base}/callback`)) return res.status(400).json({ ok: false, message: `redirectUri must end with ${base}/callback` });
		const settings = merged.settings;
		const server = spec.server(settings);
		const started = startAuthorization(server, clientId, redirectUri);
		pending.set(started.state, { verifier: started.verifier, redirectUri, clientId, clientSecret, server, settings, startedAt: Date.now() });
		return res.json({ ok: true, url: started.url, state: started.state, redirectUri });
	}));

	RED.httpAdmin.get(`${base}/callback`, asyncRouteHandler(RED, async (req: any, res: any) => {
		sweep();
		const query = (req.query ?? {}) as Record<string, string | undefined>;
		const entry = query.state ? pending.get(query.state) : undefined;
		res.set('content-type', 'text/html; charset=utf-8').set('cache-control', 'no-store');
		if (!entry || entry.used) return res.status(400).send(page('Sign-in not recognised', 'This sign-in was not started here, has expired or was already used. Start it again from the node.'));
		entry.used = true;
		if (query.error || !query.code) {
			entry.result = { ok: false, message: `${entry.server.service} refused the sign-in: ${String(query.error ?? 'no code')}${query.error_description ? ` (${query.error_description})` : ''}` };
			return res.status(400).send(page('Sign-in failed', entry.result.message));
		}
		try {
			const token = await exchangeAuthorizationCode(deliveryContext(2), entry.server, { clientId: entry.clientId, clientSecret: entry.clientSecret, code: query.code, redirectUri: entry.redirectUri, verifier: entry.verifier });
			if (!token.refreshToken) throw new ServiceError({ service: entry.server.service, action: 'sign-in', serviceMessage: 'no refresh token came back', hint: 'allow offline access / the refresh_token scope for the app', retryable: false });
			const extra = spec.describe ? await spec.describe(token.accessToken, entry.settings).catch(() => ({})) : {};
			entry.result = { ok: true, refreshToken: token.refreshToken, extra };
			return res.send(page(`Signed in to ${entry.server.service}`, 'Back in Node-RED the refresh token is in the node; deploy to use it.'));
		} catch (error) {
			entry.result = { ok: false, message: error instanceof ServiceError ? error.message : `Sign-in failed: ${(error as Error).message}` };
			return res.status(502).send(page('Sign-in failed', entry.result.message));
		}
	}));

	RED.httpAdmin.get(`${base}/result`, write, asyncRouteHandler(RED, async (req: any, res: any) => {
		sweep();
		const state = String(req.query?.state ?? '');
		const entry = pending.get(state);
		if (!entry) return res.status(404).json({ status: 'unknown' });
		if (!entry.result) return res.json({ status: 'pending' });
		pending.delete(state);
		return res.json(entry.result.ok ? { status: 'done', refreshToken: entry.result.refreshToken, ...entry.result.extra } : { status: 'error', message: entry.result.message });
	}));
}
