import fc from 'fast-check';
import { MemoryDedupeStore } from '../../core/inbound/dedupe';
import { NormalizedEventSchema } from '../../core/event/normalized-event';
import { handleDelivery, UNREADABLE_PAYLOAD, type Answer, type InboundTrigger, type TriggerOutput } from '../../core/inbound/pipeline';
import type { InboundRequest } from '../../core/vendors/definition';
import { FuzzTally, WRONG_TYPED } from './hostile-inputs';
import { fixtures, payloadOf, type VendorFixture } from './vendor-fixtures';

/**
 * Issue 20: a validly signed delivery whose fields hold objects, arrays or numbers where strings
 * belong, through the whole inbound path (`handleDelivery`, as both engines run it). Every field of
 * every vendor's sample deliveries gets each wrong-typed value in turn (among them
 * `{"length":{"toString":"x"}}`, which made zod's length checks throw), then fast-check puts random
 * objects, arrays and numbers into random fields. Asserted: one answer, never a 500, nothing logged
 * as an error, and anything accepted is a valid normalized event with string types.
 *
 * The tally per vendor is printed with LEGALHOOKS_FUZZ_RUNS set (it also sets the random runs).
 */
const RANDOM_RUNS = Number(process.env.LEGALHOOKS_FUZZ_RUNS) || 100;
const now = new Date('2026-11-23T08:00:00Z');


const tally = new FuzzTally();
tally.printAfterAll(`wrong-typed fields tally (random runs per vendor: ${RANDOM_RUNS})`);

/** Paths of every value inside a JSON payload (containers too), e.g. ['data', 'document', 'id']. */
function paths(root: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
	const found: Array<Array<string | number>> = [];
	if (Array.isArray(root)) root.forEach((item, index) => found.push([...at, index], ...paths(item, [...at, index])));
	else if (root && typeof root === 'object') for (const [key, item] of Object.entries(root)) found.push([...at, key], ...paths(item, [...at, key]));
	return found;
}

function withValue(payload: unknown, path: Array<string | number>, value: unknown): unknown {
	const copy = structuredClone(payload);
	let container = copy as Record<string | number, unknown>;
	for (const step of path.slice(0, -1)) container = container[step] as Record<string | number, unknown>;
	container[path[path.length - 1]] = structuredClone(value);
	return copy;
}

/** Runs one request through handleDelivery as an engine would; resolves with the one answer and what was emitted. */
async function deliver(f: VendorFixture, request: InboundRequest): Promise<{ answer: Answer; emitted: TriggerOutput[]; errors: string[] }> {
	const answers: Answer[] = [];
	const emitted: TriggerOutput[] = [];
	const errors: string[] = [];
	const { secret, registration, credentials, options } = f.context(now);
	const trigger: InboundTrigger = {
		vendor: f.vendor,
		options: { ...options },
		verification: async () => ({ secret, registration, credentials }),
		http: async () => {
			throw new Error('no network in this test');
		},
		dedupe: new MemoryDedupeStore(),
		logger: {
			// The pipeline's net for a parser that throws is not what keeps these deliveries out: the schemas are.
			warn: (message) => void (message.includes(UNREADABLE_PAYLOAD) && errors.push(message)),
			error: (message) => void errors.push(message),
		},
		answer: (answer) => void answers.push(answer),
		emit: (events) => void emitted.push(...events),
		now: () => now,
	};
	await handleDelivery({ method: 'POST', headers: request.headers, query: request.query, readBody: async () => ({ ok: true, body: request.rawBody }) }, trigger);
	if (answers.length !== 1) throw new Error(`${answers.length} answers`);
	tally.count(f.name, String(answers[0].status));
	return { answer: answers[0], emitted, errors };
}

async function deliverWrongTyped(f: VendorFixture, event: string, path: Array<string | number>, value: unknown): Promise<void> {
	const { json, upon } = payloadOf(f.sample(event, now), f.name);
	const { answer, emitted, errors } = await deliver(f, f.signedJson(JSON.stringify(withValue(json, path, value)), { upon }));
	const where = `${event} ${path.join('.')} = ${JSON.stringify(value)}`;
	if (answer.status === 500 || errors.length > 0) throw new Error(`${where}: HTTP ${answer.status} ${JSON.stringify(answer.body)} ${errors.join('; ')}`);
	if (![200, 400, 401].includes(answer.status)) throw new Error(`${where}: HTTP ${answer.status}`);
	for (const output of emitted) {
		const parsed = NormalizedEventSchema.safeParse(output);
		if (!parsed.success) throw new Error(`${where}: an accepted event fails NormalizedEventSchema: ${parsed.error.message}`);
	}
}

/** The string fields of a payload: where a wrong type is most telling. */
function stringPaths(json: unknown): Array<Array<string | number>> {
	return paths(json).filter((path) => {
		let value = json as Record<string | number, unknown>;
		for (const step of path) value = value[step] as Record<string | number, unknown>;
		return typeof value === 'string';
	});
}

describe.each(fixtures.map((f) => [f.name, f] as const))('wrong-typed fields, %s, through handleDelivery', (_name, f) => {
	it('every field of every sample event, each wrong-typed value: 400 (or 200/401), never 500', async () => {
		let tried = 0;
		for (const event of f.events) {
			const { json } = payloadOf(f.sample(event, now), f.name);
			for (const path of paths(json)) {
				for (const value of WRONG_TYPED) {
					await deliverWrongTyped(f, event, path, value);
					tried++;
				}
			}
		}
		expect(tried).toBeGreaterThan(0);
	});

	it('a field the schema checks for a non-empty string, holding {"length":{"toString":"x"}}: 400 "unexpected payload shape"', async () => {
		const event = f.events[0];
		const { json, upon } = payloadOf(f.sample(event, now), f.name);
		const refused: string[] = [];
		for (const path of stringPaths(json)) {
			const { answer } = await deliver(f, f.signedJson(JSON.stringify(withValue(json, path, { length: { toString: 'x' } })), { upon }));
			if (answer.status === 400 && /unexpected payload shape/.test(String((answer.body as { error?: unknown }).error))) refused.push(path.join('.'));
		}
		expect(refused.length).toBeGreaterThan(0);
	});

	it('random objects, arrays and numbers in random fields', async () => {
		const wrong = fc.oneof(
			fc.object({ maxDepth: 2, maxKeys: 4 }),
			fc.dictionary(fc.constantFrom('length', 'toString', 'valueOf', 'constructor', '0'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
			fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
			fc.integer(),
			fc.double({ noNaN: true, noDefaultInfinity: true }),
		);
		await fc.assert(
			fc.asyncProperty(fc.constantFrom(...f.events), fc.nat(), wrong, async (event, pick, value) => {
				const { json } = payloadOf(f.sample(event, now), f.name);
				const all = paths(json);
				const strings = stringPaths(json);
				const pool = strings.length > 0 && pick % 4 !== 0 ? strings : all;
				if (pool.length === 0) return;
				const path = pool[pick % pool.length];
				// JSON cannot carry -0 apart from 0, nor undefined: normalise what fast-check made to what a body can hold
				await deliverWrongTyped(f, event, path, JSON.parse(JSON.stringify(value) ?? 'null'));
			}),
			{ numRuns: RANDOM_RUNS },
		);
	});
});
