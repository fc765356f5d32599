import type { IHttpRequestOptions } from 'n8n-workflow';

/**
 * helpers.httpRequest as n8n implements it (axios underneath): JSON bodies for objects, query
 * strings, JSON responses parsed, `returnFullResponse`, `ignoreHttpStatusErrors` and
 * `disableFollowRedirect` honoured; a
 * status >= 400 otherwise throws with `httpCode`, like n8n's NodeApiError-wrapped axios error.
 */
export async function httpRequest(options: IHttpRequestOptions): Promise<any> {
	const url = new URL(options.url, options.baseURL);
	for (const [key, value] of Object.entries(options.qs ?? {})) {
		if (value !== undefined) url.searchParams.set(key, String(value));
	}
	const headers: Record<string, string> = {};
	for (const [key, value] of Object.entries(options.headers ?? {})) headers[key.toLowerCase()] = String(value);
	let body: string | Uint8Array | URLSearchParams | undefined;
	const raw = options.body as unknown;
	if (raw instanceof URLSearchParams) {
		body = raw;
	} else if (Buffer.isBuffer(raw) || typeof raw === 'string') {
		body = typeof raw === 'string' ? raw : new Uint8Array(raw as Buffer);
	} else if (raw !== undefined) {
		body = JSON.stringify(raw);
		headers['content-type'] ??= 'application/json';
	}
	const controller = new AbortController();
	const timer = options.timeout ? setTimeout(() => controller.abort(), options.timeout) : undefined;
	let response: Response;
	try {
		response = await fetch(url, { method: options.method ?? 'GET', headers, body: body as RequestInit['body'], signal: controller.signal, redirect: options.disableFollowRedirect ? 'manual' : 'follow' });
	} finally {
		if (timer) clearTimeout(timer);
	}
	if (options.encoding === 'arraybuffer') {
		const bytes = Buffer.from(await response.arrayBuffer());
		const headers: Record<string, string> = {};
		response.headers.forEach((value, key) => (headers[key] = value));
		if (response.status >= 400 && !options.ignoreHttpStatusErrors) throw Object.assign(new Error(`Request failed with status code ${response.status}`), { httpCode: String(response.status) });
		return options.returnFullResponse ? { body: bytes, headers, statusCode: response.status, statusMessage: response.statusText } : bytes;
	}
	const text = await response.text();
	let parsed: unknown = text;
	if (text && (options.json || response.headers.get('content-type')?.includes('json'))) {
		try {
			parsed = JSON.parse(text);
		} catch {
			parsed = text;
		}
	}
	if (response.status >= 400 && !options.ignoreHttpStatusErrors) {
		const error = new Error(`Request failed with status code ${response.status}`) as Error & { httpCode: string; response: unknown };
		error.httpCode = String(response.status);
		error.response = { status: response.status, data: parsed };
		throw error;
	}
	if (options.returnFullResponse) {
		const headers: Record<string, string> = {};
		response.headers.forEach((value, key) => (headers[key] = value));
		return { body: parsed, headers, statusCode: response.status, statusMessage: response.statusText };
	}
	return parsed;
}

/** helpers.prepareBinaryData in n8n's default (in-memory) binary mode. */
export async function prepareBinaryData(data: Buffer, fileName?: string, mimeType?: string) {
	const extension = fileName?.includes('.') ? fileName.split('.').pop() : undefined;
	return {
		data: data.toString('base64'),
		mimeType: mimeType ?? 'application/octet-stream',
		fileName,
		fileExtension: extension,
		fileSize: `${data.length} B`,
		bytes: data.length,
	};
}
