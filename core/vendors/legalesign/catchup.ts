import type { NormalizedEvent } from '../../event/normalized-event';
import { legalesignBaseUrl, legalesignTransport, type LegalesignCredentials } from './api';
import { legalesignTime, normalizeBatchEntry, parseResourceUri } from './inbound';
import { getJson } from '../../catchup/http';
import { isRecord, withSource, type CatchupContext, type CatchupReader } from '../../catchup/types';

/**
 * Legalesign: `GET /document/?group=&modified_gt=&archived=all&nosigners=1&limit=500` (v1 OpenAPI
 * listDocuments; the API FAQ's own recipe). Without `archived=all` the list holds unarchived
 * documents only, and `auto_archive` archives a document soon after it is signed: the signed ones
 * would be missed. The timezone and precision of `modified` are not documented, so each query
 * reaches OVERLAP_MS before the last one began (ASSUMPTION: `modified_gt` accepts an ISO 8601 time
 * with `Z`, and `modified` without an offset is UTC, as the webhooks' timestamps are), and a
 * per-document snapshot decides what is new: a status, `download_final` turning true (the final
 * PDF, code 100), a signer's status (read from `GET /document/{id}/`'s `signer_objects`).
 */
const LEGALESIGN_OVERLAP_MS = 5 * 60 * 1000;
const PAGE = 500;
const MAX_PAGES = 200;
const MAX_DOCUMENTS = 5000;

interface DocumentSnapshot {
	/** `modified` as listed. */
	m: string;
	s: number;
	f: boolean;
	/** Signer id → status. */
	g: Record<string, number>;
}

export interface LegalesignCatchupState {
	/** When the last successful query began (ISO). */
	since: string;
	docs: Record<string, DocumentSnapshot>;
}

interface ListedDocument {
	uuid: string;
	name?: string;
	status: number;
	modified: string;
	download_final?: boolean;
	archived?: boolean;
	[field: string]: unknown;
}

const isoWithoutMs = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

async function changedDocuments(context: CatchupContext, since: number): Promise<ListedDocument[]> {
	const credentials = context.credentials as unknown as LegalesignCredentials;
	const found: ListedDocument[] = [];
	for (let page = 0, offset = 0; page < MAX_PAGES; page++) {
		const body = await getJson(legalesignTransport(context.http, credentials), 'listing changed documents', {
			url: `${legalesignBaseUrl(credentials)}/document/`,
			qs: { group: String(context.options.group ?? ''), modified_gt: isoWithoutMs(since - LEGALESIGN_OVERLAP_MS), archived: 'all', nosigners: 1, limit: PAGE, offset },
		}, context.now);
		const objects = isRecord(body) && Array.isArray(body.objects) ? body.objects : [];
		for (const item of objects) {
			if (isRecord(item) && typeof item.uuid === 'string' && item.uuid !== '' && Number.isFinite(Number(item.status)) && typeof item.modified === 'string') {
				found.push({ ...item, uuid: item.uuid, status: Number(item.status), modified: item.modified });
			}
		}
		const meta = isRecord(body) && isRecord(body.meta) ? body.meta : {};
		if (!meta.next || objects.length === 0) break;
		offset += objects.length;
	}
	return found;
}

async function signerStatuses(context: CatchupContext, uuid: string): Promise<Array<{ id: string; status: number; email?: string; name?: string }>> {
	const credentials = context.credentials as unknown as LegalesignCredentials;
	const body = await getJson(legalesignTransport(context.http, credentials), 'reading a document', {
		url: `${legalesignBaseUrl(credentials)}/document/${encodeURIComponent(uuid)}/`,
	}, context.now);
	const list = isRecord(body) && Array.isArray(body.signer_objects) ? body.signer_objects : [];
	return list.filter(isRecord).flatMap((signer) => {
		const id = typeof signer.resource_uri === 'string' ? parseResourceUri(signer.resource_uri).id : typeof signer.uuid === 'string' ? signer.uuid : '';
		const status = Number(signer.status);
		if (!id || !Number.isFinite(status)) return [];
		const name = [signer.first_name, signer.last_name].filter((part) => typeof part === 'string' && part !== '').join(' ');
		return [{ id, status, email: typeof signer.email === 'string' ? signer.email : undefined, name: name || undefined }];
	});
}

