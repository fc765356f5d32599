import type { NormalizedEvent } from '../../event/normalized-event';
import { ServiceError, messageFromBody } from '../../outbound/errors';
import type { HttpClient, HttpRequest, HttpResponse } from '../../outbound/http';
import { hashId } from '../../inbound/parse';
import { ServiceTransport } from '../../outbound/transport';
import type { Registration, RegisterRequest } from '../definition';
import { quicklysignDocumentStatus, quicklysignEventType } from './mapping';

export const QUICKLYSIGN_SERVICE = 'QuicklySign';
export const QUICKLYSIGN_BASE_URLS = { production: 'https://api.quicklysign.com/v1', sandbox: 'https://sandboxapi.quicklysign.com/v1' } as const;

export interface QuicklysignCredentials {
	clientId: string;
	clientSecret: string;
	apiKey: string;
	environment?: 'production' | 'sandbox' | 'custom' | string;
	/** Used with environment `custom` (or no environment). */
	apiBaseUrl?: string;
}

export interface QuicklysignOptions {
	/** Document pack keys to subscribe to (list, or one string separated by commas / new lines). */
	documentPackKeys?: string[] | string;
	/** Fetch each event's document pack (status, serve_pdf_url) into data.documentPack. */
	fetchDocumentPack?: boolean;
	/** Also accept callbacks that carry our token for packs subscribed elsewhere (e.g. by your app). */
	acceptForeignSubscriptions?: boolean;
}

export function quicklysignBaseUrl(credentials: QuicklysignCredentials): string {
	const custom = credentials.apiBaseUrl?.trim();
	if (custom && (!credentials.environment || credentials.environment === 'custom')) return custom.replace(/\/+$/, '');
	return credentials.environment === 'sandbox' ? QUICKLYSIGN_BASE_URLS.sandbox : QUICKLYSIGN_BASE_URLS.production;
}

export function quicklysignCallbackUrl(url: string, secret: string): string {
	return `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(secret)}`;
}

export function documentPackKeys(value: QuicklysignOptions['documentPackKeys']): string[] {
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,;]+/) : [];
	return [...new Set(list.map((k) => String(k).trim()).filter(Boolean))];
}

export function quicklysignSettings(options: QuicklysignOptions = {}): Record<string, unknown> {
	return { documentPackKeys: documentPackKeys(options.documentPackKeys).sort() };
}

function hints(webhookUrl?: string): Partial<Record<number | 'network', string>> {
	let origin = '';
	try {
		origin = webhookUrl ? new URL(webhookUrl).origin : '';
	} catch {
		origin = '';
	}
	return {
		401: 'check the QuicklySign client id, client secret and API key (Profile → API settings) and that they belong to this environment (sandbox or production)',
		403: 'check the QuicklySign client id, client secret and API key, and that the document pack belongs to this account',
		404: 'check the environment (sandbox / production) or API base URL, and that the document pack key exists',
		400: `QuicklySign refused the request: check the document pack keys and that the webhook URL${origin ? ` (${origin})` : ''} is public and HTTPS (not localhost)`,
		network: 'could not reach QuicklySign: check the environment / API base URL and that this machine can reach it',
	};
}

/** QuicklySign wraps answers in {status:{status_code}, data}; an error may come back as HTTP 200 with a 4xx status_code. */
function effectiveStatus(response: HttpResponse): number {
	if (response.status < 200 || response.status >= 300) return response.status;
	const code = (response.body as { status?: { status_code?: unknown } } | undefined)?.status?.status_code;
	return typeof code === 'number' && code >= 400 ? code : response.status;
}

function serviceMessage(body: unknown): string | undefined {
	const status = (body as { status?: Record<string, unknown> } | undefined)?.status;
	if (status && typeof status === 'object') {
		for (const key of ['message', 'status_message', 'error_message', 'error']) if (typeof status[key] === 'string') return String(status[key]).slice(0, 300);
	}
	return messageFromBody(body);
}

/**
 * QuicklySign's transport: JSON answers read through their envelope (an error may come as HTTP 200
 * with a 4xx `status_code`); client secret and API key never in an error. Webhook calls carry the
 * client id and secret themselves; document calls go through a QuicklysignSession's token.
 */
export function quicklysignTransport(
	http: HttpClient,
	credentials: QuicklysignCredentials,
	webhookUrl?: string,
	authorize: (request: HttpRequest) => HttpRequest | Promise<HttpRequest> = (request) => request,
): ServiceTransport {
	return new ServiceTransport({
		service: QUICKLYSIGN_SERVICE,
		http,
		hints: hints(webhookUrl),
		secrets: [credentials.clientSecret, credentials.apiKey],
		statusOf: effectiveStatus,
		messageOf: serviceMessage,
		authorize: async (request) => {
			const authorized = await authorize(request);
			return { ...authorized, headers: { accept: 'application/json', ...authorized.headers } };
		},
	});
}

