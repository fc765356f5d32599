import type { IHttpRequestOptions } from 'n8n-workflow';
import type { FetchBytes } from '../../core/downloads/download';
import { TLS_UNSUPPORTED } from './http';

interface BytesHelpers {
	httpRequest(options: IHttpRequestOptions): Promise<unknown>;
}

/**
 * The document-download client for n8n: one GET through `helpers.httpRequest` as bytes, every
 * status returned, redirects left to core (which drops the vendor's headers on them). n8n reads
 * the whole answer; the size limit is then applied to what came. A download that needs a client
 * certificate is refused (see TLS_UNSUPPORTED) and becomes a fileError.
 */
export function n8nFetchBytes(helpers: BytesHelpers): FetchBytes {
	return async ({ url, headers, tls, timeoutMs, maxBytes }) => {
		if (tls) throw new Error(TLS_UNSUPPORTED);
		const response = (await helpers.httpRequest({
			method: 'GET',
			url,
			headers,
			timeout: timeoutMs,
			encoding: 'arraybuffer',
			json: false,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
		})) as { body: unknown; headers: Record<string, unknown>; statusCode: number };
		const body = response.body;
		const data = Buffer.isBuffer(body) ? body : body instanceof ArrayBuffer ? Buffer.from(body) : Buffer.from(typeof body === 'string' ? body : '');
		const names: Record<string, string> = {};
		for (const [name, value] of Object.entries(response.headers ?? {})) names[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
		return { status: response.statusCode, headers: names, data: data.length > maxBytes ? data.subarray(0, maxBytes + 1) : data };
	};
}
