import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { z } from 'zod/v4';
import { compileShapeCheck, NO, shapeCheckFor, type ShapeCheck, type ZodJsonSchemaApi } from '../../core/inbound/json-shape';
import { parseJson, summarizeIssues, validate } from '../../core/inbound/parse';
import { findUnsafeJson, parseJsonText } from '../../core/inbound/safe-json';
import { LegalesignBatchSchema } from '../../core/vendors/legalesign/inbound';
import { LegitoDeliverySchema } from '../../core/vendors/legito/inbound';
import { PhenixidDeliverySchema } from '../../core/vendors/phenixid/inbound';
import { PlexusDeliverySchema } from '../../core/vendors/plexus/inbound';
import { QuicklysignDeliverySchema } from '../../core/vendors/quicklysign/inbound';
import { nonEmptyString } from '../../core/vendors/string-schema';
import { fixture, payloadOf } from '../fuzz/vendor-fixtures';
import { WRONG_TYPED } from '../fuzz/hostile-inputs';

/**
 * The shape check compiled from zod's JSON Schema (core/inbound/json-shape.ts) against zod itself:
 * for every vendor schema declared plain shape, with the zod installed here (3.25.x, through
 * `zod/v4`, as n8n ships it) and with a zod 4.x (as the Node-RED package depends on), generated and
 * mutated bodies — the poison values of the fuzz suites among them — get yes exactly when zod accepts
 * and the body is safe (no forbidden key, not too deep), and then zod's very value.
 */

const RUNS = Number(process.env.LEGALHOOKS_FUZZ_RUNS) || 300;

/** A zod 4.x copy in node_modules (a dependency of a dev dependency). */
const ZOD4_DIR = path.join(__dirname, '../../node_modules/@langchain/core/node_modules/zod');

const installedZodVersion = (JSON.parse(fs.readFileSync(require.resolve('zod/package.json'), 'utf8')) as { version: string }).version;

interface Declared {
	name: string;
	fixture: string;
	schema: z.ZodType;
}

function declaredSchemas(): Declared[] {
	return [
		{ name: 'plexus', fixture: 'plexus', schema: PlexusDeliverySchema },
		{ name: 'legito', fixture: 'legito', schema: LegitoDeliverySchema },
		{ name: 'quicklysign', fixture: 'quicklysign', schema: QuicklysignDeliverySchema },
	];
}

/** The same schemas built by zod 4.x, with the check module loaded against that zod too. */
function withZod4(): { schemas: Declared[]; shapeCheckFor: typeof shapeCheckFor; no: symbol; zod: ZodJsonSchemaApi } {
	let loaded: ReturnType<typeof withZod4> | undefined;
	jest.isolateModules(() => {
		const zod4 = jest.requireActual(path.join(ZOD4_DIR, 'v4'));
		jest.doMock('zod/v4', () => zod4);
		/* eslint-disable @typescript-eslint/no-require-imports -- modules loaded again, against the other zod */
		loaded = {
			schemas: [
				{ name: 'plexus', fixture: 'plexus', schema: require('../../core/vendors/plexus/inbound').PlexusDeliverySchema },
				{ name: 'legito', fixture: 'legito', schema: require('../../core/vendors/legito/inbound').LegitoDeliverySchema },
				{ name: 'quicklysign', fixture: 'quicklysign', schema: require('../../core/vendors/quicklysign/inbound').QuicklysignDeliverySchema },
			],
			shapeCheckFor: require('../../core/inbound/json-shape').shapeCheckFor,
			no: require('../../core/inbound/json-shape').NO,
			zod: zod4.z,
		};
		/* eslint-enable @typescript-eslint/no-require-imports */
	});
	jest.dontMock('zod/v4');
	return loaded as NonNullable<typeof loaded>;
}

function sampleTexts(fixtureName: string): string[] {
	const f = fixture(fixtureName);
	const now = new Date('2026-12-06T10:00:00Z');
	return f.events.map((event) => JSON.stringify(payloadOf(f.sample(event, now), fixtureName).json));
}

const nested = (levels: number): unknown => JSON.parse(`${'['.repeat(levels)}${']'.repeat(levels)}`);

