import express from 'express';
import * as http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPhenixidDelivery } from '../../core/vendors/phenixid/samples';
import { startNodeRed, type NodeRedProcess } from '../node-red/runtime';
import * as legitoSim from '../../sandbox/simulators/legito';
import * as legalesignSim from '../../sandbox/simulators/legalesign';
import * as quicklysignSim from '../../sandbox/simulators/quicklysign';
import { startPhenixidApi } from '../../sandbox/simulators/phenixid';
import { listen, sendDelivery, type RunningServer } from '../../sandbox/simulators/server';
import { waitFor } from '../wait-for';

/**
 * Issue 23 in a real Node-RED (its own process, localfilesystem context store): events made at the
 * vendor while Node-RED is stopped are emitted once after it starts again, from the watermark kept
 * beside the seen ids; an event heard live before is not repeated. Each emitted message is logged
 * by a debug node as `vendorEventType|document id|data.source|type`.
 */

const settings = { contextStorage: { default: { module: 'localfilesystem' } } };

/** The public URL the vendor calls: forwards to whichever Node-RED process runs now (502 while none does). */
async function proxy(target: () => string | undefined): Promise<RunningServer> {
	const app = express();
	app.use((req, res) => {
		const base = target();
		if (!base) return void res.status(502).json({ error: 'Node-RED is stopped' });
		const out = http.request(new URL(req.originalUrl, base), { method: req.method, headers: req.headers }, (answer) => {
			res.writeHead(answer.statusCode ?? 502, answer.headers);
			answer.pipe(res);
		});
		out.on('error', () => res.status(502).end());
		req.pipe(out);
	});
	return listen(app);
}

function flows(vendor: string, baseUrl: string, trigger: Record<string, unknown>) {
	return [
		{ id: 'tab', type: 'tab', label: 'catch-up' },
		{ id: 'acct', type: `legalhooks-${vendor}-account`, name: vendor, baseUrl },
		{ id: 'trig', type: `legalhooks-${vendor}-trigger`, z: 'tab', account: 'acct', path: 'inbox', catchUp: true, pollSeconds: 1, wires: [['fmt']], ...trigger },
		{ id: 'fmt', type: 'function', z: 'tab', func: "const p = msg.payload; msg.payload = [p.vendorEventType, p.document.id, p.data.source, p.type].join('|'); return msg;", outputs: 1, wires: [['dbg']] },
		{ id: 'dbg', type: 'debug', z: 'tab', name: 'emitted', active: true, tosidebar: false, console: true, complete: 'payload' },
	];
}

const emitted = (red: NodeRedProcess) => [...red.output().matchAll(/\[debug:emitted\] (\S+)/g)].map((m) => m[1].split('|'));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The closing note's Node-RED rows (issue 23): events made while Node-RED was stopped vs. emitted after it started again. */
const closing: Array<[string, string, number | string, number]> = [];

