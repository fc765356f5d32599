import fc from 'fast-check';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { MemoryDedupeStore } from '../../core/inbound/dedupe';
import { EmittedEventSchema } from '../../core/event/normalized-event';
import { MAX_JSON_DEPTH } from '../../core/inbound/parse';
import { handleDelivery, type Answer, type InboundDelivery, type InboundTrigger, type TriggerOutput } from '../../core/inbound/pipeline';
import type { PrecheckContext } from '../../core/verify/precheck';
import { DEFAULT_MAX_BODY_BYTES, type InboundRequest } from '../../core/vendors/definition';
import { headerValue, type Headers } from '../../core/verify/crypto';
import { LEGITO_TOKEN_HEADER } from '../../core/vendors/legito/api';
import { PHENIXID_SIGNATURE_HEADER } from '../../core/vendors/phenixid/inbound';
import { PLEXUS_SIGNATURE_HEADER } from '../../core/vendors/plexus/inbound';
import { BodyBudget, DEFAULT_MAX_BUFFERED_BYTES, readRawBody } from '../../node-red/src/shared/raw-body';
import { breakCredential, credentialNames, flipCase, FuzzTally, mutate, mutation } from './hostile-inputs';
import { fixtures, payloadOf, type VendorFixture } from './vendor-fixtures';

/**
 * The real entry of every trigger, `handleDelivery`, as both engines call it, sent generated hostile
 * requests per vendor: any method, headers missing, duplicated as arrays, huge, in any case, with a
 * hostile content-type; a declared Content-Length that is honest, smaller or bigger than the body,
 * over the trigger's limit or not a number; bodies empty, truncated, binary, huge, deeply nested, or
 * the vendor's signed sample deliveries mutated; the credential intact, wrong in the body's signature,
 * or wrong where the precheck sees it (URL token, key, header).
 *
 * The body is read by Node-RED's own reader (`readRawBody`) from a stream that behaves as Node's HTTP
 * parser hands a request on: a declared length is all that is read of a longer body, and a body
 * shorter than declared ends with the connection closing, not with the body's end.
 *
 * Asserted: it never rejects and answers exactly once; every answer has a status of the allowed set
 * and a short JSON body with no secret in it, a refusal `{ error }`; nothing with a wrong credential
 * is emitted; a wrong token, key or missing signature header is refused 401 before the body is read
 * (the reader is not called), as are a wrong method (405) and a declared length over the limit (413);
 * an untouched signed delivery is accepted (200) whatever is done to the rest of its headers; a body
 * shorter than declared is refused 400; a re-signed body nested deeper than MAX_JSON_DEPTH is
 * refused 400; every emitted event passes EmittedEventSchema; nothing is logged as an error.
 *
 * LEGALHOOKS_FUZZ_RUNS = requests per vendor (default 300, split over the two properties); with it
 * set, a tally per vendor is printed.
 */
const PER_VENDOR = Number(process.env.LEGALHOOKS_FUZZ_RUNS) || 300;
const PROPERTIES = 2;
const RUNS = Math.max(1, Math.ceil(PER_VENDOR / PROPERTIES));
/** A few ms per request, more for the huge bodies: a long run gets the time it needs. */
const TIMEOUT_MS = Math.max(30_000, RUNS * 15);
const now = new Date('2026-11-23T08:00:00Z');

const tally = new FuzzTally();
tally.printAfterAll(`hostile requests through handleDelivery (LEGALHOOKS_FUZZ_RUNS=${PER_VENDOR})`);

/** What the pipeline may answer: the statuses `ingest` refuses with, its 200, and 503 (with Retry-After) when the body budget is full. */
const ALLOWED_STATUSES = new Set([200, 400, 401, 403, 404, 405, 413, 503]);
/** A short JSON answer: a vendor's acknowledgement or `{ error: reason }`. */
const MAX_ANSWER_CHARS = 600;

// ---------- the request on the wire ----------

/** The body reader an engine hands the pipeline, counting its calls. */
interface CountingReader {
	readBody: InboundDelivery['readBody'];
	calls: number;
}

/**
 * Node's HTTP parser between the socket and the trigger: with a declared length it hands on that many
 * bytes and ends, or, when the sender stops short, the connection closes before the end; without one
 * (chunked) it hands on every byte. The bytes go to Node-RED's reader in up to three chunks.
 */
