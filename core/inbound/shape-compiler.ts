import { findUnsafeJson, isForbiddenKey, MAX_JSON_DEPTH } from './safe-json';

/**
 * Compiles zod's JSON Schemas of one schema (for input and for output) into closures that answer
 * NO or what zod would return (see json-shape.ts). Whatever they accept is also safe as safe-json.ts
 * means it: no forbidden key and no nesting deeper than MAX_JSON_DEPTH anywhere in the value, the
 * parts the schema leaves open (`z.unknown()`, a passthrough object's other keys, a record) walked
 * as safe-json walks them. Any JSON Schema keyword or form not handled here compiles to undefined.
 */

export const NO: unique symbol = Symbol('no shape match');
export type ShapeCheck = (value: unknown) => unknown;
export type JsonSchema = Record<string, unknown>;

type Test = (value: unknown) => boolean;

/**
 * A compiled node. `check` gives NO or the output. `test`, when present, says the output is the
 * value itself. `kinds`, when present, says the test is only "the value's kind is one of these".
 */
interface Node {
	check: ShapeCheck;
	test?: Test;
	kinds?: number;
}

const UNDEFINED = 1;
const NULL = 2;
const BOOLEAN = 4;
const NUMBER = 8;
const STRING = 16;

/** The kind of a scalar as a bit (a finite number only: zod refuses NaN and the infinities); 0 for objects and the rest. */
function kindOf(value: unknown): number {
	switch (typeof value) {
		case 'string':
			return STRING;
		case 'number':
			return Number.isFinite(value) ? NUMBER : 0;
		case 'boolean':
			return BOOLEAN;
		case 'undefined':
			return UNDEFINED;
		case 'object':
			return value === null ? NULL : 0;
		default:
			return 0;
	}
}

