import type { HttpClient } from '../../outbound/http';
import { ServiceTransport, type ServiceHints } from '../../outbound/transport';
import type { Registration, RegisterRequest } from '../definition';
import { hmac, safeEqual } from '../../verify/crypto';
import { LEGITO_EVENT_TYPES, LEGITO_FILE_TYPES } from './mapping';

export const LEGITO_SERVICE = 'Legito';
export const LEGITO_REGIONS = ['emea', 'us', 'ca', 'apac', 'quarterly'] as const;
export type LegitoRegion = (typeof LEGITO_REGIONS)[number];
/** Custom header we add to the push connection; its value is our registration secret. */
export const LEGITO_TOKEN_HEADER = 'X-Legalhooks-Token';
/** Longest JWT lifetime Legito accepts. */
export const LEGITO_JWT_MAX_SECONDS = 3600;

export interface LegitoCredentials {
	/** API key (the JWT `iss`). */
	apiKey: string;
	/** Workspace private key: the HS256 secret. */
	privateKey: string;
	region?: LegitoRegion | 'custom' | string;
	/** With region `custom` (or no region): a dedicated instance, e.g. `https://example.legito.com/api/v7`. */
	apiBaseUrl?: string;
}

export interface LegitoRegistrationOptions {
	/** Push connection name shown in Legito; default "legalhooks". */
	connectionName?: string;
	/** Legito event types the connection is triggered by; empty = all. */
	legitoEventTypes?: string[];
	/** Template suite ids; empty = all suites. */
	templateSuites?: Array<number | string>;
	/** Document record type ids; empty = all types. */
	documentRecordTypes?: Array<number | string>;
	attachFilesUploaded?: boolean;
	attachFilesGenerated?: boolean;
	/** Formats of generated documents; default docx + pdf. */
	fileTypes?: string[];
}

export function legitoBaseUrl(credentials: LegitoCredentials): string {
	// The custom URL counts when the region says so or is not set (a hidden n8n field keeps its old value).
	const custom = credentials.apiBaseUrl?.trim();
	if (custom && (!credentials.region || credentials.region === 'custom')) return custom.replace(/\/+$/, '');
	const region = (LEGITO_REGIONS as readonly string[]).includes(String(credentials.region)) ? credentials.region : 'emea';
	return `https://${region}.legito.com/api/v7`;
}

const base64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

/** HS256 JWT with integer `iss`/`iat`/`exp` claims, minted with node:crypto (no JWT library). */
export function mintLegitoJwt(apiKey: string, privateKey: string, now: Date = new Date(), lifetimeSeconds = LEGITO_JWT_MAX_SECONDS): string {
	const iat = Math.floor(now.getTime() / 1000);
	const exp = iat + Math.min(Math.max(1, Math.floor(lifetimeSeconds)), LEGITO_JWT_MAX_SECONDS);
	const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
	const payload = base64url(JSON.stringify({ iss: apiKey, iat, exp }));
	const signature = base64url(hmac('sha256', privateKey, `${header}.${payload}`));
	return `${header}.${payload}.${signature}`;
}

/**
 * The JWT a Legito transport signs its requests with: minted once and again shortly before it
 * expires, so a run of calls shares one token.
 */
export class LegitoJwtSession {
	private token?: string;
	private expiresAt = 0;

	constructor(private readonly credentials: LegitoCredentials) {}

	current(now: Date = new Date()): string {
		if (!this.token || now.getTime() >= this.expiresAt - 60_000) {
			this.token = mintLegitoJwt(this.credentials.apiKey ?? '', this.credentials.privateKey ?? '', now);
			this.expiresAt = now.getTime() + LEGITO_JWT_MAX_SECONDS * 1000;
		}
		return this.token;
	}
}

/** Legito's transport: every request signed with the session's JWT; the private key never in an error. */
export function legitoTransport(http: HttpClient, credentials: LegitoCredentials, hints: ServiceHints = legitoHints()): ServiceTransport {
	const session = new LegitoJwtSession(credentials);
	return new ServiceTransport({
		service: LEGITO_SERVICE,
		http,
		hints,
		secrets: [credentials.privateKey],
		authorize: (request) => ({ ...request, headers: { authorization: `Bearer ${session.current()}`, accept: 'application/json', ...request.headers } }),
	});
}