function wireReader(body: Buffer, declared: string | undefined): CountingReader {
	const reader: CountingReader = {
		calls: 0,
		readBody: (limit) => {
			reader.calls++;
			const length = declared !== undefined && /^\d+$/.test(declared) ? Number(declared) : undefined;
			const sent = length === undefined ? body : body.subarray(0, length);
			const complete = length === undefined || length <= body.length;
			const stream = new Readable({ read() {} });
			const third = Math.ceil(sent.length / 3) || 1;
			for (let at = 0; at < sent.length; at += third) stream.push(sent.subarray(at, at + third));
			if (complete) stream.push(null);
			else setImmediate(() => stream.destroy());
			const request = Object.assign(stream, { headers: declared === undefined ? {} : { 'content-length': declared } }) as unknown as IncomingMessage;
			const lease = new BodyBudget(DEFAULT_MAX_BUFFERED_BYTES).lease();
			return readRawBody(request, limit, lease).finally(() => lease.release());
		},
	};
	return reader;
}

// ---------- running one request ----------

interface Delivered {
	answers: Answer[];
	emitted: TriggerOutput[];
	errors: string[];
	bodyReads: number;
	outcomes: number;
}

const stores = new Map<string, MemoryDedupeStore>();

/** The secrets a fixture's trigger holds: none may appear in an answer. */
function secretsOf(context: PrecheckContext): string[] {
	const values = [context.secret, context.registration?.secret, ...Object.values(context.credentials ?? {})];
	return values.filter((value): value is string => typeof value === 'string' && value.length >= 8);
}

async function deliver(f: VendorFixture, request: { method: string; headers: Headers; query: Record<string, unknown>; body: Buffer; declared: string | undefined }, maxBodyBytes: number): Promise<Delivered> {
	const { secret, registration, credentials, options } = f.context(now);
	const verification: PrecheckContext = { secret, registration, credentials };
	if (!stores.has(f.name)) stores.set(f.name, new MemoryDedupeStore({ maxEntries: 1000 }));
	const out: Delivered = { answers: [], emitted: [], errors: [], bodyReads: 0, outcomes: 0 };
	const reader = wireReader(request.body, request.declared);
	const trigger: InboundTrigger = {
		vendor: f.vendor,
		options: { ...options, maxBodyBytes },
		verification: async () => verification,
		http: async () => {
			throw new Error('no network in this test');
		},
		dedupe: stores.get(f.name)!,
		logger: { warn: () => undefined, error: (message) => void out.errors.push(message) },
		answer: (answer) => void out.answers.push(answer),
		emit: (events) => void out.emitted.push(...events),
		outcome: () => void out.outcomes++,
		now: () => now,
	};
	try {
		await handleDelivery({ method: request.method, headers: request.headers, query: request.query, readBody: reader.readBody }, trigger);
	} catch (error) {
		throw new Error(`handleDelivery rejected: ${(error as Error).stack}`);
	}
	out.bodyReads = reader.calls;
	checkAnswer(out, secretsOf(verification));
	tally.count(f.name, String(out.answers[0].status));
	return out;
}

/** What holds for every request, whatever it was. */
function checkAnswer(out: Delivered, secrets: string[]): void {
	if (out.answers.length !== 1) throw new Error(`${out.answers.length} answers`);
	if (out.outcomes !== 1) throw new Error(`${out.outcomes} outcomes`);
	if (out.errors.length > 0) throw new Error(`logged as an error: ${out.errors.join('; ')}`);
	const [answer] = out.answers;
	if (!ALLOWED_STATUSES.has(answer.status)) throw new Error(`status ${answer.status} is not an allowed answer: ${JSON.stringify(answer.body)}`);
	if (answer.status === 503 && !answer.headers?.['retry-after']) throw new Error('a 503 without Retry-After');
	if (answer.status === 405 && answer.headers?.allow !== 'POST') throw new Error('a 405 without Allow: POST');
	if (answer.body === null || typeof answer.body !== 'object') throw new Error(`the answer is not a JSON object: ${String(answer.body)}`);
	const text = JSON.stringify(answer.body);
	if (text.length > MAX_ANSWER_CHARS) throw new Error(`an answer of ${text.length} characters: ${text.slice(0, 200)}…`);
	if (answer.status !== 200) {
		const error = (answer.body as { error?: unknown }).error;
		if (typeof error !== 'string' || error.length === 0) throw new Error(`a refusal without { error }: ${text}`);
	}
	for (const secret of secrets) if (JSON.stringify(answer).includes(secret)) throw new Error('a secret in the answer');
	if (out.emitted.length > 0 && answer.status !== 200) throw new Error(`emitted after answering ${answer.status}`);
	for (const output of out.emitted) {
		const parsed = EmittedEventSchema.safeParse(output);
		if (!parsed.success) throw new Error(`an emitted event fails EmittedEventSchema: ${parsed.error.message}`);
	}
}

