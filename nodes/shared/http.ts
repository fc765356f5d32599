import type { IDataObject, IHttpRequestOptions, IRequestOptions } from 'n8n-workflow';
import { DEFAULT_TIMEOUT_MS, parseResponseBody, type HttpClient, type HttpResponse } from '../../core/http';

interface RequestHelpers {
	httpRequest(options: IHttpRequestOptions): Promise<any>;
	request?(options: IRequestOptions): Promise<any>;
}

function normalizeHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
	const result: Record<string, string> = {};
	for (const [key, value] of Object.entries(headers ?? {})) {
		if (value !== undefined && value !== null) result[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
	}
	return result;
}

function toResponse(raw: { statusCode?: number; status?: number; headers?: Record<string, unknown>; body?: unknown }): HttpResponse {
	const headers = normalizeHeaders(raw.headers);
	const body = typeof raw.body === 'string' ? parseResponseBody(raw.body, headers['content-type']) : Buffer.isBuffer(raw.body) ? parseResponseBody(raw.body.toString('utf8'), headers['content-type']) : raw.body;
	return { status: raw.statusCode ?? raw.status ?? 0, headers, body };
}

/**
 * The core HttpClient on n8n's request helpers. Requests with a client certificate go through the
 * older `request` helper, the only one that takes TLS agent options.
 */
export function n8nHttpClient(helpers: RequestHelpers): HttpClient {
	return async (request) => {
		if (request.clientCertificate && helpers.request) {
			const raw = await helpers.request({
				method: request.method,
				uri: request.url,
				qs: request.qs as IDataObject | undefined,
				headers: request.headers,
				body: request.body as any,
				json: request.body !== undefined && typeof request.body === 'object' && !Buffer.isBuffer(request.body),
				resolveWithFullResponse: true,
				simple: false,
				timeout: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
				agentOptions: {
					cert: request.clientCertificate.cert,
					key: request.clientCertificate.key,
					passphrase: request.clientCertificate.passphrase,
				},
			});
			return toResponse(raw);
		}
		const raw = await helpers.httpRequest({
			method: request.method,
			url: request.url,
			qs: request.qs as IDataObject | undefined,
			headers: request.headers,
			body: request.body as any,
			json: request.body !== undefined && typeof request.body === 'object' && !Buffer.isBuffer(request.body) ? true : undefined,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
		});
		return toResponse(raw);
	};
}
