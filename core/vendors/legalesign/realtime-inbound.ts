import type { NormalizedEvent } from '../../event/normalized-event';
import { parseFormBody } from '../../inbound/form';
import { hashId } from '../../inbound/parse';
import { parseJsonText } from '../../inbound/safe-json';
import type { InboundRequest, ReceiveContext, ReceiveResult } from '../definition';
import { generatedSecretHint } from '../../verify/record';
import { currentSecret } from '../../verify/secret-rotation';
import { legalesignPrecheck } from './precheck';
import { documentIdInUri, legalesignTime, parseResourceUri } from './inbound';
import { legalesignRealtimeEvent } from './realtime-mapping';

/**
 * Legalesign's realtime webhook bodies. Published: a JSON POST whose document id is `data.uuid`
 * ("filter for 'document' and 'finalPdfCreated'"), and GraphQL's envelope for the same events
 * `{version, eventId, timestamp, level, event, category, groupId, userId, data{…}}`. Not published:
 * the body verbatim. So every reading the pages allow is accepted (VENDORS.md, Legalesign realtime):
 * - the envelope, or a flat `{object, event, data}`, at the top level or nested under `detail`,
 *   `event`, `payload`, `body`, `message` or `data` (a few levels);
 * - a JSON body, or the same JSON as the value of a form field (any field holding a JSON object);
 *   a form whose fields are the event itself (`object`, `event`, `uuid`…);
 * - one event, or a JSON array of them.
 */

/** More events than this in one delivery is not a realtime webhook. */
export const MAX_REALTIME_EVENTS = 100;
const MAX_NESTING = 4;
const NESTED_KEYS = ['detail', 'event', 'payload', 'body', 'message', 'data'] as const;
const EVENT_KEYS = ['event', 'eventType', 'event_type', 'eventName', 'type'] as const;
const OBJECT_KEYS = ['object', 'category', 'objectType', 'object_type', 'resource', 'entity'] as const;
const DOCUMENT_ID_KEYS = ['documentUuid', 'document_uuid', 'documentId', 'document_id', 'docId', 'doc_id'] as const;
const RECIPIENT_ID_KEYS = ['recipientUuid', 'recipient_uuid', 'recipientId', 'recipient_id', 'signerUuid', 'signer_uuid', 'signerId', 'signer_id'] as const;
const EMAIL_KEYS = ['email', 'recipientEmail', 'recipient_email', 'signerEmail', 'signer_email'] as const;
const EVENT_ID_KEYS = ['eventId', 'event_id', 'eventUuid'] as const;
const TIME_KEYS = ['timestamp', 'time', 'occurredAt', 'created', 'createdAt'] as const;
const TITLE_KEYS = ['name', 'title', 'documentName', 'document_name'] as const;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);
const own = (value: Json, key: string): unknown => (Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined);
function pick(from: Json | undefined, keys: readonly string[]): string | undefined {
	if (!from) return undefined;
	for (const key of keys) {
		const found = text(own(from, key));
		if (found !== undefined) return found;
	}
	return undefined;
}

/** Looks like an event name: `document.x`, `recipientX`, or any word beside an object kind. */
const EVENT_NAME = /^(document|recipient|signer)[._-]?[a-z]/i;

/** An object that names an event: its event name and its object kind, when it has them. */
function eventOf(node: Json): { event: string; object?: string } | undefined {
	const object = pick(node, OBJECT_KEYS);
	for (const key of EVENT_KEYS) {
		const value = text(own(node, key));
		if (value === undefined) continue;
		if (EVENT_NAME.test(value) || (object !== undefined && /^(document|recipient|signer)$/i.test(object))) return { event: value, object };
	}
	return undefined;
}

