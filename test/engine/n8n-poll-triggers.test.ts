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

/**
 * Issue 23's proof, one table over the vendors that poll: (a) events made while the workflow is
 * inactive (n8n does not poll; the node's static data keeps the watermark) are emitted once after it
 * is active again; (b) a read that fails part-way emits nothing and keeps the watermark, and the
 * retry emits each once; (c) the n8n process dies during a poll (nothing emitted, nothing saved,
 * its memory gone): the next poll emits each once. Each vendor's `made` is what happened at the
 * vendor as the webhook would have told it; `expected` what the API lets a poll see of it.
 */
interface PollVendorCase {
	harness: N8nPollHarness;
	/** Makes the events at the simulator (and waits until a poll can see them); answers how many webhook events they are. */
	make(): Promise<number>;
	/** `type document-id` of each event the next poll must emit, in order. */
	expected: string[];
	/** The vendor fails a request after part of the read (earlier requests of the same poll answered). */
	failMidRead(): void;
	/** Which request fails part-way (for the table). */
	failing: string;
	close(): Promise<void>;
}

const closing: Array<[string, string, number, number]> = [];
const summary = (items: INodeExecutionData[] | null) => events(items).map((e) => `${e.type} ${e.document.id}`);

const pollCases: Array<[string, () => Promise<PollVendorCase>]> = [
	['Legito', async () => {
		const sim = await legitoSim.start();
		const harness = new N8nPollHarness(new LegitoPollTrigger(), {
			credentials: { legitoApi: { apiKey: sim.apiKey, privateKey: sim.privateKey, region: 'custom', apiBaseUrl: sim.baseUrl } },
			parameters: { options: { settleSeconds: 1 } },
		});
		return {
			harness,
			async make() {
				sim.happen('SignStarted', { code: 'doc-1' });
				sim.happen('SignCompleted', { code: 'doc-1' });
				sim.happen('DocumentRecordDeleted', { code: 'doc-2' });
				await sleep(2100); // the window of those seconds closes (settle time 1 s)
				return 3;
			},
			expected: ['document.sent doc-1', 'document.completed doc-1', 'document.deleted doc-2'],
			failMidRead: () => sim.faults.failNext(500, { path: '/document-record' }),
			failing: 'the records, after the timeline was read',
			close: () => sim.close(),
		};
	}],
	['Legalesign', async () => {
		const sim = await legalesignSim.start();
		const harness = new N8nPollHarness(new LegalesignPollTrigger(), {
			credentials: { legalesignApi: { username: sim.username, apiKey: sim.apiKey, apiBaseUrl: sim.baseUrl, certificate: sim.certificate } },
			parameters: { group: 'main' },
		});
		return {
			harness,
			async make() {
				sim.changeDocument('doc-1', { status: 30, signerStatus: 40 }); // signed (and auto-archived)
				sim.changeDocument('doc-2', { status: 50, signerStatus: 60 }); // rejected
				return 4; // per document: its status and its signer's, as the batch webhook would send them
			},
			expected: ['recipient.completed doc-1', 'document.completed doc-1', 'recipient.rejected doc-2', 'document.rejected doc-2'],
			failMidRead: () => sim.faults.failNext(500, { path: '/api/v1/document/doc-2/' }),
			failing: 'the second document\'s signers, after the list and the first document',
			close: () => sim.close(),
		};
	}],
	['QuicklySign', async () => {
		const sim = await quicklysignSim.start();
		sim.addPack('pack-1');
		sim.addPack('pack-2');
		const harness = new N8nPollHarness(new QuicklySignPollTrigger(), {
			credentials: { quicklySignApi: { clientId: sim.clientId, clientSecret: sim.clientSecret, apiKey: sim.apiKey, environment: 'custom', apiBaseUrl: sim.baseUrl } },
			parameters: { documentPackKeys: 'pack-1, pack-2' },
		});
		return {
			harness,
			async make() {
				await sleep(5);
				sim.audit('pack-1', 'user_viewed');
				sim.audit('pack-1', 'user_signed');
				sim.setPackStatus('pack-1', 'complete');
				sim.audit('pack-2', 'user_viewed');
				return 4;
			},
			expected: ['document.updated pack-1', 'document.updated pack-1', 'document.completed pack-1', 'document.updated pack-2'],
			failMidRead: () => sim.faults.failNext(500, { path: '/v1/audit_trail/pack-2' }),
			failing: 'the second pack\'s audit trail, after the first pack was read',
			close: () => sim.close(),
		};
	}],
	['PhenixID', async () => {
		const api = await startPhenixidApi();
		api.orders.set('t1', { id: 't1', state: 'PENDING' });
		api.orders.set('t2', { id: 't2', state: 'PENDING' });
		const harness = new N8nPollHarness(new PhenixIdPollTrigger(), { credentials: { phenixIdSigningApi: { secret: 'phenixid-secret-0123456789abcdef', apiBaseUrl: api.url } }, parameters: { taskIds: 't1, t2' } });
		return {
			harness,
			async make() {
				api.orders.set('t1', { id: 't1', state: 'SIGNED' });
				api.orders.set('t2', { id: 't2', state: 'REJECTED' });
				api.orders.set('t3', { id: 't3', state: 'SIGNED' }); // a task not listed: the API cannot find it
				return 3;
			},
			expected: ['document.completed t1', 'document.rejected t2'],
			failMidRead: () => api.faults.failNext(500, { path: '/api/v2/tasks/t2' }),
			failing: 'the second task, after the first was read',
			close: () => api.close(),
		};
	}],
];

