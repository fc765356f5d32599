import fc from 'fast-check';
import { asDedupeRecord, emptyDedupeRecord, MemoryDedupeStore, recordIsOlderThanLatest, recordSeen, type DedupeRecord, type DedupeStore } from '../../core/inbound/dedupe';
import type { NormalizedEvent } from '../../core/event/normalized-event';
import { deduplicate } from '../../core/inbound/ingest';
import { plexus } from '../../core/vendors/plexus';
import { commonTriggerOptions } from '../../core/editor/trigger-settings';

/**
 * The JSON record a Node-RED context store keeps (issue 13) answers exactly as MemoryDedupeStore
 * does (below its size bound), also when it goes through JSON between every step (as Redis or a
 * file does) and with integer-like ids (which would reorder a plain object's keys), and keeps its
 * bound; deduplicate stays synchronous with a
 * synchronous store and gives the same result through a store that answers with promises.
 */
type Step = { kind: 'seen'; id: string; dt: number } | { kind: 'order'; key: string; at: number; dt: number };

const step: fc.Arbitrary<Step> = fc.oneof(
	fc.record({ kind: fc.constant('seen' as const), id: fc.oneof(fc.constantFrom('1', '2', '10', '007', 'a', 'b.c', '__proto__'), fc.nat(30).map(String)), dt: fc.nat(40) }),
	fc.record({ kind: fc.constant('order' as const), key: fc.constantFrom('1', 'doc', '20'), at: fc.nat(10), dt: fc.nat(40) }),
);

describe('DedupeRecord', () => {
	it('answers as MemoryDedupeStore, step for step, through JSON', () => {
		fc.assert(
			fc.property(fc.array(step, { maxLength: 80 }), (steps) => {
				const options = { maxEntries: 1000, ttlMs: 100 };
				const memory = new MemoryDedupeStore(options);
				let record: DedupeRecord = emptyDedupeRecord();
				let now = 0;
				for (const s of steps) {
					now += s.dt;
					record = asDedupeRecord(JSON.parse(JSON.stringify(record)));
					if (s.kind === 'seen') expect(recordSeen(record, s.id, now, options)).toBe(memory.seen(s.id, now));
					else expect(recordIsOlderThanLatest(record, s.key, s.at, now, options)).toBe(memory.isOlderThanLatest(s.key, s.at, now));
				}
			}),
		);
	});

	it('the same without the JSON round trip (the memory context store hands back the same object)', () => {
		fc.assert(
			fc.property(fc.array(step, { maxLength: 80 }), (steps) => {
				const options = { maxEntries: 1000, ttlMs: 60 };
				const memory = new MemoryDedupeStore(options);
				const record = emptyDedupeRecord();
				let now = 0;
				for (const s of steps) {
					now += s.dt;
					if (s.kind === 'seen') expect(recordSeen(record, s.id, now, options)).toBe(memory.seen(s.id, now));
					else expect(recordIsOlderThanLatest(record, s.key, s.at, now, options)).toBe(memory.isOlderThanLatest(s.key, s.at, now));
				}
			}),
		);
	});

	it('holds at most maxEntries + 10 % and always the newest maxEntries, through JSON or not', () => {
		for (const roundTrip of [false, true]) {
			const options = { maxEntries: 50, ttlMs: 1_000_000 };
			let record = emptyDedupeRecord();
			let latest = emptyDedupeRecord();
			for (let i = 0; i < 400; i++) {
				if (roundTrip) {
					record = asDedupeRecord(JSON.parse(JSON.stringify(record)));
					latest = asDedupeRecord(JSON.parse(JSON.stringify(latest)));
				}
				expect(recordSeen(record, String(i), i, options)).toBe(false);
				recordIsOlderThanLatest(latest, String(i), 5, i, options);
				expect(Object.keys(record.ids).length).toBeLessThanOrEqual(55);
				expect(Object.keys(latest.latest).length).toBeLessThanOrEqual(55);
			}
			for (let i = 350; i < 400; i++) expect(recordSeen(record, String(i), 400, options)).toBe(true);
			for (let i = 350; i < 400; i++) expect(recordIsOlderThanLatest(latest, String(i), 4, 400, options)).toBe(true);
			expect(recordSeen(record, '0', 400, options)).toBe(false); // long evicted
		}
	});

	it('a stored value that is not a record starts empty', () => {
		for (const value of [undefined, null, 3, 'x', { v: 2, ids: {}, latest: {} }, { v: 1, ids: null, latest: {} }]) expect(asDedupeRecord(value)).toEqual(emptyDedupeRecord());
	});
});

describe('deduplicate with a store that answers with promises', () => {
	const options = { ...commonTriggerOptions({}), dropOutOfOrder: true };
	const event = (id: string, doc: string, at: string) => ({ id, occurredAt: at, document: { id: doc }, data: {}, files: [] }) as unknown as NormalizedEvent;
	const asyncStore = (inner: MemoryDedupeStore): DedupeStore => ({
		seen: (id, now) => new Promise((resolve) => setTimeout(() => resolve(inner.seen(id, now)), 1)),
		isOlderThanLatest: (key, at, now) => Promise.resolve(inner.isOlderThanLatest(key, at, now)),
	});
	const batches = [
		[event('a', 'd1', '2026-01-01T00:00:02Z'), event('a', 'd1', '2026-01-01T00:00:02Z'), event('b', 'd1', '2026-01-01T00:00:01Z')],
		[event('c', 'd2', '2026-01-01T00:00:05Z'), event('a', 'd1', '2026-01-01T00:00:02Z'), event('d', 'd2', '2026-01-01T00:00:06Z')],
	];

	it('gives what the synchronous store gives; the synchronous store gives no promise', async () => {
		const sync = new MemoryDedupeStore();
		const viaPromises = asyncStore(new MemoryDedupeStore());
		for (const batch of batches) {
			const direct = deduplicate(plexus, batch, options, sync, new Date('2026-01-02T00:00:00Z'));
			expect(direct).not.toBeInstanceOf(Promise);
			const awaited = deduplicate(plexus, batch, options, viaPromises, new Date('2026-01-02T00:00:00Z'));
			expect(awaited).toBeInstanceOf(Promise);
			const result = await awaited;
			expect({ ids: result.events.map((e) => e.id), duplicate: result.duplicate, outOfOrder: result.outOfOrder }).toEqual({
				ids: direct.events.map((e) => e.id),
				duplicate: direct.duplicate,
				outOfOrder: direct.outOfOrder,
			});
		}
		expect((await deduplicate(plexus, batches[0], options, asyncStore(new MemoryDedupeStore()), new Date())).events.map((e) => e.id)).toEqual(['a']);
	});
});
