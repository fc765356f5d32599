import type { DocumentStatus, NormalizedEvent } from '../../event';
import { ServiceError } from '../../errors';
import type { HttpResponse } from '../../http';
import { classifyStatus, headerOf, nowOf, runWithRetry, type AttemptOutcome, type DeliveryContext, type DeliveryReport } from '../delivery';
import { EventInputError, STATUS_LABELS, VENDOR_LABELS, documentLabel, documentPageUrl, personOf, renderTemplate, stringAt, templateValue, valueAt, type TemplateNames } from '../event-input';
import type { AuthorizationServer } from '../authorization-code';
import { TokenSession, requestToken, sendWithToken, type TokenState } from '../oauth';

export const SALESFORCE_SERVICE = 'Salesforce';
export const SALESFORCE_DEFAULT_LOGIN_URL = 'https://login.salesforce.com';
export const SALESFORCE_DEFAULT_API_VERSION = '60.0';

/** Salesforce's web server flow (authorization code + PKCE) for an engine that runs it. */
export function salesforceAuthorizationServer(settings: { loginUrl?: string }): AuthorizationServer {
	const login = (settings.loginUrl || SALESFORCE_DEFAULT_LOGIN_URL).replace(/\/+$/, '');
	return { service: SALESFORCE_SERVICE, authorizeUrl: `${login}/services/oauth2/authorize`, tokenUrl: `${login}/services/oauth2/token`, scope: 'api refresh_token', clientAuth: 'body' };
}

export interface SalesforceCredentials {
	/**
	 * `engine`: the injected HTTP client signs every request and refreshes (and stores a rotated)
	 * token itself (n8n's OAuth2 credential); `instanceUrl` then comes from the engine's token data.
	 */
	grantType: 'refresh_token' | 'client_credentials' | 'engine';
	/** https://login.salesforce.com, https://test.salesforce.com or the My Domain URL (client credentials need My Domain). */
	loginUrl?: string;
	clientId?: string;
	clientSecret?: string;
	refreshToken?: string;
	/** Overrides the instance_url of the token response. */
	instanceUrl?: string;
	apiVersion?: string;
}

export type SalesforceOperation = 'upsert' | 'updateLeadStatus' | 'createTask';

/** Canonical status → Opportunity StageName (standard picklist values). Statuses left out are not written. */
export const DEFAULT_STAGE_MAP: Partial<Record<DocumentStatus, string>> = {
	created: 'Prospecting',
	in_review: 'Proposal/Price Quote',
	in_approval: 'Proposal/Price Quote',
	approved: 'Negotiation/Review',
	out_for_signature: 'Negotiation/Review',
	completed: 'Closed Won',
	rejected: 'Closed Lost',
	cancelled: 'Closed Lost',
	expired: 'Closed Lost',
};

/** Canonical status → Lead Status (standard picklist values). A converted status cannot be set directly. */
export const DEFAULT_LEAD_STATUS_MAP: Partial<Record<DocumentStatus, string>> = {
	created: 'Open - Not Contacted',
	in_review: 'Working - Contacted',
	in_approval: 'Working - Contacted',
	approved: 'Working - Contacted',
	out_for_signature: 'Working - Contacted',
	rejected: 'Closed - Not Converted',
	cancelled: 'Closed - Not Converted',
	expired: 'Closed - Not Converted',
};

/**
 * Salesforce field → its value, a template like every action field that takes event values:
 * `{{data.contractValue}}` (one placeholder alone keeps the value's type), `{{status}}` for the
 * canonical status through the status map, `{{title}}` for the title or "Document <id>", `{{date}}` for
 * the day of the event (executed, else occurred, else received; YYYY-MM-DD). Fields whose value is
 * empty are not sent. The forms before templates — `$status`, `$title`, `$date` and a bare path
 * (`data.contractValue`) — are still read: saved workflows and flows hold them.
 */
export const DEFAULT_FIELD_MAP: Record<string, string> = {
	Name: '{{title}}',
	StageName: '{{status}}',
	Amount: '{{data.contractValue}}',
};

/**
 * Written only when a record is created (an Opportunity needs Name, StageName and CloseDate): an
 * upsert that Salesforce refuses with REQUIRED_FIELD_MISSING created nothing, and is sent once more
 * with these filled in for the missing fields. An update never sees them, so an existing
 * Opportunity keeps its close date.
 */
