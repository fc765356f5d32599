import type { HttpClient } from '../../core/outbound/http';
import { NormalizedEventSchema, type NormalizedEvent } from '../../core/event/normalized-event';
import { deduplicate, ingest } from '../../core/inbound/ingest';
import { DEFAULT_TRIGGER_OPTIONS } from '../../core/vendors/definition';
import { legito } from '../../core/vendors/legito';
import { MemoryDedupeStore } from '../../core/inbound/dedupe';
import { catchupOutput, runCatchup, type CatchupContext, type CatchupReader } from '../../core/catchup';
import { pollWithStaticData } from '../../n8n/shared/poll-watermark';
import { legitoCatchup, LEGITO_PAGE } from '../../core/vendors/legito/catchup';
import { legalesignCatchup } from '../../core/vendors/legalesign/catchup';
import { quicklysignCatchup } from '../../core/vendors/quicklysign/catchup';
import { phenixidCatchup } from '../../core/vendors/phenixid/catchup';
import { nodeHttpClient } from '../../node-red/src/shared/node-http';
import { listen } from '../../sandbox/simulators/server';
import * as legitoSim from '../../sandbox/simulators/legito';
import * as legalesignSim from '../../sandbox/simulators/legalesign';
import * as quicklysignSim from '../../sandbox/simulators/quicklysign';
import { startPhenixidApi } from '../../sandbox/simulators/phenixid';
import express from 'express';

const http: HttpClient = (request) => nodeHttpClient({ ...request, timeoutMs: request.timeoutMs ?? 3000 });
const ago = (seconds: number) => new Date(Date.now() - seconds * 1000);

/** Runs the reader the way an engine does: emits, then keeps the record. */
async function runs<S>(reader: CatchupReader<S>, context: Omit<CatchupContext, 'now' | 'source'>, times: number, stored?: unknown, startFrom?: Date) {
	const emitted: NormalizedEvent[] = [];
	let record = stored;
	const outcomes: string[] = [];
	for (let i = 0; i < times; i++) {
		const run = await runCatchup({ reader, stored: record, startFrom: i === 0 ? startFrom : undefined, context: { ...context, now: new Date(), source: 'catch-up' }, emit: (events) => void emitted.push(...events) });
		record = run.record;
		outcomes.push(run.outcome);
	}
	return { emitted, record, outcomes };
}

