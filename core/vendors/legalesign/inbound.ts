import { z } from 'zod/v4';
import { nonEmptyString } from '../string-schema';
import { isoTime } from '../../event/iso-time';
import type { NormalizedEvent } from '../../event/normalized-event';
import { parseFormBody } from '../../inbound/form';
import { hashId, isoFromMs, validateParsed } from '../../inbound/parse';
import { parseJsonText } from '../../inbound/safe-json';
import type { InboundRequest, ReceiveContext, ReceiveResult } from '../definition';
import { certificateHint, generatedSecretHint, type Verified } from '../../verify/record';
import { headerValue, verifyRsaSignature } from '../../verify/crypto';
import {
	LEGALESIGN_DOCUMENT_STATUSES,
	LEGALESIGN_SIGNER_STATUSES,
	legalesignDocumentMapping,
	legalesignStatusText,
	legalesignSignerType,
	legalesignUponEventMapping,
} from './mapping';
import { legalesignPrecheck } from './precheck';
import { currentSecret } from '../../verify/secret-rotation';

export const LEGALESIGN_SIGNATURE_HEADER = 'x-signed';

export { encodeFormBody, parseFormBody } from '../../inbound/form';

const first = (fields: Map<string, string[]>, name: string) => fields.get(name)?.[0];
const hasOwn = (record: object, key: string) => Object.prototype.hasOwnProperty.call(record, key);

/**
 * `YYYY-MM-DDTHH:MM:SS`, optionally `.mmm`, then `Z`, `+00:00` or nothing (UTC): the form Legalesign
 * writes, which is already the instant toISOString would write. Day 29 and up are left to Date.parse,
 * which knows the month lengths.
 */
const PLAIN_UTC = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{3})?(?:Z|\+00:00)?$/;

/** Legalesign timestamps sometimes have no offset; they are UTC. */
export function legalesignTime(value: string | undefined | null): string | null {
	if (!value) return null;
	// Copied, not parsed: Date.parse and toISOString cost ≈ 0.7 µs per batch entry.
	if (PLAIN_UTC.test(value)) return `${value.slice(0, 19)}${value.charCodeAt(19) === 46 /* . */ ? value.slice(19, 23) : '.000'}Z`;
	const text = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value) ? `${value}Z` : value;
	return isoFromMs(Date.parse(text));
}

/** base64 signature from a form field whose `+` may have arrived unencoded (decoded to spaces). */
const signatureText = (value: string | undefined) => value?.replace(/ /g, '+');

const BatchEntry = z
	.object({
		value: z.union([z.string(), z.number()]).transform(String),
		timestamp: z.string().nullish(),
		resource_uri: nonEmptyString(),
		name: z.string().nullish(),
	})
	.passthrough();
export const LegalesignBatchSchema = z.array(BatchEntry);
export type LegalesignBatchEntry = z.infer<typeof BatchEntry>;

const UNKNOWN_RESOURCE = { kind: 'unknown', id: '' };

/** Where a URI's path ends: at its first `?` or `#`, else at its end. */
function pathEnd(uri: string): number {
	const query = uri.indexOf('?');
	const fragment = uri.indexOf('#');
	if (query === -1) return fragment === -1 ? uri.length : fragment;
	return fragment === -1 || query < fragment ? query : fragment;
}

/** `/api/v1/<kind>/<id>/[?…|#…]` → kind and id. Index scans only: linear in the URI's length. */
export function parseResourceUri(uri: string): { kind: string; id: string } {
	let path = uri.slice(0, pathEnd(uri));
	if (path.endsWith('/')) path = path.slice(0, -1);
	const idAt = path.lastIndexOf('/');
	if (idAt <= 0) return UNKNOWN_RESOURCE;
	const kindAt = path.lastIndexOf('/', idAt - 1);
	const kind = path.slice(kindAt + 1, idAt);
	const id = path.slice(idAt + 1);
	if (kindAt === -1 || id === '' || !/^[a-z_]+$/i.test(kind)) return UNKNOWN_RESOURCE;
	return { kind: kind.toLowerCase(), id };
}

/** The document a URI names anywhere in its path (`…/document/<id>/…`), or '' when it names none. */
export function documentIdInUri(uri: string): string {
	// Signer URIs (`/api/v1/signer/<id>/`) have no such segment: no split for them.
	if (!/document/i.test(uri)) return '';
	const segments = uri.slice(0, pathEnd(uri)).split('/');
	for (let i = 0; i + 1 < segments.length; i++) if (segments[i].toLowerCase() === 'document' && segments[i + 1] !== '') return segments[i + 1];
	return '';
}