/** The headers that carry a QuicklySign access token (the API reads `access_token`; Bearer as well). */
export function quicklysignTokenHeaders(token: string): Record<string, string> {
	return { access_token: token, authorization: `Bearer ${token}` };
}

/**
 * A QuicklySign access token and the requests made with it: the token is asked for once, on first
 * use, and shared by every request of the session.
 */
export class QuicklysignSession {
	private token?: Promise<string>;

	constructor(
		private readonly http: HttpClient,
		private readonly credentials: QuicklysignCredentials,
		token?: string,
	) {
		if (token) this.token = Promise.resolve(token);
	}

	accessToken(): Promise<string> {
		this.token ??= quicklysignAccessToken(this.http, this.credentials).catch((error: unknown) => {
			this.token = undefined;
			throw error;
		});
		return this.token;
	}

	/** The transport of this session: every request carries the access token (asked for on first use). */
	transport(): ServiceTransport {
		return quicklysignTransport(this.http, this.credentials, undefined, async (request) => {
			const token = await this.accessToken();
			return { ...request, headers: { ...quicklysignTokenHeaders(token), ...request.headers } };
		});
	}

	/** The request with the access token, sent; the refusal thrown as a ServiceError unless 2xx (or one of `accept`). */
	request(action: string, request: HttpRequest, accept?: number[]): Promise<HttpResponse> {
		return this.transport().request(action, request, { accept });
	}
}

const clientQs = (credentials: QuicklysignCredentials) => ({ client_id: credentials.clientId ?? '', client_secret: credentials.clientSecret ?? '' });

export async function quicklysignAccessToken(http: HttpClient, credentials: QuicklysignCredentials): Promise<string> {
	const action = 'getting an access token';
	const transport = quicklysignTransport(http, credentials);
	const response = await transport.request(action, {
		method: 'POST',
		url: `${quicklysignBaseUrl(credentials)}/access_tokens`,
		headers: { 'content-type': 'application/json' },
		body: { client_id: credentials.clientId ?? '', client_secret: credentials.clientSecret ?? '', api_key: credentials.apiKey ?? '' },
	});
	const token = (response.body as { data?: { access_token?: unknown } } | undefined)?.data?.access_token;
	const value = typeof token === 'string' ? token : token && typeof token === 'object' ? ((token as Record<string, unknown>).key ?? (token as Record<string, unknown>).token) : undefined;
	if (typeof value !== 'string' || !value) throw transport.error(action, { status: response.status, hint: 'the answer had no data.access_token: check the API base URL' });
	return value;
}

interface QuicklysignWebhook {
	key?: string | null;
	webhook_key?: string | null;
	entity_key?: string;
	callback?: string;
	date_created?: number;
	date_updated?: number;
}

const webhookId = (webhook: QuicklysignWebhook | undefined) => (webhook ? webhook.webhook_key ?? webhook.key ?? undefined : undefined);

function webhookFrom(body: unknown): QuicklysignWebhook | undefined {
	const data = (body as { data?: { webhook?: QuicklysignWebhook } & QuicklysignWebhook } | undefined)?.data;
	return data?.webhook ?? (data && (data.key || data.webhook_key) ? data : undefined);
}

function webhooksFrom(body: unknown): QuicklysignWebhook[] {
	const data = (body as { data?: unknown } | undefined)?.data;
	if (Array.isArray(data)) return data as QuicklysignWebhook[];
	const nested = (data as { webhooks?: unknown } | undefined)?.webhooks;
	return Array.isArray(nested) ? (nested as QuicklysignWebhook[]) : [];
}

export async function listQuicklysignWebhooks(http: HttpClient, credentials: QuicklysignCredentials, entityKey?: string): Promise<QuicklysignWebhook[]> {
	const action = 'listing webhooks';
	const response = await quicklysignTransport(http, credentials).request(action, {
		method: 'GET',
		url: `${quicklysignBaseUrl(credentials)}/webhooks`,
		qs: { ...clientQs(credentials), entity_key: entityKey },
	});
	return webhooksFrom(response.body);
}

/** DELETE /webhook/<key>; on 404 the plural /webhooks/<key>; 404 on both = already gone. */
async function deleteQuicklysignWebhook(http: HttpClient, credentials: QuicklysignCredentials, id: string): Promise<void> {
	const transport = quicklysignTransport(http, credentials);
	for (const path of ['webhook', 'webhooks']) {
		const response = await transport.request('deleting the webhook', { method: 'DELETE', url: `${quicklysignBaseUrl(credentials)}/${path}/${encodeURIComponent(id)}`, qs: clientQs(credentials) }, { accept: [404] });
		if (transport.ok(response)) return;
	}
}