// ---------- generators ----------

const method = fc.oneof(
	{ weight: 8, arbitrary: fc.constantFrom('POST', 'post', 'Post') },
	{ weight: 2, arbitrary: fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT', 'PROPFIND', 'MKCOL', 'PURGE', 'QUERY', 'SEARCH') },
	{ weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
	// longer than a short answer: the refusal must not echo it whole
	{ weight: 1, arbitrary: fc.string({ minLength: MAX_ANSWER_CHARS + 1, maxLength: 4 * MAX_ANSWER_CHARS }) },
);

const hostileContentType = fc.option(
	fc.oneof(
		fc.constantFrom(
			'application/json',
			'application/x-www-form-urlencoded',
			'application/json; charset=utf-16',
			'application/x-www-form-urlencoded;;;;charset=',
			'multipart/form-data; boundary=',
			'text/html',
			'application/octet-stream',
			'',
			'\u0000',
			`application/json; ${'x=y; '.repeat(2000)}`,
		),
		fc.string({ maxLength: 40 }),
	),
);

type HeaderOp = { kind: 'drop'; pick: number } | { kind: 'array'; pick: number; extra: string } | { kind: 'huge'; pick: number; size: number } | { kind: 'junk'; name: string; value: string | string[] };

const headerOp: fc.Arbitrary<HeaderOp> = fc.oneof(
	fc.record({ kind: fc.constant('drop' as const), pick: fc.nat() }),
	fc.record({ kind: fc.constant('array' as const), pick: fc.nat(), extra: fc.string({ maxLength: 20 }) }),
	fc.record({ kind: fc.constant('huge' as const), pick: fc.nat(), size: fc.integer({ min: 1024, max: 256 * 1024 }) }),
	fc.record({
		kind: fc.constant('junk' as const),
		name: fc.oneof(fc.string({ minLength: 1, maxLength: 16 }), fc.constantFrom('__proto__', 'constructor', 'transfer-encoding', 'content-encoding', 'expect', 'host')),
		value: fc.oneof(fc.string({ maxLength: 30 }), fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 })),
	}),
);

type Declared = { kind: 'absent' } | { kind: 'honest' } | { kind: 'smaller'; by: number } | { kind: 'bigger'; by: number } | { kind: 'over-limit'; by: number } | { kind: 'garbage'; text: string } | { kind: 'array'; extra: string };

const declared: fc.Arbitrary<Declared> = fc.oneof(
	{ weight: 3, arbitrary: fc.constant({ kind: 'absent' as const }) },
	{ weight: 4, arbitrary: fc.constant({ kind: 'honest' as const }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('smaller' as const), by: fc.integer({ min: 1, max: 5000 }) }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('bigger' as const), by: fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 1_000_000 })) }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('over-limit' as const), by: fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.constant(1e12)) }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('garbage' as const), text: fc.oneof(fc.constantFrom('abc', '-1', '1e3', ' 12 ', '', '0x10', '1.5', '99999999999999999999', 'Infinity', 'NaN'), fc.string({ maxLength: 12 })) }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('array' as const), extra: fc.constantFrom('0', '1', '999999999') }) },
);

type Body =
	| { kind: 'sample' }
	| { kind: 'empty' }
	| { kind: 'truncated'; at: number }
	| { kind: 'binary'; bytes: Uint8Array }
	| { kind: 'huge'; size: number; fill: string }
	| { kind: 'deep'; depth: number }
	| { kind: 'mutated'; mutations: Parameters<typeof mutate>[1] };

