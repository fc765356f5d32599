import { NodeApiError, type INodeExecutionData } from 'n8n-workflow';
import { NormalizedEventSchema, type NormalizedEvent } from '../../core/event/normalized-event';
import { LegalesignPollTrigger } from '../../n8n/legalesign/nodes/LegalesignPollTrigger/LegalesignPollTrigger.node';
import { LegitoPollTrigger } from '../../n8n/legito/nodes/LegitoPollTrigger/LegitoPollTrigger.node';
import { PhenixIdPollTrigger } from '../../n8n/phenixid-signing/nodes/PhenixIdPollTrigger/PhenixIdPollTrigger.node';
import { QuicklySignPollTrigger } from '../../n8n/quicklysign/nodes/QuicklySignPollTrigger/QuicklySignPollTrigger.node';
import { N8nPollHarness } from '../n8n/poll-harness';
import * as legitoSim from '../../sandbox/simulators/legito';
import * as legalesignSim from '../../sandbox/simulators/legalesign';
import * as quicklysignSim from '../../sandbox/simulators/quicklysign';
import { startPhenixidApi, type PhenixidApiSimulator } from '../../sandbox/simulators/phenixid';

/**
 * Issue 23, n8n: the polling triggers' poll() as n8n runs it at the Poll Times (test/n8n/poll-harness),
 * against the vendor simulators' list endpoints. Each vendor: the first poll (Start From now) emits
 * nothing, the events made then are emitted once by the next poll, and a third poll emits nothing.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ago = (seconds: number) => new Date(Date.now() - seconds * 1000);
const events = (items: INodeExecutionData[] | null) => (items ?? []).map((item) => NormalizedEventSchema.parse(item.json) as NormalizedEvent);
const watermarkOf = (harness: N8nPollHarness) => harness.staticData.legalhooksWatermark as { state: unknown; failures: number; notBefore?: number };

describe('n8n polling triggers: what n8n shows', () => {
	it.each([
		['legitoPollTrigger', new LegitoPollTrigger(), 'legitoApi'],
		['legalesignPollTrigger', new LegalesignPollTrigger(), 'legalesignApi'],
		['quicklySignPollTrigger', new QuicklySignPollTrigger(), 'quicklySignApi'],
		['phenixIdPollTrigger', new PhenixIdPollTrigger(), 'phenixIdSigningApi'],
	])('%s: a polling node (n8n adds Poll Times), the webhook trigger\'s credential, Start From now by default', (name, node, credential) => {
		expect(node.description.name).toBe(name);
		expect(node.description.polling).toBe(true);
		expect(node.description.webhooks).toBeUndefined();
		expect(node.description.credentials).toEqual([expect.objectContaining({ name: credential, required: true })]);
		const properties = new N8nPollHarness(node, { credentials: {} }).properties();
		expect(properties.map((p) => p.name)).toContain('pollTimes');
		expect(properties.find((p) => p.name === 'startFrom')?.default).toBe('now');
	});
});

describe('n8n: Legito Polling Trigger', () => {
	let sim: legitoSim.LegitoSimulator;
	const make = (parameters: Record<string, unknown> = {}) =>
		new N8nPollHarness(new LegitoPollTrigger(), {
			credentials: { legitoApi: { apiKey: sim.apiKey, privateKey: sim.privateKey, region: 'custom', apiBaseUrl: sim.baseUrl } },
			parameters: { options: { settleSeconds: 1 }, ...parameters },
		});
	const timelineReads = () => sim.state.calls.filter((c) => c.path.endsWith('/event')).length;
	beforeEach(async () => {
		sim = await legitoSim.start();
	});
	afterEach(() => sim.close());

	it('first poll emits nothing; the events made then are emitted once by the next poll; a third poll emits nothing', async () => {
		const harness = make();
		sim.happen('SignCompleted', { code: 'before-start', at: ago(30) });
		expect(await harness.poll()).toBeNull();
		expect(watermarkOf(harness)).toBeDefined();
		sim.happen('SignStarted', { code: 'doc-1' });
		sim.happen('SignCompleted', { code: 'doc-1' });
		sim.happen('DocumentRecordDeleted', { code: 'doc-2' });
		await sleep(2100); // the window of those seconds closes (settle time 1 s)
		const second = events(await harness.poll());
		expect(second.map((e) => [e.vendorEventType, e.document.id, e.data.source])).toEqual([
			['SignStarted', 'doc-1', 'poll'],
			['SignCompleted', 'doc-1', 'poll'],
			['DocumentRecordDeleted', 'doc-2', 'poll'],
		]);
		expect(second.map((e) => e.type)).toEqual(['document.sent', 'document.completed', 'document.deleted']);
		expect(second.every((e) => e.verification?.scheme === 'vendor-api')).toBe(true);
		await sleep(1100);
		expect(await harness.poll()).toBeNull();
		expect(harness.executions).toHaveLength(1);
		expect(sim.state.connections.size).toBe(0); // no push connection: polling only
	});

	it('Start From a date emits from then at the first poll; the Events field filters', async () => {
		sim.happen('SignCompleted', { code: 'too-old', at: ago(600) });
		sim.happen('SignStarted', { code: 'doc-a', at: ago(60) });
		sim.happen('SignCompleted', { code: 'doc-a', at: ago(50) });
		const harness = make({ startFrom: 'date', startDate: ago(120).toISOString(), legitoEvents: ['SignCompleted'] });
		expect(events(await harness.poll()).map((e) => [e.vendorEventType, e.document.id])).toEqual([['SignCompleted', 'doc-a']]);
		expect(await harness.poll()).toBeNull();
	});

	it('a failed read keeps the watermark: the poll after the backoff emits the events', async () => {
		const harness = make();
		await harness.poll();
		const started = watermarkOf(harness).state;
		sim.happen('SignCompleted', { code: 'doc-f' });
		await sleep(2100);
		sim.faults.failNext(500, { path: '/event' });
		expect(await harness.poll()).toBeNull();
		expect(watermarkOf(harness).state).toEqual(started);
		expect(watermarkOf(harness).failures).toBe(1);
		expect(harness.logs.some((l) => l.level === 'warn' && /Legito poll: .*HTTP 500/.test(l.message))).toBe(true);
		expect(harness.triggerErrors).toEqual([]); // trigger mode: no throw, no failed execution
		await sleep(5100); // the first backoff is 5 s
		expect(events(await harness.poll()).map((e) => e.document.id)).toEqual(['doc-f']);
		await sleep(1100);
		expect(await harness.poll()).toBeNull();
	});

	it("a 429 is honoured: no read until its Retry-After, then the events", async () => {
		const harness = make();
		await harness.poll();
		sim.happen('SignCompleted', { code: 'doc-r' });
		await sleep(2100);
		sim.faults.failNext(429, { path: '/event' }, { headers: { 'retry-after': '2' } });
		expect(await harness.poll()).toBeNull();
		const reads = timelineReads();
		expect(await harness.poll()).toBeNull(); // within the Retry-After: nothing asked
		expect(timelineReads()).toBe(reads);
		await sleep(2100);
		expect(events(await harness.poll()).map((e) => e.document.id)).toEqual(['doc-r']);
	});

	it('Fetch test event shows the latest events even before the first poll, and moves no watermark; a failed read throws a NodeApiError', async () => {
		for (let i = 0; i < 5; i++) sim.happen('DocumentRecordUpdated', { code: `doc-${i}`, at: ago(60 - i) });
		const harness = make();
		const shown = events(await harness.fetchTestEvent());
		expect(shown.map((e) => e.document.id)).toEqual(['doc-2', 'doc-3', 'doc-4']);
		expect(harness.staticData).toEqual({});
		sim.faults.failNext(500, { path: '/event' });
		const failed = harness.fetchTestEvent();
		await expect(failed).rejects.toBeInstanceOf(NodeApiError);
		await expect(failed).rejects.toThrow(/Legito poll: .*HTTP 500/);
		expect(await harness.poll()).toBeNull(); // the first real poll still starts at now
	});
});

describe('n8n: Legalesign Polling Trigger', () => {
	let sim: legalesignSim.LegalesignSimulator;
	beforeEach(async () => {
		sim = await legalesignSim.start();
	});
	afterEach(() => sim.close());
	const make = (parameters: Record<string, unknown> = {}) =>
		new N8nPollHarness(new LegalesignPollTrigger(), {
			credentials: { legalesignApi: { username: sim.username, apiKey: sim.apiKey, apiBaseUrl: sim.baseUrl, certificate: sim.certificate } },
			parameters: { group: 'main', ...parameters },
		});

	it('first poll emits nothing; each status change once over the next polls (signed documents are auto-archived); a failed read keeps the watermark', async () => {
		sim.changeDocument('old-doc', { at: ago(600) });
		const harness = make();
		expect(await harness.poll()).toBeNull();
		sim.changeDocument('doc-1');
		sim.changeDocument('doc-1', { status: 30, signerStatus: 40 });
		sim.faults.failNext(503, { path: '/api/v1/document/' });
		expect(await harness.poll()).toBeNull();
		expect(watermarkOf(harness).failures).toBe(1);
		await sleep(5100);
		const second = events(await harness.poll());
		expect(second.map((e) => [e.type, e.document.id, e.data.source])).toEqual([
			['recipient.completed', 'doc-1', 'poll'],
			['document.completed', 'doc-1', 'poll'],
		]);
		expect(await harness.poll()).toBeNull();
		expect(sim.state.subscriptions).toHaveLength(0);
	});

	it('Start From a date emits the changes since then', async () => {
		sim.changeDocument('doc-d', { status: 10, at: ago(30) });
		const harness = make({ startFrom: 'date', startDate: ago(120).toISOString() });
		expect(events(await harness.poll()).map((e) => [e.type, e.document.id])).toEqual(expect.arrayContaining([['document.sent', 'doc-d']]));
		expect(await harness.poll()).toBeNull();
	});
});

describe('n8n: QuicklySign Polling Trigger', () => {
	let sim: quicklysignSim.QuicklysignSimulator;
	beforeEach(async () => {
		sim = await quicklysignSim.start();
	});
	afterEach(() => sim.close());
	const make = (parameters: Record<string, unknown> = {}) =>
		new N8nPollHarness(new QuicklySignPollTrigger(), {
			credentials: { quicklySignApi: { clientId: sim.clientId, clientSecret: sim.clientSecret, apiKey: sim.apiKey, environment: 'custom', apiBaseUrl: sim.baseUrl } },
			parameters: { documentPackKeys: 'pack-1, pack-2', ...parameters },
		});

	it('first poll emits nothing; the watched packs\' changes once; a 429 is honoured; a third poll emits nothing', async () => {
		sim.addPack('pack-1');
		sim.addPack('pack-2');
		sim.addPack('pack-other');
		const harness = make();
		expect(await harness.poll()).toBeNull();
		await sleep(5);
		sim.audit('pack-1', 'user_viewed');
		sim.audit('pack-1', 'user_signed');
		sim.setPackStatus('pack-1', 'complete');
		sim.audit('pack-1', 'document_completed');
		sim.setPackStatus('pack-other', 'complete');
		sim.faults.failNext(429, { path: '/v1/document_packs/' }, { headers: { 'retry-after': '1' } });
		expect(await harness.poll()).toBeNull();
		await sleep(1100);
		const second = events(await harness.poll());
		expect(second.map((e) => [e.vendorEventType, e.document.id, e.data.source])).toEqual([
			['audit_trail_updated', 'pack-1', 'poll'],
			['audit_trail_updated', 'pack-1', 'poll'],
			['audit_trail_updated', 'pack-1', 'poll'],
			['document_status_changed', 'pack-1', 'poll'],
		]);
		expect(second.at(-1)!.type).toBe('document.completed');
		expect(await harness.poll()).toBeNull();
	});
});

describe('n8n: PhenixID Signing Service Polling Trigger', () => {
	let api: PhenixidApiSimulator;
	beforeEach(async () => {
		api = await startPhenixidApi();
	});
	afterEach(() => api.close());
	const make = (parameters: Record<string, unknown> = {}) =>
		new N8nPollHarness(new PhenixIdPollTrigger(), { credentials: { phenixIdSigningApi: { secret: 'phenixid-secret-0123456789abcdef', apiBaseUrl: api.url } }, parameters: { taskIds: 't1, t2, t3', ...parameters } });

	it('first poll reads the listed tasks as the baseline and emits nothing; each change once; a finished task is read no more', async () => {
		api.orders.set('t1', { id: 't1', state: 'PENDING' });
		api.orders.set('t2', { id: 't2', state: 'PENDING' });
		api.orders.set('t3', { id: 't3', state: 'SIGNED' }); // signed before the start: the baseline
		api.orders.set('t4', { id: 't4', state: 'SIGNED' }); // not listed: never read
		const harness = make();
		expect(await harness.poll()).toBeNull();
		api.orders.set('t1', { id: 't1', state: 'SIGNED' });
		api.orders.set('t2', { id: 't2', state: 'ACCEPTED' });
		api.faults.failNext(500, { path: '/api/v2/tasks/' });
		expect(await harness.poll()).toBeNull();
		await sleep(5100);
		const second = events(await harness.poll());
		expect(second.map((e) => [e.document.id, e.vendorEventType, e.type, e.data.source])).toEqual([
			['t1', 'OrderSigned', 'document.completed', 'poll'],
			['t2', 'OrderAccepted', 'document.updated', 'poll'],
		]);
		const reads = api.requests.length;
		expect(await harness.poll()).toBeNull();
		expect(api.requests.slice(reads).map((r) => r.path)).toEqual(['/api/v2/tasks/t2']);
		expect(api.requests.some((r) => r.path === '/api/v2/tasks/t4')).toBe(false);
	});

	it('Start From a date reports the listed tasks\' states at the first poll', async () => {
		api.orders.set('t1', { id: 't1', state: 'SIGNED' });
		api.orders.set('t2', { id: 't2', state: 'PENDING' });
		const harness = make({ taskIds: 't1\nt2', startFrom: 'date', startDate: ago(3600).toISOString() });
		expect(events(await harness.poll()).map((e) => [e.document.id, e.vendorEventType])).toEqual([['t1', 'OrderSigned']]);
		expect(await harness.poll()).toBeNull();
	});
});