describe('catch-up: Legito Document Timeline', () => {
	let sim: legitoSim.LegitoSimulator;
	let credentials: Record<string, unknown>;
	beforeEach(async () => {
		sim = await legitoSim.start();
		credentials = { apiKey: sim.apiKey, privateKey: sim.privateKey, region: 'custom', apiBaseUrl: sim.baseUrl };
	});
	afterEach(() => sim.close());

	it('first run records a starting point and emits nothing; events after it come once, in time order, with the push mapping', async () => {
		sim.happen('SignStarted', { at: ago(300) }); // before the starting point
		const first = await runs(legitoCatchup, { http, credentials, options: {} }, 1, undefined);
		expect(first.outcomes).toEqual(['started']);
		expect(first.emitted).toEqual([]);
		expect(sim.state.calls).toEqual([]);
		// Made "while off": after the start, but old enough to be in a closed window.
		const record = first.record as { state: { from: number } };
		record.state.from -= 120; // as if started two minutes ago
		sim.happen('SignStarted', { at: ago(60), code: 'doc-a' });
		sim.happen('SignCompleted', { at: ago(50), code: 'doc-a' });
		sim.happen('UserLoggedIn', { at: ago(45) }); // a User* event: not the trigger's
		sim.happen('DocumentRecordDeleted', { at: ago(40), code: 'doc-b' });
		sim.happen('SignCompleted', { at: ago(2), code: 'doc-c' }); // too recent: next time
		const second = await runs(legitoCatchup, { http, credentials, options: {} }, 2, record);
		expect(second.emitted.map((e) => [e.vendorEventType, e.type, e.document.id])).toEqual([
			['SignStarted', 'document.sent', 'doc-a'],
			['SignCompleted', 'document.completed', 'doc-a'],
			['DocumentRecordDeleted', 'document.deleted', 'doc-b'],
		]);
		for (const event of second.emitted) expect(NormalizedEventSchema.parse(event).data.source).toBe('catch-up');
		expect(second.emitted[2].document.status).toBe('deleted');
	});

	it('the id is the push id of the same event (systemName + type + code + lastModified): heard live and caught up, emitted once', async () => {
		const connection = { id: 1, systemName: 'sys-1', headers: [{ name: 'X-Legalhooks-Token', value: 'tok', useDefaultApiUser: false }] };
		const server = await listen(express().post('/hook', (_req, res) => void res.json({ ok: true })));
		sim.state.connections.set(1, { ...(connection as any), name: 'x', url: `${server.url}/hook`, enabled: true, eventTypes: [], templateSuiteAll: true, templateSuites: [], documentRecordTypeAll: true, documentRecordTypes: [], attachFilesUploaded: false, attachFilesGenerated: false, fileTypes: [], owner: sim.apiKey });
		const at = ago(30);
		const pushed = sim.pushBody(sim.state.connections.get(1)!, 'SignCompleted', { code: 'doc-a', lastModified: at.toISOString().replace(/\.\d{3}Z$/, '+00:00') });
		sim.happen('SignCompleted', { code: 'doc-a', at });
		await server.close();
		const live = ingest(legito, { method: 'POST', rawBody: Buffer.from(pushed), headers: { 'x-legalhooks-token': 'tok' }, query: {} }, { secret: 'tok', registration: { ids: ['1'], url: '', secret: 'tok', settings: {}, extra: { systemName: 'sys-1' } }, options: DEFAULT_TRIGGER_OPTIONS as any, now: new Date() });
		expect(live.ok).toBe(true);
		const liveEvent = (live as { events: NormalizedEvent[] }).events[0];
		const caught = await legitoCatchup.read({ http, credentials, options: {}, registration: { ids: ['1'], url: '', secret: 'tok', settings: {}, extra: { systemName: 'sys-1' } }, source: 'catch-up', now: new Date() }, { from: Math.floor(Date.now() / 1000) - 120, ids: [] });
		expect(caught.events.map((e) => e.id)).toEqual([liveEvent.id]);
		// The webhook path records the live one; the caught-up one is then a duplicate.
		const dedupe = new MemoryDedupeStore();
		expect(deduplicate(legito, [liveEvent], DEFAULT_TRIGGER_OPTIONS as any, dedupe, new Date()).events).toHaveLength(1);
		expect(await catchupOutput(legito, caught.events, DEFAULT_TRIGGER_OPTIONS as any, dedupe, new Date())).toEqual([]);
		expect(await catchupOutput(legito, caught.events, DEFAULT_TRIGGER_OPTIONS as any, new MemoryDedupeStore(), new Date())).toHaveLength(1);
	});

	it('a full page (1000, unsorted) is split in halves, not paged by offset; nothing lost, nothing twice', async () => {
		const base = Date.now() - 3600_000;
		for (let i = 0; i < 2500; i++) sim.happen('DocumentRecordUpdated', { at: new Date(base + i * 1000), code: `doc-${i % 7}` });
		const asked: Array<Record<string, unknown>> = [];
		const recording: HttpClient = (request) => {
			if (request.url.endsWith('/event')) asked.push({ ...request.qs });
			return http(request);
		};
		const { events } = await legitoCatchup.read({ http: recording, credentials, options: {}, source: 'poll', now: new Date() }, { from: Math.floor(base / 1000), ids: [] });
		expect(events).toHaveLength(2500);
		expect(asked.every((qs) => qs.offset === undefined && qs.limit === 1000)).toBe(true);
		expect(new Set(events.map((e) => e.data.timelineEventId)).size).toBe(2500);
		const gets = sim.state.calls.filter((c) => c.path.endsWith('/event'));
		expect(gets.length).toBeGreaterThan(3);
		expect(LEGITO_PAGE).toBe(1000);
		const sorted = events.map((e) => Date.parse(e.occurredAt!));
		expect(sorted).toEqual([...sorted].sort((a, b) => a - b));
	});

	it.each([false, true])('bounds read as exclusive = %s: split windows and successive reads lose nothing and repeat nothing', async (exclusive) => {
		sim.state.exclusiveBounds = exclusive;
		const base = Date.now() - 1800_000;
		for (let i = 0; i < 1500; i++) sim.happen('DocumentRecordUpdated', { at: new Date(base + i * 1000), code: `doc-${i % 5}` });
		const seen: unknown[] = [];
		let state = { from: Math.floor(base / 1000) - 1, ids: [] as number[] };
		for (let i = 0; i < 4; i++) {
			const read = await legitoCatchup.read({ http, credentials, options: { legitoSettleSeconds: 0 }, source: 'poll', now: new Date() }, state);
			seen.push(...read.events.map((e) => e.data.timelineEventId));
			state = read.state;
			if (i < 2) sim.happen('SignCompleted', { code: `late-${i}` });
			await new Promise((resolve) => setTimeout(resolve, 1100));
		}
		expect(new Set(seen).size).toBe(seen.length);
		expect([...seen].sort()).toEqual(sim.state.timeline.map((e) => e.id).sort());
	});

	it('the push connection\'s template suite filter applies to caught-up records too', async () => {
		sim.happen('SignCompleted', { code: 'in-suite', at: ago(40) });
		sim.happen('SignCompleted', { code: 'other-suite', at: ago(30) });
		[...sim.state.records.values()].find((r) => r.code === 'other-suite')!.templateSuiteId = 999;
		const read = await legitoCatchup.read({ http, credentials, options: { templateSuites: [512] }, source: 'poll', now: new Date() }, { from: Math.floor(Date.now() / 1000) - 120, ids: [] });
		expect(read.events.map((e) => e.document.id)).toEqual(['in-suite']);
	});

	it('only the subscribed event types; a failed read keeps the watermark and backs off; a 429 Retry-After is honoured', async () => {
		const start = { v: 1, vendor: 'legito', state: { from: Math.floor(Date.now() / 1000) - 120, ids: [] }, failures: 0 };
		sim.happen('SignStarted', { at: ago(60) });
		sim.happen('SignCompleted', { at: ago(50) });
		sim.faults.failNext(500, { path: '/event' });
		const failed = await runCatchup({ reader: legitoCatchup, stored: start, context: { http, credentials, options: { legitoEventTypes: ['SignCompleted'] }, source: 'poll', now: new Date() }, emit: () => undefined });
		expect(failed.outcome).toBe('failed');
		expect((failed.record.state as any).from).toBe(start.state.from);
		expect(failed.retryInMs).toBe(5000);
		const waiting = await runCatchup({ reader: legitoCatchup, stored: failed.record, context: { http, credentials, options: {}, source: 'poll', now: new Date() }, emit: () => undefined });
		expect(waiting.outcome).toBe('waiting');
		sim.faults.failNext(429, { path: '/event' });
		const limited = await runCatchup({ reader: legitoCatchup, stored: start, context: { http, credentials, options: {}, source: 'poll', now: new Date() }, emit: () => undefined });
		expect(limited.outcome).toBe('failed');
		const emitted: NormalizedEvent[] = [];
		const ok = await runCatchup({ reader: legitoCatchup, stored: start, context: { http, credentials, options: { legitoEventTypes: ['SignCompleted'] }, source: 'poll', now: new Date() }, emit: (events) => void emitted.push(...events) });
		expect(ok.outcome).toBe('read');
		expect(emitted.map((e) => e.vendorEventType)).toEqual(['SignCompleted']);
	});

	it('an emit that fails keeps the watermark: the same events come again next time', async () => {
		const start = { v: 1, vendor: 'legito', state: { from: Math.floor(Date.now() / 1000) - 120, ids: [] }, failures: 0 };
		sim.happen('SignCompleted', { at: ago(50) });
		const failed = await runCatchup({ reader: legitoCatchup, stored: start, context: { http, credentials, options: {}, source: 'poll', now: new Date() }, emit: () => Promise.reject(new Error('engine closed')) });
		expect(failed.outcome).toBe('failed');
		expect(failed.record.state).toEqual(start.state);
		const again: NormalizedEvent[] = [];
		await runCatchup({ reader: legitoCatchup, stored: { ...failed.record, notBefore: undefined }, context: { http, credentials, options: {}, source: 'poll', now: new Date() }, emit: (events) => void again.push(...events) });
		expect(again).toHaveLength(1);
	});
});