const body: fc.Arbitrary<Body> = fc.oneof(
	{ weight: 6, arbitrary: fc.constant({ kind: 'sample' as const }) },
	{ weight: 1, arbitrary: fc.constant({ kind: 'empty' as const }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('truncated' as const), at: fc.nat() }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('binary' as const), bytes: fc.uint8Array({ maxLength: 2048 }) }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('huge' as const), size: fc.integer({ min: 64 * 1024, max: 2 * 1024 * 1024 }), fill: fc.constantFrom('a', '{', '[', ' ', '\u0000', '%', '&=') }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('deep' as const), depth: fc.oneof(fc.integer({ min: MAX_JSON_DEPTH, max: MAX_JSON_DEPTH + 8 }), fc.integer({ min: MAX_JSON_DEPTH, max: 30_000 })) }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('mutated' as const), mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }) }) },
);

type Limit = 'default' | 'none' | 'tight';
const limit: fc.Arbitrary<Limit> = fc.constantFrom<Limit>('default', 'default', 'none', 'tight');

// ---------- building a request ----------

/** The vendor's payload with nesting `depth` deep added at its top (or in its first entry), as JSON text. */
function deepText(json: unknown, depth: number): string {
	const marker = 'zzDEEPzz';
	const holder = Array.isArray(json) ? json[0] : json;
	if (holder !== null && typeof holder === 'object' && !Array.isArray(holder)) (holder as Record<string, unknown>).deep = marker;
	return JSON.stringify(json).replace(`"${marker}"`, `${'['.repeat(depth)}${']'.repeat(depth)}`);
}

/** The delivery to start from: a signed sample, or a deep body re-signed (with the wrong key when asked). */
function startingRequest(f: VendorFixture, event: string, shape: Body, wrongSignature: boolean): InboundRequest {
	const sample = f.sample(event, now);
	if (shape.kind !== 'deep') return sample;
	const { json, upon } = payloadOf(sample, f.name);
	return f.signedJson(deepText(json, shape.depth), { upon, wrong: wrongSignature });
}

function bodyBytes(start: Buffer, shape: Body): Buffer {
	switch (shape.kind) {
		case 'sample':
		case 'deep':
			return start;
		case 'empty':
			return Buffer.alloc(0);
		case 'truncated':
			return start.subarray(0, start.length === 0 ? 0 : shape.at % start.length);
		case 'binary':
			return Buffer.from(shape.bytes);
		case 'huge':
			return Buffer.concat([start, Buffer.alloc(shape.size, shape.fill)]);
		case 'mutated':
			return mutate(start, shape.mutations);
	}
}

function limitFor(choice: Limit, size: number, pick: number): number {
	if (choice === 'none') return 0;
	if (choice === 'tight') return Math.max(1, size + (pick % 101) - 50);
	return DEFAULT_MAX_BODY_BYTES;
}

function declaredText(choice: Declared, size: number, maxBodyBytes: number): string | string[] | undefined {
	switch (choice.kind) {
		case 'absent':
			return undefined;
		case 'honest':
			return String(size);
		case 'smaller':
			return String(Math.max(0, size - choice.by));
		case 'bigger':
			return String(size + choice.by);
		case 'over-limit':
			return String((maxBodyBytes || DEFAULT_MAX_BUFFERED_BYTES) + choice.by);
		case 'garbage':
			return choice.text;
		case 'array':
			return [String(size), choice.extra];
	}
}

/** Header and query edits that keep the credential as it is (an array keeps the valid value first). */
function reshape(f: VendorFixture, request: InboundRequest, casePattern: number, ops: HeaderOp[], contentType: string | null, credentialAsArray: boolean): { headers: Headers; query: Record<string, unknown> } {
	const protectedNames = new Set(credentialNames(f));
	const headers: Headers = {};
	for (const [name, value] of Object.entries(request.headers)) headers[flipCase(name, casePattern)] = value;
	for (const name of Object.keys(headers)) if (name.toLowerCase() === 'content-type') delete headers[name];
	if (contentType !== null) headers[flipCase('content-type', casePattern >> 3)] = contentType;
	for (const op of ops) {
		const editable = Object.keys(headers).filter((name) => !protectedNames.has(name.toLowerCase()));
		const target = editable.length > 0 ? editable[('pick' in op ? op.pick : 0) % editable.length] : undefined;
		if (op.kind === 'drop' && target) delete headers[target];
		else if (op.kind === 'array' && target) headers[target] = [String(headers[target]), op.extra];
		else if (op.kind === 'huge') headers[target ?? 'x-huge'] = 'h'.repeat(op.size);
		else if (op.kind === 'junk' && !protectedNames.has(op.name.toLowerCase()) && op.name.toLowerCase() !== 'content-length') headers[op.name] = op.value;
	}
	const query: Record<string, unknown> = { ...request.query };
	if (credentialAsArray) {
		const place: Record<string, unknown> = f.credential.kind === 'header' ? headers : query;
		const key = Object.keys(place).find((k) => k.toLowerCase() === f.credential.name.toLowerCase());
		if (key && typeof place[key] === 'string') place[key] = [place[key], 'a-second-value'];
	}
	return { headers, query };
}

