import { ServiceError } from '../outbound/errors';
import type { HttpRequest } from '../outbound/http';
import type { ServiceTransport } from '../outbound/transport';
import { catchupError } from './types';

const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

/** Retry-After as delay-seconds or an HTTP date (RFC 9110 10.2.3), capped at an hour; undefined when absent or unreadable. */
export function retryAfterMs(headers: Record<string, string> | undefined, now: Date): number | undefined {
	const entry = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'retry-after');
	const value = entry?.[1]?.trim();
	if (!value) return undefined;
	const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now.getTime();
	return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS) : undefined;
}

/**
 * One GET for a catch-up read through the vendor's transport: the parsed JSON body on 2xx
 * (the status the vendor means: a QuicklySign envelope whose `status.status_code` is 4xx/5xx counts
 * as that status); otherwise a CatchupHttpError naming the status (429 with the vendor's
 * Retry-After). Never carries a credential in its message.
 */
export async function getJson(transport: ServiceTransport, action: string, request: Omit<HttpRequest, 'method'>, now: Date, options: { notFoundIsUndefined?: boolean } = {}): Promise<unknown> {
	let response;
	try {
		response = await transport.send(action, { method: 'GET', timeoutMs: 30_000, ...request });
	} catch (error) {
		const message = error instanceof ServiceError ? error.serviceMessage : (error as Error).message;
		throw catchupError(`${transport.service} ${action} failed (no response): ${message}`);
	}
	const status = transport.status(response);
	if (status >= 200 && status < 300) return response.body;
	if (status === 404 && options.notFoundIsUndefined) return undefined;
	const detail = transport.failure(action, response).serviceMessage;
	throw catchupError(`${transport.service} ${action} failed (HTTP ${status})${detail ? `: ${detail}` : ''}`, status, status === 429 ? retryAfterMs(response.headers, now) : undefined);
}
