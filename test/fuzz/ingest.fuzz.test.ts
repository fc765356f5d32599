import fc from 'fast-check';
import { NormalizedEventSchema } from '../../core/event/normalized-event';
import { MemoryDedupeStore } from '../../core/inbound/dedupe';
import { deduplicate, ingest, type IngestResult } from '../../core/inbound/ingest';
import { MAX_JSON_DEPTH } from '../../core/inbound/parse';
import type { InboundRequest } from '../../core/vendors/definition';
import { parseFormBody } from '../../core/vendors/legalesign/inbound';
import { breakCredential, credentialNames, flipCase, FuzzTally, mutate, mutation } from './hostile-inputs';
import { fixtures, payloadOf, type VendorFixture } from './vendor-fixtures';

/**
 * Property-based fuzzing of the inbound path every trigger shares (`ingest`), per vendor:
 * mutated bytes, re-signed hostile bodies (forbidden keys, deep nesting, hostile strings),
 * wrong credentials, header/query/method/content-type mutations and timestamps outside the window.
 * Asserted: nothing throws (ingest, then deduplicate); nothing with a wrong signature, token or key is accepted; every accepted
 * event passes NormalizedEventSchema with string types and statuses; no prototype changes.
 *
 * LEGALHOOKS_FUZZ_RUNS = deliveries per vendor (default 300, split over the five properties);
 * with it set, a tally per vendor is printed.
 */
const PER_VENDOR = Number(process.env.LEGALHOOKS_FUZZ_RUNS) || 300;
const PROPERTIES = 5;
const RUNS = Math.max(1, Math.ceil(PER_VENDOR / PROPERTIES));
const now = new Date('2026-11-23T08:00:00Z');

const tally = new FuzzTally();
tally.printAfterAll(`fuzz tally (LEGALHOOKS_FUZZ_RUNS=${PER_VENDOR})`);

const objectPrototypeNames = Object.getOwnPropertyNames(Object.prototype).sort().join();
const arrayPrototypeNames = Object.getOwnPropertyNames(Array.prototype).sort().join();

function prototypesIntact(): void {
	if (Object.getOwnPropertyNames(Object.prototype).sort().join() !== objectPrototypeNames) throw new Error('Object.prototype changed');
	if (Object.getOwnPropertyNames(Array.prototype).sort().join() !== arrayPrototypeNames) throw new Error('Array.prototype changed');
	for (const key in {}) throw new Error(`Object.prototype gained enumerable ${key}`);
}

const PLAIN_PROTOTYPES = new Set<unknown>([Object.prototype, Array.prototype, null, Buffer.prototype, Uint8Array.prototype]);

/** Every object inside an accepted event has an ordinary prototype (none came from the body). */
function ordinaryPrototypes(value: unknown): void {
	const stack: unknown[] = [value];
	while (stack.length > 0) {
		const node = stack.pop();
		if (node === null || typeof node !== 'object') {
			if (typeof node === 'function') throw new Error('a function inside an accepted event');
			continue;
		}
		if (!PLAIN_PROTOTYPES.has(Object.getPrototypeOf(node))) throw new Error('an object with a foreign prototype inside an accepted event');
		if (Buffer.isBuffer(node)) continue;
		for (const key of Object.keys(node)) stack.push((node as Record<string, unknown>)[key]);
	}
}

const stores = new Map<string, MemoryDedupeStore>();

/** Runs one delivery through ingest and deduplicate: neither throws; an accepted result is checked in full. */
function deliver(f: VendorFixture, request: InboundRequest): IngestResult {
	let result: IngestResult;
	const context = f.context(now);
	try {
		result = ingest(f.vendor, request, context);
		if (!stores.has(f.name)) stores.set(f.name, new MemoryDedupeStore({ maxEntries: 1000 }));
		if (result.ok) deduplicate(f.vendor, result.events, { ...context.options, dropOutOfOrder: true }, stores.get(f.name)!, now);
	} catch (error) {
		throw new Error(`ingest or deduplicate threw: ${(error as Error).stack}`);
	}
	prototypesIntact();
	tally.count(f.name, result.ok ? 'accepted' : String(result.status));
	if (!result.ok) {
		if (typeof result.reason !== 'string' || result.reason.length > 2000) throw new Error('refusal without a short reason');
		return result;
	}
	for (const event of result.events) {
		const parsed = NormalizedEventSchema.safeParse(event);
		if (!parsed.success) throw new Error(`accepted event fails NormalizedEventSchema: ${parsed.error.message}`);
		if (typeof event.type !== 'string' || typeof event.document.status !== 'string' || typeof event.vendorEventType !== 'string') {
			throw new Error('type, status or vendorEventType is not a string');
		}
		ordinaryPrototypes(event);
		JSON.stringify(event);
	}
	for (const file of result.files ?? []) {
		if (/[/\\\p{Cc}]/u.test(file.fileName) || file.fileName === '..' || file.fileName === '') throw new Error(`unsafe file name ${JSON.stringify(file.fileName)}`);
		if (file.size !== file.data.length) throw new Error('file size differs from its bytes');
	}
	return result;
}