describe('Node-RED catch-up across a restart (real runtime)', () => {
	afterAll(() => console.log(['| engine | vendor | made while off | emitted after |', '|---|---|---|---|', ...closing.map((row) => `| ${row.join(' | ')} |`)].join('\n')));
	let userDir: string;
	let red: NodeRedProcess | undefined;
	let front: RunningServer;
	const start = (vendor: string, trigger: Record<string, unknown>, credentials: Record<string, string>, baseUrl = front.url) =>
		startNodeRed({ modules: [`legalhooks-${vendor}`], flows: flows(vendor, baseUrl, trigger), credentials: { acct: credentials }, settings, userDir });

	beforeEach(async () => {
		userDir = mkdtempSync(join(tmpdir(), 'legalhooks-nr-catchup-'));
		front = await proxy(() => (red?.running() ? red.base : undefined));
	});
	afterEach(async () => {
		await red?.stop();
		red = undefined;
		await front.close();
		rmSync(userDir, { recursive: true, force: true });
	});

	it('Legito: 3 events made while stopped → 3 emitted after, once; the one heard live is not repeated', async () => {
		const sim = await legitoSim.start();
		try {
			const credentials = { apiKey: sim.apiKey, privateKey: sim.privateKey, region: 'custom', apiBaseUrl: sim.baseUrl };
			red = await start('legito', { legitoEvents: '', legitoSettleSeconds: 1 }, credentials);
			await waitFor(() => sim.state.connections.size === 1, 'the push connection', 25_000, () => red!.output().slice(-3000));
			await sleep(1100);
			const [live] = await sim.fire('SignStarted', { code: 'doc-live' });
			expect(live.status).toBe(200);
			await waitFor(() => emitted(red!).length === 1, 'the live event', 25_000, () => red!.output().slice(-3000));
			await sleep(2500); // sweeps while running move the watermark past it
			await red.stop();

			const whileOff = [await sim.fire('SignStarted', { code: 'doc-a' }), await sim.fire('SignCompleted', { code: 'doc-a' }), await sim.fire('DocumentRecordDeleted', { code: 'doc-b' })];
			expect(whileOff.flat().map((d) => d.status)).toEqual([502, 502, 502]); // pushed, nobody listened
			await sleep(1500);

			red = await start('legito', { legitoEvents: '', legitoSettleSeconds: 1 }, credentials);
			await waitFor(() => emitted(red!).length >= 3, 'the caught-up events', 25_000, () => red!.output().slice(-3000));
			await sleep(2500);
			closing.push(['Node-RED 4 (real process, catch-up on start)', 'Legito', 3, emitted(red).length]);
			expect(emitted(red)).toEqual([
				['SignStarted', 'doc-a', 'catch-up', 'document.sent'],
				['SignCompleted', 'doc-a', 'catch-up', 'document.completed'],
				['DocumentRecordDeleted', 'doc-b', 'catch-up', 'document.deleted'],
			]);
			await sim.fire('SignCompleted', { code: 'doc-live' });
			await waitFor(() => emitted(red!).length === 4, 'live after the catch-up', 25_000, () => red!.output().slice(-3000));
			expect(emitted(red)[3]).toEqual(['SignCompleted', 'doc-live', 'webhook', 'document.completed']);
			expect(red.output()).not.toContain(sim.privateKey);
		} finally {
			await sim.close();
		}
	}, 90_000);

	it('Legalesign: 2 documents finished while stopped (signed ones auto-archived) → their 4 changes emitted after, once', async () => {
		const sim = await legalesignSim.start();
		try {
			const credentials = { username: sim.username, apiKey: sim.apiKey, apiBaseUrl: sim.baseUrl, certificate: sim.certificate };
			sim.changeDocument('doc-before', { at: new Date(Date.now() - 600_000) });
			red = await start('legalesign', { group: 'main' }, credentials);
			await waitFor(() => sim.state.subscriptions.length === 1, 'the subscription', 25_000, () => red!.output().slice(-3000));
			await sleep(1500);
			await red.stop();

			sim.changeDocument('doc-1'); // sent
			sim.changeDocument('doc-1', { status: 30, signerStatus: 40 }); // signed, archived at once
			sim.changeDocument('doc-2', { status: 50, signerStatus: 60 }); // rejected
			red = await start('legalesign', { group: 'main' }, credentials);
			await waitFor(() => emitted(red!).length >= 4, 'the caught-up events', 25_000, () => red!.output().slice(-3000));
			await sleep(2500);
			closing.push(['Node-RED 4 (real process, catch-up on start)', 'Legalesign', '6 (doc-1 sent then signed, doc-2 rejected: a document and a signer status each; the API shows final states only)', emitted(red).length]);
			expect(emitted(red).map(([type, id, source, canonical]) => [canonical, id, source, type]).sort()).toEqual([
				['document.completed', 'doc-1', 'catch-up', 'document.30'],
				['document.rejected', 'doc-2', 'catch-up', 'document.50'],
				['recipient.completed', 'doc-1', 'catch-up', 'signer.40'],
				['recipient.rejected', 'doc-2', 'catch-up', 'signer.60'],
			]);
		} finally {
			await sim.close();
		}
	}, 90_000);

	it('QuicklySign: 3 things done to a watched pack while stopped → 3 emitted after; the status heard live is not repeated', async () => {
		const sim = await quicklysignSim.start();
		try {
			sim.addPack('pack-1');
			const credentials = { clientId: sim.clientId, clientSecret: sim.clientSecret, apiKey: sim.apiKey, environment: 'custom', apiBaseUrl: sim.baseUrl };
			red = await start('quicklysign', { documentPackKeys: 'pack-1', fetchDocumentPack: true }, credentials);
			await waitFor(() => sim.state.webhooks.size === 1, 'the webhook', 25_000, () => red!.output().slice(-3000));
			await sleep(1000);
			sim.setPackStatus('pack-1', 'awaiting_signatures');
			await sim.fire('pack-1', 'document_status_changed');
			await waitFor(() => emitted(red!).length === 1, 'the live event', 25_000, () => red!.output().slice(-3000));
			await sleep(2000);
			expect(emitted(red)).toHaveLength(1);
			await red.stop();

			sim.audit('pack-1', 'user_viewed');
			sim.audit('pack-1', 'user_signed');
			sim.setPackStatus('pack-1', 'complete');
			red = await start('quicklysign', { documentPackKeys: 'pack-1', fetchDocumentPack: true }, credentials);
			await waitFor(() => emitted(red!).length >= 3, 'the caught-up events', 25_000, () => red!.output().slice(-3000));
			await sleep(2500);
			closing.push(['Node-RED 4 (real process, catch-up on start)', 'QuicklySign', 3, emitted(red).length]);
			expect(emitted(red).map(([type, , source, canonical]) => [type, source, canonical])).toEqual([
				['audit_trail_updated', 'catch-up', 'document.updated'],
				['audit_trail_updated', 'catch-up', 'document.updated'],
				['document_status_changed', 'catch-up', 'document.completed'],
			]);
		} finally {
			await sim.close();
		}
	}, 90_000);

	it('PhenixID: 3 tasks finished while stopped, 2 of them heard of before → 2 emitted after (a task never heard of cannot be)', async () => {
		const api = await startPhenixidApi();
		const secret = 'b5e0c1d2a3f4e5d6c7b8a9f0e1d2c3b4';
		try {
			const credentials = { secret, apiBaseUrl: api.url };
			red = await start('phenixid', {}, credentials, '');
			api.orders.set('t1', { id: 't1', state: 'PENDING' });
			api.orders.set('t2', { id: 't2', state: 'PENDING' });
			await sleep(1000);
			for (const task of ['t1', 't2']) expect((await sendDelivery(`${red.base}/legalhooks/phenixid/inbox`, buildPhenixidDelivery({ taskId: task, orderId: task, eventType: 'OrderCreated' }, secret))).status).toBe(200);
			await waitFor(() => emitted(red!).length === 2, 'the live events', 25_000, () => red!.output().slice(-3000));
			await sleep(1500);
			await red.stop();

			api.orders.set('t1', { id: 't1', state: 'SIGNED' });
			api.orders.set('t2', { id: 't2', state: 'REJECTED' });
			api.orders.set('t3', { id: 't3', state: 'SIGNED' });
			red = await start('phenixid', {}, credentials, '');
			await waitFor(() => emitted(red!).length >= 2, 'the caught-up events', 25_000, () => red!.output().slice(-3000));
			await sleep(2500);
			closing.push(['Node-RED 4 (real process, catch-up on start)', 'PhenixID', '3 (2 tasks heard of, 1 never)', emitted(red).length]);
			expect(emitted(red)).toEqual([
				['OrderSigned', 't1', 'catch-up', 'document.completed'],
				['OrderRejected', 't2', 'catch-up', 'document.rejected'],
			]);
			expect(red.output()).not.toContain(secret);
		} finally {
			await api.close();
		}
	}, 90_000);

	it('a kill during a poll, and right after it sent, loses nothing and repeats nothing (uncached localfilesystem store)', async () => {
		const sim = await legitoSim.start();
		const uncached = { contextStorage: { default: { module: 'localfilesystem', config: { cache: false } } } };
		const outputs: string[] = [];
		const kill = async () => {
			outputs.push(red!.output());
			process.kill(red!.pid, 'SIGKILL');
			await waitFor(() => !red!.running(), 'the kill', 25_000, () => red!.output().slice(-3000));
			red = undefined;
		};
		const all = () => [...outputs, red?.output() ?? ''].flatMap((text) => [...text.matchAll(/\[debug:emitted\] (\S+)/g)].map((m) => m[1].split('|')[1]));
		try {
			const credentials = { apiKey: sim.apiKey, privateKey: sim.privateKey, region: 'custom', apiBaseUrl: sim.baseUrl };
			const poll = { receive: 'poll', catchUp: false, legitoSettleSeconds: 1, startFrom: new Date(Date.now() - 120_000).toISOString() };
			const startPolling = () => startNodeRed({ modules: ['legalhooks-legito'], flows: flows('legito', front.url, poll), credentials: { acct: credentials }, settings: uncached, userDir });
			sim.happen('SignStarted', { code: 'doc-a', at: new Date(Date.now() - 60_000) });
			sim.happen('SignCompleted', { code: 'doc-a', at: new Date(Date.now() - 50_000) });
			sim.faults.delayNext(4000, { path: '/event' });
			red = await startPolling();
			await sleep(1000); // the first poll is waiting for the timeline
			await kill();
			expect(all()).toEqual([]);

			red = await startPolling();
			await waitFor(() => emitted(red!).length === 2, 'the two events', 25_000, () => red!.output().slice(-3000));
			await kill(); // right after sending: the watermark may not be written yet
			expect(all()).toEqual(['doc-a', 'doc-a']);

			red = await startPolling();
			await sleep(1500);
			sim.happen('SignStarted', { code: 'doc-b' });
			await waitFor(() => all().length === 3, 'the next event', 25_000, () => red!.output().slice(-3000));
			await sleep(2500); // more polls: nothing twice
			expect(all()).toEqual(['doc-a', 'doc-a', 'doc-b']);
		} finally {
			await sim.close();
		}
	}, 90_000);

	/**
	 * The same kill for every other vendor that polls or catches up: killed while its read waits on
	 * the vendor (after part of it was answered), then killed right after the events were sent. Each
	 * event is emitted exactly once over the three processes.
	 */
	interface KillCase {
		vendor: string;
		trigger: Record<string, unknown>;
		credentials: Record<string, string>;
		/** Makes the events at the vendor (before the first start); answers their document ids in the order emitted. */
		make(): Promise<string[]>;
		/** Holds the next request of the read's second part, so the kill lands mid-read. */
		delayRead(): void;
		/** Before the kills: whatever the trigger must have heard live (PhenixID learns its tasks so); answers the live ids. */
		prepare?(red: NodeRedProcess): Promise<string[]>;
		close(): Promise<void>;
	}
	const killCases: Array<[string, () => Promise<KillCase>]> = [
		['legalesign', async () => {
			const sim = await legalesignSim.start();
			return {
				vendor: 'legalesign',
				trigger: { group: 'main', receive: 'poll', catchUp: false, startFrom: new Date(Date.now() - 120_000).toISOString() },
				credentials: { username: sim.username, apiKey: sim.apiKey, apiBaseUrl: sim.baseUrl, certificate: sim.certificate },
				async make() {
					sim.changeDocument('doc-1', { status: 30, signerStatus: 40, at: new Date(Date.now() - 60_000) });
					sim.changeDocument('doc-2', { status: 50, signerStatus: 60, at: new Date(Date.now() - 50_000) });
					return ['doc-1', 'doc-1', 'doc-2', 'doc-2'];
				},
				delayRead: () => sim.faults.delayNext(4000, { path: '/api/v1/document/doc-2/' }),
				close: () => sim.close(),
			};
		}],
		['quicklysign', async () => {
			const sim = await quicklysignSim.start();
			sim.addPack('pack-1');
			sim.addPack('pack-2');
			return {
				vendor: 'quicklysign',
				trigger: { documentPackKeys: 'pack-1, pack-2', receive: 'poll', catchUp: false, startFrom: new Date(Date.now() - 120_000).toISOString() },
				credentials: { clientId: sim.clientId, clientSecret: sim.clientSecret, apiKey: sim.apiKey, environment: 'custom', apiBaseUrl: sim.baseUrl },
				async make() {
					sim.audit('pack-1', 'user_signed');
					sim.setPackStatus('pack-1', 'complete');
					sim.audit('pack-2', 'user_viewed');
					return ['pack-1', 'pack-1', 'pack-2'];
				},
				delayRead: () => sim.faults.delayNext(4000, { path: '/v1/audit_trail/pack-2' }),
				close: () => sim.close(),
			};
		}],
		['phenixid', async () => {
			const api = await startPhenixidApi();
			const secret = 'b5e0c1d2a3f4e5d6c7b8a9f0e1d2c3b4';
			api.orders.set('t1', { id: 't1', state: 'PENDING' });
			api.orders.set('t2', { id: 't2', state: 'PENDING' });
			return {
				vendor: 'phenixid',
				trigger: {},
				credentials: { secret, apiBaseUrl: api.url },
				async prepare(running) {
					for (const task of ['t1', 't2']) expect((await sendDelivery(`${running.base}/legalhooks/phenixid/inbox`, buildPhenixidDelivery({ taskId: task, orderId: task, eventType: 'OrderCreated' }, secret))).status).toBe(200);
					await waitFor(() => emitted(running).length === 2, 'the live events', 25_000, () => running.output().slice(-3000));
					await sleep(1500); // a sweep reads them (still pending)
					return ['t1', 't2'];
				},
				async make() {
					api.orders.set('t1', { id: 't1', state: 'SIGNED' });
					api.orders.set('t2', { id: 't2', state: 'REJECTED' });
					return ['t1', 't2'];
				},
				delayRead: () => api.faults.delayNext(4000, { path: '/api/v2/tasks/t2' }),
				close: () => api.close(),
			};
		}],
	];

	it.each(killCases)('%s: a kill during a read, and right after it sent, loses nothing and repeats nothing', async (_name, setup) => {
		const c = await setup();
		const uncached = { contextStorage: { default: { module: 'localfilesystem', config: { cache: false } } } };
		const outputs: string[] = [];
		const startIt = () => startNodeRed({ modules: [`legalhooks-${c.vendor}`], flows: flows(c.vendor, c.vendor === 'phenixid' ? '' : front.url, c.trigger), credentials: { acct: c.credentials }, settings: uncached, userDir });
		const kill = async () => {
			outputs.push(red!.output());
			process.kill(red!.pid, 'SIGKILL');
			await waitFor(() => !red!.running(), 'the kill', 25_000, () => red!.output().slice(-3000));
			red = undefined;
		};
		const all = () => [...outputs, red?.output() ?? ''].flatMap((text) => [...text.matchAll(/\[debug:emitted\] (\S+)/g)].map((m) => m[1].split('|')[1]));
		try {
			let live: string[] = [];
			if (c.prepare) {
				red = await startIt();
				live = await c.prepare(red);
				await red.stop();
				outputs.push(red.output());
				red = undefined;
			}
			const made = await c.make();
			c.delayRead();
			red = await startIt();
			await sleep(1500); // the first read is waiting on the vendor, part of it answered
			await kill();
			expect(all()).toEqual(live);

			red = await startIt();
			await waitFor(() => all().length === live.length + made.length, 'the events', 25_000, () => red!.output().slice(-3000));
			await kill(); // right after sending: the watermark may not be written yet
			red = await startIt();
			await sleep(3500); // more reads: nothing twice
			expect(all()).toEqual([...live, ...made]);
		} finally {
			await c.close();
		}
	}, 90_000);
});