describe('Retry-After', () => {
	it('a 429 with Retry-After: 7 waits 7 s', async () => {
		const app = express();
		app.get('/api/v7/event', (_req, res) => void res.status(429).set('retry-after', '7').json({ message: 'slow down' }));
		const server = await listen(app);
		const run = await runCatchup({
			reader: legitoCatchup,
			stored: { v: 1, vendor: 'legito', state: { from: 1, ids: [] }, failures: 0 },
			context: { http, credentials: { apiKey: 'k', privateKey: 'p', apiBaseUrl: `${server.url}/api/v7` }, options: {}, source: 'poll', now: new Date() },
			emit: () => undefined,
		});
		await server.close();
		expect(run.outcome).toBe('failed');
		expect(run.retryInMs).toBe(7000);
		expect(run.message).toMatch(/HTTP 429/);
	});
});

describe('catch-up: Legalesign documents', () => {
	let sim: legalesignSim.LegalesignSimulator;
	let credentials: Record<string, unknown>;
	beforeEach(async () => {
		sim = await legalesignSim.start();
		credentials = { username: sim.username, apiKey: sim.apiKey, apiBaseUrl: sim.baseUrl };
	});
	afterEach(() => sim.close());

	it('the default list hides auto-archived signed documents; archived=all finds them; transitions once', async () => {
		sim.changeDocument('old-doc', { at: ago(600) }); // before the start: the baseline
		const started = { v: 1, vendor: 'legalesign', state: { since: ago(120).toISOString(), docs: {} }, failures: 0 };
		sim.changeDocument('doc-1');
		sim.changeDocument('doc-1', { status: 30, signerStatus: 40 }); // signed: auto-archived at once
		expect(sim.state.records.get('doc-1')!.archived).toBe(true);
		const unarchivedOnly = await http({ method: 'GET', url: `${sim.baseUrl}/document/?group=main`, headers: { authorization: `ApiKey ${sim.username}:${sim.apiKey}` } });
		expect((unarchivedOnly.body as any).objects.map((d: any) => d.uuid)).toEqual(['old-doc']);
		const options = { group: 'main' };
		const { emitted, record } = await runs(legalesignCatchup, { http, credentials, options }, 2, started);
		expect(emitted.map((e) => [e.type, e.document.id, e.vendorEventType])).toEqual([
			['recipient.completed', 'doc-1', 'signer.40'],
			['document.completed', 'doc-1', 'document.30'],
		]);
		sim.changeDocument('doc-1', { downloadFinal: true });
		const later = await runs(legalesignCatchup, { http, credentials, options }, 2, record);
		expect(later.emitted.map((e) => e.type)).toEqual(['document.file_ready']);
		expect(sim.state.calls.filter((c) => c.path === '/api/v1/document/').length).toBeGreaterThan(0);
	});

	it('pages through meta.next; without a group it says so and asks nothing', async () => {
		const started = { v: 1, vendor: 'legalesign', state: { since: ago(120).toISOString(), docs: {} }, failures: 0 };
		for (let i = 0; i < 3; i++) sim.changeDocument(`d${i}`);
		const none = await runCatchup({ reader: legalesignCatchup, stored: started, context: { http, credentials, options: {}, source: 'poll', now: new Date() }, emit: () => undefined });
		expect(none.outcome).toBe('unavailable');
		expect(sim.state.calls).toEqual([]);
		const emitted: NormalizedEvent[] = [];
		const app = http;
		const paged: HttpClient = (request) => app({ ...request, qs: { ...request.qs, ...(String(request.url).endsWith('/document/') ? { limit: 2 } : {}) } });
		await runCatchup({ reader: legalesignCatchup, stored: started, context: { http: paged, credentials, options: { group: 'main' }, source: 'poll', now: new Date() }, emit: (events) => void emitted.push(...events) });
		expect(new Set(emitted.filter((e) => e.type === 'document.sent').map((e) => e.document.id))).toEqual(new Set(['d0', 'd1', 'd2']));
	});
});

