import { isoTime } from '../../event/iso-time';
import type { NormalizedEvent } from '../../event/normalized-event';
import { hashId, toIsoUtc } from '../../inbound/parse';
import { documentPackKeys, QuicklysignSession, quicklysignBaseUrl, type QuicklysignCredentials, type QuicklysignDocumentPack } from './api';
import { quicklysignDocumentStatus, quicklysignEventType } from './mapping';
import { getJson } from '../../catchup/http';
import { catchupError, isRecord, withSource, type CatchupContext, type CatchupReader } from '../../catchup/types';

/**
 * QuicklySign: no way to find packs changed since T short of reading every pack
 * (`GET /v1/document_packs` pages by `pagination.next` with no filter), so the trigger re-reads the
 * packs it watches (its pack keys): `GET /v1/document_packs/<key>` (status, `date_updated` in ms)
 * and, when the pack changed, `GET /v1/audit_trail/<key>?page_size=&cursor=` (chronological entries
 * `{audit_entry_type, date_created}`), paged by the `next` link. ASSUMPTION (the page shows no
 * envelope): entries in `data` (or `data.audit_trail`), the next page's URL in `pagination.next` (or
 * `next`), whose `cursor` is passed on.
 */
const AUDIT_PAGE = 50;
const MAX_AUDIT_PAGES = 100;

interface PackSnapshot {
	/** date_updated (ms). */
	u: number;
	s: string;
	/** date_created of the newest audit entry handled. */
	t: number;
}

export interface QuicklysignCatchupState {
	/** The starting point (ms): a pack first read is news only for what happened after it. */
	startedAt: number;
	packs: Record<string, PackSnapshot>;
}

interface AuditEntry {
	audit_entry_type: string;
	date_created: number;
	[field: string]: unknown;
}

function auditEntries(body: unknown): AuditEntry[] {
	const data = isRecord(body) ? body.data : undefined;
	const list = Array.isArray(data) ? data : isRecord(data) && Array.isArray(data.audit_trail) ? data.audit_trail : isRecord(data) && Array.isArray(data.audit_entries) ? data.audit_entries : [];
	return list.filter((e): e is AuditEntry => isRecord(e) && typeof e.audit_entry_type === 'string' && Number.isFinite(Number(e.date_created))).map((e) => ({ ...e, date_created: Number(e.date_created) }));
}

function nextCursor(body: unknown): string | undefined {
	const link = isRecord(body) ? (isRecord(body.pagination) ? body.pagination.next : body.next) : undefined;
	if (typeof link !== 'string' || link === '') return undefined;
	try {
		return new URL(link, 'http://placeholder.invalid').searchParams.get('cursor') ?? undefined;
	} catch {
		return undefined;
	}
}

async function auditTrail(context: CatchupContext, session: QuicklysignSession, key: string): Promise<AuditEntry[]> {
	const credentials = context.credentials as unknown as QuicklysignCredentials;
	const all: AuditEntry[] = [];
	let cursor: string | undefined;
	for (let page = 0; page < MAX_AUDIT_PAGES; page++) {
		const body = await getJson(session.transport(), 'reading an audit trail', {
			url: `${quicklysignBaseUrl(credentials)}/audit_trail/${encodeURIComponent(key)}`,
			qs: { page_size: AUDIT_PAGE, ...(cursor ? { cursor } : {}) },
		}, context.now);
		all.push(...auditEntries(body));
		cursor = nextCursor(body);
		if (!cursor) break;
	}
	return all;
}

async function pack(context: CatchupContext, session: QuicklysignSession, key: string): Promise<QuicklysignDocumentPack> {
	const credentials = context.credentials as unknown as QuicklysignCredentials;
	const body = await getJson(session.transport(), 'fetching a document pack', {
		url: `${quicklysignBaseUrl(credentials)}/document_packs/${encodeURIComponent(key)}`,
	}, context.now);
	const data = isRecord(body) && isRecord(body.data) ? body.data : undefined;
	const found = data && isRecord(data.document_pack) ? data.document_pack : data;
	if (!found) throw catchupError('QuicklySign fetching a document pack failed: the answer had no document pack');
	return found as QuicklysignDocumentPack;
}

