import fc from 'fast-check';
import type { InboundRequest } from '../../core/vendors/definition';
import type { VendorFixture } from './vendor-fixtures';

/**
 * What the fuzz suites do to a delivery: byte mutations, ways to break its credential, and a tally of
 * the outcomes per vendor printed when LEGALHOOKS_FUZZ_RUNS is set.
 */

/** Counts outcomes per vendor; `print` writes them after the file when LEGALHOOKS_FUZZ_RUNS is set. */
export class FuzzTally {
	private readonly table = new Map<string, Map<string, number>>();

	count(name: string, outcome: string): void {
		const row = this.table.get(name) ?? new Map<string, number>();
		row.set(outcome, (row.get(outcome) ?? 0) + 1);
		this.table.set(name, row);
	}

	/** Registers an afterAll that prints the tally under `title` when LEGALHOOKS_FUZZ_RUNS is set. */
	printAfterAll(title: string): void {
		afterAll(() => {
			if (!process.env.LEGALHOOKS_FUZZ_RUNS) return;
			const lines = [...this.table].map(([name, row]) => {
				const total = [...row.values()].reduce((a, b) => a + b, 0);
				return `${name}: ${total} deliveries; ${[...row].sort().map(([outcome, n]) => `${outcome} ${n}`).join(', ')}`;
			});
			process.stdout.write(`\n${title}\n${lines.join('\n')}\n`);
		});
	}
}

export type Mutation =
	| { kind: 'flip'; at: number; bit: number }
	| { kind: 'insert'; at: number; bytes: Uint8Array }
	| { kind: 'delete'; at: number; length: number }
	| { kind: 'truncate'; at: number }
	| { kind: 'splice'; at: number; text: string };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
	fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
	fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
	fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }),
	fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
	fc.record({
		kind: fc.constant('splice' as const),
		at: fc.nat(),
		text: fc.constantFrom('"__proto__":{},', '{"constructor":{"prototype":{}}}', '[[[[[[', '\\u0000', '%ZZ', '&data=[]', '&json_signed={}', '\u2028', '\ud800'),
	}),
);

export function mutate(body: Buffer, mutations: Mutation[]): Buffer {
	let bytes = Buffer.from(body);
	for (const m of mutations) {
		const at = bytes.length === 0 ? 0 : m.at % (bytes.length + 1);
		if (m.kind === 'flip' && bytes.length > 0) {
			const index = at % bytes.length;
			bytes[index] ^= 1 << m.bit;
		} else if (m.kind === 'insert') bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(m.bytes), bytes.subarray(at)]);
		else if (m.kind === 'delete') bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + m.length)]);
		else if (m.kind === 'truncate') bytes = bytes.subarray(0, at);
		else if (m.kind === 'splice') bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(m.text), bytes.subarray(at)]);
	}
	return bytes;
}

/** The names the credential travels under (header or query), lower-cased. */
export const credentialNames = (f: VendorFixture) => {
	const names = [f.credential.name.toLowerCase()];
	if (f.name === 'phenixid') names.push('key');
	if (f.name.startsWith('legalesign')) names.push('token');
	return names;
};

/** Ways to break the credential of a valid delivery; each must be refused with 401. */
export function breakCredential(f: VendorFixture, request: InboundRequest, how: number, noise: string): InboundRequest {
	const copy: InboundRequest = { ...request, headers: { ...request.headers }, query: { ...request.query } };
	const { kind, name } = f.credential;
	const place = kind === 'header' ? copy.headers : copy.query;
	const valid = place[name];
	const variants: Array<() => void> = [
		() => delete place[name],
		() => (place[name] = noise),
		() => (place[name] = [noise, String(valid)]),
		() => (place[name] = ''),
		() => (place[name] = `${String(valid)}0`),
		() => (place[name] = String(valid).slice(0, -1)),
	];
	if (f.name === 'phenixid') variants.push(() => delete copy.query.key, () => (copy.query.key = noise));
	if (f.name === 'legalesign') variants.push(() => (copy.query.token = noise));
	if (f.name === 'legalesign' && copy.headers[name] === undefined) {
		// A batch carries its signature in the form field `signed`; replace it with noise.
		variants.length = 0;
		variants.push(() => {
			const fields = new URLSearchParams(copy.rawBody.toString());
			fields.set('signed', Buffer.from(noise).toString('base64'));
			copy.rawBody = Buffer.from(fields.toString());
		});
		variants.push(() => (copy.query.token = noise));
	}
	variants[how % variants.length]();
	return copy;
}

/** `text` with each letter upper- or lower-cased by the bits of `pattern`. */
export function flipCase(text: string, pattern: number): string {
	return [...text].map((ch, i) => ((pattern >> i % 16) & 1 ? ch.toUpperCase() : ch.toLowerCase())).join('');
}

/** Values JSON can carry that are not strings; the first ones break a naive `length >= n`. */
export const WRONG_TYPED: unknown[] = [
	{ length: { toString: 'x' } },
	{ length: { valueOf: 'x', toString: 'x' } },
	{ length: [{ toString: 'x' }] },
	{ length: 1 },
	{ length: -1 },
	{},
	{ toString: 'x', valueOf: 'x' },
	[{ toString: 'x' }],
	[],
	['a'],
	[[]],
	0,
	-1,
	3.5,
	1e308,
	true,
	null,
];
