import { z } from 'zod/v4';
import type { NormalizedEvent } from '../../event';
import { firstQueryValue, hashId, validate } from '../../inbound';
import type { InboundRequest, ReceiveContext, ReceiveResult } from '../../vendor';
import { headerValue, verifyRsaSignature, verifyToken } from '../../verify';
import {
	LEGALESIGN_DOCUMENT_STATUSES,
	LEGALESIGN_SIGNER_STATUSES,
	legalesignDocumentMapping,
	legalesignSignerType,
	legalesignUponEventMapping,
} from './mapping';

export const LEGALESIGN_SIGNATURE_HEADER = 'x-signed';

/**
 * application/x-www-form-urlencoded → field name → values, in order. Values are decoded exactly
 * once (`+` → space, then percent-decoding), so `data` is the very string Legalesign signed.
 * Returns undefined when a value is not valid percent-encoding.
 */
export function parseFormBody(body: string): Map<string, string[]> | undefined {
	const fields = new Map<string, string[]>();
	for (const pair of body.split('&')) {
		if (pair === '') continue;
		const at = pair.indexOf('=');
		const rawName = at === -1 ? pair : pair.slice(0, at);
		const rawValue = at === -1 ? '' : pair.slice(at + 1);
		let name: string;
		let value: string;
		try {
			name = decodeURIComponent(rawName.replace(/\+/g, ' '));
			value = decodeURIComponent(rawValue.replace(/\+/g, ' '));
		} catch {
			return undefined;
		}
		const list = fields.get(name);
		if (list) list.push(value);
		else fields.set(name, [value]);
	}
	return fields;
}

/** Encodes fields the way a browser / Python's urlencode does (space → `+`). */
export function encodeFormBody(fields: Array<[string, string]> | Record<string, string>): string {
	const entries = Array.isArray(fields) ? fields : Object.entries(fields);
	const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
	return entries.map(([name, value]) => `${encode(name)}=${encode(value)}`).join('&');
}

const first = (fields: Map<string, string[]>, name: string) => fields.get(name)?.[0];

/** Legalesign timestamps sometimes have no offset; they are UTC. */
export function legalesignTime(value: string | undefined | null): string | null {
	if (!value) return null;
	const text = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value) ? `${value}Z` : value;
	const ms = Date.parse(text);
	return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** base64 signature from a form field whose `+` may have arrived unencoded (decoded to spaces). */
const signatureText = (value: string | undefined) => value?.replace(/ /g, '+');

const BatchEntry = z
	.object({
		value: z.union([z.string(), z.number()]).transform(String),
		timestamp: z.string().nullish(),
		resource_uri: z.string().min(1),
		name: z.string().nullish(),
	})
	.passthrough();
export const LegalesignBatchSchema = z.array(BatchEntry);
export type LegalesignBatchEntry = z.infer<typeof BatchEntry>;

