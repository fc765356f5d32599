// IRequestOptions / helpers.request are deprecated, but they are the only n8n request helper that
// takes TLS agent options, which PhenixID's Automation API needs for mutual TLS or a private CA.
// eslint-disable-next-line @n8n/community-nodes/no-deprecated-workflow-functions
import type { IDataObject, IHttpRequestOptions, IRequestOptions } from 'n8n-workflow';
import { DEFAULT_TIMEOUT_MS, parseResponseBody, type HttpClient, type HttpResponse } from '../../core/http';

interface RawResponse {
	statusCode?: number;
	status?: number;
	headers?: Record<string, unknown>;
	body?: unknown;
}

interface RequestHelpers {
	httpRequest(options: IHttpRequestOptions): Promise<unknown>;
	// eslint-disable-next-line @n8n/community-nodes/no-deprecated-workflow-functions
	request?(options: IRequestOptions): Promise<unknown>;
}

function normalizeHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
	const result: Record<string, string> = {};
	for (const [key, value] of Object.entries(headers ?? {})) {
		if (value !== undefined && value !== null) result[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
	}
	return result;
}

function toResponse(raw: RawResponse): HttpResponse {
	const headers = normalizeHeaders(raw.headers);
	let body = raw.body;
	if (Buffer.isBuffer(body)) body = body.toString('utf8');
	if (typeof body === 'string') body = parseResponseBody(body, headers['content-type']);
	return { status: raw.statusCode ?? raw.status ?? 0, headers, body };
}

function isJsonBody(body: unknown): boolean {
	return body !== undefined && typeof body === 'object' && body !== null && !Buffer.isBuffer(body);
}

/** The core HttpClient on n8n's request helpers. */
export function n8nHttpClient(helpers: RequestHelpers): HttpClient {
	return async (request) => {
		const timeout = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
		const qs = request.qs as IDataObject | undefined;
		if (request.tls && helpers.request) {
			const { cert, key, passphrase, ca } = request.tls;
			const raw = await helpers.request({
				method: request.method,
				uri: request.url,
				qs,
				headers: request.headers,
				body: request.body as IDataObject,
				json: isJsonBody(request.body),
				resolveWithFullResponse: true,
				simple: false,
				timeout,
				agentOptions: { cert, key, passphrase, ca },
			});
			return toResponse(raw as RawResponse);
		}
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
