import { isForbiddenKey } from './safe-json';

/**
 * application/x-www-form-urlencoded → field name → values, in order. Values are decoded exactly
 * once (`+` → space, then percent-decoding), so a signed field is the very string the vendor signed
 * (Legalesign `data`).
 * Returns undefined when a value is not valid percent-encoding, or a field is named `__proto__`,
 * `constructor` or `prototype` (refused like the same keys in JSON, see safe-json.ts).
 */
export function parseFormBody(body: string): Map<string, string[]> | undefined {
	const fields = new Map<string, string[]>();
	for (const pair of body.split('&')) {
		if (pair === '') continue;
		const at = pair.indexOf('=');
		const rawName = at === -1 ? pair : pair.slice(0, at);
		const rawValue = at === -1 ? '' : pair.slice(at + 1);
		let name: string;
		let value: string;
		try {
			name = decodeFormText(rawName);
			value = decodeFormText(rawValue);
		} catch {
			return undefined;
		}
		if (isForbiddenKey(name)) return undefined;
		const list = fields.get(name);
		if (list) list.push(value);
		else fields.set(name, [value]);
	}
	return fields;
}

/** `+` → space, then percent-decoding (throws on a malformed escape); text with neither is returned as is. */
function decodeFormText(text: string): string {
	const spaced = text.includes('+') ? text.replace(/\+/g, ' ') : text;
	return spaced.includes('%') ? decodeURIComponent(spaced) : spaced;
}

/** Encodes fields the way a browser / Python's urlencode does (space → `+`). */
export function encodeFormBody(fields: Array<[string, string]> | Record<string, string>): string {
	const entries = Array.isArray(fields) ? fields : Object.entries(fields);
	const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
	return entries.map(([name, value]) => `${encode(name)}=${encode(value)}`).join('&');
}

