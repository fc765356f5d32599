import { z } from 'zod/v4';
import { parseJson } from '../../core/inbound/parse';
import { fastAcceptor } from '../../core/inbound/schema-fast-path';
import { LegalesignBatchSchema } from '../../core/vendors/legalesign/inbound';
import { LegitoDeliverySchema } from '../../core/vendors/legito/inbound';
import { PhenixidDeliverySchema } from '../../core/vendors/phenixid/inbound';
import { PlexusDeliverySchema } from '../../core/vendors/plexus/inbound';
import { QuicklysignDeliverySchema } from '../../core/vendors/quicklysign/inbound';
import { fixture, payloadOf } from '../fuzz/vendor-fixtures';

/**
 * The precompiled check may only ever say yes where zod says yes with an equal answer: checked on
 * every vendor sample and on thousands of mutations of them (wrong types, missing and extra keys,
 * nulls, over-long strings, arrays for objects).
 */

const compiled: Array<[string, z.ZodType, string]> = [
	['plexus', PlexusDeliverySchema, 'plexus'],
	['legito', LegitoDeliverySchema, 'legito'],
	['quicklysign', QuicklysignDeliverySchema, 'quicklysign'],
];

function samplesOf(fixtureName: string): unknown[] {
	const f = fixture(fixtureName);
	const now = new Date();
	return f.events.map((event) => payloadOf(f.sample(event, now), fixtureName).json);
}

/** Deterministic PRNG (mulberry32), so a failure names a reproducible case. */
function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const REPLACEMENTS: unknown[] = [null, undefined, 0, 1.5, -1, '', 'x', 'y'.repeat(201), true, false, [], ['a'], {}, { extra: 1 }, Number.MAX_VALUE];

function containers(value: unknown, found: Array<Record<string, unknown> | unknown[]> = []): Array<Record<string, unknown> | unknown[]> {
	if (value !== null && typeof value === 'object') {
		found.push(value as Record<string, unknown>);
		for (const item of Object.values(value)) containers(item, found);
	}
	return found;
}

/** Through JSON, as a delivery arrives (and in this realm: structuredClone's objects have another prototype). */
const clone = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
const replacement = (next: () => number): unknown => clone(REPLACEMENTS[Math.floor(next() * REPLACEMENTS.length)]);

function mutate(sample: unknown, next: () => number): unknown {
	const copy = clone(sample);
	const steps = 1 + Math.floor(next() * 3);
	for (let step = 0; step < steps; step++) {
		const targets = containers(copy);
		const target = targets[Math.floor(next() * targets.length)] as Record<string, unknown>;
		const keys = Object.keys(target);
		const roll = next();
		if (roll < 0.15 || keys.length === 0) target[`unknown${step}`] = replacement(next);
		else if (roll < 0.3) delete target[keys[Math.floor(next() * keys.length)]];
		else target[keys[Math.floor(next() * keys.length)]] = replacement(next);
	}
	return clone(copy);
}

describe('schema fast path', () => {
	it('compiles the delivery schemas of the kinds it knows, and leaves the others to zod', () => {
		for (const [, schema] of compiled) expect(fastAcceptor(schema)).toBeDefined();
		expect(fastAcceptor(PhenixidDeliverySchema)).toBeUndefined(); // a refinement (taskId or orderId)
		expect(fastAcceptor(LegalesignBatchSchema)).toBeUndefined(); // a transform (value to string)
		expect(fastAcceptor(z.string().email())).toBeUndefined();
		expect(fastAcceptor(z.number().int())).toBeUndefined();
		expect(fastAcceptor(z.string().default('a'))).toBeUndefined();
	});

	it.each(compiled)('%s: says yes to every sample, and only where zod accepts with an equal answer', (_name, schema, fixtureName) => {
		const accepts = fastAcceptor(schema)!;
		const samples = samplesOf(fixtureName);
		expect(samples.length).toBeGreaterThan(0);
		for (const sample of samples) {
			expect(accepts(sample)).toBe(true);
			expect(schema.parse(sample)).toEqual(sample);
		}
		const next = random(0xc0ffee);
		let yes = 0;
		let no = 0;
		for (let i = 0; i < 3000; i++) {
			const value = mutate(samples[i % samples.length], next);
			const result = schema.safeParse(value);
			if (accepts(value)) {
				yes++;
				if (!result.success) throw new Error(`fast path accepted what zod refuses: ${JSON.stringify(value)}`);
				expect(result.data).toEqual(value);
			} else no++;
		}
		expect(yes).toBeGreaterThan(30);
		expect(no).toBeGreaterThan(100);
	});

	it('is never looser than zod on the edges of the kinds it knows', () => {
		const schema = z.object({
			id: z.string().min(1).max(3),
			n: z.number().nullish(),
			tags: z.array(z.string()).optional(),
			facts: z.record(z.string(), z.unknown()).nullish(),
			inner: z.object({ a: z.union([z.string(), z.number()]).nullish() }).passthrough().optional(),
		});
		const accepts = fastAcceptor(schema)!;
		const cases: unknown[] = [
			{ id: 'a' },
			{ id: '' },
			{ id: 'abcd' },
			{ id: 'a', n: Infinity },
			{ id: 'a', n: null },
			{ id: 'a', n: '1' },
			{ id: 'a', tags: ['x', 1] },
			{ id: 'a', facts: [] },
			{ id: 'a', facts: { x: 1 } },
			{ id: 'a', facts: { [Symbol('s')]: 1 } },
			{ id: 'a', inner: { a: true } },
			{ id: 'a', inner: { a: 1, more: { deep: 1 } } },
			{ id: 'a', unknown: 1 }, // a strip object: zod would drop the key, so the fast path says no
			['a'],
			null,
		];
		for (const value of cases) {
			const result = schema.safeParse(value);
			if (accepts(value)) {
				expect(result.success).toBe(true);
				expect(result.data).toEqual(value);
			}
		}
		expect(accepts({ id: 'a', unknown: 1 })).toBe(false);
		expect(accepts({ id: 'a', inner: { a: 1, more: { deep: 1 } } })).toBe(true);
	});

	it('keeps zod’s reasons for what it refuses, and the forbidden-key check before it', () => {
		const refused = parseJson('{"id":"","type":"x","createdAt":"y","data":{"document":{}}}', PlexusDeliverySchema);
		expect(refused).toMatchObject({ ok: false, status: 400 });
		expect((refused as { reason: string }).reason).toContain('id');
		const forbidden = parseJson('{"id":"a","type":"x","createdAt":"y","data":{"document":{"x":{"__proto__":{}}}}}', PlexusDeliverySchema);
		expect(forbidden).toMatchObject({ ok: false, status: 400 });
		expect((forbidden as { reason: string }).reason).toContain('__proto__');
	});
});
