import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import { DEFAULT_TIMEOUT_MS, parseResponseBody, type HttpClient, type HttpResponse } from '../../core/outbound/http';

/** What n8n's request helpers answer with `returnFullResponse`. */
export interface RawResponse {
	statusCode?: number;
	status?: number;
	headers?: Record<string, unknown>;
	body?: unknown;
}

interface RequestHelpers {
	httpRequest(options: IHttpRequestOptions): Promise<unknown>;
}

function normalizeHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
	const result: Record<string, string> = {};
	for (const [key, value] of Object.entries(headers ?? {})) {
		if (value !== undefined && value !== null) result[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
	}
	return result;
}

export function toResponse(raw: RawResponse): HttpResponse {
	const headers = normalizeHeaders(raw.headers);
	let body = raw.body;
	if (Buffer.isBuffer(body)) body = body.toString('utf8');
	if (typeof body === 'string') body = parseResponseBody(body, headers['content-type']);
	return { status: raw.statusCode ?? raw.status ?? 0, headers, body };
}

function isJsonBody(body: unknown): boolean {
	return body !== undefined && typeof body === 'object' && body !== null && !Buffer.isBuffer(body);
}

/**
 * helpers.httpRequest (IHttpRequestOptions) has no TLS agent options, and the only helper that has
 * them (helpers.request) is deprecated and refused by n8n's community-package scanner: a request
 * that needs a client certificate or its own server CA is refused with this reason instead of
 * being sent without them.
 */
export const TLS_UNSUPPORTED =
	"n8n's request helper cannot present a TLS client certificate or trust a CA per request. Make this call from an HTTP Request node with n8n's SSL Certificates credential instead (for a private server CA only: NODE_EXTRA_CA_CERTS)";

/** The core HttpClient on n8n's request helper. */
export function n8nHttpClient(helpers: RequestHelpers): HttpClient {
	return async (request) => {
		const timeout = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
		const qs = request.qs as IDataObject | undefined;
		if (request.tls) throw new Error(TLS_UNSUPPORTED);
		const raw = await helpers.httpRequest({
			method: request.method,
			url: request.url,
			qs,
			headers: request.headers,
			body: request.body as IDataObject,
			json: isJsonBody(request.body) ? true : undefined,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout,
		});
		return toResponse(raw as RawResponse);
	};
}