/** What to check, by status, worded for whoever set the trigger up. */
export function legitoHints(webhookUrl?: string): Partial<Record<number | 'network', string>> {
	return {
		401: 'check the Legito API key and private key (Settings → Developers → API) and that this machine’s clock is right (the JWT is time-limited)',
		403: 'the API key’s default API user lacks permission to manage Push API connections (needs Workspace admin)',
		404: 'check the Legito region / base URL (emea, us, ca, apac, quarterly or your own instance, ending in /api/v7)',
		400: webhookUrlHint(webhookUrl, 'Legito'),
		422: webhookUrlHint(webhookUrl, 'Legito'),
		network: 'could not reach Legito: check the region / base URL and that this machine can reach it',
	};
}

/** Hint for a refused webhook URL, naming only its origin (a URL may carry a token). */
export function webhookUrlHint(webhookUrl: string | undefined, service: string): string {
	if (!webhookUrl) return 'check the settings';
	let parsed: URL;
	try {
		parsed = new URL(webhookUrl);
	} catch {
		return `the webhook URL is not a valid URL`;
	}
	if (parsed.protocol !== 'https:') return `${service} only calls HTTPS URLs, and the webhook URL (${parsed.origin}) is not HTTPS: set a public HTTPS base URL (WEBHOOK_URL in n8n)`;
	if (/^(localhost|127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|\[::1\])/.test(parsed.hostname)) {
		return `the webhook URL (${parsed.origin}) is not reachable from the internet: set a public base URL (WEBHOOK_URL in n8n)`;
	}
	return 'check the trigger settings (event types, template suites, record types, file types) and that the webhook URL is public';
}

export interface LegitoPushConnection {
	id: number | string;
	systemName?: string;
	name?: string;
	url?: string;
	enabled?: boolean;
	headers?: Array<{ name?: string; value?: string | null; useDefaultApiUser?: boolean }>;
	eventTypes?: string[];
	[key: string]: unknown;
}

/** The settings that define a push connection, in canonical form so two can be compared. */
export function legitoSettings(options: LegitoRegistrationOptions = {}): Record<string, unknown> {
	const known = new Set<string>(LEGITO_EVENT_TYPES);
	const events = [...new Set((options.legitoEventTypes ?? []).filter((t) => known.has(t)))].sort();
	const ids = (list?: Array<number | string>) =>
		[...new Set((list ?? []).map((v) => Number(v)).filter((v) => Number.isInteger(v) && v > 0))].sort((a, b) => a - b);
	const files = [...new Set((options.fileTypes ?? []).filter((t) => (LEGITO_FILE_TYPES as readonly string[]).includes(t)))].sort();
	return {
		name: options.connectionName?.trim() || 'legalhooks',
		eventTypes: events.length ? events : [...LEGITO_EVENT_TYPES],
		templateSuites: ids(options.templateSuites),
		documentRecordTypes: ids(options.documentRecordTypes),
		attachFilesUploaded: Boolean(options.attachFilesUploaded),
		attachFilesGenerated: Boolean(options.attachFilesGenerated),
		fileTypes: files.length ? files : ['docx', 'pdf'],
	};
}

function pushConnectionBody(url: string, secret: string, settings: Record<string, unknown>) {
	const templateSuites = settings.templateSuites as number[];
	const documentRecordTypes = settings.documentRecordTypes as number[];
	return {
		name: settings.name,
		url,
		enabled: true,
		headers: [{ name: LEGITO_TOKEN_HEADER, value: secret, useDefaultApiUser: false }],
		eventTypes: settings.eventTypes,
		templateSuiteAll: templateSuites.length === 0,
		templateSuites,
		documentRecordTypeAll: documentRecordTypes.length === 0,
		documentRecordTypes,
		attachFilesUploaded: settings.attachFilesUploaded,
		attachFilesGenerated: settings.attachFilesGenerated,
		fileTypes: settings.fileTypes,
	};
}