/** Where the precheck finds the credential before the body: a token or key to be equal, or a header to be there. */
interface PreBodyCredential {
	place: 'header' | 'query';
	name: string;
	/** Only its presence is checked before the body (a signature over the body). */
	presence?: boolean;
}

function preBodyCredentials(f: VendorFixture): PreBodyCredential[] {
	if (f.name === 'plexus') return [{ place: 'header', name: PLEXUS_SIGNATURE_HEADER, presence: true }];
	if (f.name === 'phenixid') return [{ place: 'query', name: 'key' }, { place: 'header', name: PHENIXID_SIGNATURE_HEADER, presence: true }];
	if (f.name === 'legito') return [{ place: 'header', name: LEGITO_TOKEN_HEADER }];
	return [{ place: 'query', name: 'token' }];
}

/** Breaks the credential the precheck sees: gone, empty, noise, one character off, or a wrong value first in an array. */
function breakPreBody(f: VendorFixture, headers: Headers, query: Record<string, unknown>, pick: number, noise: string): void {
	const all = preBodyCredentials(f);
	const credential = all[pick % all.length];
	const place: Record<string, unknown> = credential.place === 'header' ? headers : query;
	const key = Object.keys(place).find((k) => k.toLowerCase() === credential.name.toLowerCase()) ?? credential.name;
	const valid = typeof place[key] === 'string' ? (place[key] as string) : '';
	const wrong = noise === valid ? `${noise}x` : noise;
	const variants: Array<() => void> = credential.presence
		? [() => delete place[key], () => (place[key] = '')]
		: [() => delete place[key], () => (place[key] = ''), () => (place[key] = wrong), () => (place[key] = `${valid}0`), () => (place[key] = valid.slice(0, -1)), () => (place[key] = [wrong, valid])];
	variants[Math.floor(pick / all.length) % variants.length]();
}

// ---------- properties ----------