export function isJsonSchema(value: unknown): value is JsonSchema {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** What JSON.parse makes for `{…}`: a non-array object with the ordinary prototype. */
function isJsonObject(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;
}

function keeping(test: Test): Node {
	return { test, check: (value) => (test(value) ? value : NO) };
}

function ofKinds(kinds: number): Node {
	return { ...keeping((value) => (kindOf(value) & kinds) !== 0), kinds };
}

/** Any value, safe at nesting level `depth` (where an object or array in this place would sit). */
function open(depth: number): Node {
	return keeping((value) => value === null || typeof value !== 'object' || findUnsafeJson(value, depth) === undefined);
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
const SUBSCHEMA_KEYS = new Set(['additionalProperties', 'properties', 'anyOf', 'items']);

/** `depth`: the nesting level an object or array in this place has (1 for the body). */
export function compile(input: JsonSchema, output: JsonSchema, depth: number): Node | undefined {
	if (depth > MAX_JSON_DEPTH) return undefined;
	const keys = new Set([...Object.keys(input), ...Object.keys(output)]);
	for (const key of keys) {
		if (!KNOWN_KEYS.has(key)) return undefined;
		// subschemas are compared as they compile; objects may differ in additionalProperties only
		if (!SUBSCHEMA_KEYS.has(key) && JSON.stringify(input[key]) !== JSON.stringify(output[key])) return undefined;
	}
	if (keys.size === 0) return open(depth);
	if (keys.has('anyOf')) return keys.size === 1 ? compileUnion(input.anyOf, output.anyOf, depth) : undefined;
	// zod 4.1+ writes a union of plain scalar types as one list of types
	if (Array.isArray(input.type)) return keys.size === 1 ? compileTypeList(input.type) : undefined;
	switch (input.type) {
		case 'string':
			return compileString(input, keys);
		case 'number':
			return compileScalar(input, keys, NUMBER);
		case 'boolean':
			return compileScalar(input, keys, BOOLEAN);
		case 'null':
			return compileScalar(input, keys, NULL);
		case 'array':
			return only(keys, ['type', 'items']) && isJsonSchema(input.items) && isJsonSchema(output.items)
				? compileArray(input.items, output.items, depth)
				: undefined;
		case 'object':
			return keys.has('propertyNames') ? compileRecord(input, output, keys, depth) : compileObject(input, output, keys, depth);
		default:
			return undefined;
	}
}

const SCALAR_KINDS: Record<string, number> = { string: STRING, number: NUMBER, boolean: BOOLEAN, null: NULL };

function compileTypeList(types: unknown[]): Node | undefined {
	let kinds = 0;
	for (const type of types) {
		if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(SCALAR_KINDS, type)) return undefined;
		kinds |= SCALAR_KINDS[type];
	}
	return kinds === 0 ? undefined : ofKinds(kinds);
}

function only(keys: Set<string>, allowed: string[]): boolean {
	for (const key of keys) if (!allowed.includes(key)) return false;
	return true;
}

/** The allowed values of `const`/`enum` (zod compares with a Set); undefined when neither is given, null when they are not plain scalars. */
function literals(schema: JsonSchema): Set<unknown> | undefined | null {
	if (schema.const !== undefined && schema.enum !== undefined) return null;
	const values = schema.const !== undefined ? [schema.const] : schema.enum;
	if (values === undefined) return undefined;
	if (!Array.isArray(values) || values.some((value) => value !== null && typeof value === 'object')) return null;
	return new Set(values);
}

function compileScalar(schema: JsonSchema, keys: Set<string>, kind: number): Node | undefined {
	if (!only(keys, ['type', 'enum', 'const'])) return undefined;
	const values = literals(schema);
	if (values === null) return undefined;
	return values ? keeping((value) => kindOf(value) === kind && values.has(value)) : ofKinds(kind);
}

function compileString(schema: JsonSchema, keys: Set<string>): Node | undefined {
	if (!only(keys, ['type', 'minLength', 'maxLength', 'enum', 'const'])) return undefined;
	const values = literals(schema);
	const min = schema.minLength ?? 0;
	const max = schema.maxLength ?? Infinity;
	if (values === null || typeof min !== 'number' || typeof max !== 'number') return undefined;
	// zod counts lengths in UTF-16 code units (`.length`), as these do
	if (values) return keeping((value) => typeof value === 'string' && values.has(value) && value.length >= min && value.length <= max);
	if (min === 0 && max === Infinity) return ofKinds(STRING);
	return keeping((value) => typeof value === 'string' && value.length >= min && value.length <= max);
}

/** zod answers with the first member that accepts. */
function compileUnion(input: unknown, output: unknown, depth: number): Node | undefined {
	if (!Array.isArray(input) || !Array.isArray(output) || input.length === 0 || input.length !== output.length) return undefined;
	const members: Node[] = [];
	for (let i = 0; i < input.length; i++) {
		const member = isJsonSchema(input[i]) && isJsonSchema(output[i]) ? compile(input[i], output[i], depth) : undefined;
		if (!member) return undefined;
		members.push(member);
	}
	if (members.every((member) => member.kinds !== undefined)) return ofKinds(members.reduce((kinds, member) => kinds | (member.kinds as number), 0));
	if (members.every((member) => member.test !== undefined)) {
		const tests = members.map((member) => member.test as Test);
		return keeping((value) => {
			for (const test of tests) if (test(value)) return true;
			return false;
		});
	}
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

function compileArray(input: JsonSchema, output: JsonSchema, depth: number): Node | undefined {
	const element = compile(input, output, depth + 1);
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
function compileRecord(input: JsonSchema, output: JsonSchema, keys: Set<string>, depth: number): Node | undefined {
	if (!only(keys, ['type', 'propertyNames', 'additionalProperties'])) return undefined;
	if (JSON.stringify(input.propertyNames) !== '{"type":"string"}') return undefined;
	if (!isJsonSchema(input.additionalProperties) || !isJsonSchema(output.additionalProperties)) return undefined;
	const item = compile(input.additionalProperties, output.additionalProperties, depth + 1);
	const test = item?.test;
	if (!test) return undefined;
	return keeping((value) => {
		if (!isJsonObject(value) || Object.getOwnPropertySymbols(value).length > 0) return false;
		for (const key in value) if (isForbiddenKey(key) || !test(value[key])) return false;
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

interface Field {
	name: string;
	node: Node;
	/** The kinds an absent (undefined) or present value may have when the node is kinds only; 0 otherwise. */
	kinds: number;
	test: Test | undefined;
}

function compileObject(input: JsonSchema, output: JsonSchema, keys: Set<string>, depth: number): Node | undefined {
	if (!only(keys, ['type', 'properties', 'required', 'additionalProperties'])) return undefined;
	const mode = objectMode(input.additionalProperties, output.additionalProperties);
	const inputShape = input.properties ?? {};
	const outputShape = output.properties ?? {};
	const required = input.required ?? [];
	if (!mode || !isJsonSchema(inputShape) || !isJsonSchema(outputShape) || !Array.isArray(required)) return undefined;
	const names = Object.keys(inputShape);
	if (JSON.stringify(names) !== JSON.stringify(Object.keys(outputShape))) return undefined;
	// a name every object inherits would read as present on every object
	if (names.some((name) => name in Object.prototype || isForbiddenKey(name))) return undefined;
	const fields: Field[] = [];
	for (const name of names) {
		const [fieldIn, fieldOut] = [inputShape[name], outputShape[name]];
		let node = isJsonSchema(fieldIn) && isJsonSchema(fieldOut) ? compile(fieldIn, fieldOut, depth + 1) : undefined;
		if (!node) return undefined;
		if (!required.includes(name)) node = optional(node);
		else if (node.check(undefined) !== NO) node = present(node); // zod's answer would hold the key, set to undefined
		fields.push({ name, node, kinds: node.kinds ?? 0, test: node.test });
	}
	if (mode === 'passthrough' && fields.every((field) => field.test)) return keeping(keepingObjectTest(fields, depth));
	return { check: objectCheck(fields, mode, depth) };
}

/** A required key that the field's shape would accept absent: left to zod when absent. */
function present(node: Node): Node {
	const { test, check } = node;
	if (test) return keeping((value) => value !== undefined && test(value));
	return { check: (value) => (value === undefined ? NO : check(value)) };
}

/** An optional key: absent (undefined) or the field's shape. */
function optional(node: Node): Node {
	const { test, check, kinds } = node;
	if (kinds !== undefined) return ofKinds(kinds | UNDEFINED);
	if (test) return keeping((value) => value === undefined || test(value));
	return { check: (value) => (value === undefined ? value : check(value)) };
}

/** Each field's test, the field read once; counts the fields present. -1 when one fails. */
function fieldsPresent(fields: Field[], value: Record<string, unknown>): number {
	let present = 0;
	for (let i = 0; i < fields.length; i++) {
		const field = fields[i];
		const item = value[field.name];
		if (item !== undefined) present++;
		if (field.kinds !== 0 ? (kindOf(item) & field.kinds) === 0 : !(field.test as Test)(item)) return -1;
	}
	return present;
}

/** The keys of `value` outside the shape (called when it has more own keys than present fields): none forbidden, their values safe. */
function othersSafe(value: Record<string, unknown>, keys: string[], fields: Field[], depth: number): boolean {
	for (const key of keys) {
		if (fields.some((field) => field.name === key)) continue;
		if (isForbiddenKey(key)) return false;
		const item = value[key];
		if (item !== null && typeof item === 'object' && findUnsafeJson(item, depth + 1) !== undefined) return false;
	}
	return true;
}

function keepingObjectTest(fields: Field[], depth: number): Test {
	return (value) => {
		if (!isJsonObject(value)) return false;
		const present = fieldsPresent(fields, value);
		if (present < 0) return false;
		const keys = Object.keys(value);
		return keys.length === present || othersSafe(value, keys, fields, depth);
	};
}

/**
 * The general object: the value itself when no field changes and no key is dropped; otherwise the
 * object zod builds (the shape's keys in its order, present ones only, then a passthrough object's others).
 */
function objectCheck(fields: Field[], mode: ObjectMode, depth: number): ShapeCheck {
	const allKeep = fields.every((field) => field.test);
	return (value) => {
		if (!isJsonObject(value)) return NO;
		let changed = false;
		let present: number;
		if (allKeep) present = fieldsPresent(fields, value);
		else {
			present = 0;
			for (const field of fields) {
				const item = value[field.name];
				const result = field.node.check(item);
				if (result === NO) return NO;
				if (result !== item) changed = true;
				if (item !== undefined) present++;
			}
		}
		if (present < 0) return NO;
		const keys = Object.keys(value);
		if (keys.length !== present && !othersSafe(value, keys, fields, depth)) return NO;
		const hasOthers = mode !== 'passthrough' && keys.length !== present;
		if (hasOthers && mode === 'strict') return NO;
		if (!changed && !hasOthers) return value;
		const copy: Record<string, unknown> = {};
		for (const field of fields) {
			const item = value[field.name];
			if (item !== undefined || Object.prototype.hasOwnProperty.call(value, field.name)) copy[field.name] = field.node.check(item);
		}
		if (mode === 'passthrough') for (const key of keys) if (!fields.some((field) => field.name === key)) copy[key] = value[key];
		return copy;
	};
}
