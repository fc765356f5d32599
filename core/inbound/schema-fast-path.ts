import type { z } from 'zod/v4';

/**
 * A precompiled yes/no check for the subset of zod schemas our vendors' delivery shapes use. When
 * it says yes, zod would accept the value and return an equal one (for these schema kinds zod only
 * copies), so the value can be used as it is and zod's per-field allocation is skipped. When it
 * says no, the caller runs zod, which gives the answer and the error message: the check may be
 * stricter than zod, never looser. A schema with anything it does not know (a transform, a
 * refinement, a format check, a default) compiles to nothing, and that schema always goes to zod.
 *
 * Strip objects (`z.object` without passthrough) accept only values without unknown keys, because
 * zod's answer for those would drop the keys.
 */
export type Acceptor = (value: unknown) => boolean;

interface Def {
	type: string;
	checks?: Array<{ _zod: { def: { check: string; minimum?: number; maximum?: number } } }>;
	shape?: Record<string, Schema>;
	catchall?: Schema;
	innerType?: Schema;
	options?: Schema[];
	element?: Schema;
	keyType?: Schema;
	valueType?: Schema;
	values?: unknown[];
	entries?: Record<string, unknown>;
}
interface Schema {
	_zod: { def: Def };
}

const compiled = new WeakMap<object, Acceptor | null>();

/** The acceptor for `schema`, compiled once; undefined when the schema uses a kind this file does not know. */
export function fastAcceptor(schema: z.ZodType): Acceptor | undefined {
	let acceptor = compiled.get(schema);
	if (acceptor === undefined) {
		acceptor = compile(schema as unknown as Schema) ?? null;
		compiled.set(schema, acceptor);
	}
	return acceptor ?? undefined;
}

function isRecordObject(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	if (!isRecordObject(value)) return false;
	const prototype = Object.getPrototypeOf(value);
	return prototype === Object.prototype || prototype === null;
}

const always: Acceptor = () => true;
const isString: Acceptor = (value) => typeof value === 'string';

function compile(schema: Schema): Acceptor | undefined {
	const def = schema?._zod?.def;
	if (!def) return undefined;
	switch (def.type) {
		case 'string':
			return compileString(def);
		case 'number':
			return def.checks?.length ? undefined : (value) => typeof value === 'number' && Number.isFinite(value);
		case 'boolean':
			return def.checks?.length ? undefined : (value) => typeof value === 'boolean';
		case 'unknown':
		case 'any':
			return always;
		case 'null':
			return (value) => value === null;
		case 'literal':
		case 'enum': {
			if (def.checks?.length) return undefined;
			const allowed = new Set(def.type === 'literal' ? def.values : Object.values(def.entries ?? {}));
			return (value) => allowed.has(value);
		}
		case 'optional':
		case 'nullable':
			return compileWrapper(def);
		case 'union':
			return compileUnion(def);
		case 'array':
			return compileArray(def);
		case 'record':
			return compileRecord(def);
		case 'object':
			return compileObject(def);
		default:
			return undefined;
	}
}

function compileString(def: Def): Acceptor | undefined {
	let minimum = 0;
	let maximum = Infinity;
	for (const check of def.checks ?? []) {
		const { check: kind, minimum: min, maximum: max } = check._zod.def;
		if (kind === 'min_length' && typeof min === 'number') minimum = Math.max(minimum, min);
		else if (kind === 'max_length' && typeof max === 'number') maximum = Math.min(maximum, max);
		else return undefined;
	}
	if (minimum === 0 && maximum === Infinity) return isString;
	return (value) => typeof value === 'string' && value.length >= minimum && value.length <= maximum;
}

/** `optional`, `nullable`, and `nullish` (one inside the other) as one check, not a chain of them. */
function compileWrapper(def: Def): Acceptor | undefined {
	let allowsUndefined = false;
	let allowsNull = false;
	let current: Def | undefined = def;
	while (current && (current.type === 'optional' || current.type === 'nullable')) {
		if (current.checks?.length || !current.innerType) return undefined;
		if (current.type === 'optional') allowsUndefined = true;
		else allowsNull = true;
		current = current.innerType._zod?.def;
	}
	if (!current) return undefined;
	const inner = compile({ _zod: { def: current } });
	if (!inner) return undefined;
	// the commonest field of all (`z.string().nullish()`) in one step, not two calls
	if (allowsUndefined && allowsNull && inner === isString) return (value) => value === undefined || value === null || typeof value === 'string';
	if (allowsUndefined && allowsNull) return (value) => value === undefined || value === null || inner(value);
	return allowsUndefined ? (value) => value === undefined || inner(value) : (value) => value === null || inner(value);
}

/** zod returns the first member's answer; every member here answers with the value itself, so any member will do. */
function compileUnion(def: Def): Acceptor | undefined {
	if (def.checks?.length || !def.options?.length) return undefined;
	const members: Acceptor[] = [];
	for (const option of def.options) {
		const member = compile(option);
		if (!member) return undefined;
		members.push(member);
	}
	return (value) => {
		for (const member of members) if (member(value)) return true;
		return false;
	};
}

function compileArray(def: Def): Acceptor | undefined {
	if (def.checks?.length || !def.element) return undefined;
	const element = compile(def.element);
	if (!element) return undefined;
	return (value) => {
		if (!Array.isArray(value)) return false;
		for (const item of value) if (!element(item)) return false;
		return true;
	};
}

/** Only `z.record(z.string(), …)`: zod checks every own key, so a symbol key (never in JSON) is a no. */
function compileRecord(def: Def): Acceptor | undefined {
	if (def.checks?.length || !def.keyType || !def.valueType) return undefined;
	const key = def.keyType._zod.def;
	if (key.type !== 'string' || key.checks?.length) return undefined;
	const valueAcceptor = compile(def.valueType);
	if (!valueAcceptor) return undefined;
	return (value) => {
		if (!isPlainObject(value) || Object.getOwnPropertySymbols(value).length > 0) return false;
		if (valueAcceptor === always) return true;
		for (const item of Object.values(value)) if (!valueAcceptor(item)) return false;
		return true;
	};
}

function compileObject(def: Def): Acceptor | undefined {
	if (def.checks?.length || !def.shape) return undefined;
	const keys = Object.keys(def.shape);
	const fields: Acceptor[] = [];
	for (const key of keys) {
		const field = compile(def.shape[key]);
		if (!field) return undefined;
		fields.push(field);
	}
	const known = new Set(keys);
	let rest: Acceptor | undefined;
	if (def.catchall) {
		rest = compile(def.catchall);
		if (!rest) return undefined;
	}
	return (value) => {
		if (!isRecordObject(value)) return false;
		for (let i = 0; i < keys.length; i++) if (!fields[i](value[keys[i]])) return false;
		if (rest === always) return true;
		for (const key in value) {
			if (known.has(key)) continue;
			if (!rest || !rest(value[key])) return false;
		}
		return true;
	};
}