describe.each(fixtures.map((f) => [f.name, f] as const))('hostile requests through handleDelivery, %s', (_name, f) => {
	const runs = { numRuns: RUNS };

	it('a valid credential: only POST, a declared length within the limit and the whole body are read; an untouched delivery is accepted', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.record({
					event: fc.constantFrom(...f.events),
					verb: method,
					shape: body,
					length: declared,
					limitChoice: limit,
					pick: fc.nat(),
					casePattern: fc.integer({ min: 0, max: 0xffff }),
					ops: fc.array(headerOp, { maxLength: 4 }),
					contentType: hostileContentType,
					credentialAsArray: fc.boolean(),
				}),
				async ({ event, verb, shape, length, limitChoice, pick, casePattern, ops, contentType, credentialAsArray }) => {
					const start = startingRequest(f, event, shape, false);
					const bytes = bodyBytes(start.rawBody, shape);
					const maxBodyBytes = limitFor(limitChoice, bytes.length, pick);
					const { headers, query } = reshape(f, start, casePattern, ops, contentType, credentialAsArray);
					const lengthHeader = declaredText(length, bytes.length, maxBodyBytes);
					if (lengthHeader !== undefined) headers[flipCase('content-length', casePattern >> 5)] = lengthHeader;
					const declaredValue = headerValue(headers, 'content-length');
					const out = await deliver(f, { method: verb, headers, query, body: bytes, declared: declaredValue }, maxBodyBytes);
					const { status } = out.answers[0];

					const post = verb.toUpperCase() === 'POST';
					const declaredNumber = Number(declaredValue ?? 0);
					const overLimit = maxBodyBytes > 0 && declaredNumber > maxBodyBytes;
					const honest = declaredValue === undefined || declaredValue === String(bytes.length);
					const lengthOnTheWire = /^\d+$/.test(declaredValue ?? '');
					const shortOnTheWire = lengthOnTheWire && declaredNumber > bytes.length;
					const arriving = lengthOnTheWire && !shortOnTheWire ? declaredNumber : bytes.length;
					const fits = maxBodyBytes === 0 || arriving <= maxBodyBytes;
					// no limit of its own: a declared length over the shared buffer ceiling waits for room (503)
					const busy = maxBodyBytes === 0 && declaredNumber > DEFAULT_MAX_BUFFERED_BYTES;
					if (!post) {
						if (status !== 405 || out.bodyReads !== 0) throw new Error(`method ${JSON.stringify(verb)}: ${status}, body read ${out.bodyReads} time(s)`);
						return;
					}
					if (overLimit) {
						if (status !== 413 || out.bodyReads !== 0) throw new Error(`declared ${declaredNumber} over ${maxBodyBytes}: ${status}, body read ${out.bodyReads} time(s)`);
						return;
					}
					if (out.bodyReads !== 1) throw new Error(`a POST within the limit with a valid credential read its body ${out.bodyReads} time(s)`);
					if (busy) {
						if (status !== 503) throw new Error(`declared ${declaredNumber} over the buffer ceiling with no limit: ${status}`);
						return;
					}
					if (!fits && !shortOnTheWire && status !== 413) throw new Error(`a body of ${bytes.length} bytes over the ${maxBodyBytes}-byte limit got ${status}`);
					if (fits && shortOnTheWire && status !== 400) throw new Error(`a body shorter than its declared length got ${status}`);
					if (fits && honest && shape.kind === 'sample' && status !== 200) throw new Error(`an untouched signed delivery was refused: ${status} ${JSON.stringify(out.answers[0].body)}`);
					if (fits && honest && shape.kind === 'deep' && status !== 400) throw new Error(`a re-signed body nested ${shape.depth} deep got ${status}`);
				},
			),
			runs,
		);
	}, TIMEOUT_MS);

	it('a wrong credential: nothing is emitted; a wrong token, key or missing signature header is refused 401 before the body is read', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.record({
					event: fc.constantFrom(...f.events),
					verb: method,
					shape: body,
					length: declared,
					limitChoice: limit,
					pick: fc.nat(),
					casePattern: fc.integer({ min: 0, max: 0xffff }),
					ops: fc.array(headerOp, { maxLength: 3 }),
					contentType: hostileContentType,
					beforeBody: fc.boolean(),
					noise: fc.string({ minLength: 1, maxLength: 130 }),
				}),
				async ({ event, verb, shape, length, limitChoice, pick, casePattern, ops, contentType, beforeBody, noise }) => {
					let start = startingRequest(f, event, shape, true);
					if (shape.kind !== 'deep' && !beforeBody) start = breakCredential(f, start, pick, noise);
					const bytes = bodyBytes(start.rawBody, shape);
					const maxBodyBytes = limitFor(limitChoice, bytes.length, pick);
					const { headers, query } = reshape(f, start, casePattern, ops, contentType, false);
					if (beforeBody) breakPreBody(f, headers, query, pick, noise);
					const lengthHeader = declaredText(length, bytes.length, maxBodyBytes);
					if (lengthHeader !== undefined) headers[flipCase('content-length', casePattern >> 5)] = lengthHeader;
					const declaredValue = headerValue(headers, 'content-length');
					const out = await deliver(f, { method: verb, headers, query, body: bytes, declared: declaredValue }, maxBodyBytes);
					const { status } = out.answers[0];

					if (out.emitted.length > 0 || status === 200) throw new Error(`a delivery with a wrong credential got ${status} and emitted ${out.emitted.length} event(s)`);
					const post = verb.toUpperCase() === 'POST';
					const overLimit = maxBodyBytes > 0 && Number(declaredValue ?? 0) > maxBodyBytes;
					if (beforeBody && post && !overLimit && (status !== 401 || out.bodyReads !== 0)) {
						throw new Error(`a wrong pre-body credential got ${status}, body read ${out.bodyReads} time(s)`);
					}
				},
			),
			runs,
		);
	}, TIMEOUT_MS);
});
