import type { NormalizedEvent } from './normalized-event';
import { isForbiddenKey } from '../inbound/safe-json';

export const REDACTED = '[redacted]';

/**
 * Reads the "Redact Raw Fields" option: dot paths into `raw` (`data.document.ownerEmail`,
 * `persons.*.email`), one per line or comma-separated; a leading `raw.` is allowed. `*` is any key
 * or array index at that level.
 */
export function parseRedactPaths(value: unknown): string[][] {
	const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\n,]/) : [];
	const paths: string[][] = [];
	for (const item of items) {
		if (typeof item !== 'string') continue;
		const parts = item.trim().replace(/^raw\./, '').split('.').map((part) => part.trim());
		if (parts.length === 0 || parts.some((part) => part === '' || isForbiddenKey(part))) continue;
		paths.push(parts);
	}
	return paths;
}

function masked(value: unknown, path: string[], at: number): unknown {
	if (at === path.length) return value === undefined ? value : REDACTED;
	if (value === null || typeof value !== 'object') return value;
	const key = path[at];
	if (Array.isArray(value)) {
		if (key === '*') return value.map((item) => masked(item, path, at + 1));
		const index = Number(key);
		if (!Number.isInteger(index) || index < 0 || index >= value.length) return value;
		const copy = [...value];
		copy[index] = masked(copy[index], path, at + 1);
		return copy;
	}
	const record = value as Record<string, unknown>;
	const keys = key === '*' ? Object.keys(record) : Object.prototype.hasOwnProperty.call(record, key) ? [key] : [];
	if (keys.length === 0) return value;
	const copy: Record<string, unknown> = { ...record };
	for (const name of keys) copy[name] = masked(record[name], path, at + 1);
	return copy;
}

/**
 * The event with each listed field of `raw` replaced by "[redacted]" (GDPR: emails, names), before
 * it leaves the trigger. Pure: copies only along the paths it masks; a path the payload lacks is
 * left alone. The verification record's body hash is of the bytes received, not of the masked raw.
 */
export function redactRaw(event: NormalizedEvent, paths: string[][]): NormalizedEvent {
	if (paths.length === 0 || event.raw === undefined) return event;
	let raw: unknown = event.raw;
	for (const path of paths) raw = masked(raw, path, 0);
	return raw === event.raw ? event : { ...event, raw };
}
