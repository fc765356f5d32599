import { isoTime } from '../../event/iso-time';
import type { NormalizedEvent } from '../../event/normalized-event';
import { hashId, toIsoUtc } from '../../inbound/parse';
import { legitoBaseUrl, legitoTransport, type LegitoCredentials } from './api';
import { LEGITO_EVENT_TYPES, legitoMapping } from './mapping';
import { getJson } from '../../catchup/http';
import { isRecord, withSource, type CatchupContext, type CatchupReader } from '../../catchup/types';

/**
 * Legito: the Document Timeline (`GET /event`, v7 OpenAPI) by time window. The page states neither
 * the unit of timestampFrom/timestampTo, nor whether the bounds are inclusive, nor the order of the
 * answer, nor any retention. Our readings:
 * - ASSUMPTION: the timestamps are Unix seconds (the items' `created` has whole seconds).
 * - ASSUMPTION: both bounds are inclusive; the next window starts one second before the last one
 *   ended and the ids already handled there are skipped, so an exclusive bound loses nothing either.
 * - no order is relied on: items are sorted by `created`, then `id`, here.
 * - windows end SETTLE_SECONDS before now (closed windows: an event still being written is not cut).
 * - a full page (PAGE items) is split in two halves instead of paged by offset (offsets over an
 *   unsorted, growing list can skip or repeat); only a window of two seconds or less holding a full
 *   page is paged by offset.
 */
const LEGITO_SETTLE_SECONDS = 10;
export const LEGITO_PAGE = 1000;
const RECORD_BATCH = 50;

export interface LegitoCatchupState {
	/** First second (Unix) of the next window. */
	from: number;
	/** Timeline ids already handled at seconds ≥ from. */
	ids: number[];
}

interface TimelineItem {
	id: number;
	created: string;
	type: string;
	documentRecordId?: number;
	authorId?: number;
	parameters?: Record<string, unknown>;
	[field: string]: unknown;
}

const seconds = (item: TimelineItem) => Math.floor(Date.parse(item.created) / 1000);

function timelineItems(body: unknown): TimelineItem[] {
	const list = Array.isArray(body) ? body : isRecord(body) && Array.isArray(body.data) ? body.data : [];
	return list.filter((item): item is TimelineItem => isRecord(item) && Number.isInteger(item.id) && typeof item.created === 'string' && Number.isFinite(Date.parse(item.created)) && typeof item.type === 'string');
}

async function eventsIn(context: CatchupContext, from: number, to: number): Promise<TimelineItem[]> {
	const credentials = context.credentials as unknown as LegitoCredentials;
	const get = async (a: number, b: number, offset: number) =>
		timelineItems(
			await getJson(legitoTransport(context.http, credentials), 'reading the Document Timeline', {
				url: `${legitoBaseUrl(credentials)}/event`,
				qs: { timestampFrom: a, timestampTo: b, limit: LEGITO_PAGE, ...(offset ? { offset } : {}) },
			}, context.now),
		);
	const page = await get(from, to, 0);
	if (page.length < LEGITO_PAGE) return page;
	if (to - from <= 2) {
		const all = [...page];
		for (let offset = LEGITO_PAGE; ; offset += LEGITO_PAGE) {
			const more = await get(from, to, offset);
			all.push(...more);
			if (more.length < LEGITO_PAGE) return all;
		}
	}
	// Halves overlap by a second: were the bounds exclusive, [from, mid + 1] and [mid, to] still cover every second (the caller drops repeated ids).
	const mid = Math.floor((from + to) / 2);
	return [...(await eventsIn(context, from, mid + 1)), ...(await eventsIn(context, mid, to))];
}

interface LegitoRecord {
	id: number | string;
	code: string;
	name?: string | null;
	deleted?: boolean | null;
	[field: string]: unknown;
}

/** `GET /document-record?id=a|b`: the records' current state; ASSUMPTION deleted ones need `deleted`, so the missing are asked for again with it. */
async function records(context: CatchupContext, ids: number[]): Promise<Map<number, LegitoRecord>> {
	const credentials = context.credentials as unknown as LegitoCredentials;
	const found = new Map<number, LegitoRecord>();
	const fetch = async (batch: number[], deleted: boolean) => {
		const body = await getJson(legitoTransport(context.http, credentials), 'reading document records', {
			url: `${legitoBaseUrl(credentials)}/document-record`,
			qs: { id: batch.join('|'), limit: batch.length, ...(deleted ? { deleted: 'true' } : {}) },
		}, context.now);
		const list = Array.isArray(body) ? body : isRecord(body) && Array.isArray(body.data) ? body.data : [];
		for (const record of list) if (isRecord(record) && typeof record.code === 'string') found.set(Number(record.id), record as LegitoRecord);
	};
	for (let i = 0; i < ids.length; i += RECORD_BATCH) await fetch(ids.slice(i, i + RECORD_BATCH), false);
	const missing = ids.filter((id) => !found.has(id));
	for (let i = 0; i < missing.length; i += RECORD_BATCH) await fetch(missing.slice(i, i + RECORD_BATCH), true);
	return found;
}

const KNOWN_TYPES = new Set<string>(LEGITO_EVENT_TYPES);

const idList = (value: unknown) => (Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,;]+/) : []).map(String).filter(Boolean);

