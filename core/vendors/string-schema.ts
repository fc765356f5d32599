import { z } from 'zod/v4';

/**
 * zod runs a length check on any value that has a `length`, even one that already failed the type
 * check, and compares that length with `>=`: a signed body with `{"length":{"toString":"x"}}` in
 * such a field made `safeParse` throw "Cannot convert object to primitive value". These length
 * checks run on strings only, so a value of another type is an ordinary issue (a 400).
 */
const onStringsOnly = { when: (payload: { value: unknown }) => typeof payload.value === 'string' };

/** A string of at least one character, and at most `max` when given: the type is checked before the length. */
export function nonEmptyString(max?: number) {
	const schema = z.string().min(1, onStringsOnly);
	return max === undefined ? schema : schema.max(max, onStringsOnly);
}
