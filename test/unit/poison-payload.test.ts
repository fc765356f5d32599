import { z } from 'zod/v4';
import { parseJson } from '../../core/inbound/parse';
import { fastAcceptor } from '../../core/inbound/schema-fast-path';
import { nonEmptyString } from '../../core/vendors/string-schema';

/** Issue 20: a string field holding an object whose `length` cannot become a number. */
const POISON = '{"name":{"length":{"toString":"x"}}}';

describe('a string field holding an object with a hostile length', () => {
	it('nonEmptyString checks the type first: an issue, not a throw; the fast path still compiles it', () => {
		const schema = z.object({ name: nonEmptyString(10) });
		const parsed = schema.safeParse(JSON.parse(POISON));
		expect(parsed.success).toBe(false);
		expect(parsed.error?.issues).toEqual([expect.objectContaining({ code: 'invalid_type', path: ['name'] })]);
		expect(schema.safeParse({ name: '' }).success).toBe(false);
		expect(schema.safeParse({ name: 'x'.repeat(11) }).success).toBe(false);
		expect(schema.safeParse({ name: 'x' }).success).toBe(true);
		const accept = fastAcceptor(schema);
		expect(accept).toBeDefined();
		expect(accept!({ name: 'x' })).toBe(true);
		expect(accept!(JSON.parse(POISON))).toBe(false);
	});

	it('validation of a schema zod throws on (a plain .min()) answers 400 "unexpected payload shape", never throws', () => {
		const plain = z.object({ name: z.string().min(1) });
		expect(() => plain.safeParse(JSON.parse(POISON))).toThrow(/Cannot convert object to primitive value/);
		expect(parseJson(POISON, plain)).toEqual({ ok: false, status: 400, reason: expect.stringMatching(/^unexpected payload shape/) });
	});
});
