import type { HttpClient, HttpRequest, HttpResponse } from '../../outbound/http';
import { ServiceTransport, type ServiceHints } from '../../outbound/transport';
import type { Registration, RegisterRequest } from '../definition';
import { NOTIFY_CODES, type LegalesignNotify } from './mapping';

export const LEGALESIGN_SERVICE = 'Legalesign';
export const LEGALESIGN_DEFAULT_BASE_URL = 'https://eu-api.legalesign.com/api/v1';

export interface LegalesignCredentials {
	/** API username (the part before the colon). */
	username: string;
	/** API key secret (the part after the colon). */
	apiKey: string;
	/** Default https://eu-api.legalesign.com/api/v1. */
	apiBaseUrl?: string;
	/** Legalesign's callback-signing X.509 certificate (PEM). Empty: only the URL token is checked. */
	certificate?: string;
}

export interface LegalesignRegistrationOptions {
	/** all = the 6-minute batch; signed / sent / rejected = upon-event callbacks. Default all. */
	notify?: LegalesignNotify | string;
	/** Legalesign event filter, e.g. `document.*` (optional). */
	eventFilter?: string;
	/** Group slug or id, to receive only that group's events (optional). */
	group?: string;
	/** realtime = the current webhooks (`notify: "realtime"`); legacy (or absent, as on triggers saved before) = the above. */
	webhookSystem?: 'realtime' | 'legacy';
	/** Realtime: each event confirmed with `GET /document/{uuid}/` before it is emitted. Default on. */
	confirmWithApi?: boolean;
}

export function legalesignBaseUrl(credentials: LegalesignCredentials): string {
	return (credentials.apiBaseUrl?.trim() || LEGALESIGN_DEFAULT_BASE_URL).replace(/\/+$/, '');
}

/** Our callback URL: the engine's webhook URL plus `token=<secret>`, checked first on every delivery. */
export function legalesignCallbackUrl(url: string, secret: string): string {
	return `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(secret)}`;
}

export function legalesignSettings(options: LegalesignRegistrationOptions = {}): Record<string, unknown> {
	const notify = (Object.keys(NOTIFY_CODES) as string[]).includes(String(options.notify)) ? String(options.notify) : 'all';
	return { notify, eventFilter: options.eventFilter?.trim() || '', group: options.group?.toString().trim() || '' };
}

export function legalesignAuthHeaders(credentials: LegalesignCredentials): Record<string, string> {
	return { authorization: `ApiKey ${credentials.username ?? ''}:${credentials.apiKey ?? ''}`, accept: 'application/json' };
}

function originOf(url: string | undefined): string {
	try {
		return url ? new URL(url).origin : '';
	} catch {
		return '';
	}
}

export function legalesignHints(webhookUrl?: string): Partial<Record<number | 'network', string>> {
	const origin = originOf(webhookUrl);
	return {
		401: 'check the Legalesign API username and key (sent as "ApiKey username:key"; both are in the API dashboard)',
		403: 'the API user is not allowed to manage webhooks (it must be an admin; sandbox keys need 2FA on the account)',
		404: 'check the Legalesign API base URL (default https://eu-api.legalesign.com/api/v1, paths end with a slash)',
		400: `Legalesign refused the subscription: check notify mode, event filter and group, and that the webhook URL${origin ? ` (${origin})` : ''} is public and uses HTTPS`,
		network: 'could not reach Legalesign: check the API base URL and that this machine can reach it',
	};
}

/** Legalesign's transport: `ApiKey username:key` on every request; the key never in an error. */
export function legalesignTransport(http: HttpClient, credentials: LegalesignCredentials, hints: ServiceHints = legalesignHints()): ServiceTransport {
	return new ServiceTransport({
		service: LEGALESIGN_SERVICE,
		http,
		hints,
		secrets: [credentials.apiKey],
		authorize: (request) => ({ ...request, headers: { ...legalesignAuthHeaders(credentials), ...request.headers } }),
	});
}

