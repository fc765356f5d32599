import type { HttpResponse } from './http';

/**
 * An error from a vendor or destination API, worded for the person who set the node up:
 * which service, what status, what to check. Never carries a secret.
 */
export class ServiceError extends Error {
	readonly service: string;
	readonly status?: number;
	readonly hint?: string;
	readonly serviceMessage?: string;
	readonly retryable: boolean;

	constructor(args: {
		service: string;
		action: string;
		status?: number;
		serviceMessage?: string;
		hint?: string;
		retryable?: boolean;
	}) {
		const status = args.status === undefined ? 'no response' : `HTTP ${args.status}`;
		const detail = args.serviceMessage ? `: ${args.serviceMessage}` : '';
		const hint = args.hint ? ` — ${args.hint}` : '';
		super(`${args.service} ${args.action} failed (${status})${detail}${hint}`);
		this.name = 'ServiceError';
		this.service = args.service;
		this.status = args.status;
		this.hint = args.hint;
		this.serviceMessage = args.serviceMessage;
		this.retryable = args.retryable ?? (args.status === undefined || args.status === 429 || args.status >= 500);
	}
}

/** Best-effort extraction of a human-readable message from an error response body. */
export function messageFromBody(body: unknown): string | undefined {
	if (typeof body === 'string') return body.slice(0, 300) || undefined;
	if (!body || typeof body !== 'object') return undefined;
	const record = body as Record<string, unknown>;
	for (const key of ['message', 'error_description', 'error', 'detail', 'Message', 'Detail']) {
		const value = record[key];
		if (typeof value === 'string' && value) return value.slice(0, 300);
		if (value && typeof value === 'object') {
			const nested = messageFromBody(value);
			if (nested) return nested;
		}
	}
	if (Array.isArray(body) && body.length > 0) return messageFromBody(body[0]);
	return undefined;
}

/** The usual meaning of an API status during setup, for the hint part of an error. */
export function setupHint(status: number | undefined, extra: Partial<Record<number | 'network', string>> = {}): string {
	if (status === undefined) return extra.network ?? 'check the API base URL / region and that this machine can reach it';
	if (extra[status]) return extra[status] as string;
	if (status === 401 || status === 403) return 'check the API key / credentials and their permissions';
	if (status === 404) return 'check the API base URL / region';
	if (status === 400 || status === 422) return 'check the settings and that the webhook URL is public and uses HTTPS';
	if (status === 429) return 'the API is rate limiting; try again shortly';
	if (status >= 500) return 'the service had an internal error; try again later';
	return 'check the node settings';
}

export function responseError(
	service: string,
	action: string,
	response: HttpResponse,
	hints?: Partial<Record<number | 'network', string>>,
): ServiceError {
	return new ServiceError({
		service,
		action,
		status: response.status,
		serviceMessage: messageFromBody(response.body),
		hint: setupHint(response.status, hints),
	});
}
