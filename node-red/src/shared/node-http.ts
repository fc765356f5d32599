import * as http from 'node:http';
import * as https from 'node:https';
import { DEFAULT_TIMEOUT_MS, parseResponseBody, withQuery, type HttpClient, type HttpRequest, type HttpResponse } from '../../../core/outbound/http';

function encodeBody(body: unknown, headers: Record<string, string>): Buffer | undefined {
	if (body === undefined) return undefined;
	if (Buffer.isBuffer(body)) return body;
	if (typeof body === 'string') return Buffer.from(body);
	if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
	return Buffer.from(JSON.stringify(body));
}

/** HttpClient on node:http(s): resolves for every status, rejects only when no response arrived. */
export const nodeHttpClient: HttpClient = (request: HttpRequest) =>
	new Promise<HttpResponse>((resolve, reject) => {
		const url = new URL(withQuery(request.url, request.qs));
		const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
		const body = encodeBody(request.body, headers);
		if (body) headers['content-length'] = String(body.length);
		const transport = url.protocol === 'https:' ? https : http;
		const req = transport.request(
			url,
			{
				method: request.method,
				headers,
				timeout: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
				...(request.tls ?? {}),
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('error', reject);
				res.on('end', () => {
					const responseHeaders: Record<string, string> = {};
					for (const [key, value] of Object.entries(res.headers)) {
						if (value !== undefined) responseHeaders[key] = Array.isArray(value) ? value.join(', ') : value;
					}
					const text = Buffer.concat(chunks).toString('utf8');
					resolve({ status: res.statusCode ?? 0, headers: responseHeaders, body: parseResponseBody(text, responseHeaders['content-type']) });
				});
			},
		);
		req.on('timeout', () => req.destroy(new Error(`request to ${url.host} timed out`)));
		req.on('error', reject);
		req.end(body);
	});