export function parseResourceUri(uri: string): { kind: string; id: string } {
	const match = /\/([a-z_]+)\/([^/?#]+)\/?(?:[?#].*)?$/i.exec(uri);
	return match ? { kind: match[1].toLowerCase(), id: match[2] } : { kind: 'unknown', id: '' };
}

export function normalizeBatchEntry(entry: LegalesignBatchEntry, receivedAt: Date): NormalizedEvent {
	const { kind, id } = parseResourceUri(entry.resource_uri);
	const name = entry.name ?? 'status';
	const base = {
		id: hashId(entry.resource_uri, name, entry.value, entry.timestamp ?? ''),
		vendor: 'legalesign' as const,
		vendorEventType: `${kind}.${entry.value}`,
		occurredAt: legalesignTime(entry.timestamp),
		receivedAt: receivedAt.toISOString(),
		files: [],
		raw: entry,
	};
	if (kind === 'signer') {
		return {
			...base,
			type: legalesignSignerType(entry.value),
			document: { id: '', status: 'other' },
			recipient: { id, status: entry.value },
			data: { resourceUri: entry.resource_uri, name, value: entry.value, statusText: LEGALESIGN_SIGNER_STATUSES[entry.value], signerId: id },
		};
	}
	if (kind === 'document') {
		const [type, status] = legalesignDocumentMapping(entry.value);
		return {
			...base,
			type,
			document: { id, status, vendorStatus: entry.value },
			data: { resourceUri: entry.resource_uri, name, value: entry.value, statusText: LEGALESIGN_DOCUMENT_STATUSES[entry.value] },
		};
	}
	return { ...base, type: 'other', document: { id: '', status: 'other' }, data: { resourceUri: entry.resource_uri, name, value: entry.value } };
}

export function normalizeUponEvent(fields: Record<string, string>, unsigned: Record<string, string>, receivedAt: Date): NormalizedEvent {
	const resourceUri = fields.resource_uri ?? '';
	const parsedUri = parseResourceUri(resourceUri);
	const documentId = fields.uuid || (parsedUri.kind === 'document' ? parsedUri.id : '');
	const event = fields.event ?? '';
	const [type, status] = legalesignUponEventMapping(event);
	const tags = ['tag', 'tag1', 'tag2'].map((t) => fields[t]).filter((t): t is string => Boolean(t));
	return {
		id: hashId(resourceUri || documentId, fields.name ?? '', event, fields.timestamp ?? ''),
		vendor: 'legalesign',
		type,
		vendorEventType: event || 'unknown',
		occurredAt: legalesignTime(fields.timestamp),
		receivedAt: receivedAt.toISOString(),
		document: { id: documentId, title: fields.name || undefined, status, vendorStatus: event || undefined },
		files: [],
		data: { ...fields, tags, ...(Object.keys(unsigned).length ? { unsignedFields: unsigned } : {}) },
		raw: { ...unsigned, ...fields },
	};
}

function certificateOf(context: ReceiveContext): string {
	const value = context.credentials?.certificate;
	return typeof value === 'string' ? value.trim() : '';
}

/**
 * Order of checks: URL token first, then (when the credential holds Legalesign's certificate) the
 * RSA-SHA1 signature over the exact signed string, then parsing. The 6-minute batch gives one event
 * per entry; an upon-event form gives one event.
 */
export function receiveLegalesign(request: InboundRequest, context: ReceiveContext): ReceiveResult {
	const secret = context.registration?.secret ?? context.secret;
	if (!secret) return { ok: false, status: 401, reason: 'no Legalesign registration token is stored; every delivery is refused' };
	if (!verifyToken(firstQueryValue(request.query, 'token'), secret)) return { ok: false, status: 401, reason: 'missing or wrong token in the callback URL' };

	const fields = parseFormBody(request.rawBody.toString('utf8'));
	if (!fields) return { ok: false, status: 400, reason: 'body is not valid application/x-www-form-urlencoded' };
	const certificate = certificateOf(context);

	const data = first(fields, 'data');
	if (data !== undefined) {
		if (certificate && !verifyRsaSignature('RSA-SHA1', data, signatureText(first(fields, 'signed')), certificate)) {
			return { ok: false, status: 401, reason: 'missing or invalid "signed" signature over "data"' };
		}
		let value: unknown;
		try {
			value = JSON.parse(data);
		} catch {
			return { ok: false, status: 400, reason: '"data" is not valid JSON' };
		}
		const parsed = validate(value, LegalesignBatchSchema);
		if (!parsed.ok) return parsed;
		return { ok: true, events: parsed.value.map((entry) => normalizeBatchEntry(entry, context.now)) };
	}

	const jsonSigned = first(fields, 'json_signed');
	if (jsonSigned === undefined && first(fields, 'event') === undefined && first(fields, 'resource_uri') === undefined) {
		return { ok: false, status: 400, reason: 'neither a 6-minute batch ("data") nor an upon-event callback' };
	}
	if (certificate) {
		const signature = headerValue(request.headers, LEGALESIGN_SIGNATURE_HEADER) ?? headerValue(request.headers, 'http-x-signed');
		if (jsonSigned === undefined || !verifyRsaSignature('RSA-SHA1', jsonSigned, signatureText(signature), certificate)) {
			return { ok: false, status: 401, reason: 'missing or invalid X-Signed signature over "json_signed"' };
		}
	}
	const formFields: Record<string, string> = {};
	for (const [name, values] of fields) if (name !== 'json_signed') formFields[name] = values.length > 1 ? values.join(',') : values[0];
	const signedFields: Record<string, string> = {};
	if (jsonSigned !== undefined) {
		let value: unknown;
		try {
			value = JSON.parse(jsonSigned);
		} catch {
			return { ok: false, status: 400, reason: '"json_signed" is not valid JSON' };
		}
		if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, status: 400, reason: '"json_signed" is not a JSON object' };
		for (const [key, v] of Object.entries(value)) if (v !== null && v !== undefined) signedFields[key] = typeof v === 'string' ? v : JSON.stringify(v);
	}
	// With a certificate, only the signed JSON is trusted; the other form fields are kept apart.
	if (certificate) {
		const unsigned: Record<string, string> = {};
		for (const [key, value] of Object.entries(formFields)) if (!(key in signedFields)) unsigned[key] = value;
		return { ok: true, events: [normalizeUponEvent(signedFields, unsigned, context.now)] };
	}
	return { ok: true, events: [normalizeUponEvent({ ...formFields, ...signedFields }, {}, context.now)] };
}