/** Values put into bodies: wrong types (the fuzz suites' poison ones first), edge lengths, unsafe ones. */
const REPLACEMENTS: unknown[] = [
	...WRONG_TYPED,
	false,
	'',
	'x',
	'y'.repeat(200),
	'y'.repeat(201),
	'\u0000',
	JSON.parse('{"__proto__":{"polluted":true}}'),
	JSON.parse('{"constructor":{"prototype":{}}}'),
	nested(63),
	nested(70),
];

const KEYS = ['extra', 'id', 'type', 'data', 'document', 'status', 'files', 'uploaded', 'fileName', '__proto__', 'constructor', 'prototype', 'length'];

type Mutation = { at: number; op: 'set' | 'delete' | 'add'; value: unknown; key: string; pick: number };

const replacement = fc.oneof(fc.constantFrom(...REPLACEMENTS), fc.jsonValue({ maxDepth: 3 }), fc.string({ maxLength: 3 }));
const mutation: fc.Arbitrary<Mutation> = fc.record({
	at: fc.nat(),
	op: fc.constantFrom('set' as const, 'delete' as const, 'add' as const),
	value: replacement,
	key: fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 4 })),
	pick: fc.nat(),
});

function containers(value: unknown, found: object[] = []): object[] {
	if (value !== null && typeof value === 'object') {
		found.push(value);
		for (const item of Object.values(value)) containers(item, found);
	}
	return found;
}

/** The sample with the mutations applied, as JSON text (own `__proto__` keys kept as JSON keeps them). */
function mutated(text: string, mutations: Mutation[]): string {
	const body = JSON.parse(text) as unknown;
	for (const m of mutations) {
		const targets = containers(body);
		if (targets.length === 0) break;
		const target = targets[m.at % targets.length] as Record<string, unknown>;
		const value = structuredClone(m.value);
		if (Array.isArray(target)) {
			if (m.op === 'delete') target.splice(m.pick % (target.length + 1), 1);
			else target[m.op === 'add' ? target.length : m.pick % (target.length + 1)] = value;
			continue;
		}
		const keys = Object.keys(target);
		if (m.op === 'add' || keys.length === 0) Object.defineProperty(target, m.key, { value, enumerable: true, writable: true, configurable: true });
		else if (m.op === 'delete') delete target[keys[m.pick % keys.length]];
		else Object.defineProperty(target, keys[m.pick % keys.length], { value, enumerable: true, writable: true, configurable: true });
	}
	return JSON.stringify(body) ?? 'null';
}

/** What parseJson answered before the shape check: the pre-scan, then zod. */
function answerBefore(text: string, schema: z.ZodType) {
	const safe = parseJsonText(text);
	if (!safe.ok) return { ok: false, status: 400, reason: `body ${safe.reason}` };
	const parsed = schema.safeParse(safe.value);
	return parsed.success ? { ok: true, value: parsed.data } : { ok: false, status: 400, reason: `unexpected payload shape: ${summarizeIssues(parsed.error)}` };
}

/** Every form the compiler knows, nested. */
const inner = z.object({ a: nonEmptyString(3), b: z.number().optional() });
const kitchen = z.object({
	strip: inner,
	strict: z.strictObject({ s: z.string().nullable() }).optional(),
	loose: z.object({ n: z.union([z.number(), z.string().max(2)]).nullish(), deep: inner.nullish() }).passthrough(),
	list: z.array(inner).nullish(),
	either: z.union([inner, z.object({ c: z.boolean() })]).optional(),
	facts: z.record(z.string(), z.unknown()).nullish(),
	kind: z.enum(['x', 'y']).optional(),
	fixed: z.literal('k').optional(),
	open: z.unknown().optional(),
	needed: z.unknown(),
});
interface Tally {
	yes: number;
	no: number;
}

/** zod's answer; a throw (a plain `.max()` on a hostile `length`) is a refusal, as parse.ts answers it. */
function zodAnswer(schema: z.ZodType, value: unknown): { success: boolean; data?: unknown } {
	try {
		return schema.safeParse(value);
	} catch {
		return { success: false };
	}
}