/** The batch webhook's event for the same change: same type mapping and id rule (resource_uri + name + value + timestamp). */
function documentEvent(doc: ListedDocument, value: number, context: CatchupContext): NormalizedEvent {
	const event = normalizeBatchEntry({ resource_uri: `/api/v1/document/${doc.uuid}/`, name: 'status', value: String(value), timestamp: doc.modified }, context.now);
	return withSource({ ...event, document: { ...event.document, title: doc.name }, data: { ...event.data, deliveryKind: context.source, archived: doc.archived, downloadFinal: doc.download_final } }, context.source);
}

function signerEvent(doc: ListedDocument, signer: { id: string; status: number; email?: string; name?: string }, context: CatchupContext): NormalizedEvent {
	const event = normalizeBatchEntry({ resource_uri: `/api/v1/signer/${signer.id}/`, name: 'status', value: String(signer.status), timestamp: doc.modified }, context.now);
	return withSource({
		...event,
		document: { id: doc.uuid, title: doc.name, status: 'other' },
		recipient: { id: signer.id, status: String(signer.status), email: signer.email, name: signer.name },
		data: { ...event.data, deliveryKind: context.source, documentId: doc.uuid },
	}, context.source);
}

const modifiedMs = (doc: ListedDocument) => Date.parse(legalesignTime(doc.modified) ?? '');

export const legalesignCatchup: CatchupReader<LegalesignCatchupState> = {
	vendor: 'legalesign',
	start: (at) => ({ since: at.toISOString(), docs: {} }),
	parse: (value) => (isRecord(value) && typeof value.since === 'string' && isRecord(value.docs) ? { since: value.since, docs: value.docs as Record<string, DocumentSnapshot> } : undefined),
	unavailable: (context) => (String(context.options.group ?? '').trim() === '' ? 'Legalesign lists documents per group only: set the trigger\'s Group to catch up or poll' : undefined),
	async read(context, state) {
		const began = context.now.getTime();
		const since = Date.parse(state.since);
		const docs = { ...state.docs };
		const events: NormalizedEvent[] = [];
		const listed = (await changedDocuments(context, since)).sort((a, b) => modifiedMs(a) - modifiedMs(b));
		for (const doc of listed) {
			const before = docs[doc.uuid];
			if (before && before.m === doc.modified && before.s === doc.status && before.f === Boolean(doc.download_final)) continue;
			// Changed before the starting point (reached through the overlap): the baseline, not news.
			// `modified` has whole seconds: one in the starting second itself is news.
			const baseline = !before && modifiedMs(doc) < Math.floor(since / 1000) * 1000;
			const signers = await signerStatuses(context, doc.uuid);
			const next: DocumentSnapshot = { m: doc.modified, s: doc.status, f: Boolean(doc.download_final), g: Object.fromEntries(signers.map((s) => [s.id, s.status])) };
			docs[doc.uuid] = next;
			if (baseline) continue;
			// A snapshot made from a live event (m '') knows no signers yet: they are its baseline.
			const signersKnown = !before || before.m !== '';
			for (const signer of signers) if (signersKnown && before?.g[signer.id] !== signer.status) events.push(signerEvent(doc, signer, context));
			if (before?.s !== doc.status) events.push(documentEvent(doc, doc.status, context));
			if (next.f && !before?.f) events.push(documentEvent(doc, 100, context));
		}
		const kept = Object.entries(docs).sort(([, a], [, b]) => Date.parse(legalesignTime(b.m) ?? '') - Date.parse(legalesignTime(a.m) ?? '')).slice(0, MAX_DOCUMENTS);
		return { events, state: { since: new Date(began).toISOString(), docs: Object.fromEntries(kept) } };
	},
	observe(state, event) {
		// A batch entry heard live: the document's status is known, so a catch-up does not report it again.
		const value = Number(event.data.value);
		if (event.vendor !== 'legalesign' || !Number.isFinite(value)) return state;
		if (event.vendorEventType.startsWith('signer.')) {
			// Signer URIs name no document: the snapshot that lists this signer learns its status.
			const signerId = String(event.data.signerId ?? event.recipient?.id ?? '');
			const found = Object.entries(state.docs).find(([, doc]) => signerId !== '' && doc.g[signerId] !== undefined);
			return found ? { ...state, docs: { ...state.docs, [found[0]]: { ...found[1], g: { ...found[1].g, [signerId]: value } } } } : state;
		}
		if (!event.vendorEventType.startsWith('document.') || !event.document.id) return state;
		const before = state.docs[event.document.id] ?? { m: '', s: -1, f: false, g: {} };
		const next = value === 100 ? { ...before, f: true } : { ...before, s: value };
		return { ...state, docs: { ...state.docs, [event.document.id]: next } };
	},
};