export const DEFAULT_CREATE_FIELDS: Record<string, string> = {
	Name: '{{title}}',
	StageName: '{{status}}',
	CloseDate: '{{date}}',
};
/** The help of the upsert settings, in both editors. */
export const SALESFORCE_FIELD_HELP = {
	externalIdField:
		'The External ID field that holds the document ID. The default Legalhooks_Document_Id__c is a custom field you add once: Setup → Object Manager → your object → Fields & Relationships → New, type Text, External ID and Unique on (or pick one the object has).',
	fieldMap:
		'Salesforce field → value, with {{path}} placeholders from the event ({{document.title}}, {{data.contractValue}}, {{recipient.email}}), {{title}}, {{date}} and {{status}} (the status mapped below). A value that is one placeholder alone keeps its type. Empty values are not written.',
	statusMap: 'Canonical document status → picklist value written for {{status}} (Opportunity StageName by default). Statuses not listed are not written.',
};

/** Stage for a new Opportunity whose document status the status map leaves out. */
const FALLBACK_NEW_STAGE = 'Prospecting';

export interface SalesforceOptions {
	operation: SalesforceOperation;
	/** upsert: sObject API name (default Opportunity). */
	object?: string;
	/** upsert: external ID field (default Legalhooks_Document_Id__c). */
	externalIdField?: string;
	/** upsert: external ID value (default the document id). */
	externalIdValue?: string;
	fieldMap?: Record<string, string>;
	statusMap?: Partial<Record<DocumentStatus, string>>;
	/** upsert: `createOrUpdate` (default) or `updateOnly` (an unknown document id creates nothing). */
	upsertMode?: 'createOrUpdate' | 'updateOnly';
	/** upsert: fields for a new record (default DEFAULT_CREATE_FIELDS); `{}` turns them off. */
	createFields?: Record<string, string>;
	/** Literal field values added to the record (override mapped ones). */
	extraFields?: Record<string, unknown>;
	/** updateLeadStatus: the Lead Id; when empty the open Lead is looked up by email. */
	leadId?: string;
	/** updateLeadStatus: email to find the Lead by (default recipient email, else actor email). */
	leadEmail?: string;
	/** createTask: related record (WhatId) and person (WhoId). */
	whatId?: string;
	whoId?: string;
	subject?: string;
	description?: string;
	taskStatus?: string;
	/** createTask: an External ID field on Task/Activity; when set the Task is upserted by event id (no duplicate on retry). */
	taskExternalIdField?: string;
}

export interface SalesforceResult {
	destination: 'salesforce';
	operation: SalesforceOperation;
	/** upsert in update-only mode: `notFound` when no record has the document id (nothing written). */
	outcome?: 'written' | 'notFound';
	object: string;
	id?: string;
	created?: boolean;
	fields: Record<string, unknown>;
	/** From the Sforce-Limit-Info header, e.g. "api-usage=25/15000". */
	apiUsage?: string;
	attempts: number;
	waitedMs: number[];
	tokenRefreshed: boolean;
}

const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

function apiName(value: string | undefined, fallback: string, setting: string): string {
	const name = (value ?? '').trim() || fallback;
	if (!API_NAME.test(name)) throw new EventInputError(`"${name}" is not a Salesforce API name (setting ${setting})`, setting);
	return name;
}

/** The record body from the field map, status map and extra fields. */
export function mapSalesforceFields(
	event: NormalizedEvent,
	fieldMap: Record<string, string> = DEFAULT_FIELD_MAP,
	statusMap: Partial<Record<DocumentStatus, string>> = DEFAULT_STAGE_MAP,
	extraFields: Record<string, unknown> = {},
): Record<string, unknown> {
	const fields: Record<string, unknown> = {};
	for (const [field, source] of Object.entries(fieldMap)) {
		if (!API_NAME.test(field)) throw new EventInputError(`"${field}" in the field mapping is not a Salesforce API name`, 'fieldMap');
		const value = sourceValue(event, String(source), statusMap);
		if (value === undefined || value === null || value === '') continue;
		fields[field] = typeof value === 'object' ? JSON.stringify(value) : value;
	}
	for (const [field, value] of Object.entries(extraFields)) {
		if (!API_NAME.test(field)) throw new EventInputError(`"${field}" in the extra fields is not a Salesforce API name`, 'extraFields');
		fields[field] = value;
	}
	return fields;
}

