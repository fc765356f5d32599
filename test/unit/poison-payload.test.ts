import { z } from 'zod/v4';
import { parseJson } from '../../core/inbound/parse';
import { nonEmptyString } from '../../core/vendors/string-schema';

/** Issue 20: a string field holding an object whose `length` cannot become a number. */
const POISON = '{"name":{"length":{"toString":"x"}}}';

describe('a string field holding an object with a hostile length', () => {
	it('nonEmptyString checks the type first: an issue, not a throw, and the body is answered 400', () => {
		const schema = z.object({ name: nonEmptyString(10) });
		const parsed = schema.safeParse(JSON.parse(POISON));
		expect(parsed.success).toBe(false);
		expect(parsed.error?.issues).toEqual([expect.objectContaining({ code: 'invalid_type', path: ['name'] })]);
		expect(schema.safeParse({ name: '' }).success).toBe(false);
		expect(schema.safeParse({ name: 'x'.repeat(11) }).success).toBe(false);
		expect(schema.safeParse({ name: 'x' }).success).toBe(true);
		expect(parseJson(POISON, schema)).toEqual({ ok: false, status: 400, reason: expect.stringMatching(/^unexpected payload shape: name/) });
	});

	it('validation of a schema zod throws on (a plain .min()) answers 400 "unexpected payload shape", never throws', () => {
		const plain = z.object({ name: z.string().min(1) });
		expect(() => plain.safeParse(JSON.parse(POISON))).toThrow(/Cannot convert object to primitive value/);
		expect(parseJson(POISON, plain)).toEqual({ ok: false, status: 400, reason: expect.stringMatching(/^unexpected payload shape/) });
	});
});