// ---------- generators ----------

const hostileString = fc.oneof(
	fc.constantFrom(
		'constructor',
		'__proto__',
		'prototype',
		'toString',
		'valueOf',
		'hasOwnProperty',
		'isPrototypeOf',
		'',
		' ',
		'..',
		'../../../.ssh/authorized_keys.pdf',
		'a\u0000b',
		'\u202Efdp.exe',
		'%ZZ',
		'NaN',
		'-1',
		'1e400',
		'+275760-09-13T00:00:00.000Z',
		'10000-01-01T00:00:00Z',
		'0000-01-01T00:00:00Z',
		'-000001-01-01T00:00:00Z',
		'2021-02-30T25:61:61Z',
		'T00:00:00.1111111111',
		'/api/v1/document/',
		'/api/v1/signer/x/?a#b',
		'Base64 encoded file data is not present in logs.',
	),
	fc.string({ maxLength: 40 }),
	fc.string({ unit: 'binary', maxLength: 40 }),
	fc.integer({ min: 1, max: 5000 }).map((n) => '/a/b?'.repeat(n)),
);

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
	{ weight: 4, arbitrary: hostileString },
	fc.integer(),
	fc.double(),
	fc.boolean(),
	fc.constant(null),
	fc.jsonValue({ maxDepth: 3 }),
	fc.array(hostileString, { maxLength: 4 }),
	fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
);

const FORBIDDEN_MARKER = 'zzFORBIDDENzz';
const DEEP_MARKER = 'zzDEEP';

type Edit = { kind: 'set'; pick: number; value: unknown } | { kind: 'forbidden'; pick: number; key: string; value: unknown } | { kind: 'deep'; pick: number; depth: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
	{ weight: 5, arbitrary: fc.record({ kind: fc.constant('set' as const), pick: fc.nat(), value: hostileValue }) },
	{
		weight: 1,
		arbitrary: fc.record({
			kind: fc.constant('forbidden' as const),
			pick: fc.nat(),
			key: fc.constantFrom('"__proto__"', '"constructor"', '"prototype"', '"\\u005f_proto__"', '"__pro\\u0074o__"', '"constructo\\u0072"'),
			value: hostileValue,
		}),
	},
	{
		weight: 1,
		arbitrary: fc.record({
			kind: fc.constant('deep' as const),
			pick: fc.nat(),
			depth: fc.oneof(fc.integer({ min: 1, max: MAX_JSON_DEPTH + 8 }), fc.integer({ min: MAX_JSON_DEPTH, max: 30_000 })),
		}),
	},
);

/** Every [container, key] in a JSON value, containers included, for edits to land anywhere. */
function slots(root: unknown): Array<[Record<string, unknown> | unknown[], string | number]> {
	const found: Array<[Record<string, unknown> | unknown[], string | number]> = [];
	const stack: unknown[] = [root];
	while (stack.length > 0) {
		const node = stack.pop();
		if (Array.isArray(node)) node.forEach((item, index) => (found.push([node, index]), stack.push(item)));
		else if (node && typeof node === 'object') for (const [key, item] of Object.entries(node)) found.push([node as Record<string, unknown>, key]), stack.push(item);
	}
	return found;
}