function packEvent(context: CatchupContext, key: string, p: QuicklysignDocumentPack, callbackEvent: string, id: string, extra: Record<string, unknown>, occurredAt: number | undefined): NormalizedEvent {
	const status = typeof p.status === 'string' ? p.status : undefined;
	const subscriptionKey = subscriptionOf(context, key);
	return withSource({
		id,
		vendor: 'quicklysign',
		type: quicklysignEventType(callbackEvent, status),
		vendorEventType: callbackEvent,
		occurredAt: occurredAt === undefined ? null : toIsoUtc(occurredAt),
		receivedAt: isoTime(context.now),
		document: { id: key, title: p.name ?? p.title, status: quicklysignDocumentStatus(status), vendorStatus: status },
		files: [],
		data: {
			subscriptionKey: subscriptionKey || undefined,
			callbackEvent,
			documentPack: p,
			documentUrls: (p.documents ?? []).map((d) => d.serve_pdf_url).filter((u): u is string => typeof u === 'string'),
			...extra,
		},
	}, context.source);
}

/** The webhook key registered for a pack (the webhook's events carry it; the ids then agree). */
function subscriptionOf(context: CatchupContext, key: string): string {
	const packs = context.registration?.extra?.packs;
	return isRecord(packs) && typeof packs[key] === 'string' ? (packs[key] as string) : '';
}

export const quicklysignCatchup: CatchupReader<QuicklysignCatchupState> = {
	vendor: 'quicklysign',
	start: (at) => ({ startedAt: at.getTime(), packs: {} }),
	parse: (value) => (isRecord(value) && Number.isFinite(value.startedAt) && isRecord(value.packs) ? { startedAt: value.startedAt as number, packs: value.packs as Record<string, PackSnapshot> } : undefined),
	unavailable: (context) => (documentPackKeys(context.options.documentPackKeys as string[] | string | undefined).length === 0 ? 'QuicklySign catch-up re-reads the watched document packs: add their keys' : undefined),
	async read(context, state) {
		const keys = documentPackKeys(context.options.documentPackKeys as string[] | string | undefined);
		const credentials = context.credentials as unknown as QuicklysignCredentials;
		const session = new QuicklysignSession(context.http, credentials);
		try {
			await session.accessToken();
		} catch (error) {
			throw catchupError((error as Error).message, (error as { status?: number }).status);
		}
		const events: NormalizedEvent[] = [];
		const packs: Record<string, PackSnapshot> = {};
		for (const key of keys) {
			const p = await pack(context, session, key);
			const updated = Number(p.date_updated);
			const status = typeof p.status === 'string' ? p.status : '';
			const before = state.packs[key];
			if (before && before.u === updated) {
				packs[key] = before;
				continue;
			}
			// Our clock only for a pack read the first time; after that the vendor's own times (they may be skewed from ours).
			const since = before?.t ?? state.startedAt;
			const trail = (await auditTrail(context, session, key)).sort((a, b) => a.date_created - b.date_created);
			const entries = trail.filter((e) => e.date_created > since);
			for (const entry of entries) {
				events.push(packEvent(context, key, p, 'audit_trail_updated', hashId(subscriptionOf(context, key), key, 'audit_trail_updated', entry.audit_entry_type, String(entry.date_created)), { auditEntry: entry }, entry.date_created));
			}
			// A pack first read: its status is news only when it changed after the starting point. Its
			// date_updated also moves with each audit entry, so one still in `setup` (ASSUMPTION: a pack's
			// first status, never returned to) has not changed status.
			const changed = before ? before.s !== status : Number.isFinite(updated) && updated > state.startedAt && status !== 'setup';
			if (changed) {
				// The id a webhook's document_status_changed gives with the pack fetched (subscription key + pack + event + date_updated).
				events.push(packEvent(context, key, p, 'document_status_changed', hashId(subscriptionOf(context, key), key, 'document_status_changed', String(p.date_updated)), {}, Number.isFinite(updated) ? updated : undefined));
			}
			packs[key] = { u: updated, s: status, t: trail.length > 0 ? Math.max(trail[trail.length - 1].date_created, before?.t ?? 0) : before?.t ?? 0 };
		}
		return { events, state: { startedAt: state.startedAt, packs } };
	},
	observe(state, event) {
		// With "Fetch document pack" the live event knows the pack's state: a catch-up does not report it again.
		const p = event.data.documentPack;
		if (event.vendor !== 'quicklysign' || !isRecord(p) || !Number.isFinite(Number(p.date_updated))) return state;
		const before = state.packs[event.document.id];
		return { ...state, packs: { ...state.packs, [event.document.id]: { u: Number(p.date_updated), s: typeof p.status === 'string' ? p.status : '', t: Math.max(before?.t ?? 0, Number(p.date_updated) + 1) } } };
	},
};
