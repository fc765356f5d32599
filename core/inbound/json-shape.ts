import { z } from 'zod/v4';

/**
 * A shape check compiled once per schema from zod's public JSON Schema of it (`z.toJSONSchema`, for
 * input and for output), so that a body zod would accept costs a few type tests instead of zod's
 * walk. It answers NO or the value zod would return: unknown keys dropped where the object is not
 * passthrough, every other value as it came (zod's copies of those are equal to it). It never says
 * yes where zod says no: on NO, or for a schema whose JSON Schema holds anything it does not know,
 * the caller runs zod, whose issues are the 400's reason.
 *
 * What JSON Schema cannot show — a refinement (`.refine`, `.check`), an overwrite (`.trim()`) — the
 * check cannot see either, so only schemas declared with `plainShape` are compiled: the declaration
 * says there is none, and test/unit/json-shape.test.ts holds every declared schema to zod's answers.
 * Input and output JSON Schemas differ wherever zod changes a value (a default, a transform, a pipe);
 * the only difference compiled is a strip object's. Values are what JSON.parse or the form parser
 * make; an object with another prototype is a NO. Closures only: no `new Function` (n8n's rules).
 */

export const NO: unique symbol = Symbol('no shape match');
export type ShapeCheck = (value: unknown) => unknown;

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
	const { $schema: _inputDialect, ...inputRoot } = input;
	const { $schema: _outputDialect, ...outputRoot } = output;
	return compile(inputRoot, outputRoot)?.check;
}

type JsonSchema = Record<string, unknown>;

/** A compiled node: `check` gives NO or the output; `test`, when present, says the output is the value itself. */
interface Node {
	check: ShapeCheck;
	test?: (value: unknown) => boolean;
}