function eventDate(event: NormalizedEvent): string {
	for (const candidate of [valueAt(event, 'data.executedAt'), event.occurredAt, event.receivedAt]) {
		const ms = typeof candidate === 'string' ? Date.parse(candidate) : NaN;
		if (!Number.isNaN(ms)) return new Date(ms).toISOString().slice(0, 10);
	}
	return event.receivedAt.slice(0, 10);
}

/** The field map's earlier forms, still in saved workflows and flows: `$status`… and bare paths. */
const LEGACY_NAMES: Record<string, string> = { $status: 'status', $title: 'title', $date: 'date' };

function sourceValue(event: NormalizedEvent, source: string, statusMap: Partial<Record<DocumentStatus, string>>): unknown {
	const names: TemplateNames = {
		status: () => statusMap[event.document.status],
		title: () => documentLabel(event).slice(0, 120),
		date: () => eventDate(event),
	};
	const trimmed = source.trim();
	if (trimmed.includes('{{')) return templateValue(trimmed, event, names);
	if (Object.prototype.hasOwnProperty.call(LEGACY_NAMES, trimmed)) return names[LEGACY_NAMES[trimmed]](event);
	return valueAt(event, trimmed);
}

function soqlString(value: string): string {
	return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
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

function result(client: SalesforceClient, operation: SalesforceOperation, object: string, fields: Record<string, unknown>, id?: string, created?: boolean): SalesforceResult {
	return {
		destination: 'salesforce',
		operation,
		object,
		id,
		created,
		fields,
		apiUsage: client.apiUsage,
		attempts: client.stats.attempts,
		waitedMs: client.stats.waitedMs,
		tokenRefreshed: client.stats.tokenRefreshed,
	};
}

function bodyRecord(response: HttpResponse): Record<string, unknown> {
	return response.body && typeof response.body === 'object' ? (response.body as Record<string, unknown>) : {};
}

/** Builds the upsert request: path and body (the external ID field is in the path, not the body). */
export function buildUpsert(event: NormalizedEvent, options: SalesforceOptions): { object: string; path: string; fields: Record<string, unknown> } {
	const object = apiName(options.object, 'Opportunity', 'object');
	const externalIdField = apiName(options.externalIdField, 'Legalhooks_Document_Id__c', 'externalIdField');
	const externalId = (options.externalIdValue ?? '').trim() || event.document.id;
	if (!externalId) throw new EventInputError('The event has no document.id to use as the external ID value', 'document.id');
	const fields = mapSalesforceFields(event, options.fieldMap ?? DEFAULT_FIELD_MAP, options.statusMap ?? DEFAULT_STAGE_MAP, options.extraFields);
	delete fields[externalIdField];
	if (Object.keys(fields).length === 0) {
		throw new EventInputError(`Nothing to write: the field mapping gave no values for this event (status ${event.document.status}); check the mapping and the status map`, 'fieldMap');
	}
	return { object, path: `/sobjects/${object}/${externalIdField}/${encodeURIComponent(externalId)}`, fields };
}

/**
 * After REQUIRED_FIELD_MISSING on an upsert (the record did not exist and was not created): the
 * fields once more with the create fields filled in where missing, or undefined when that cannot help.
 */
function createDefaults(error: unknown, event: NormalizedEvent, options: SalesforceOptions, fields: Record<string, unknown>): Record<string, unknown> | undefined {
	if (!(error instanceof ServiceError) || error.status !== 400 || !/REQUIRED_FIELD_MISSING/.test(error.serviceMessage ?? '')) return undefined;
	const statusMap = options.statusMap ?? DEFAULT_STAGE_MAP;
	const extra: Record<string, unknown> = {};
	for (const [field, source] of Object.entries(options.createFields ?? DEFAULT_CREATE_FIELDS)) {
		if (!API_NAME.test(field) || fields[field] !== undefined) continue;
		let value = sourceValue(event, String(source), statusMap);
		if ((value === undefined || value === '') && field === 'StageName' && /^\s*(\$status|\{\{\s*status\s*\}\})\s*$/.test(String(source))) value = FALLBACK_NEW_STAGE;
		if (value !== undefined && value !== null && value !== '') extra[field] = value;
	}
	return Object.keys(extra).length ? { ...fields, ...extra } : undefined;
}

/** Builds the Task body. */
export function buildTask(event: NormalizedEvent, options: SalesforceOptions): Record<string, unknown> {
	const whatId = options.whatId?.trim();
	const whoId = options.whoId?.trim();
	if (!whatId && !whoId) throw new EventInputError('Set the record the Task belongs to: Related To ID (WhatId) or Name ID (WhoId)', 'whatId');
	const when = event.occurredAt ?? event.receivedAt;
	const who = personOf(event);
	const description =
		options.description?.trim()
			? renderTemplate(options.description, event)
			: [
					`${VENDOR_LABELS[event.vendor]}: ${documentLabel(event)} is ${STATUS_LABELS[event.document.status].toLowerCase()} (${event.type}).`,
					who ? `Who: ${who}` : undefined,
					`When: ${when}`,
					documentPageUrl(event) ? `Document: ${documentPageUrl(event)}` : undefined,
					`Document ID: ${event.document.id}`,
					`Event ID: ${event.id}`,
				]
					.filter(Boolean)
					.join('\n');
	return {
		Subject: (options.subject?.trim() ? renderTemplate(options.subject, event) : `${documentLabel(event)}: ${STATUS_LABELS[event.document.status]}`).slice(0, 255),
		...(whatId ? { WhatId: whatId } : {}),
		...(whoId ? { WhoId: whoId } : {}),
		Status: options.taskStatus?.trim() || 'Completed',
		ActivityDate: when.slice(0, 10),
		Description: description.slice(0, 32000),
		...(options.extraFields ?? {}),
	};
}

/** Sends the event to Salesforce with the chosen operation. `tokenState` in, `client.session.state` out. */
export async function sendToSalesforce(
	ctx: DeliveryContext,
	credentials: SalesforceCredentials,
	event: NormalizedEvent,
	options: SalesforceOptions,
	tokenState?: TokenState,
): Promise<{ result: SalesforceResult; tokenState?: TokenState }> {
	const client = new SalesforceClient(ctx, credentials, tokenState);
	const done = (r: SalesforceResult) => ({ result: r, tokenState: client.session.state });

	if (options.operation === 'upsert') {
		const { object, path, fields } = buildUpsert(event, options);
		if (options.upsertMode === 'updateOnly') {
			// Look the record up by its external ID, then update it by Id: nothing is ever created.
			const id = await client.request('GET', path, `find ${object}`, undefined, (res) => (res.status === 404 ? undefined : (bodyRecord(res).Id as string | undefined)), { fields: 'Id' }).catch((error: unknown) => {
				if (error instanceof ServiceError && error.status === 404) return undefined;
				throw error;
			});
			if (!id) return done({ ...result(client, 'upsert', object, fields, undefined, false), outcome: 'notFound' });
			await client.request('PATCH', `/sobjects/${object}/${encodeURIComponent(id)}`, `update ${object}`, fields, () => undefined);
			return done({ ...result(client, 'upsert', object, fields, id, false), outcome: 'written' });
		}
		const upsert = (body: Record<string, unknown>) =>
			client.request('PATCH', path, `upsert ${object}`, body, (res) => {
				const record = bodyRecord(res);
				return { id: typeof record.id === 'string' ? record.id : undefined, created: typeof record.created === 'boolean' ? record.created : res.status === 201 };
			});
		let written = fields;
		const outcome = await upsert(fields).catch(async (error: unknown) => {
			const withDefaults = createDefaults(error, event, options, fields);
			if (!withDefaults) throw error;
			written = withDefaults;
			return upsert(withDefaults);
		});
		return done({ ...result(client, 'upsert', object, written, outcome.id, outcome.created), outcome: 'written' });
	}

	if (options.operation === 'updateLeadStatus') {
		const status = (options.statusMap ?? DEFAULT_LEAD_STATUS_MAP)[event.document.status];
		if (!status) throw new EventInputError(`No Lead status is mapped for the document status "${event.document.status}"; add it to the status map`, 'statusMap');
		let leadId = options.leadId?.trim();
		if (!leadId) {
			const email = options.leadEmail?.trim() || stringAt(event, 'recipient.email') || stringAt(event, 'actor.email');
			if (!email) throw new EventInputError('Set the Lead ID, or a Lead email: the event has no recipient.email or actor.email', 'recipient.email');
			const query = `SELECT Id FROM Lead WHERE Email = ${soqlString(email)} AND IsConverted = false ORDER BY LastModifiedDate DESC LIMIT 2`;
			const ids = await client.request('GET', '/query', 'find Lead', undefined, (res) => {
				const records = bodyRecord(res).records;
				return Array.isArray(records) ? records.map((r) => (r as Record<string, unknown>).Id as string) : [];
			}, { q: query });
			if (ids.length === 0) throw new ServiceError({ service: SALESFORCE_SERVICE, action: 'find Lead', serviceMessage: `no open Lead with email ${email}`, hint: 'set the Lead ID or check the email', retryable: false });
			if (ids.length > 1) throw new ServiceError({ service: SALESFORCE_SERVICE, action: 'find Lead', serviceMessage: `several open Leads have email ${email}`, hint: 'set the Lead ID', retryable: false });
			leadId = ids[0];
		}
		const fields = { Status: status, ...(options.extraFields ?? {}) };
		await client.request('PATCH', `/sobjects/Lead/${encodeURIComponent(leadId)}`, 'update Lead status', fields, () => undefined);
		return done(result(client, 'updateLeadStatus', 'Lead', fields, leadId, false));
	}

	if (options.operation === 'createTask') {
		const fields = buildTask(event, options);
		const externalField = options.taskExternalIdField?.trim();
		if (externalField) {
			const field = apiName(externalField, '', 'taskExternalIdField');
			delete fields[field];
			const outcome = await client.request('PATCH', `/sobjects/Task/${field}/${encodeURIComponent(event.id)}`, 'upsert Task', fields, (res) => {
				const body = bodyRecord(res);
				return { id: typeof body.id === 'string' ? body.id : undefined, created: typeof body.created === 'boolean' ? body.created : res.status === 201 };
			});
			return done(result(client, 'createTask', 'Task', fields, outcome.id, outcome.created));
		}
		const id = await client.request('POST', '/sobjects/Task', 'create Task', fields, (res) => {
			const body = bodyRecord(res);
			return typeof body.id === 'string' ? body.id : undefined;
		});
		return done(result(client, 'createTask', 'Task', fields, id, true));
	}

	throw new EventInputError(`Unknown Salesforce operation "${String(options.operation)}"`, 'operation');
}

/** Credential check for the engines' "test" buttons: token + limits. */
export async function testSalesforceCredentials(ctx: DeliveryContext, credentials: SalesforceCredentials): Promise<{ ok: true; instanceUrl: string }> {
	const client = new SalesforceClient(ctx, credentials);
	const { instanceUrl } = await client.check();
	return { ok: true, instanceUrl };
}

/** Objects that can be written, for pickers (GET /sobjects). */
export async function listSalesforceObjects(ctx: DeliveryContext, credentials: SalesforceCredentials): Promise<Array<{ name: string; label: string }>> {
	const client = new SalesforceClient(ctx, credentials);
	const sobjects = await client.request('GET', '/sobjects', 'list objects', undefined, (res) => bodyRecord(res).sobjects);
	return (Array.isArray(sobjects) ? (sobjects as Array<Record<string, unknown>>) : [])
		.filter((o) => o.updateable === true && typeof o.name === 'string')
		.map((o) => ({ name: o.name as string, label: typeof o.label === 'string' ? o.label : (o.name as string) }));
}

/** An object's External ID fields, for pickers (GET /sobjects/<object>/describe). */
export async function listSalesforceExternalIdFields(ctx: DeliveryContext, credentials: SalesforceCredentials, object: string): Promise<Array<{ name: string; label: string }>> {
	const name = apiName(object, 'Opportunity', 'object');
	const client = new SalesforceClient(ctx, credentials);
	const fields = await client.request('GET', `/sobjects/${name}/describe`, `describe ${name}`, undefined, (res) => bodyRecord(res).fields);
	return (Array.isArray(fields) ? (fields as Array<Record<string, unknown>>) : [])
		.filter((f) => f.externalId === true && typeof f.name === 'string')
		.map((f) => ({ name: f.name as string, label: typeof f.label === 'string' ? f.label : (f.name as string) }));
}