describe('n8n polling triggers: off and on again, a failed read, a killed poll (every vendor that polls)', () => {
	afterAll(() => {
		// The closing note's n8n rows (issue 23): events made while the workflow was inactive vs. emitted after it was active again.
		console.log(['| engine | vendor | made while off | emitted after |', '|---|---|---|---|', ...closing.map((row) => `| ${row.join(' | ')} |`)].join('\n'));
	});

	it.each(pollCases)('%s: made while the workflow is inactive → emitted once when it is active again; then nothing', async (vendor, setup) => {
		const c = await setup();
		try {
			expect(await c.harness.poll()).toBeNull(); // active: the starting point
			// Deactivated: n8n stops polling; the static data (and its watermark) stays with the workflow.
			const made = await c.make();
			const emitted = summary(await c.harness.poll()); // active again
			expect(emitted).toEqual(c.expected);
			expect(events(c.harness.executions.flat()).every((e) => e.data.source === 'poll')).toBe(true);
			expect(await c.harness.poll()).toBeNull();
			expect(await c.harness.poll()).toBeNull();
			expect(c.harness.executions.flat()).toHaveLength(c.expected.length);
			closing.push(['n8n (poll harness)', vendor, made, c.harness.executions.flat().length]);
		} finally {
			await c.close();
		}
	});

	it.each(pollCases)('%s: a read that fails part-way emits nothing and keeps the watermark; the retry emits each once', async (_vendor, setup) => {
		const c = await setup();
		try {
			await c.harness.poll();
			const started = watermarkOf(c.harness).state;
			await c.make();
			c.failMidRead();
			expect(await c.harness.poll()).toBeNull();
			expect(watermarkOf(c.harness).state).toEqual(started);
			expect(watermarkOf(c.harness).failures).toBe(1);
			await sleep(5100); // the first backoff
			expect(summary(await c.harness.poll())).toEqual(c.expected);
			expect(await c.harness.poll()).toBeNull();
			expect(c.harness.executions.flat()).toHaveLength(c.expected.length);
		} finally {
			await c.close();
		}
	});

	it.each(pollCases)('%s: the n8n process dies during a poll: nothing lost, nothing repeated', async (_vendor, setup) => {
		const c = await setup();
		try {
			await c.harness.poll();
			const started = c.harness.staticData;
			await c.make();
			expect(await c.harness.pollKilled()).toBe(c.expected.length); // read, never handed to n8n
			expect(c.harness.staticData).toEqual(started);
			expect(c.harness.executions).toHaveLength(0);
			expect(summary(await c.harness.poll())).toEqual(c.expected);
			expect(await c.harness.poll()).toBeNull();
			expect(c.harness.executions.flat()).toHaveLength(c.expected.length);
		} finally {
			await c.close();
		}
	});
});
