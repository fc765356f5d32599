import { z } from 'zod/v4';
import { compile, isJsonSchema, type ShapeCheck } from './shape-compiler';

export { NO, type ShapeCheck } from './shape-compiler';

/**
 * A shape check compiled once per schema from zod's public JSON Schema of it (`z.toJSONSchema`, for
 * input and for output), so that a body zod would accept costs a few type tests instead of zod's
 * walk. It answers NO or the value zod would return: unknown keys dropped where the object is not
 * passthrough, every other value as it came (zod's copies of those are equal to it). It never says
 * yes where zod says no: on NO, or for a schema whose JSON Schema holds anything it does not know,
 * the caller runs zod, whose issues are the 400's reason. What it accepts is also safe as
 * safe-json.ts means it (no forbidden key, no deeper nesting), so a body it accepts needs no pre-scan.
 *
 * What JSON Schema cannot show — a refinement (`.refine`, `.check`), an overwrite (`.trim()`) — the
 * check cannot see either, so only schemas declared with `plainShape` are compiled: the declaration
 * says there is none, and test/unit/json-shape.test.ts holds every declared schema to zod's answers.
 * Input and output JSON Schemas differ wherever zod changes a value (a default, a transform, a pipe);
 * the only difference compiled is a strip object's. Values are what JSON.parse or the form parser
 * make; an object with another prototype is a NO. Closures only: no `new Function` (n8n's rules).
 */

/** The part of zod's API the compiler uses: pass another copy of zod to compile with it. */
export interface ZodJsonSchemaApi {
	toJSONSchema: (schema: never, params: { io: 'input' | 'output' }) => unknown;
	core: { version: { major: number } };
}

/** zod/v4 reports major 4 from zod 3.25.x and from zod 4.x alike: the versions the hosts ship. */
const SUPPORTED_MAJOR = 4;

const declared = new WeakSet<object>();
const compiled = new WeakMap<object, ShapeCheck | null>();

/** Declares a schema plain shape (types, lengths, literals, objects, arrays, records, unions; no refinement or overwrite). */
export function plainShape<T extends z.ZodType>(schema: T): T {
	declared.add(schema);
	return schema;
}

/** The compiled check of a schema declared plain shape, compiled on first use; undefined for any other schema. */
export function shapeCheckFor(schema: z.ZodType): ShapeCheck | undefined {
	if (!declared.has(schema)) return undefined;
	let check = compiled.get(schema);
	if (check === undefined) {
		check = compileShapeCheck(schema, z) ?? null;
		compiled.set(schema, check);
	}
	return check ?? undefined;
}

/** The check for `schema` by `zod`'s JSON Schema of it; undefined when the version or the schema is not one it knows. */
export function compileShapeCheck(schema: z.ZodType, zod: ZodJsonSchemaApi): ShapeCheck | undefined {
	if (zod?.core?.version?.major !== SUPPORTED_MAJOR || typeof zod.toJSONSchema !== 'function') return undefined;
	let input: unknown;
	let output: unknown;
	try {
		input = zod.toJSONSchema(schema as never, { io: 'input' });
		output = zod.toJSONSchema(schema as never, { io: 'output' });
	} catch {
		return undefined; // a transform, a date, a custom type: nothing JSON Schema can hold
	}
	if (!isJsonSchema(input) || !isJsonSchema(output)) return undefined;
	return compile(withoutDialect(input), withoutDialect(output), 1)?.check;
}

/** The root without its `$schema` (the JSON Schema dialect), which says nothing about values. */
function withoutDialect(schema: Record<string, unknown>): Record<string, unknown> {
	const root = { ...schema };
	delete root.$schema;
	return root;
}