export async function listLegitoPushConnections(http: HttpClient, credentials: LegitoCredentials): Promise<LegitoPushConnection[]> {
	const transport = legitoTransport(http, credentials);
	const action = 'listing push connections';
	const response = await transport.request(action, { method: 'GET', url: `${legitoBaseUrl(credentials)}/push-connection` });
	if (!Array.isArray(response.body)) {
		throw transport.error(action, { status: response.status, hint: 'the answer was not a list: check the base URL points at the API (…/api/v7)' });
	}
	return response.body as LegitoPushConnection[];
}

async function deleteLegitoPushConnection(http: HttpClient, credentials: LegitoCredentials, id: string): Promise<void> {
	await legitoTransport(http, credentials).request(
		'deleting the push connection',
		{ method: 'DELETE', url: `${legitoBaseUrl(credentials)}/push-connection/${encodeURIComponent(id)}` },
		{ accept: [404] },
	);
}

const carriesToken = (connection: LegitoPushConnection, secret: string) =>
	(connection.headers ?? []).some((h) => h.name?.toLowerCase() === LEGITO_TOKEN_HEADER.toLowerCase() && typeof h.value === 'string' && safeEqual(h.value, secret));

/** Removes push connections to `url` carrying our token: cleanup after a create whose answer was lost. Best effort. */
async function removeOrphans(http: HttpClient, credentials: LegitoCredentials, url: string, secret: string): Promise<void> {
	try {
		const connections = await listLegitoPushConnections(http, credentials);
		for (const connection of connections) {
			if (connection.url === url && carriesToken(connection, secret)) await deleteLegitoPushConnection(http, credentials, String(connection.id));
		}
	} catch {
		// best effort: the original error is what the user needs to see
	}
}

/** Creates one enabled push connection with our token header. Leaves nothing behind when it fails. */
export async function registerLegito(
	http: HttpClient,
	credentials: LegitoCredentials,
	request: RegisterRequest<LegitoRegistrationOptions>,
): Promise<Registration> {
	const transport = legitoTransport(http, credentials, legitoHints(request.url));
	const settings = legitoSettings(request.options);
	const action = 'creating the push connection';
	const response = await transport.sendOrUndo(action, {
		method: 'POST',
		url: `${legitoBaseUrl(credentials)}/push-connection`,
		headers: { 'content-type': 'application/json' },
		body: pushConnectionBody(request.url, request.secret, settings),
	}, () => removeOrphans(http, credentials, request.url, request.secret));
	if (!transport.ok(response)) {
		if (response.status >= 500) await removeOrphans(http, credentials, request.url, request.secret);
		throw transport.failure(action, response);
	}
	const created = response.body as Partial<LegitoPushConnection> | undefined;
	if (!created || created.id === undefined || created.id === null || typeof created.systemName !== 'string') {
		await removeOrphans(http, credentials, request.url, request.secret);
		throw transport.error(action, { status: response.status, hint: 'the answer had no push connection id / systemName: check the base URL points at API v7' });
	}
	const enabled = typeof created.enabled === 'boolean' ? created.enabled : await readBackEnabled(http, credentials, String(created.id));
	// "Each newly created Push Connection must be enabled before use" and v7 has no update call: a connection
	// left disabled is kept (not re-created at every start) and marked, so the user can enable it in Legito.
	const extra: Record<string, unknown> = { systemName: created.systemName };
	if (enabled === false) extra.createdDisabled = true;
	return { ids: [String(created.id)], url: request.url, secret: request.secret, settings, extra };
}

/**
 * Legito: "each newly created Push Connection must be enabled before use", and v7 has no call that
 * enables one: while the one we made reads back disabled, the user is told where to enable it.
 */
export async function legitoRegistrationWarning(http: HttpClient, credentials: LegitoCredentials, registration: Registration): Promise<string | undefined> {
	if (registration.extra?.createdDisabled !== true || !registration.ids?.length) return undefined;
	if ((await readBackEnabled(http, credentials, registration.ids[0])) !== false) return undefined;
	return `Legito created push connection ${registration.ids[0]} disabled, so it sends nothing yet: enable it in Legito under My account → Settings → Push API (click "Disabled" next to it). No restart is needed.`;
}