/** Yes exactly when zod accepts a safe body, and then zod's value. `no`: the NO of the module the check comes from. */
function expectAgreement(text: string, schema: z.ZodType, check: ShapeCheck, tally: Tally, no: symbol = NO): void {
	const answer = check(JSON.parse(text));
	const byZod = zodAnswer(schema, JSON.parse(text));
	const safe = findUnsafeJson(JSON.parse(text)) === undefined;
	if (answer === no) tally.no++;
	else tally.yes++;
	// a required z.unknown() key left out: zod's answer holds it, set to undefined; the check leaves that to zod
	const body = JSON.parse(text) as unknown;
	const leftToZod = schema === kitchen && body !== null && typeof body === 'object' && !('needed' in body);
	expect({ text, yes: answer !== no }).toEqual({ text, yes: safe && byZod.success && !leftToZod });
	if (answer !== no) expect(answer).toStrictEqual(byZod.data);
}

describe('shape check compiled from zod’s JSON Schema', () => {
	it(`is used with the installed zod (${installedZodVersion}, through zod/v4) for the schemas declared plain shape, and only those`, () => {
		expect(installedZodVersion).toMatch(/^3\.25\./);
		expect(z.core.version.major).toBe(4);
		for (const { schema } of declaredSchemas()) expect(shapeCheckFor(schema)).toEqual(expect.any(Function));
		expect(shapeCheckFor(PhenixidDeliverySchema)).toBeUndefined(); // a refinement, which JSON Schema cannot show
		expect(compileShapeCheck(LegalesignBatchSchema, z)).toBeUndefined(); // a transform
	});

	it('falls back to zod with a zod of another major version, or without toJSONSchema', () => {
		const api = z as unknown as ZodJsonSchemaApi;
		expect(compileShapeCheck(PlexusDeliverySchema, api)).toEqual(expect.any(Function));
		expect(compileShapeCheck(PlexusDeliverySchema, { ...api, core: { version: { major: 5 } } })).toBeUndefined();
		expect(compileShapeCheck(PlexusDeliverySchema, { ...api, core: { version: { major: 3 } } })).toBeUndefined();
		expect(compileShapeCheck(PlexusDeliverySchema, { core: api.core } as ZodJsonSchemaApi)).toBeUndefined();
	});

	it('is used with zod 4.x as well', () => {
		expect(fs.existsSync(ZOD4_DIR)).toBe(true);
		const zod4 = withZod4();
		expect(zod4.zod.core.version.major).toBe(4);
		for (const { schema } of zod4.schemas) expect(zod4.shapeCheckFor(schema)).toEqual(expect.any(Function));
	});

	describe.each([
		['installed zod', () => ({ schemas: declaredSchemas(), shapeCheckFor, no: NO })],
		['zod 4.x', () => withZod4()],
	])('%s', (_zodName, load) => {
		const { schemas, shapeCheckFor: checkFor, no } = load();
		it.each(schemas.map((declared) => [declared.name, declared] as const))(
			'%s: yes exactly when zod accepts a safe body, with zod’s value',
			(_name, declared) => {
				const check = checkFor(declared.schema) as ShapeCheck;
				const samples = sampleTexts(declared.fixture);
				const tally: Tally = { yes: 0, no: 0 };
				for (const sample of samples) {
					expectAgreement(sample, declared.schema, check, tally, no);
					expect(check(JSON.parse(sample))).not.toBe(no);
				}
				fc.assert(
					fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), (pick, mutations) => {
						expectAgreement(mutated(samples[pick % samples.length], mutations), declared.schema, check, tally, no);
					}),
					{ numRuns: RUNS },
				);
				fc.assert(
					fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => expectAgreement(JSON.stringify(value) ?? 'null', declared.schema, check, tally, no)),
					{ numRuns: Math.ceil(RUNS / 3) },
				);
				expect(tally.yes).toBeGreaterThan(RUNS / 10);
				expect(tally.no).toBeGreaterThan(RUNS / 10);
			},
		);
	});

	it.each(declaredSchemas().map((declared) => [declared.name, declared] as const))('%s: parseJson answers as before, reasons included', (_name, declared) => {
		const samples = sampleTexts(declared.fixture);
		fc.assert(
			fc.property(fc.nat(), fc.array(mutation, { minLength: 0, maxLength: 3 }), (pick, mutations) => {
				const text = mutated(samples[pick % samples.length], mutations);
				expect(parseJson(text, declared.schema)).toStrictEqual(answerBefore(text, declared.schema));
			}),
			{ numRuns: RUNS },
		);
	});

	it('QuicklySign form fields (validate): the same answers as zod after the walk', () => {
		const form = fixture('quicklysign (form)');
		const fields = payloadOf(form.sample(form.events[0], new Date()), 'quicklysign (form)').json as Record<string, string>;
		for (const value of [fields, { ...fields, entity_key: '' }, { ...fields, extra: 'x' }, { entity_key: 'k' }]) {
			const parsed = QuicklysignDeliverySchema.safeParse(value);
			const answer = validate(value, QuicklysignDeliverySchema);
			expect(answer.ok).toBe(parsed.success);
			if (answer.ok) expect(answer.value).toStrictEqual(parsed.data);
		}
	});

	describe('the forms it compiles, against zod', () => {
		const check = compileShapeCheck(kitchen, z) as ShapeCheck;
		const base = {
			strip: { a: 'ab', b: 1 },
			strict: { s: null },
			loose: { n: 'ab', deep: { a: 'a' }, more: [1, { x: 2 }] },
			list: [{ a: 'a' }, { a: 'abc', b: 2.5 }],
			either: { c: true },
			facts: { k: { v: [1] } },
			kind: 'x',
			fixed: 'k',
			open: { anything: ['at', 'all'] },
			needed: 'x',
		};

		it('compiles every form here', () => expect(check).toEqual(expect.any(Function)));

		it('yes exactly when zod accepts a safe value, with zod’s value (unknown keys of strip objects dropped in zod’s order)', () => {
			const tally: Tally = { yes: 0, no: 0 };
			const text = JSON.stringify(base);
			expectAgreement(text, kitchen, check, tally);
			expect(check(JSON.parse(text))).not.toBe(NO);
			fc.assert(
				fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => expectAgreement(mutated(text, mutations), kitchen, check, tally)),
				{ numRuns: RUNS * 3 },
			);
			expect(tally.yes).toBeGreaterThan(RUNS / 10);
			expect(tally.no).toBeGreaterThan(RUNS / 10);
			const stripped = check({ ...JSON.parse(text), zz: 1, strip: { b: 2, a: 'a', x: 1 }, list: [{ a: 'a', y: 1 }] }) as typeof base;
			expect(JSON.stringify(stripped.strip)).toBe('{"a":"a","b":2}');
			expect(stripped.list).toStrictEqual([{ a: 'a' }]);
			expect('zz' in stripped).toBe(false);
		});

		it('returns the value itself when zod would return an equal copy', () => {
			const value = JSON.parse(JSON.stringify(base));
			expect(check(value)).toBe(value);
		});

		it.each([
			['a format', z.object({ a: z.email() })],
			['a pattern', z.object({ a: z.string().regex(/a/) })],
			['an integer', z.object({ a: z.number().int() })],
			['a bound', z.object({ a: z.number().min(1) })],
			['a default', z.object({ a: z.string().default('a') })],
			['a transform', z.object({ a: z.string().transform((text) => text.length) })],
			['a pipe', z.object({ a: z.string().pipe(z.string().min(1)) })],
			['a tuple', z.object({ a: z.tuple([z.string()]) })],
			['an intersection', z.object({ a: z.intersection(z.object({ b: z.string() }), z.object({ c: z.string() })) })],
			['a catchall', z.object({ a: z.string() }).catchall(z.string())],
			['a description', z.object({ a: z.string().describe('a') })],
			['an inherited name', z.object({ toString: z.string() })],
			['a forbidden name', z.object({ prototype: z.string() })],
			['a date', z.object({ a: z.date() })],
		])('leaves a schema with %s to zod', (_what, schema) => {
			expect(compileShapeCheck(schema, z)).toBeUndefined();
		});
	});
});