async function sweepPack(http: HttpClient, credentials: QuicklysignCredentials, entityKey: string, callback: string): Promise<void> {
	try {
		for (const webhook of await listQuicklysignWebhooks(http, credentials, entityKey)) {
			const id = webhookId(webhook);
			if (id && webhook.callback === callback) await deleteQuicklysignWebhook(http, credentials, id);
		}
	} catch {
		// best effort
	}
}

/**
 * One webhook per document pack. When pack n fails, the webhooks made for packs 1…n-1 are deleted
 * (and pack n's, should the vendor have made it before failing) before the error is thrown.
 */
export async function registerQuicklysign(http: HttpClient, credentials: QuicklysignCredentials, request: RegisterRequest<QuicklysignOptions>): Promise<Registration> {
	const packs = documentPackKeys(request.options?.documentPackKeys);
	const callback = quicklysignCallbackUrl(request.url, request.secret);
	if (packs.length === 0 && !request.options?.acceptForeignSubscriptions) {
		throw quicklysignTransport(http, credentials).error('creating webhooks', { hint: 'add at least one document pack key (webhooks are per document pack)', retryable: false });
	}
	const created: Array<[string, string]> = [];
	const callbackKeys: string[] = [];
	const rollback = async () => {
		for (const [, id] of created) await deleteQuicklysignWebhook(http, credentials, id).catch(() => undefined);
	};
	const transport = quicklysignTransport(http, credentials, request.url);
	for (const [index, pack] of packs.entries()) {
		const action = `creating the webhook for document pack ${index + 1} of ${packs.length} (${pack.slice(0, 12)}…)`;
		const response = await transport.sendOrUndo(action, {
			method: 'POST',
			url: `${quicklysignBaseUrl(credentials)}/webhooks`,
			headers: { 'content-type': 'application/json' },
			body: { client_id: credentials.clientId ?? '', client_secret: credentials.clientSecret ?? '', webhook: { entity_key: pack, callback } },
		}, async () => {
			await sweepPack(http, credentials, pack, callback);
			await rollback();
		});
		const webhook = transport.ok(response) ? webhookFrom(response.body) : undefined;
		const id = webhookId(webhook);
		if (!id) {
			if (!transport.ok(response) && transport.status(response) >= 500) await sweepPack(http, credentials, pack, callback);
			await rollback();
			if (!transport.ok(response)) throw transport.failure(action, response);
			throw transport.error(action, { status: response.status, hint: 'the answer had no webhook key: check the API base URL' });
		}
		created.push([pack, id]);
		// The answer may hold both keys, and callbacks may carry either: accept both when they differ.
		for (const key of [webhook?.key, webhook?.webhook_key]) if (typeof key === 'string' && key !== '' && key !== id) callbackKeys.push(key);
	}
	return {
		ids: created.map(([, id]) => id),
		url: callback,
		secret: request.secret,
		settings: quicklysignSettings(request.options),
		extra: { packs: Object.fromEntries(created), ...(callbackKeys.length ? { callbackKeys } : {}) },
	};
}

export async function quicklysignExists(
	http: HttpClient,
	credentials: QuicklysignCredentials,
	registration: Registration,
	expected: RegisterRequest<QuicklysignOptions>,
): Promise<boolean> {
	if (!registration.secret || registration.url !== quicklysignCallbackUrl(expected.url, registration.secret)) return false;
	if (JSON.stringify(registration.settings) !== JSON.stringify(quicklysignSettings(expected.options))) return false;
	const packs = (registration.extra?.packs ?? {}) as Record<string, string>;
	const packOf = Object.fromEntries(Object.entries(packs).map(([pack, id]) => [id, pack]));
	const transport = quicklysignTransport(http, credentials);
	for (const id of registration.ids ?? []) {
		const response = await transport.request('checking the webhook', { method: 'GET', url: `${quicklysignBaseUrl(credentials)}/webhooks/${encodeURIComponent(id)}`, qs: clientQs(credentials) }, { accept: [404] });
		if (transport.status(response) === 404) return false;
		const webhook = webhookFrom(response.body);
		if (!webhook) return false;
		if (webhook.callback !== undefined && webhook.callback !== registration.url) return false;
		if (webhook.entity_key !== undefined && packOf[id] !== undefined && webhook.entity_key !== packOf[id]) return false;
	}
	return true;
}

