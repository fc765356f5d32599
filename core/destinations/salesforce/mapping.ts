import type { DocumentStatus, NormalizedEvent } from '../../event/normalized-event';
import { ServiceError } from '../../outbound/errors';
import { EventInputError, STATUS_LABELS, VENDOR_LABELS, documentLabel, documentPageUrl, personOf, renderTemplate, templateValue, valueAt, type TemplateNames } from '../event-input';
import type { SalesforceOptions } from './types';

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

const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

export function apiName(value: string | undefined, fallback: string, setting: string): string {
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

export function soqlString(value: string): string {
	return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
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
export function createDefaults(error: unknown, event: NormalizedEvent, options: SalesforceOptions, fields: Record<string, unknown>): Record<string, unknown> | undefined {
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