export function normalizeBatchEntry(entry: LegalesignBatchEntry, receivedAt: Date): NormalizedEvent {
	const uri = entry.resource_uri;
	const { kind, id } = parseResourceUri(uri);
	const name = entry.name ?? 'status';
	const value = entry.value;
	// One literal per kind, in the same key order (no spread of a shared base: it costs microseconds per event).
	const eventId = hashId(uri, name, value, entry.timestamp ?? '');
	const vendorEventType = `${kind}.${value}`;
	const occurredAt = legalesignTime(entry.timestamp);
	const received = isoTime(receivedAt);
	if (kind === 'signer') {
		return {
			id: eventId,
			vendor: 'legalesign',
			vendorEventType,
			occurredAt,
			receivedAt: received,
			files: [],
			raw: entry,
			type: legalesignSignerType(value),
			// Signer URIs (`/api/v1/signer/<id>/`) name no document; one that does gives its id.
			document: { id: documentIdInUri(uri), status: 'other' },
			recipient: { id, status: value },
			data: { deliveryKind: 'batch', resourceUri: uri, name, value, statusText: legalesignStatusText(LEGALESIGN_SIGNER_STATUSES, value), signerId: id },
		};
	}
	if (kind === 'document') {
		const [type, status] = legalesignDocumentMapping(value);
		return {
			id: eventId,
			vendor: 'legalesign',
			vendorEventType,
			occurredAt,
			receivedAt: received,
			files: [],
			raw: entry,
			type,
			document: { id, status, vendorStatus: value },
			data: { deliveryKind: 'batch', resourceUri: uri, name, value, statusText: legalesignStatusText(LEGALESIGN_DOCUMENT_STATUSES, value) },
		};
	}
	return {
		id: eventId,
		vendor: 'legalesign',
		vendorEventType,
		occurredAt,
		receivedAt: received,
		files: [],
		raw: entry,
		type: 'other',
		document: { id: '', status: 'other' },
		data: { deliveryKind: 'batch', resourceUri: uri, name, value },
	};
}

/** The first non-empty value among the field names the upon-event page allows (its printout is missing). */
function pickField(fields: Record<string, string>, names: readonly string[]): string | undefined {
	for (const name of names) if (hasOwn(fields, name) && fields[name] !== '') return fields[name];
	return undefined;
}

const DOCUMENT_NAME_FIELDS = ['name', 'document_name', 'documentName', 'title'] as const;
const EVENT_FIELDS = ['event', 'event_code', 'eventCode', 'event_type', 'type'] as const;
const URI_FIELDS = ['resource_uri', 'uri', 'resourceUri'] as const;
const UUID_FIELDS = ['uuid', 'document_uuid', 'documentUuid', 'document_id'] as const;
const TAG_FIELDS = ['tag', 'tag1', 'tag2', 'tags'] as const;

/** Stable over a redelivery of the same fields, whatever their order. */
function fieldsId(fields: Record<string, string>): string {
	const parts = ['upon-event'];
	for (const name of Object.keys(fields).sort()) parts.push(name, fields[name]);
	return hashId(...parts);
}

/**
 * One upon-event callback. Its fields carry no event id or time that changes per event (two signers
 * signing send the same fields), so `data.deliveryKind` = `upon-event` tells de-duplication to emit
 * every one (see `idsDistinguishEvents` in index.ts).
 */
export function normalizeUponEvent(fields: Record<string, string>, unsigned: Record<string, string>, receivedAt: Date): NormalizedEvent {
	const resourceUri = pickField(fields, URI_FIELDS) ?? '';
	const parsedUri = parseResourceUri(resourceUri);
	const documentId = pickField(fields, UUID_FIELDS) ?? (parsedUri.kind === 'document' ? parsedUri.id : '');
	const event = pickField(fields, EVENT_FIELDS) ?? '';
	const title = pickField(fields, DOCUMENT_NAME_FIELDS);
	const [type, status] = legalesignUponEventMapping(event);
	const tags: string[] = [];
	for (const name of TAG_FIELDS) if (hasOwn(fields, name) && fields[name] !== '') tags.push(fields[name]);
	// Object.assign, not spreads: a spread of these many-keyed records costs microseconds. The field
	// names are safe to assign: the form and JSON parsers refuse `__proto__` and its kin.
	const data: Record<string, unknown> = Object.assign({}, fields);
	data.tags = tags;
	if (Object.keys(unsigned).length) data.unsignedFields = unsigned;
	data.deliveryKind = 'upon-event';
	return {
		id: fieldsId(fields),
		vendor: 'legalesign',
		type,
		vendorEventType: event || 'unknown',
		occurredAt: legalesignTime(fields.timestamp),
		receivedAt: isoTime(receivedAt),
		document: { id: documentId, title, status, vendorStatus: event || undefined },
		files: [],
		data,
		raw: Object.assign({}, unsigned, fields),
	};
}