/** Webhooks on the option's document packs whose callback is `url` plus a token (`secret`, when given). */
export async function findQuicklysignRegistrations(
	http: HttpClient,
	credentials: QuicklysignCredentials,
	query: { url: string; secret?: string; options: QuicklysignOptions },
): Promise<Registration[]> {
	const found: Registration[] = [];
	const prefix = `${query.url}${query.url.includes('?') ? '&' : '?'}token=`;
	for (const pack of documentPackKeys(query.options?.documentPackKeys)) {
		for (const webhook of await listQuicklysignWebhooks(http, credentials, pack)) {
			const id = webhookId(webhook);
			const callback = webhook.callback ?? '';
			const ours = query.secret === undefined ? callback.startsWith(prefix) : callback === quicklysignCallbackUrl(query.url, query.secret);
			if (id && ours) found.push({ ids: [id], url: callback, secret: '', settings: {}, extra: { packs: { [pack]: id } } });
		}
	}
	return found;
}

/** A QuicklySign account is its API base URL and client id; client secret and API key are secrets. */
export function quicklysignAccountIdentity(credentials: QuicklysignCredentials): Record<string, string> {
	return { baseUrl: quicklysignBaseUrl(credentials), clientId: credentials.clientId ?? '' };
}

export async function unregisterQuicklysign(http: HttpClient, credentials: QuicklysignCredentials, registration: Registration): Promise<void> {
	let firstError: unknown;
	for (const id of registration.ids ?? []) {
		try {
			await deleteQuicklysignWebhook(http, credentials, id);
		} catch (error) {
			firstError ??= error;
		}
	}
	if (firstError) throw firstError;
}

/** Credential test: asks for an access token (checks client id, secret and API key). Throws a ServiceError. */
export async function testQuicklysignCredentials(http: HttpClient, credentials: QuicklysignCredentials): Promise<string> {
	await quicklysignAccessToken(http, credentials);
	return 'Connected to QuicklySign (access token issued)';
}

export interface QuicklysignDocumentPack {
	key?: string;
	name?: string;
	title?: string;
	status?: string;
	date_updated?: number | string;
	documents?: Array<{ key?: string; name?: string; status?: string; serve_pdf_url?: string }>;
	[key: string]: unknown;
}

export async function fetchDocumentPack(http: HttpClient, credentials: QuicklysignCredentials, token: string, entityKey: string): Promise<QuicklysignDocumentPack> {
	return documentPackWith(new QuicklysignSession(http, credentials, token), credentials, entityKey);
}

/** GET /document_packs/<key> with the session's access token. */
export async function documentPackWith(session: QuicklysignSession, credentials: QuicklysignCredentials, entityKey: string): Promise<QuicklysignDocumentPack> {
	const action = 'fetching the document pack';
	const response = await session.request(action, { method: 'GET', url: `${quicklysignBaseUrl(credentials)}/document_packs/${encodeURIComponent(entityKey)}` });
	const data = (response.body as { data?: { document_pack?: QuicklysignDocumentPack } & QuicklysignDocumentPack } | undefined)?.data;
	const pack = data?.document_pack ?? data;
	if (!pack || typeof pack !== 'object') throw new ServiceError({ service: QUICKLYSIGN_SERVICE, action, status: response.status, hint: 'the answer had no document pack' });
	return pack;
}

/**
 * Fetches each event's document pack (one access token, one fetch per pack) into data.documentPack,
 * maps its status, refines a status change, and adds date_updated to the id. A failed fetch keeps the
 * event with data.documentPackError.
 */
export async function enrichQuicklysign(
	http: HttpClient,
	credentials: QuicklysignCredentials,
	events: NormalizedEvent[],
	options: QuicklysignOptions,
): Promise<NormalizedEvent[]> {
	if (!options.fetchDocumentPack || events.length === 0) return events;
	const session = new QuicklysignSession(http, credentials);
	try {
		await session.accessToken();
	} catch (error) {
		return events.map((event) => ({ ...event, data: { ...event.data, documentPackError: (error as Error).message } }));
	}
	const packs = new Map<string, Promise<QuicklysignDocumentPack>>();
	return Promise.all(
		events.map(async (event) => {
			const key = event.document.id;
			if (!packs.has(key)) packs.set(key, documentPackWith(session, credentials, key));
			try {
				const pack = await (packs.get(key) as Promise<QuicklysignDocumentPack>);
				const status = typeof pack.status === 'string' ? pack.status : undefined;
				const data = event.data as { subscriptionKey?: string; callbackEvent?: string };
				return {
					...event,
					id: hashId(data.subscriptionKey ?? '', key, event.vendorEventType, pack.date_updated === undefined ? '' : String(pack.date_updated)),
					type: quicklysignEventType(event.vendorEventType, status),
					document: {
						...event.document,
						title: pack.name ?? pack.title ?? event.document.title,
						status: quicklysignDocumentStatus(status),
						vendorStatus: status,
					},
					data: {
						...event.data,
						documentPack: pack,
						documentUrls: (pack.documents ?? []).map((d) => d.serve_pdf_url).filter((u): u is string => typeof u === 'string'),
					},
				};
			} catch (error) {
				return { ...event, data: { ...event.data, documentPackError: (error as Error).message } };
			}
		}),
	);
}