function isJsonSchema(value: unknown): value is JsonSchema {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** What JSON.parse makes for `{…}`: a non-array object with the ordinary prototype. */
function isJsonObject(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;
}

const KNOWN_KEYS = new Set([
	'type',
	'minLength',
	'maxLength',
	'enum',
	'const',
	'anyOf',
	'properties',
	'required',
	'additionalProperties',
	'propertyNames',
	'items',
]);

function keeping(test: (value: unknown) => boolean): Node {
	return { test, check: (value) => (test(value) ? value : NO) };
}

const ANY = keeping(() => true);

function compile(input: JsonSchema, output: JsonSchema): Node | undefined {
	const keys = new Set([...Object.keys(input), ...Object.keys(output)]);
	for (const key of keys) {
		if (!KNOWN_KEYS.has(key)) return undefined;
		// objects may differ in additionalProperties only, subschemas are compared as they compile
		if (key === 'additionalProperties' || key === 'properties' || key === 'anyOf' || key === 'items') continue;
		if (JSON.stringify(input[key]) !== JSON.stringify(output[key])) return undefined;
	}
	if (keys.size === 0) return ANY;
	if (keys.has('anyOf')) return keys.size === 1 ? compileUnion(input.anyOf, output.anyOf) : undefined;
	switch (input.type) {
		case 'string':
			return compileString(input, keys);
		case 'number':
			return compileScalar(input, keys, (value) => typeof value === 'number' && Number.isFinite(value));
		case 'boolean':
			return compileScalar(input, keys, (value) => typeof value === 'boolean');
		case 'null':
			return compileScalar(input, keys, (value) => value === null);
		case 'array':
			return only(keys, ['type', 'items']) && isJsonSchema(input.items) && isJsonSchema(output.items) ? compileArray(input.items, output.items) : undefined;
		case 'object':
			if (keys.has('propertyNames')) return compileRecord(input, output, keys);
			return compileObject(input, output, keys);
		default:
			return undefined;
	}
}

function only(keys: Set<string>, allowed: string[]): boolean {
	for (const key of keys) if (!allowed.includes(key)) return false;
	return true;
}

/** Literals and enums (zod compares with a Set), else the type alone. */
function compileScalar(schema: JsonSchema, keys: Set<string>, isType: (value: unknown) => boolean): Node | undefined {
	if (!only(keys, ['type', 'enum', 'const'])) return undefined;
	const values = literals(schema);
	if (values === null) return undefined;
	return values ? keeping((value) => isType(value) && values.has(value)) : keeping(isType);
}

/** The allowed values of `const`/`enum`; undefined when neither is given, null when they are not plain scalars. */
function literals(schema: JsonSchema): Set<unknown> | undefined | null {
	if (schema.const !== undefined && schema.enum !== undefined) return null;
	const values = schema.const !== undefined ? [schema.const] : schema.enum;
	if (values === undefined) return undefined;
	if (!Array.isArray(values) || values.some((value) => value !== null && typeof value === 'object')) return null;
	return new Set(values);
}

const isString = (value: unknown) => typeof value === 'string';

function compileString(schema: JsonSchema, keys: Set<string>): Node | undefined {
	if (!only(keys, ['type', 'minLength', 'maxLength', 'enum', 'const'])) return undefined;
	const values = literals(schema);
	if (values === null) return undefined;
	const min = schema.minLength ?? 0;
	const max = schema.maxLength ?? Infinity;
	if (typeof min !== 'number' || typeof max !== 'number') return undefined;
	// zod counts lengths in UTF-16 code units (`.length`), as these do
	if (values) return keeping((value) => typeof value === 'string' && values.has(value) && value.length >= min && value.length <= max);
	if (min === 0 && max === Infinity) return keeping(isString);
	return keeping((value) => typeof value === 'string' && value.length >= min && value.length <= max);
}

/** zod answers with the first member that accepts. */
function compileUnion(input: unknown, output: unknown): Node | undefined {
	if (!Array.isArray(input) || !Array.isArray(output) || input.length === 0 || input.length !== output.length) return undefined;
	const members: Node[] = [];
	for (let i = 0; i < input.length; i++) {
		if (!isJsonSchema(input[i]) || !isJsonSchema(output[i])) return undefined;
		const member = compile(input[i], output[i]);
		if (!member) return undefined;
		members.push(member);
	}
	const tests = members.map((member) => member.test);
	if (tests.every((test) => test !== undefined)) return keeping(unionTest(tests as Array<(value: unknown) => boolean>));
	return {
		check: (value) => {
			for (const member of members) {
				const result = member.check(value);
				if (result !== NO) return result;
			}
			return NO;
		},
	};
}

function unionTest(tests: Array<(value: unknown) => boolean>): (value: unknown) => boolean {
	if (tests.length === 1) return tests[0];
	if (tests.length === 2) {
		const [first, second] = tests;
		return (value) => first(value) || second(value);
	}
	return (value) => {
		for (const test of tests) if (test(value)) return true;
		return false;
	};
}

function compileArray(input: JsonSchema, output: JsonSchema): Node | undefined {
	const element = compile(input, output);
	if (!element) return undefined;
	const test = element.test;
	if (test) {
		return keeping((value) => {
			if (!Array.isArray(value)) return false;
			for (let i = 0; i < value.length; i++) if (!test(value[i])) return false;
			return true;
		});
	}
	return {
		check: (value) => {
			if (!Array.isArray(value)) return NO;
			let copy: unknown[] | undefined;
			for (let i = 0; i < value.length; i++) {
				const result = element.check(value[i]);
				if (result === NO) return NO;
				if (result !== value[i]) copy ??= value.slice(0, i);
				copy?.push(result);
			}
			return copy ?? value;
		},
	};
}

/** `z.record(z.string(), …)` only: zod wants a plain object and checks every own key, so a symbol key is a NO. */
function compileRecord(input: JsonSchema, output: JsonSchema, keys: Set<string>): Node | undefined {
	if (!only(keys, ['type', 'propertyNames', 'additionalProperties'])) return undefined;
	if (JSON.stringify(input.propertyNames) !== '{"type":"string"}') return undefined;
	if (!isJsonSchema(input.additionalProperties) || !isJsonSchema(output.additionalProperties)) return undefined;
	const item = compile(input.additionalProperties, output.additionalProperties);
	if (!item?.test) return undefined;
	const test = item.test;
	return keeping((value) => {
		if (!isJsonObject(value) || Object.getOwnPropertySymbols(value).length > 0) return false;
		if (item === ANY) return true;
		for (const key in value) if (!test(value[key])) return false;
		return true;
	});
}

type ObjectMode = 'strip' | 'strict' | 'passthrough';

/** Strip (`z.object`): no additionalProperties for input, false for output; strict: false for both; passthrough: `{}` for both. */
function objectMode(input: unknown, output: unknown): ObjectMode | undefined {
	if (input === undefined && output === false) return 'strip';
	if (input === false && output === false) return 'strict';
	const isEmpty = (schema: unknown) => isJsonSchema(schema) && Object.keys(schema).length === 0;
	if (isEmpty(input) && isEmpty(output)) return 'passthrough';
	return undefined;
}

function compileObject(input: JsonSchema, output: JsonSchema, keys: Set<string>): Node | undefined {
	if (!only(keys, ['type', 'properties', 'required', 'additionalProperties'])) return undefined;
	const mode = objectMode(input.additionalProperties, output.additionalProperties);
	const inputShape = input.properties ?? {};
	const outputShape = output.properties ?? {};
	if (!mode || !isJsonSchema(inputShape) || !isJsonSchema(outputShape)) return undefined;
	const names = Object.keys(inputShape);
	if (JSON.stringify(names) !== JSON.stringify(Object.keys(outputShape))) return undefined;
	// a name an object inherits would read as present on every object
	if (names.some((name) => name in Object.prototype)) return undefined;
	const required = input.required ?? [];
	if (!Array.isArray(required)) return undefined;
	const fields: Node[] = [];
	for (const name of names) {
		const field = inputShape[name];
		const fieldOut = outputShape[name];
		if (!isJsonSchema(field) || !isJsonSchema(fieldOut)) return undefined;
		const node = compile(field, fieldOut);
		if (!node) return undefined;
		fields.push(required.includes(name) ? node : optional(node));
	}
	const tests = fields.map((field) => field.test);
	if (mode === 'passthrough' && tests.every((test) => test !== undefined)) return keeping(passthroughTest(names, tests as Array<(value: unknown) => boolean>));
	return { check: objectCheck(names, fields, mode) };
}

/** An optional key: absent (undefined) or the field's shape. */
function optional(node: Node): Node {
	const { test, check } = node;
	if (test) return keeping((value) => value === undefined || test(value));
	return { check: (value) => (value === undefined ? value : check(value)) };
}

function passthroughTest(names: string[], tests: Array<(value: unknown) => boolean>): (value: unknown) => boolean {
	const count = names.length;
	return (value) => {
		if (!isJsonObject(value)) return false;
		for (let i = 0; i < count; i++) if (!tests[i](value[names[i]])) return false;
		return true;
	};
}

/**
 * The general object: the value itself when no field changes and no key is dropped; otherwise the
 * object zod builds (the shape's keys in its order, present ones only, then a passthrough object's others).
 */
function objectCheck(names: string[], fields: Node[], mode: ObjectMode): ShapeCheck {
	const count = names.length;
	return (value) => {
		if (!isJsonObject(value)) return NO;
		let present = 0;
		let changed = false;
		for (let i = 0; i < count; i++) {
			const item = value[names[i]];
			const result = fields[i].check(item);
			if (result === NO) return NO;
			if (result !== item) changed = true;
			if (item !== undefined) present++;
		}
		const hasOthers = mode !== 'passthrough' && Object.keys(value).length !== present;
		if (hasOthers && mode === 'strict') return NO;
		if (!changed && !hasOthers) return value;
		const copy: Record<string, unknown> = {};
		for (let i = 0; i < count; i++) {
			const name = names[i];
			const item = value[name];
			if (item !== undefined || Object.prototype.hasOwnProperty.call(value, name)) copy[name] = fields[i].check(item);
		}
		if (mode === 'passthrough') for (const key of Object.keys(value)) if (!names.includes(key)) copy[key] = value[key];
		return copy;
	};
}