describe('catch-up: QuicklySign watched packs', () => {
	let sim: quicklysignSim.QuicklysignSimulator;
	let credentials: Record<string, unknown>;
	beforeEach(async () => {
		sim = await quicklysignSim.start();
		credentials = { clientId: sim.clientId, clientSecret: sim.clientSecret, apiKey: sim.apiKey, environment: 'custom', apiBaseUrl: sim.baseUrl };
	});
	afterEach(() => sim.close());

	it('re-reads each watched pack; audit entries paged by next; a status change once', async () => {
		const pack = sim.addPack('pack-1');
		const options = { documentPackKeys: 'pack-1' };
		const first = await runs(quicklysignCatchup, { http, credentials, options }, 1, undefined);
		expect(first.outcomes).toEqual(['started']);
		for (let i = 0; i < 12; i++) sim.audit('pack-1', 'user_viewed');
		sim.setPackStatus('pack-1', 'complete');
		sim.audit('pack-1', 'document_completed');
		const { emitted } = await runs(quicklysignCatchup, { http, credentials, options }, 3, first.record);
		expect(emitted.filter((e) => e.vendorEventType === 'audit_trail_updated')).toHaveLength(13);
		const status = emitted.filter((e) => e.vendorEventType === 'document_status_changed');
		expect(status.map((e) => [e.type, e.document.status])).toEqual([['document.completed', 'completed']]);
		expect(sim.state.calls.filter((c) => c.path.startsWith('/v1/audit_trail/')).length).toBeGreaterThanOrEqual(1);
		expect(pack.key).toBe('pack-1');
	});
});