/** The push connection's template suite and record type filters, applied to the record (a record not found passes). */
function inScope(record: LegitoRecord | undefined, options: Record<string, unknown>): boolean {
	if (!record) return true;
	const suites = idList(options.templateSuites);
	const types = idList(options.documentRecordTypes);
	return (suites.length === 0 || suites.includes(String(record.templateSuiteId))) && (types.length === 0 || types.includes(String(record.documentRecordTypeId)));
}

/** The event types the trigger's push connection is for (empty: all). */
function subscribed(options: Record<string, unknown>): Set<string> | undefined {
	const list = Array.isArray(options.legitoEventTypes) ? options.legitoEventTypes.map(String).filter(Boolean) : [];
	return list.length > 0 ? new Set(list) : undefined;
}

/**
 * The push's normalized event for a timeline item. The id follows the push's rule
 * (systemName + eventType + record code + lastModified) with the item's `created` as lastModified:
 * ASSUMPTION, a push's documentRecord.lastModified is the second its timeline event was written, in
 * the same notation, so an event heard live and caught up is one id. The record is the *current*
 * one (Legito keeps no past states).
 */
function legitoTimelineEvent(item: TimelineItem, record: LegitoRecord | undefined, systemName: string, context: CatchupContext): NormalizedEvent {
	const [type, status] = legitoMapping(item.type);
	const code = record?.code ?? String(item.documentRecordId ?? '');
	const workflowStage = isRecord(record?.workflowStage) ? record.workflowStage : undefined;
	const event: NormalizedEvent = {
		id: hashId(systemName, item.type, code, item.created),
		vendor: 'legito',
		type,
		vendorEventType: item.type,
		occurredAt: toIsoUtc(item.created),
		receivedAt: isoTime(context.now),
		document: {
			id: code,
			title: typeof record?.name === 'string' ? record.name : undefined,
			status: record?.deleted ? 'deleted' : status,
			vendorStatus: typeof workflowStage?.name === 'string' ? workflowStage.name : undefined,
		},
		files: [],
		data: {
			documentRecordId: record?.id ?? item.documentRecordId,
			documentRecordCode: code,
			created: record?.created ?? undefined,
			lastModified: item.created,
			deleted: record?.deleted ?? undefined,
			templateSuiteId: record?.templateSuiteId ?? undefined,
			documentRecordTypeId: record?.documentRecordTypeId ?? undefined,
			workflowStage,
			ownerId: record?.ownerId ?? undefined,
			authorId: item.authorId ?? record?.authorId ?? undefined,
			properties: Array.isArray(record?.properties) ? record.properties : [],
			persons: Array.isArray(record?.persons) ? record.persons : [],
			pushConnectionSystemName: systemName || undefined,
			attachedFiles: [],
			timelineEventId: item.id,
			...(record ? {} : { recordError: 'the document record was not found; document.id is its numeric id' }),
		},
		raw: { event: item, documentRecord: record },
	};
	return withSource(event, context.source);
}

export const legitoCatchup: CatchupReader<LegitoCatchupState> = {
	vendor: 'legito',
	start: (at) => ({ from: Math.floor(at.getTime() / 1000), ids: [] }),
	parse: (value) => (isRecord(value) && Number.isInteger(value.from) && Array.isArray(value.ids) ? { from: value.from as number, ids: (value.ids as unknown[]).filter(Number.isInteger) as number[] } : undefined),
	async read(context, state) {
		// `legitoSettleSeconds` shortens the settling time (tests; a workspace known to write at once).
		const settle = Number.isInteger(context.options.legitoSettleSeconds) && (context.options.legitoSettleSeconds as number) >= 0 ? (context.options.legitoSettleSeconds as number) : LEGITO_SETTLE_SECONDS;
		const to = Math.floor(context.now.getTime() / 1000) - settle;
		if (to < state.from) return { events: [], state };
		const items = await eventsIn(context, state.from, to);
		const handled = new Set(state.ids);
		const wanted = subscribed(context.options);
		const fresh = new Map<number, TimelineItem>();
		for (const item of items) {
			if (handled.has(item.id) || fresh.has(item.id)) continue;
			// User* events and types a push connection cannot carry are not the trigger's.
			if (!KNOWN_TYPES.has(item.type) || (wanted && !wanted.has(item.type))) continue;
			fresh.set(item.id, item);
		}
		const ordered = [...fresh.values()].sort((a, b) => seconds(a) - seconds(b) || a.id - b.id);
		const ids = [...new Set(ordered.map((item) => Number(item.documentRecordId)).filter(Number.isInteger))];
		const found = ids.length > 0 ? await records(context, ids) : new Map<number, LegitoRecord>();
		const systemName = typeof context.registration?.extra?.systemName === 'string' ? context.registration.extra.systemName : '';
		const events = ordered
			.filter((item) => inScope(found.get(Number(item.documentRecordId)), context.options))
			.map((item) => legitoTimelineEvent(item, found.get(Number(item.documentRecordId)), systemName, context));
		// Never back before the last start: the ids of earlier seconds are no longer kept.
		const from = Math.max(state.from, to - 1);
		return { events, state: { from, ids: [...new Set(items.filter((item) => seconds(item) >= from).map((item) => item.id))] } };
	},
};
