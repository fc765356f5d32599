/**
 * JSON and form bodies from the internet, parsed so that nothing in them can change a prototype,
 * reach an inherited member, or overflow a stack further down (zod, JSON.stringify, the engines).
 *
 * Decision: a body with a `__proto__`, `constructor` or `prototype` key anywhere is refused (400),
 * as well-kept JSON servers do, rather than parsed into null-prototype objects: no vendor documents
 * such a key, and a refusal cannot be undone by a later spread or copy. Nesting deeper than
 * MAX_JSON_DEPTH is refused the same way.
 */

export const MAX_JSON_DEPTH = 64;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function isForbiddenKey(key: string): boolean {
	return FORBIDDEN_KEYS.has(key);
}

export type SafeJsonResult = { ok: true; value: unknown } | { ok: false; reason: string };

/** Above this size the walk is the cheaper check: big bodies are mostly long strings (base64 files). */
const PRESCAN_MAX_LENGTH = 16 * 1024;

/**
 * Raw-text pre-scan, linear and native: without any forbidden word or `\u` escape (which could
 * spell one) no key can be forbidden, and with at most MAX_JSON_DEPTH brackets no value can nest
 * deeper. Only when either is possible is the parsed value walked.
 */
function needsWalk(text: string): boolean {
	if (text.length > PRESCAN_MAX_LENGTH) return true;
	if (text.includes('__proto__') || text.includes('constructor') || text.includes('prototype') || text.includes('\\u')) return true;
	let openers = 0;
	for (const bracket of ['{', '[']) {
		let at = text.indexOf(bracket);
		while (at !== -1) {
			if (++openers > MAX_JSON_DEPTH) return true;
			at = text.indexOf(bracket, at + 1);
		}
	}
	return false;
}

/**
 * Iterative walk (no recursion, so no stack to overflow): what is wrong with the first forbidden key
 * or too-deep value, phrased to follow the thing's name ("body has a ..."). `depth`: the value's own
 * nesting level when it sits inside a body (1 for the body itself).
 */
export function findUnsafeJson(value: unknown, depth = 1): string | undefined {
	if (value === null || typeof value !== 'object') return undefined;
	const stack: Array<[object, number]> = [[value, depth]];
	while (stack.length > 0) {
		const [node, depth] = stack.pop() as [object, number];
		if (depth > MAX_JSON_DEPTH) return `is nested deeper than ${MAX_JSON_DEPTH} levels`;
		if (Array.isArray(node)) {
			for (const item of node) if (item !== null && typeof item === 'object') stack.push([item, depth + 1]);
			continue;
		}
		for (const key of Object.keys(node)) {
			if (FORBIDDEN_KEYS.has(key)) return `has a "${key}" key, which is refused`;
			const item = (node as Record<string, unknown>)[key];
			if (item !== null && typeof item === 'object') stack.push([item, depth + 1]);
		}
	}
	return undefined;
}

/** JSON.parse (V8's is iterative) plus the checks above; never throws. */
export function parseJsonText(text: string): SafeJsonResult {
	const value = jsonValue(text);
	if (value === NOT_JSON) return { ok: false, reason: 'is not valid JSON' };
	return checkJsonValue(text, value);
}

export const NOT_JSON: unique symbol = Symbol('not JSON');

/** JSON.parse that answers NOT_JSON instead of throwing; the value still needs checkJsonValue (or a check that does its job). */
export function jsonValue(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return NOT_JSON;
	}
}

/** The checks above on the value JSON.parse made of `text`. */
export function checkJsonValue(text: string, value: unknown): SafeJsonResult {
	if (needsWalk(text)) {
		const problem = findUnsafeJson(value);
		if (problem) return { ok: false, reason: problem };
	}
	return { ok: true, value };
}

/** The own value of `key` in a lookup table, never an inherited member such as `constructor`. */
export function ownValue<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
	return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}