/**
 * One authenticated Legalesign API call (`path` under the API base URL, e.g. `/document/<id>/`):
 * the parsed answer on 2xx, else a ServiceError naming `action` with Legalesign's hints.
 */
export async function legalesignRequest(
	http: HttpClient,
	credentials: LegalesignCredentials,
	action: string,
	request: Omit<HttpRequest, 'url'> & { path: string },
	options: { hints?: ServiceHints; accept?: number[] } = {},
): Promise<HttpResponse> {
	const { path, ...rest } = request;
	const transport = legalesignTransport(http, credentials, options.hints);
	return transport.request(action, { ...rest, url: `${legalesignBaseUrl(credentials)}/${path.replace(/^\/+/, '')}` }, { accept: options.accept });
}

export interface LegalesignNotification {
	active?: boolean;
	notify_when?: number;
	url?: string;
	group_id?: number | null;
	event_filter?: string | null;
}

export async function listLegalesignNotifications(http: HttpClient, credentials: LegalesignCredentials): Promise<LegalesignNotification[]> {
	const action = 'listing webhooks';
	const response = await legalesignRequest(http, credentials, action, { method: 'GET', path: '/notifications/' });
	const body = response.body as unknown;
	// The v1 API answers a bare list; tolerate a Tastypie-style {objects: [...]} too.
	const list = Array.isArray(body) ? body : body && typeof body === 'object' && Array.isArray((body as { objects?: unknown }).objects) ? (body as { objects: unknown[] }).objects : undefined;
	if (!list) throw legalesignTransport(http, credentials).error(action, { status: response.status, hint: 'the answer was not a list: check the API base URL' });
	return list as LegalesignNotification[];
}

function filterFields(settings: Record<string, unknown>): Record<string, string> {
	const fields: Record<string, string> = {};
	if (settings.eventFilter) fields.eventFilter = String(settings.eventFilter);
	if (settings.group) fields.group = String(settings.group);
	return fields;
}

async function unsubscribe(http: HttpClient, credentials: LegalesignCredentials, url: string, settings: Record<string, unknown>): Promise<void> {
	// Legalesign answers 200 whether or not the URL was subscribed; 404 also means nothing to remove.
	await legalesignRequest(
		http,
		credentials,
		'removing the webhook',
		{ method: 'POST', path: '/unsubscribe/', headers: { 'content-type': 'application/json' }, body: { url, ...filterFields(settings) } },
		{ hints: legalesignHints(url), accept: [404] },
	);
}

/** Subscribes our tokened URL. On a lost answer or a server error, unsubscribes it again before throwing. */
export function registerLegalesign(
	http: HttpClient,
	credentials: LegalesignCredentials,
	request: RegisterRequest<LegalesignRegistrationOptions>,
): Promise<Registration> {
	return subscribeLegalesign(http, credentials, request, legalesignSettings(request.options), 'creating the webhook');
}

/**
 * `POST /subscribe/ {url, notify, eventFilter?, group?}` with `settings` (legacy or realtime); the
 * registration it returns. On a lost answer or a server error the URL is unsubscribed again (same
 * filter and group) before throwing.
 */
export async function subscribeLegalesign(
	http: HttpClient,
	credentials: LegalesignCredentials,
	request: RegisterRequest<LegalesignRegistrationOptions>,
	settings: Record<string, unknown>,
	action: string,
): Promise<Registration> {
	const url = legalesignCallbackUrl(request.url, request.secret);
	const transport = legalesignTransport(http, credentials, legalesignHints(request.url));
	const cleanup = () => unsubscribe(http, credentials, url, settings).catch(() => undefined);
	const response = await transport.sendOrUndo(action, {
		method: 'POST',
		url: `${legalesignBaseUrl(credentials)}/subscribe/`,
		headers: { 'content-type': 'application/json' },
		body: { url, notify: settings.notify, ...filterFields(settings) },
	}, cleanup);
	if (!transport.ok(response)) {
		if (response.status >= 500) await cleanup();
		throw transport.failure(action, response);
	}
	// Legalesign gives subscriptions no id: the tokened URL is the identity.
	return { ids: [url], url, secret: request.secret, settings };
}

