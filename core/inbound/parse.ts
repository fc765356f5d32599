import { createHash, hash } from 'node:crypto';
import type { z } from 'zod/v4';
import { checkJsonValue, findUnsafeJson, jsonValue, NOT_JSON } from './safe-json';
import { NO, shapeCheckFor } from './json-shape';
import { DEFAULT_TRIGGER_OPTIONS, type CommonTriggerOptions, type InboundRequest, type ReceiveContext, type ReceiveResult } from '../vendors/definition';

export { isForbiddenKey, MAX_JSON_DEPTH, ownValue } from './safe-json';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; status: 400; reason: string };

/** Short, secret-free summary of a zod error for a 400 response body. */
export function summarizeIssues(error: z.ZodError): string {
	return error.issues
		.slice(0, 5)
		.map((issue) => `${issue.path.length ? issue.path.join('.') : '(body)'}: ${issue.message}`)
		.join('; ');
}

/**
 * Parses a JSON body safely (see safe-json.ts) and validates it; `what` names it in the 400 reason.
 * A body the schema's shape check accepts is safe already (json-shape.ts); any other is checked and
 * then goes to zod, so a forbidden key is refused as such whatever else is wrong.
 */
export function parseJson<T>(rawBody: Buffer | string, schema: z.ZodType<T>, what = 'body'): ParseResult<T> {
	const text = typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');
	const value = jsonValue(text);
	if (value === NOT_JSON) return { ok: false, status: 400, reason: `${what} is not valid JSON` };
	const shaped = shapeAccepted(value, schema);
	if (shaped !== NO) return { ok: true, value: shaped as T };
	const safe = checkJsonValue(text, value);
	if (!safe.ok) return { ok: false, status: 400, reason: `${what} ${safe.reason}` };
	return validateByZod(value, schema);
}

/** The value zod would return, by the schema's compiled shape check (json-shape.ts), or NO: then zod decides. */
function shapeAccepted(value: unknown, schema: z.ZodType): unknown {
	const check = shapeCheckFor(schema);
	if (!check) return NO;
	try {
		return check(value);
	} catch {
		return NO; // zod answers, or its throw is caught below
	}
}

/** Validates a value that did not come through parseJson: checked for forbidden keys and depth first. */
export function validate<T>(value: unknown, schema: z.ZodType<T>): ParseResult<T> {
	const shaped = shapeAccepted(value, schema);
	if (shaped !== NO) return { ok: true, value: shaped as T };
	const problem = findUnsafeJson(value);
	if (problem) return { ok: false, status: 400, reason: `payload ${problem}` };
	return validateByZod(value, schema);
}

/**
 * Validates a value parseJsonText returned (already checked for forbidden keys and depth): by the
 * schema's compiled shape check when it has one and that says yes (json-shape.ts), else by zod.
 */
export function validateParsed<T>(value: unknown, schema: z.ZodType<T>): ParseResult<T> {
	const shaped = shapeAccepted(value, schema);
	if (shaped !== NO) return { ok: true, value: shaped as T };
	return validateByZod(value, schema);
}

function validateByZod<T>(value: unknown, schema: z.ZodType<T>): ParseResult<T> {
	let parsed: ReturnType<typeof schema.safeParse>;
	try {
		parsed = schema.safeParse(value);
	} catch {
		// The schemas check types before lengths; should a value still make zod throw, it is the
		// shape of the body that is wrong, and the vendor must not retry it as if we had failed.
		return { ok: false, status: 400, reason: 'unexpected payload shape: a field holds a value of the wrong type' };
	}
	if (!parsed.success) return { ok: false, status: 400, reason: `unexpected payload shape: ${summarizeIssues(parsed.error)}` };
	return { ok: true, value: parsed.data };
}

/**
 * Stable event id from the fields that identify a vendor event: SHA-256 over each part followed by
 * a NUL. The parts are joined and hashed in one native call (the same bytes as one update per part);
 * a large Buffer part is streamed instead of copied.
 */