/** Applies the edits to a copy of the payload; returns the JSON text and what it must be refused for. */
function hostileText(payload: unknown, edits: Edit[]): { text: string; forbidden: boolean; deep: boolean } {
	const copy = structuredClone(payload);
	const deepDepths: number[] = [];
	const forbiddenKeys: string[] = [];
	for (const change of [...edits].sort((a, b) => Number(a.kind !== 'set') - Number(b.kind !== 'set'))) {
		const all = slots(copy);
		if (change.kind === 'set') {
			if (all.length === 0) continue;
			const [container, key] = all[change.pick % all.length];
			(container as Record<string, unknown>)[key] = structuredClone(change.value);
		} else {
			const objects = [copy, ...all.map(([container, key]) => (container as Record<string, unknown>)[key])].filter(
				(v): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v),
			);
			if (objects.length === 0) continue;
			const target = objects[change.pick % objects.length];
			if (change.kind === 'forbidden') {
				target[`${FORBIDDEN_MARKER}${forbiddenKeys.length}`] = change.value;
				forbiddenKeys.push(change.key);
			}
			else {
				target[`deep${deepDepths.length}`] = `${DEEP_MARKER}${deepDepths.length}`;
				deepDepths.push(change.depth);
			}
		}
	}
	let text = JSON.stringify(copy);
	let forbidden = false;
	forbiddenKeys.forEach((key, index) => {
		const marker = `"${FORBIDDEN_MARKER}${index}"`;
		if (!text.includes(marker)) return;
		forbidden = true;
		text = text.replace(marker, key);
	});
	let deep = false;
	deepDepths.forEach((depth, index) => {
		const marker = `"${DEEP_MARKER}${index}"`;
		if (!text.includes(marker)) return;
		if (depth >= MAX_JSON_DEPTH) deep = true;
		text = text.replace(marker, `${'['.repeat(depth)}${']'.repeat(depth)}`);
	});
	return { text, forbidden, deep };
}


/** The string a Legalesign signature covers in a form body (batch `data` or upon-event `json_signed`). */
function signedString(body: Buffer): string | undefined {
	const fields = parseFormBody(body.toString('utf8'));
	return fields?.get('data')?.[0] ?? fields?.get('json_signed')?.[0];
}


const jsonPayload = (f: VendorFixture, event: string) => payloadOf(f.sample(event, now), f.name);

// ---------- properties ----------

