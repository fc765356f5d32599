import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, ILoadOptionsFunctions } from 'n8n-workflow';
import { ServiceError } from '../../core/outbound/errors';
import { DEFAULT_TIMEOUT_MS, type HttpClient, type HttpResponse } from '../../core/outbound/http';
import { toResponse, type RawResponse } from './http';
import { redact } from '../../core/destinations/delivery';

/**
 * The core HttpClient on `this.helpers.httpRequestWithAuthentication`: n8n signs each request with
 * the credential, and for an OAuth2 credential refreshes the token when the request *throws* a 401
 * (under its credential lock), saves the new token data (a rotated refresh token included) to the
 * credential and repeats the request once.
 *
 * A thrown NodeApiError keeps only the status code (not the headers or body), so requests are made
 * with status errors ignored and the full response goes to the core's retry policy (429/5xx/
 * Retry-After). After a 401, a read-only probe (`probeUrl`, e.g. Xero's /connections) is sent
 * without ignoring status errors, so that n8n sees its 401 and refreshes; then the original
 * request is sent again — it was refused, so nothing of it happened at the service.
 */
/** A thrown n8n error as a response (status only), a network error (rethrown) or a sign-in failure. */
function fromThrown(error: unknown, service: string): HttpResponse {
	const { httpCode, message, description } = (error ?? {}) as { httpCode?: unknown; message?: unknown; description?: unknown };
	const code = typeof httpCode === 'string' ? httpCode : typeof httpCode === 'number' ? String(httpCode) : '';
	if (/^\d{3}$/.test(code)) return { status: Number(code), headers: {}, body: { message: String(description ?? message ?? '') } };
	// axios network errors carry their code (ECONNRESET, ETIMEDOUT, …) as httpCode: let the core retry.
	if (/^(E[A-Z_]+|UND_ERR\w*)$/.test(code)) throw error;
	throw new ServiceError({
		service,
		action: 'sign-in',
		serviceMessage: redact(typeof message === 'string' ? message : String(error)).slice(0, 300),
		hint: 'open the credential and connect (or reconnect) it',
		retryable: false,
	});
}

export interface AuthenticatedClientOptions {
	credentialType: string;
	service: string;
	/** A GET that needs the token and changes nothing, for n8n to refresh on (none: a 401 stands). */
	probeUrl?: string;
}

export function n8nAuthenticatedHttpClient(fns: IExecuteFunctions | ILoadOptionsFunctions, { credentialType, service, probeUrl }: AuthenticatedClientOptions): HttpClient {
	const call = async (options: IHttpRequestOptions) => (await fns.helpers.httpRequestWithAuthentication.call(fns, credentialType, options)) as RawResponse;
	return async (request) => {
		const isJson = request.body !== undefined && typeof request.body === 'object' && request.body !== null && !Buffer.isBuffer(request.body);
		const options: IHttpRequestOptions = {
			method: request.method,
			url: request.url,
			qs: request.qs as IDataObject | undefined,
			headers: request.headers,
			body: request.body as IDataObject,
			json: isJson ? true : undefined,
			returnFullResponse: true,
			timeout: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
		};
		const send = async () => {
			try {
				return toResponse(await call({ ...options, ignoreHttpStatusErrors: true }));
			} catch (error) {
				return fromThrown(error, service);
			}
		};
		const first = await send();
		if (first.status !== 401 || !probeUrl) return first;
		try {
			await call({ method: 'GET', url: probeUrl, headers: { accept: 'application/json' }, json: true, returnFullResponse: true, timeout: options.timeout });
		} catch (error) {
			fromThrown(error, service); // a status (even 401 again) is left to the repeat below
		}
		return send();
	};
}
