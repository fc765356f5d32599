import { MemoryDedupeStore } from '../../core/inbound/dedupe';
import type { DeliveryOutcome } from '../../core/inbound/outcome';
import { handleDelivery, type InboundTrigger } from '../../core/inbound/pipeline';
import { sampleSets } from '../../core/samples/sets';
import { DEFAULT_TRIGGER_OPTIONS, type CommonTriggerOptions } from '../../core/vendors/definition';
import { vendors } from '../../core/vendors';
import { buildPlexusDelivery, plexusSamples } from '../../core/vendors/plexus/samples';

/**
 * Issue 22: every delivery ends in exactly one recorded outcome — emitted, repeat (with the id),
 * older than one already emitted, filtered out, refused (status and reason), failed — reported by
 * the core pipeline to the engine, and logged once at info level when nothing was emitted.
 */
const secret = 'outcome-secret-0123456789abcdef';

function trigger(overrides: Partial<InboundTrigger> = {}, options: Partial<CommonTriggerOptions> = {}) {
	const outcomes: DeliveryOutcome[] = [];
	const logs: Array<{ level: string; message: string }> = [];
	const emitted: unknown[] = [];
	const wiring: InboundTrigger = {
		vendor: vendors.plexus!,
		options: { ...DEFAULT_TRIGGER_OPTIONS, ...options },
		verification: async () => ({ secret, credentials: { secret } }),
		http: async () => {
			throw new Error('no network in this test');
		},
		dedupe: new MemoryDedupeStore(),
		logger: {
			warn: (message) => logs.push({ level: 'warn', message }),
			error: (message) => logs.push({ level: 'error', message }),
			info: (message) => logs.push({ level: 'info', message }),
		},
		answer: () => undefined,
		emit: (events) => void emitted.push(...events),
		outcome: (outcome) => outcomes.push(outcome),
		...overrides,
	};
	const send = (delivery: { headers: Record<string, string>; body: string | Buffer }) =>
		handleDelivery({ method: 'POST', headers: delivery.headers, query: {}, readBody: async () => ({ ok: true, body: Buffer.from(delivery.body) }) }, wiring);
	return { outcomes, logs, emitted, send };
}

const executed = (id: string, createdAt: Date) => buildPlexusDelivery({ ...plexusSamples.executed(createdAt.toISOString()), id }, secret);

describe('delivery outcomes (core pipeline)', () => {
	it('emitted: the events with ids and types, reported once and returned, no log line', async () => {
		const t = trigger();
		const returned = await t.send(executed('evt-1', new Date()));
		expect(t.outcomes).toEqual([returned]);
		expect(returned).toMatchObject({ outcome: 'emitted', status: 200, emitted: [{ id: 'evt-1', type: 'document.completed', vendorEventType: 'documentUpdated' }], repeats: [], older: [] });
		expect(Date.parse(returned.at)).not.toBeNaN();
		expect(t.logs).toEqual([]);
	});

	it('repeat: names the id that proves it, logged once at info', async () => {
		const t = trigger();
		const delivery = executed('evt-2', new Date());
		await t.send(delivery);
		const again = await t.send(delivery);
		expect(t.outcomes.map((o) => o.outcome)).toEqual(['emitted', 'repeat']);
		expect(again).toMatchObject({ status: 200, emitted: [], repeats: [{ id: 'evt-2', type: 'document.completed' }] });
		expect(t.logs).toEqual([{ level: 'info', message: expect.stringMatching(/Plexus Gateway delivery: not emitted, a repeat of evt-2/) }]);
	});

	it('older: an update older than one already emitted for the document, with drop out-of-order on', async () => {
		const t = trigger({}, { dropOutOfOrder: true });
		const now = Date.now();
		await t.send(executed('evt-new', new Date(now)));
		const older = await t.send(executed('evt-old', new Date(now - 5000)));
		expect(older).toMatchObject({ outcome: 'older', older: [{ id: 'evt-old' }], emitted: [], repeats: [] });
		expect(t.logs).toEqual([{ level: 'info', message: expect.stringMatching(/not emitted, older than an update already emitted.*evt-old/) }]);
	});

	it('filtered: the event-type options let nothing through', async () => {
		const t = trigger({}, { eventTypes: ['document.created'] });
		const outcome = await t.send(executed('evt-3', new Date()));
		expect(outcome).toMatchObject({ outcome: 'filtered', status: 200, filtered: [{ id: 'evt-3', type: 'document.completed', vendorEventType: 'documentUpdated' }] });
		expect(t.emitted).toHaveLength(0);
		expect(t.logs).toEqual([{ level: 'info', message: expect.stringContaining('filtered out by the event-type options (documentUpdated → document.completed)') }]);
	});

	it('refused: status and reason, no secret, logged once at warn (not again at info)', async () => {
		const t = trigger();
		const outcome = await t.send(sampleSets.plexus!.build('executed', { secret }, { tamper: true, now: new Date() }));
		expect(outcome).toMatchObject({ outcome: 'refused', status: 401, reason: expect.any(String), emitted: [] });
		expect(JSON.stringify(t.outcomes)).not.toContain(secret);
		expect(t.logs).toEqual([{ level: 'warn', message: expect.stringContaining('refused with HTTP 401') }]);
	});

	it('failed: an emit that throws after the 200 is a failed outcome with status 0 and the reason', async () => {
		const t = trigger({
			emit: () => {
				throw new Error('binary data storage is full');
			},
		});
		const outcome = await t.send(executed('evt-4', new Date()));
		expect(t.outcomes).toEqual([outcome]);
		expect(outcome).toMatchObject({ outcome: 'failed', status: 0, reason: 'Error: binary data storage is full' });
	});

	it('failed before the answer: status 500', async () => {
		const t = trigger({
			verification: async () => {
				throw new Error('no credentials');
			},
		});
		expect(await t.send(executed('evt-5', new Date()))).toMatchObject({ outcome: 'failed', status: 500, reason: 'Error: no credentials' });
	});

	it('an outcome callback that throws changes nothing for the vendor', async () => {
		const answers: number[] = [];
		const t = trigger({
			answer: (answer) => void answers.push(answer.status),
			outcome: () => {
				throw new Error('engine bug');
			},
		});
		await expect(t.send(executed('evt-6', new Date()))).resolves.toMatchObject({ outcome: 'emitted' });
		expect(answers).toEqual([200]);
	});

	it('20 parallel deliveries of one document (the README command): each has exactly one outcome, emitted + dropped = 20', async () => {
		const t = trigger({}, { dropOutOfOrder: true });
		const base = Date.now();
		// created in order, arriving shuffled: later ones may land first and make earlier ones older
		const deliveries = Array.from({ length: 20 }, (_, i) => executed(`evt-p${i}`, new Date(base - 20_000 + i * 1000)));
		const order = [3, 0, 7, 1, 19, 2, 4, 5, 18, 6, 8, 9, 10, 11, 12, 17, 13, 14, 15, 16];
		await Promise.all(order.map((i) => t.send(deliveries[i])));
		expect(t.outcomes).toHaveLength(20);
		const emitted = t.outcomes.filter((o) => o.outcome === 'emitted').length;
		const older = t.outcomes.filter((o) => o.outcome === 'older').length;
		expect(emitted).toBe(t.emitted.length);
		expect(emitted + older).toBe(20);
		expect(older).toBeGreaterThan(0);
		expect(t.logs.filter((l) => l.level === 'info')).toHaveLength(older);
	});
});