export function hashId(...parts: Array<string | number | Buffer | null | undefined>): string {
	let text = '';
	let buffers: Buffer[] | undefined;
	for (const part of parts) {
		if (Buffer.isBuffer(part)) {
			if (part.length > MAX_COPIED_PART_BYTES) return hashParts(parts);
			buffers ??= [];
			buffers.push(Buffer.from(text, 'utf8'), part, NUL);
			text = '';
		} else text += part === null || part === undefined ? '\u0000' : `${part}\u0000`;
	}
	if (buffers === undefined) return hash('sha256', text, 'hex');
	buffers.push(Buffer.from(text, 'utf8'));
	return hash('sha256', Buffer.concat(buffers), 'hex');
}

const MAX_COPIED_PART_BYTES = 16 * 1024;
const NUL = Buffer.from([0]);

function hashParts(parts: Array<string | number | Buffer | null | undefined>): string {
	const digest = createHash('sha256');
	for (const part of parts) {
		digest.update(part === null || part === undefined ? '' : typeof part === 'number' ? String(part) : part);
		digest.update('\u0000');
	}
	return digest.digest('hex');
}

/** ISO-8601 UTC, or null when the vendor gave nothing parseable. */
export function toIsoUtc(value: string | number | null | undefined): string | null {
	if (value === null || value === undefined || value === '') return null;
	return isoFromMs(typeof value === 'number' ? value : Date.parse(value));
}

/** ISO-8601 for years 0000–9999 only: beyond them toISOString writes `+010000-…`, which is not ISO-8601 UTC. */
export function isoFromMs(ms: number): string | null {
	if (!(ms >= FIRST_MS_OF_YEAR_0 && ms < FIRST_MS_OF_YEAR_10000)) return null;
	return new Date(ms).toISOString();
}

/** 0000-01-01T00:00:00.000Z and 10000-01-01T00:00:00.000Z (the first instant toISOString writes with a sign). */
const FIRST_MS_OF_YEAR_0 = -62_167_219_200_000;
const FIRST_MS_OF_YEAR_10000 = 253_402_300_800_000;

export function firstQueryValue(query: Record<string, unknown>, name: string): string | undefined {
	const value = query[name];
	const first = Array.isArray(value) ? value[0] : value;
	return typeof first === 'string' ? first : undefined;
}

const DEFAULT_OPTION_KEYS = Object.keys(DEFAULT_TRIGGER_OPTIONS) as Array<keyof CommonTriggerOptions>;

function hasEveryOption(options: object): boolean {
	for (const key of DEFAULT_OPTION_KEYS) if ((options as Record<string, unknown>)[key] === undefined) return false;
	return true;
}

/** The options as given, with the secure default for each one left out (or undefined). */
export function withDefaultOptions<T extends object>(options: (Partial<CommonTriggerOptions> & T) | undefined): CommonTriggerOptions & T {
	if (options && typeof options === 'object' && hasEveryOption(options)) return options as CommonTriggerOptions & T;
	const resolved: Record<string, unknown> = { ...DEFAULT_TRIGGER_OPTIONS };
	if (options && typeof options === 'object') for (const [key, value] of Object.entries(options)) if (value !== undefined) resolved[key] = value;
	return resolved as CommonTriggerOptions & T;
}

/** The context as given, with default options and the current time where they are missing. */
export function withDefaultContext<T extends object>(context: ReceiveContext<T>): ReceiveContext<T> {
	const validNow = context?.now instanceof Date && !Number.isNaN(context.now.getTime());
	const options = withDefaultOptions<T>(context?.options);
	if (validNow && options === context.options) return context;
	return { ...context, options, now: validNow ? context.now : new Date() };
}

/**
 * A vendor's `receive` as exported to users: called with options that leave something out (the
 * replay window, the size limit), it applies the secure defaults rather than no check.
 */
export function withSecureDefaults<T extends object>(
	receive: (request: InboundRequest, context: ReceiveContext<T>) => ReceiveResult,
): (request: InboundRequest, context: ReceiveContext<T>) => ReceiveResult {
	return (request, context) => receive(request, withDefaultContext(context));
}