describe.each(fixtures.map((f) => [f.name, f] as const))('fuzz %s', (_name, f) => {
	const runs = { numRuns: RUNS };

	it('mutated bytes of a signed delivery: never throws; a signature-covered body with changed bytes is refused', () => {
		fc.assert(
			fc.property(fc.constantFrom(...f.events), fc.array(mutation, { minLength: 1, maxLength: 4 }), (event, mutations) => {
				const original = f.sample(event, now);
				const rawBody = mutate(original.rawBody, mutations);
				const result = deliver(f, { ...original, rawBody });
				if (!result.ok || !f.signsBody || rawBody.equals(original.rawBody)) return;
				if (f.name === 'legalesign' && signedString(rawBody) === signedString(original.rawBody)) return;
				throw new Error('a body whose signed bytes changed was accepted');
			}),
			runs,
		);
	});

	it('re-signed hostile bodies: forbidden keys and deep nesting give 400; anything accepted is a valid event', () => {
		fc.assert(
			fc.property(fc.constantFrom(...f.events), fc.array(edit, { minLength: 1, maxLength: 5 }), (event, edits) => {
				const { json, upon } = jsonPayload(f, event);
				const { text, forbidden, deep } = hostileText(json, edits);
				const result = deliver(f, f.signedJson(text, { upon }));
				if ((forbidden || deep) && (result.ok || result.status !== 400)) {
					throw new Error(`a body with ${forbidden ? 'a forbidden key' : 'deep nesting'} got ${result.ok ? 'accepted' : result.status}`);
				}
			}),
			runs,
		);
	});

	it('wrong signature, token or key: always 401', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...f.events),
				fc.nat(),
				fc.string({ minLength: 1, maxLength: 130 }),
				fc.boolean(),
				fc.array(edit, { maxLength: 2 }),
				(event, how, noise, resignWrong, edits) => {
					let request: InboundRequest;
					if (resignWrong) {
						const { json, upon } = jsonPayload(f, event);
						request = f.signedJson(hostileText(json, edits).text, { upon, wrong: true });
					} else request = breakCredential(f, f.sample(event, now), how, noise);
					const result = deliver(f, request);
					if (result.ok || result.status !== 401) throw new Error(`a delivery with a wrong credential got ${result.ok ? 'accepted' : result.status}`);
				},
			),
			runs,
		);
	});

	it('header, query, method and content-type mutations: a valid credential is still accepted, only POST is', () => {
		const method = fc.oneof(fc.constantFrom('POST', 'post', 'Post', 'pOsT'), fc.constantFrom('GET', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', '', 'POST ', 'PO ST'), fc.string({ maxLength: 8 }));
		fc.assert(
			fc.property(
				fc.constantFrom(...f.events),
				method,
				fc.option(fc.oneof(fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x'), fc.string({ maxLength: 30 }))),
				fc.integer({ min: 0, max: 0xffff }),
				fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.oneof(fc.string({ maxLength: 20 }), fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 })), { maxKeys: 4 }),
				fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.oneof(fc.string({ maxLength: 20 }), fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 })), { maxKeys: 4 }),
				fc.boolean(),
				(event, verb, contentType, casePattern, extraHeaders, extraQuery, credentialAsArray) => {
					const original = f.sample(event, now);
					const headers: InboundRequest['headers'] = {};
					for (const [name, value] of Object.entries(original.headers)) headers[flipCase(name, casePattern)] = value;
					const taken = new Set([...Object.keys(headers).map((n) => n.toLowerCase()), ...credentialNames(f)]);
					for (const [name, value] of Object.entries(extraHeaders)) if (!taken.has(name.toLowerCase())) headers[name] = value;
					for (const name of Object.keys(headers)) if (name.toLowerCase() === 'content-type') delete headers[name];
					if (contentType !== null) headers['content-type'] = contentType;
					const query: InboundRequest['query'] = { ...original.query };
					for (const [name, value] of Object.entries(extraQuery)) if (!taken.has(name) && !(name in query)) query[name] = value;
					if (credentialAsArray) {
						const { kind, name } = f.credential;
						const place = kind === 'header' ? headers : query;
						const key = Object.keys(place).find((k) => k.toLowerCase() === name);
						if (key) place[key] = [String(place[key]), 'a-second-value'];
					}
					const result = deliver(f, { method: verb, rawBody: original.rawBody, headers, query, contentType: contentType ?? undefined });
					if (verb.toUpperCase() !== 'POST') {
						if (result.ok || result.status !== 405) throw new Error(`method ${JSON.stringify(verb)} got ${result.ok ? 'accepted' : result.status}`);
					} else if (!result.ok) throw new Error(`a valid delivery with mutated headers was refused: ${result.status} ${result.reason}`);
				},
			),
			runs,
		);
	});

	it('timestamps anywhere, in and outside the replay window', () => {
		const offset = fc.oneof(fc.integer({ min: -1200, max: 1200 }), fc.integer({ min: -1e9, max: 1e9 }));
		const stamp = fc.oneof(
			offset.map((seconds) => ({ seconds, text: new Date(now.getTime() + seconds * 1000).toISOString() })),
			hostileString.map((text) => ({ seconds: undefined, text })),
		);
		fc.assert(
			fc.property(fc.constantFrom(...f.events), stamp, (event, at) => {
				const { json, upon } = jsonPayload(f, event);
				const payload = json as any;
				if (f.name === 'plexus') payload.createdAt = at.text;
				else if (f.name === 'legito') (payload.documentRecord as Record<string, unknown>).lastModified = at.text;
				else if (f.name.startsWith('legalesign')) {
					if (Array.isArray(payload)) for (const entry of payload) entry.timestamp = at.text;
					else payload.timestamp = at.text;
				} else payload.sentAt = at.text;
				const result = deliver(f, f.signedJson(JSON.stringify(payload), { upon }));
				if (f.name !== 'plexus') {
					if (!result.ok) throw new Error(`a delivery with timestamp ${JSON.stringify(at.text)} was refused: ${result.reason}`);
					return;
				}
				const ms = Date.parse(at.text);
				const inside = !Number.isNaN(ms) && Math.abs(ms - now.getTime()) <= 600_000;
				if (result.ok !== inside) throw new Error(`createdAt ${JSON.stringify(at.text)}: ${result.ok ? 'accepted' : result.status}, window says ${inside}`);
			}),
			runs,
		);
	});
});