/** The object holding the event, searched breadth-first through the nesting keys. */
function findEventNode(root: Json): { node: Json; event: string; object?: string; outer: Json[] } | undefined {
	let level: Array<{ node: Json; outer: Json[] }> = [{ node: root, outer: [] }];
	for (let depth = 0; depth <= MAX_NESTING && level.length > 0; depth++) {
		const next: typeof level = [];
		for (const { node, outer } of level) {
			const found = eventOf(node);
			if (found) return { node, ...found, outer };
			for (const key of NESTED_KEYS) {
				const child = own(node, key);
				if (isObject(child)) next.push({ node: child, outer: [node, ...outer] });
			}
		}
		level = next;
	}
	return undefined;
}

export interface RealtimeReading {
	eventName: string;
	object?: string;
	documentId: string;
	recipientId?: string;
	recipientEmail?: string;
	eventId?: string;
	timestamp?: string;
	title?: string;
	groupId?: string;
	/** The event's `data` object (or the event node itself when it has none). */
	data: Json;
	raw: Json;
}

/** One event out of one parsed value; undefined when it names none. */
export function readRealtimeEvent(root: Json): RealtimeReading | undefined {
	const found = findEventNode(root);
	if (!found) return undefined;
	const { node, event, object, outer } = found;
	const data = isObject(own(node, 'data')) ? (own(node, 'data') as Json) : node;
	const document = isObject(own(data, 'document')) ? (own(data, 'document') as Json) : undefined;
	const recipientNode = [own(data, 'recipient'), own(data, 'signer')].find(isObject) as Json | undefined;
	const facts = legalesignRealtimeEvent(object, event);
	const uri = pick(data, ['resource_uri', 'resourceUri', 'uri']) ?? pick(node, ['resource_uri', 'resourceUri']);
	const parsedUri = uri ? parseResourceUri(uri) : undefined;
	const explicitDocument = pick(data, DOCUMENT_ID_KEYS) ?? pick(document, ['uuid', 'id']) ?? pick(node, DOCUMENT_ID_KEYS) ?? (uri ? documentIdInUri(uri) || undefined : undefined);
	const explicitRecipient = pick(data, RECIPIENT_ID_KEYS) ?? pick(recipientNode, ['uuid', 'id']) ?? (parsedUri && ['signer', 'recipient'].includes(parsedUri.kind) ? parsedUri.id : undefined);
	const uuid = pick(data, ['uuid']) ?? pick(node, ['uuid']);
	// The page: `data.uuid` is the document's id. Assumption: in a recipient event that names its
	// document separately, `data.uuid` is the recipient's own id.
	const documentId = explicitDocument ?? uuid ?? '';
	const recipientId = explicitRecipient ?? (facts.object === 'recipient' && explicitDocument !== undefined ? uuid : undefined);
	const envelopes = [node, ...outer];
	const fromEnvelope = (keys: readonly string[]) => {
		for (const candidate of envelopes) {
			const found = pick(candidate, keys);
			if (found !== undefined) return found;
		}
		return undefined;
	};
	return {
		eventName: event,
		object,
		documentId,
		recipientId,
		recipientEmail: pick(data, EMAIL_KEYS) ?? pick(recipientNode, ['email']),
		eventId: fromEnvelope(EVENT_ID_KEYS),
		timestamp: fromEnvelope(TIME_KEYS) ?? pick(data, TIME_KEYS),
		title: pick(document, TITLE_KEYS) ?? (facts.object === 'document' ? pick(data, TITLE_KEYS) : pick(data, ['documentName', 'document_name'])),
		groupId: fromEnvelope(['groupId', 'group_id', 'group']),
		data,
		raw: root,
	};
}

type Parsed = { ok: true; values: Json[] } | { ok: false; reason: string };

function fromJson(value: unknown, what: string): Parsed {
	const list = Array.isArray(value) ? value : [value];
	if (list.length === 0) return { ok: false, reason: `${what} is an empty list` };
	if (list.length > MAX_REALTIME_EVENTS) return { ok: false, reason: `${what} holds more than ${MAX_REALTIME_EVENTS} events` };
	if (!list.every(isObject)) return { ok: false, reason: `${what} is not a JSON object (or a list of them)` };
	return { ok: true, values: list as Json[] };
}