describe('catch-up: PhenixID tasks seen', () => {
	it('re-reads the tasks heard of and not finished; a finished one is emitted once and dropped; never-seen tasks are not found', async () => {
		const api = await startPhenixidApi();
		try {
			api.orders.set('t1', { id: 't1', state: 'PENDING' });
			api.orders.set('t2', { id: 't2', state: 'PENDING' });
			api.orders.set('t3', { id: 't3', state: 'SIGNED' }); // never heard of
			const credentials = { secret: 's', apiBaseUrl: api.url };
			let state = phenixidCatchup.start(new Date());
			const heard = (id: string, type: string) => ({ id: id + type, vendor: 'phenixid', type: 'document.created', vendorEventType: type, occurredAt: null, receivedAt: new Date().toISOString(), document: { id, status: 'created' }, files: [], data: {} }) as NormalizedEvent;
			state = phenixidCatchup.observe!(state, heard('t1', 'OrderCreated'));
			state = phenixidCatchup.observe!(state, heard('t2', 'OrderCreated'));
			api.orders.set('t1', { id: 't1', state: 'SIGNED' });
			const stored = { v: 1, vendor: 'phenixid', state, failures: 0 };
			const { emitted, record } = await runs(phenixidCatchup, { http, credentials, options: {} }, 3, stored);
			expect(emitted.map((e) => [e.document.id, e.vendorEventType, e.type])).toEqual([['t1', 'OrderSigned', 'document.completed']]);
			expect((record as any).state.tasks).toEqual({ t2: 'OrderCreated' });
			expect(api.requests.some((r) => r.path === '/api/v2/tasks/t3')).toBe(false);
		} finally {
			await api.close();
		}
	});
});

describe('n8n poll(): the watermark in static data', () => {
	it('first poll emits nothing unless Start From is set; later polls emit each event once', async () => {
		const sim = await legitoSim.start();
		try {
			const credentials = { apiKey: sim.apiKey, privateKey: sim.privateKey, region: 'custom', apiBaseUrl: sim.baseUrl };
			sim.happen('SignCompleted', { at: ago(60) });
			const staticData: Record<string, unknown> = {};
			const first = await pollWithStaticData(staticData, legitoCatchup, { http, credentials, options: {}, now: new Date() });
			expect(first.events).toEqual([]);
			const fromDate: Record<string, unknown> = {};
			const dated = await pollWithStaticData(fromDate, legitoCatchup, { http, credentials, options: {}, now: new Date() }, ago(120).toISOString());
			expect(dated.events.map((e) => [e.vendorEventType, e.data.source])).toEqual([['SignCompleted', 'poll']]);
			const again = await pollWithStaticData(fromDate, legitoCatchup, { http, credentials, options: {}, now: new Date() }, ago(120).toISOString());
			expect(again.events).toEqual([]);
		} finally {
			await sim.close();
		}
	});
});