function certificateOf(context: ReceiveContext): string {
	const value = context.credentials?.certificate;
	return typeof value === 'string' ? value.trim() : '';
}

/** What the delivery passed: the certificate's signature and the URL token, or the token alone. */
function verifiedBy(certificate: string, context: ReceiveContext, signatureHeader?: string): Verified {
	if (certificate) return { checks: ['rsa-sha1-certificate', 'url-token'], signatureHeader, keyHint: certificateHint(certificate) };
	return { checks: ['url-token'], keyHint: context.registration?.secret ? generatedSecretHint(currentSecret(context) ?? '') : undefined };
}

/**
 * Order of checks: URL token first, then (when the credential holds Legalesign's certificate) the
 * RSA-SHA1 signature over the exact signed string, then parsing. The 6-minute batch gives one event
 * per entry; an upon-event form gives one event.
 */
export function receiveLegalesign(request: InboundRequest, context: ReceiveContext): ReceiveResult {
	const checked = legalesignPrecheck(request, context);
	if (!checked.ok) return checked;

	const fields = parseFormBody(request.rawBody.toString('utf8'));
	if (!fields) return { ok: false, status: 400, reason: 'body is not valid application/x-www-form-urlencoded (or names a refused field)' };
	const certificate = certificateOf(context);
	const data = first(fields, 'data');
	return data === undefined ? receiveUponEvent(request, fields, certificate, context) : receiveBatch(data, fields, certificate, context);
}

function receiveBatch(data: string, fields: Map<string, string[]>, certificate: string, context: ReceiveContext): ReceiveResult {
	if (certificate && !verifyRsaSignature('RSA-SHA1', data, signatureText(first(fields, 'signed')), certificate)) {
		return { ok: false, status: 401, reason: 'missing or invalid "signed" signature over "data"' };
	}
	const json = parseJsonText(data);
	if (!json.ok) return { ok: false, status: 400, reason: `"data" ${json.reason}` };
	// The page calls `data` "a JSON object" and shows an array: one entry alone is an object.
	const entries = json.value !== null && typeof json.value === 'object' && !Array.isArray(json.value) ? [json.value] : json.value;
	const parsed = validateParsed(entries, LegalesignBatchSchema);
	if (!parsed.ok) return parsed;
	const events: NormalizedEvent[] = [];
	for (const entry of parsed.value) events.push(normalizeBatchEntry(entry, context.now));
	return { ok: true, events, verified: verifiedBy(certificate, context) };
}

const joined = (values: string[]) => (values.length > 1 ? values.join(',') : values[0]);

function receiveUponEvent(request: InboundRequest, fields: Map<string, string[]>, certificate: string, context: ReceiveContext): ReceiveResult {
	const jsonSigned = first(fields, 'json_signed');
	if (jsonSigned === undefined && fields.size === 0) return { ok: false, status: 400, reason: 'empty body: neither a 6-minute batch ("data") nor an upon-event callback' };
	const xSigned = headerValue(request.headers, LEGALESIGN_SIGNATURE_HEADER);
	const signatureHeader = xSigned !== undefined ? LEGALESIGN_SIGNATURE_HEADER : 'http-x-signed';
	if (certificate) {
		const signature = xSigned ?? headerValue(request.headers, signatureHeader);
		if (jsonSigned === undefined || !verifyRsaSignature('RSA-SHA1', jsonSigned, signatureText(signature), certificate)) {
			return { ok: false, status: 401, reason: 'missing or invalid X-Signed signature over "json_signed"' };
		}
	}
	const signedFields: Record<string, string> = {};
	if (jsonSigned !== undefined) {
		const json = parseJsonText(jsonSigned);
		if (!json.ok) return { ok: false, status: 400, reason: `"json_signed" ${json.reason}` };
		const value = json.value;
		if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, status: 400, reason: '"json_signed" is not a JSON object' };
		for (const [key, v] of Object.entries(value)) if (v !== null && v !== undefined) signedFields[key] = typeof v === 'string' ? v : JSON.stringify(v);
	}
	// With a certificate, only the signed JSON is trusted; the other form fields are kept apart.
	if (certificate) {
		const unsigned: Record<string, string> = {};
		for (const [name, values] of fields) if (name !== 'json_signed' && !hasOwn(signedFields, name)) unsigned[name] = joined(values);
		return { ok: true, events: [normalizeUponEvent(signedFields, unsigned, context.now)], verified: verifiedBy(certificate, context, signatureHeader) };
	}
	const formFields: Record<string, string> = {};
	for (const [name, values] of fields) if (name !== 'json_signed') formFields[name] = joined(values);
	return { ok: true, events: [normalizeUponEvent(Object.assign(formFields, signedFields), {}, context.now)], verified: verifiedBy(certificate, context) };
}