/** The body's JSON value(s): the JSON body itself, a form field holding JSON, or the form's own fields. */
export function parseRealtimeBody(rawBody: Buffer): Parsed {
	const body = rawBody.toString('utf8');
	const start = body.trimStart()[0];
	if (start === '{' || start === '[') {
		const json = parseJsonText(body);
		return json.ok ? fromJson(json.value, 'the body') : { ok: false, reason: `the body ${json.reason}` };
	}
	const fields = parseFormBody(body);
	if (!fields || fields.size === 0) return { ok: false, reason: 'the body is neither JSON nor a form with the event' };
	// A field holding JSON: the realtime JSON sent form-encoded (which field is not published).
	for (const [name, values] of fields) {
		const value = values[0]?.trimStart() ?? '';
		if (value[0] !== '{' && value[0] !== '[') continue;
		const json = parseJsonText(values[0]);
		if (!json.ok) return { ok: false, reason: `form field "${name.slice(0, 40)}" ${json.reason}` };
		return fromJson(json.value, `form field "${name.slice(0, 40)}"`);
	}
	const flat: Json = {};
	for (const [name, values] of fields) flat[name] = values[0];
	return { ok: true, values: [flat] };
}

/** The event's id: Legalesign's `eventId` ("stable across feeds") when present, else a hash of what it says. */
function realtimeId(reading: RealtimeReading, name: string): string {
	if (reading.eventId) return `legalesign:${reading.eventId}`;
	return hashId('realtime', name, reading.documentId, reading.recipientId ?? '', reading.recipientEmail ?? '', reading.timestamp ?? '');
}

export function normalizeRealtimeEvent(reading: RealtimeReading, receivedAt: Date): NormalizedEvent {
	const facts = legalesignRealtimeEvent(reading.object, reading.eventName);
	const recipient = facts.object === 'recipient' || reading.recipientId || reading.recipientEmail ? { id: reading.recipientId, email: reading.recipientEmail } : undefined;
	return {
		id: realtimeId(reading, facts.name),
		vendor: 'legalesign',
		type: facts.type,
		vendorEventType: facts.name,
		occurredAt: legalesignTime(reading.timestamp),
		receivedAt: receivedAt.toISOString(),
		document: { id: reading.documentId, title: reading.title, status: facts.status },
		...(recipient ? { recipient: Object.fromEntries(Object.entries(recipient).filter(([, v]) => v !== undefined)) } : {}),
		files: [],
		data: {
			deliveryKind: 'realtime',
			event: reading.eventName,
			...(reading.eventId ? { eventId: reading.eventId } : {}),
			...(reading.groupId ? { groupId: reading.groupId } : {}),
			eventData: reading.data,
		},
		raw: reading.raw,
	};
}

/**
 * A realtime delivery: URL token (constant time; the precheck ran it before the body was read),
 * then the body in every reading above. The API confirmation follows in the pipeline (confirm).
 */
export function receiveLegalesignRealtime<O extends object>(request: InboundRequest, context: ReceiveContext<O>): ReceiveResult {
	const checked = legalesignPrecheck(request, context);
	if (!checked.ok) return checked;
	const secret = currentSecret(context) ?? '';
	const parsed = parseRealtimeBody(request.rawBody);
	if (!parsed.ok) return { ok: false, status: 400, reason: parsed.reason };
	const events: NormalizedEvent[] = [];
	for (const value of parsed.values) {
		const reading = readRealtimeEvent(value);
		if (!reading) return { ok: false, status: 400, reason: 'no Legalesign realtime event in the body (no document.* or recipient.* event name)' };
		if (!reading.documentId) return { ok: false, status: 400, reason: `the ${reading.eventName.slice(0, 60)} event names no document (data.uuid)` };
		events.push(normalizeRealtimeEvent(reading, context.now));
	}
	return { ok: true, events, verified: { checks: ['url-token'], keyHint: context.registration?.secret ? generatedSecretHint(secret) : undefined } };
}
