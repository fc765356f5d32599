import { randomBytes } from 'node:crypto';

/**
 * JSON bodies that carry files as base64 strings (Legito: tens of MB) parsed without holding the
 * body three times at once (the bytes, their text, the strings JSON.parse makes of it, and then
 * the decoded files). Each long string value under the given key that is strict base64 (no
 * escape, length a multiple of 4, `=` only at the end) is decoded straight from the bytes into a
 * Buffer and left out of the text given to JSON.parse: the parsed value holds a marker string in
 * its place (with a random nonce, so no body can spell one), which `take` turns into the bytes.
 * Values JSON.parse would see differently are never touched: anything with an escape, or not
 * strict base64, stays in the text as it was and is parsed as usual.
 *
 * Why the text stays the same JSON: quote (0x22) and backslash (0x5C) bytes never occur inside a
 * UTF-8 multi-byte sequence, so finding string tokens byte by byte agrees with JSON.parse up to
 * the first syntax error, and a string's content is replaced by another valid string content;
 * the cut points are ASCII bytes, so decoding the pieces as UTF-8 gives the same text.
 */

export interface Base64Values {
	/** The body as text, with each extracted value replaced by its marker. */
	text: string;
	/** The decoded bytes of a marker made here (once: a second take gives nothing). */
	take(marker: unknown): Buffer | undefined;
	/** The original string of a marker not taken (to restore it where the bytes are not wanted). */
	original(marker: string): string | undefined;
	isMarker(value: unknown): value is string;
	/** How many values were extracted. */
	count: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const isSpace = (byte: number | undefined) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
/** 1 for the bytes of the base64 alphabet (A–Z, a–z, 0–9, +, /). */
const ALPHABET = new Uint8Array(256);
for (const char of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') ALPHABET[char.charCodeAt(0)] = 1;
const EQUALS = 0x3d;

/** /^[A-Za-z0-9+/]*={0,2}$/ over raw[start, end), on the bytes (a regex over a 10 MB string is ~3× slower). */
function isStrictBase64(raw: Buffer, start: number, end: number): boolean {
	let stop = end;
	if (stop > start && raw[stop - 1] === EQUALS) stop--;
	if (stop > start && raw[stop - 1] === EQUALS) stop--;
	for (let i = start; i < stop; i++) if (ALPHABET[raw[i]!] === 0) return false;
	return true;
}

/** The index of the quote closing the string opened at `open`, or -1. */
function closingQuote(raw: Buffer, open: number): number {
	let at = raw.indexOf(QUOTE, open + 1);
	while (at !== -1) {
		let backslashes = 0;
		for (let i = at - 1; i > open && raw[i] === BACKSLASH; i--) backslashes++;
		if (backslashes % 2 === 0) return at;
		at = raw.indexOf(QUOTE, at + 1);
	}
	return -1;
}

/**
 * Splits out the base64 values of `key` at least `minLength` bytes long. With none found, `text` is
 * the body's own UTF-8 text and `count` is 0.
 */
export function extractBase64Values(raw: Buffer, key: string, minLength: number): Base64Values {
	const prefix = `legalhooks-base64-${randomBytes(12).toString('hex')}-`;
	const decoded = new Map<string, { bytes?: Buffer; start: number; end: number }>();
	const pieces: Buffer[] = [];
	const keyBytes = Buffer.from(key);
	let copiedTo = 0;
	let at = raw.indexOf(QUOTE);
	while (at !== -1) {
		const close = closingQuote(raw, at);
		if (close === -1) break;
		// a key: the string is followed by a colon; its value starts at the next non-space byte
		let next = close + 1;
		while (isSpace(raw[next])) next++;
		if (raw[next] !== COLON) {
			at = raw.indexOf(QUOTE, close + 1);
			continue;
		}
		const isOurKey = close - at - 1 === keyBytes.length && raw.compare(keyBytes, 0, keyBytes.length, at + 1, close) === 0;
		next++;
		while (isSpace(raw[next])) next++;
		if (raw[next] !== QUOTE) {
			at = raw.indexOf(QUOTE, next);
			continue;
		}
		const valueOpen = next;
		const valueClose = closingQuote(raw, valueOpen);
		if (valueClose === -1) break;
		const length = valueClose - valueOpen - 1;
		if (isOurKey && length >= minLength && length % 4 === 0) {
			// any byte outside the alphabet (an escape's backslash, UTF-8) fails the test
			if (isStrictBase64(raw, valueOpen + 1, valueClose)) {
				const marker = `${prefix}${decoded.size}`;
				decoded.set(marker, { bytes: Buffer.from(raw.toString('latin1', valueOpen + 1, valueClose), 'base64'), start: valueOpen + 1, end: valueClose });
				pieces.push(raw.subarray(copiedTo, valueOpen + 1), Buffer.from(marker));
				copiedTo = valueClose;
			}
		}
		at = raw.indexOf(QUOTE, valueClose + 1);
	}
	if (decoded.size === 0) return { text: raw.toString('utf8'), take: () => undefined, original: () => undefined, isMarker: (_v): _v is string => false, count: 0 };
	pieces.push(raw.subarray(copiedTo));
	return {
		text: Buffer.concat(pieces).toString('utf8'),
		count: decoded.size,
		isMarker: (value): value is string => typeof value === 'string' && value.startsWith(prefix) && decoded.has(value),
		take: (marker) => {
			if (typeof marker !== 'string') return undefined;
			const entry = decoded.get(marker);
			const bytes = entry?.bytes;
			if (entry) entry.bytes = undefined;
			return bytes;
		},
		original: (marker) => {
			const entry = decoded.get(marker);
			return entry ? raw.toString('latin1', entry.start, entry.end) : undefined;
		},
	};
}

type Path = ReadonlyArray<string | number>;

/**
 * Puts the original string back for every marker in `value` except where `keep(path)` says the
 * bytes are wanted, so the value is what JSON.parse would have made of the body apart from those.
 */
export function restoreBase64Values(value: unknown, values: Base64Values, keep: (path: Path) => boolean): void {
	if (values.count === 0 || value === null || typeof value !== 'object') return;
	const stack: Array<[Record<string | number, unknown>, Path]> = [[value as Record<string, unknown>, []]];
	while (stack.length > 0) {
		const [node, path] = stack.pop()!;
		const keys: Array<string | number> = Array.isArray(node) ? node.map((_, index) => index) : Object.keys(node);
		for (const key of keys) {
			const item = node[key];
			const at = [...path, key];
			if (values.isMarker(item)) {
				if (!keep(at)) node[key] = values.original(item);
			} else if (item !== null && typeof item === 'object') stack.push([item as Record<string, unknown>, at]);
		}
	}
}