export function legalesignExists(
	http: HttpClient,
	credentials: LegalesignCredentials,
	registration: Registration,
	expected: RegisterRequest<LegalesignRegistrationOptions>,
): Promise<boolean> {
	const settings = legalesignSettings(expected.options);
	return subscriptionListed(http, credentials, registration, expected, settings, NOTIFY_CODES[settings.notify as LegalesignNotify]);
}

/**
 * The registration was made for this URL and these settings, and `GET /notifications/` still lists it
 * active with the same `notify_when` (when listed), event filter and group (when numeric).
 */
export async function subscriptionListed(
	http: HttpClient,
	credentials: LegalesignCredentials,
	registration: Registration,
	expected: RegisterRequest<LegalesignRegistrationOptions>,
	settings: Record<string, unknown>,
	notifyWhen: number,
): Promise<boolean> {
	if (!registration.secret || registration.url !== legalesignCallbackUrl(expected.url, registration.secret)) return false;
	if (JSON.stringify(registration.settings) !== JSON.stringify(settings)) return false;
	const list = await listLegalesignNotifications(http, credentials);
	return list.some(
		(n) =>
			n.url === registration.url &&
			n.active !== false &&
			(n.notify_when === undefined || Number(n.notify_when) === notifyWhen) &&
			(n.event_filter ?? '') === settings.eventFilter &&
			(!settings.group || !/^\d+$/.test(String(settings.group)) || n.group_id === undefined || String(n.group_id) === settings.group),
	);
}

const tokenOf = (url: string) => {
	try {
		return new URL(url).searchParams.get('token') ?? undefined;
	} catch {
		return undefined;
	}
};
const withoutToken = (url: string) => {
	try {
		const parsed = new URL(url);
		parsed.searchParams.delete('token');
		return parsed.toString().replace(/\?$/, '');
	} catch {
		return url;
	}
};

/** Subscriptions whose callback is `url` plus a token (the given `secret`, when there is one). */
export async function findLegalesignRegistrations(
	http: HttpClient,
	credentials: LegalesignCredentials,
	query: { url: string; secret?: string },
): Promise<Registration[]> {
	const list = await listLegalesignNotifications(http, credentials);
	const target = withoutToken(query.url);
	return list
		.filter((n) => typeof n.url === 'string' && tokenOf(n.url) !== undefined && withoutToken(n.url) === target)
		.filter((n) => query.secret === undefined || n.url === legalesignCallbackUrl(query.url, query.secret))
		.map((n) => ({
			ids: [n.url as string],
			url: n.url as string,
			secret: '',
			settings: { eventFilter: n.event_filter ?? '', group: n.group_id === null || n.group_id === undefined ? '' : String(n.group_id) },
		}));
}

/** A Legalesign account is its API base URL and API username; the key is the secret. */
export function legalesignAccountIdentity(credentials: LegalesignCredentials): Record<string, string> {
	return { baseUrl: legalesignBaseUrl(credentials), username: credentials.username ?? '' };
}

export async function unregisterLegalesign(http: HttpClient, credentials: LegalesignCredentials, registration: Registration): Promise<void> {
	if (!registration.url) return;
	await unsubscribe(http, credentials, registration.url, registration.settings ?? {});
}

/** Credential test: lists webhooks. Throws a ServiceError. */
export async function testLegalesignCredentials(http: HttpClient, credentials: LegalesignCredentials): Promise<string> {
	const list = await listLegalesignNotifications(http, credentials);
	return `Connected to Legalesign (${list.length} webhook${list.length === 1 ? '' : 's'})`;
}
