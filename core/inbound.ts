import { createHash } from 'node:crypto';
import type { z } from 'zod/v4';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; status: 400; reason: string };

/** Short, secret-free summary of a zod error for a 400 response body. */
export function summarizeIssues(error: z.ZodError): string {
	return error.issues
		.slice(0, 5)
		.map((issue) => `${issue.path.length ? issue.path.join('.') : '(body)'}: ${issue.message}`)
		.join('; ');
}

export function parseJson<T>(rawBody: Buffer | string, schema: z.ZodType<T>): ParseResult<T> {
	let value: unknown;
	try {
		value = JSON.parse(typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8'));
	} catch {
		return { ok: false, status: 400, reason: 'body is not valid JSON' };
	}
	return validate(value, schema);
}

export function validate<T>(value: unknown, schema: z.ZodType<T>): ParseResult<T> {
	const parsed = schema.safeParse(value);
	if (!parsed.success) return { ok: false, status: 400, reason: `unexpected payload shape: ${summarizeIssues(parsed.error)}` };
	return { ok: true, value: parsed.data };
}

/** Stable event id from the fields that identify a vendor event. */
export function hashId(...parts: Array<string | number | Buffer | null | undefined>): string {
	const hash = createHash('sha256');
	for (const part of parts) {
		hash.update(part === null || part === undefined ? '' : typeof part === 'number' ? String(part) : part);
		hash.update('\u0000');
	}
	return hash.digest('hex');
}

/** ISO-8601 UTC, or null when the vendor gave nothing parseable. */
export function toIsoUtc(value: string | number | null | undefined): string | null {
	if (value === null || value === undefined || value === '') return null;
	const ms = typeof value === 'number' ? value : Date.parse(value);
	return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

export function firstQueryValue(query: Record<string, unknown>, name: string): string | undefined {
	const value = query[name];
	const first = Array.isArray(value) ? value[0] : value;
	return typeof first === 'string' ? first : undefined;
}