/** Whether the listing shows the connection enabled; undefined when it cannot tell. */
async function readBackEnabled(http: HttpClient, credentials: LegitoCredentials, id: string): Promise<boolean | undefined> {
	try {
		const found = (await listLegitoPushConnections(http, credentials)).find((c) => String(c.id) === id);
		return typeof found?.enabled === 'boolean' ? found.enabled : undefined;
	} catch {
		return undefined;
	}
}

function sameJson(a: unknown, b: unknown): boolean {
	return JSON.stringify(a) === JSON.stringify(b);
}

/** True only when our push connection is still there, enabled, pointing at the expected URL with the expected settings. */
export async function legitoExists(
	http: HttpClient,
	credentials: LegitoCredentials,
	registration: Registration,
	expected: RegisterRequest<LegitoRegistrationOptions>,
): Promise<boolean> {
	if (!registration.ids?.length || registration.url !== expected.url) return false;
	if (!sameJson(registration.settings, legitoSettings(expected.options))) return false;
	const connections = await listLegitoPushConnections(http, credentials);
	const found = connections.find((c) => String(c.id) === registration.ids[0]);
	if (!found) return false;
	if (found.url !== undefined && found.url !== registration.url) return false;
	// One we saw created disabled stays ours until the user enables it; one disabled later is re-created.
	if (found.enabled === false && registration.extra?.createdDisabled !== true) return false;
	if (found.systemName !== undefined && registration.extra?.systemName !== undefined && found.systemName !== registration.extra.systemName) return false;
	if (Array.isArray(found.eventTypes) && !sameJson([...found.eventTypes].sort(), registration.settings.eventTypes)) return false;
	// Legito may mask header values in listings; when they are shown, ours must be there.
	const header = (found.headers ?? []).find((h) => h.name?.toLowerCase() === LEGITO_TOKEN_HEADER.toLowerCase());
	if (found.headers && !header) return false;
	if (header && typeof header.value === 'string' && header.value !== '' && !safeEqual(header.value, registration.secret)) return false;
	return true;
}

/** Push connections to `url` (carrying our token header with `secret`, when given). */
export async function findLegitoRegistrations(
	http: HttpClient,
	credentials: LegitoCredentials,
	query: { url: string; secret?: string },
): Promise<Registration[]> {
	const connections = await listLegitoPushConnections(http, credentials);
	return connections
		// Where Legito masks header values, a connection with our header at this URL may be the one.
		.filter((c) => c.url === query.url && (query.secret === undefined || tokenMasked(c) ? hasTokenHeader(c) : carriesToken(c, query.secret)))
		.map((c) => ({ ids: [String(c.id)], url: c.url ?? query.url, secret: '', settings: {}, extra: c.systemName ? { systemName: c.systemName } : undefined }));
}

const tokenMasked = (connection: LegitoPushConnection) =>
	(connection.headers ?? []).some((h) => h.name?.toLowerCase() === LEGITO_TOKEN_HEADER.toLowerCase() && (h.value === null || h.value === undefined || h.value === ''));
const hasTokenHeader = (connection: LegitoPushConnection) => (connection.headers ?? []).some((h) => h.name?.toLowerCase() === LEGITO_TOKEN_HEADER.toLowerCase());

/** A Legito account is its API base URL and API key (the JWT issuer); the private key is the secret. */
export function legitoAccountIdentity(credentials: LegitoCredentials): Record<string, string> {
	return { baseUrl: legitoBaseUrl(credentials), apiKey: credentials.apiKey ?? '' };
}

export async function unregisterLegito(http: HttpClient, credentials: LegitoCredentials, registration: Registration): Promise<void> {
	for (const id of registration.ids ?? []) await deleteLegitoPushConnection(http, credentials, id);
}

/** Credential test: lists push connections (needs a valid JWT and the Push API permission). Throws a ServiceError. */
export async function testLegitoCredentials(http: HttpClient, credentials: LegitoCredentials): Promise<string> {
	const list = await listLegitoPushConnections(http, credentials);
	return `Connected to Legito (${list.length} push connection${list.length === 1 ? '' : 's'})`;
}
