/**
 * The one outbound-request interface. n8n implements it with `this.helpers.httpRequest`,
 * Node-RED and the CLI with node:http(s). A client resolves for every HTTP status and rejects only
 * when no response arrived (network error, timeout).
 */
export interface HttpRequest {
	method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
	url: string;
	headers?: Record<string, string>;
	qs?: Record<string, string | number | boolean | undefined>;
	/** Objects are sent as JSON; strings and Buffers as they are. */
	body?: unknown;
	timeoutMs?: number;
	/** TLS options in PEM form: a client certificate and key (mutual TLS), a CA to trust for the server. */
	tls?: { cert?: string; key?: string; passphrase?: string; ca?: string };
}

export interface HttpResponse {
	status: number;
	headers: Record<string, string>;
	/** Parsed JSON when the response is JSON, else the text. */
	body: unknown;
}

export type HttpClient = (request: HttpRequest) => Promise<HttpResponse>;

export const DEFAULT_TIMEOUT_MS = 15_000;

export function withQuery(url: string, qs: HttpRequest['qs']): string {
	if (!qs) return url;
	const target = new URL(url);
	for (const [key, value] of Object.entries(qs)) {
		if (value !== undefined) target.searchParams.set(key, String(value));
	}
	return target.toString();
}

export function parseResponseBody(text: string, contentType: string | undefined): unknown {
	if (text === '') return undefined;
	if (contentType?.includes('json') || /^\s*[[{]/.test(text)) {
		try {
			return JSON.parse(text);
		} catch {
			return text;
		}
	}
	return text;
}
