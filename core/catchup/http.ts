import { messageFromBody } from '../outbound/errors';
import type { HttpClient, HttpRequest } from '../outbound/http';
import { catchupError, isRecord } from './types';

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
 * One GET for a catch-up read: the parsed JSON body on 2xx; otherwise a CatchupHttpError naming the
 * status (429 with the vendor's Retry-After). A QuicklySign-style envelope whose `status.status_code`
 * is 4xx/5xx counts as that status. Never carries a credential in its message.
 */
export async function getJson(http: HttpClient, service: string, action: string, request: Omit<HttpRequest, 'method'>, now: Date, options: { notFoundIsUndefined?: boolean } = {}): Promise<unknown> {
	let response;
	try {
		response = await http({ method: 'GET', timeoutMs: 30_000, ...request });
	} catch (error) {
		throw catchupError(`${service} ${action} failed (no response): ${(error as Error).message}`);
	}
	const envelope = isRecord(response.body) && isRecord(response.body.status) ? Number(response.body.status.status_code) : NaN;
	const status = response.status >= 200 && response.status < 300 && Number.isInteger(envelope) && envelope >= 400 ? envelope : response.status;
	if (status >= 200 && status < 300) return response.body;
	if (status === 404 && options.notFoundIsUndefined) return undefined;
	const detail = messageFromBody(response.body);
	throw catchupError(`${service} ${action} failed (HTTP ${status})${detail ? `: ${detail}` : ''}`, status, status === 429 ? retryAfterMs(response.headers, now) : undefined);
}
