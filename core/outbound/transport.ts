import { ServiceError, messageFromBody, setupHint } from './errors';
import type { HttpClient, HttpRequest, HttpResponse } from './http';

/**
 * The one way core talks to a vendor or destination API (as n8n's Cal node does with its
 * `GenericFunctions.ts`): authenticate the request, call, and turn a lost answer or a refused
 * request into one ServiceError naming the service, the action and what to check — with every
 * secret of the credential scrubbed from the text.
 */

/** What to check, by HTTP status (or `network` when no answer came), worded for whoever set the node up. */
export type ServiceHints = Partial<Record<number | 'network', string>>;

export interface TransportSpec {
	service: string;
	http: HttpClient;
	/** Adds the service's authentication (a header, a token the session holds) to a request. */
	authorize?: (request: HttpRequest) => HttpRequest | Promise<HttpRequest>;
	/** Credential values that must never reach an error message. */
	secrets?: ReadonlyArray<string | undefined>;
	/** Hints used when a call names none. */
	hints?: ServiceHints;
	/** The status the service means (QuicklySign answers HTTP 200 with a 4xx inside); default the HTTP status. */
	statusOf?: (response: HttpResponse) => number;
	/** The service's own words in an error body; default `messageFromBody`. */
	messageOf?: (body: unknown) => string | undefined;
}

/** Removes bearer tokens, Slack tokens and webhook paths, and query secrets a lower layer may have put into a message. */
export function redactTokens(text: string): string {
	return text
		.replace(/(bearer\s+)[^\s"']+/gi, '$1[redacted]')
		.replace(/(xox[abposr]-)[\w-]+/gi, '$1[redacted]')
		.replace(/(hooks\.slack\.com\/services\/)[\w/]+/gi, '$1[redacted]')
		.replace(/((?:access_token|refresh_token|client_secret|token)=)[^&\s"']+/gi, '$1[redacted]');
}

/** The text with each secret (4 characters or more) replaced by `***`, then tokens redacted. */
export function scrubSecrets(text: string, secrets: ReadonlyArray<string | undefined> = []): string {
	let out = text;
	for (const secret of secrets) if (secret && secret.length >= 4) out = out.split(secret).join('***');
	return redactTokens(out);
}

export class ServiceTransport {
	constructor(private readonly spec: TransportSpec) {}

	get service(): string {
		return this.spec.service;
	}

	get hints(): ServiceHints {
		return this.spec.hints ?? {};
	}

	/**
	 * Authenticates and sends, leaving a lost answer as the client threw it: for callers whose retry
	 * policy tells a lost answer from a refusal (the destinations' delivery policy).
	 */
	async exchange(request: HttpRequest): Promise<HttpResponse> {
		return this.spec.http(this.spec.authorize ? await this.spec.authorize(request) : request);
	}

	/** Authenticates and sends. Resolves for every HTTP status; a lost answer becomes a ServiceError. */
	async send(action: string, request: HttpRequest, hints: ServiceHints = this.hints): Promise<HttpResponse> {
		const authorized = this.spec.authorize ? await this.spec.authorize(request) : request;
		try {
			return await this.spec.http(authorized);
		} catch (error) {
			throw this.error(action, { hint: hints.network ?? setupHint(undefined), serviceMessage: error instanceof Error ? error.message : String(error) });
		}
	}

	/**
	 * Sends a request that creates something. When no answer came, it may have been created all the
	 * same: `undo` runs (best effort) before the error is thrown, so nothing is left behind.
	 */
	async sendOrUndo(action: string, request: HttpRequest, undo: () => Promise<unknown>): Promise<HttpResponse> {
		let lost: unknown;
		const response = await this.send(action, request).catch((error: unknown) => {
			lost = error;
			return undefined;
		});
		if (response) return response;
		await undo().catch(() => undefined);
		throw lost;
	}

	/** Sends and throws the service's refusal unless the answer is 2xx (or one of `accept`). */
	async request(action: string, request: HttpRequest, options: { hints?: ServiceHints; accept?: number[] } = {}): Promise<HttpResponse> {
		const hints = options.hints ?? this.hints;
		const response = await this.send(action, request, hints);
		if (this.ok(response) || options.accept?.includes(this.status(response))) return response;
		throw this.failure(action, response, hints);
	}

	status(response: HttpResponse): number {
		return this.spec.statusOf ? this.spec.statusOf(response) : response.status;
	}

	ok(response: HttpResponse): boolean {
		const status = this.status(response);
		return status >= 200 && status < 300;
	}

	/** The service's refusal as a ServiceError: status, its own words, and what to check. */
	failure(action: string, response: HttpResponse, hints: ServiceHints = this.hints): ServiceError {
		const status = this.status(response);
		return this.error(action, { status, serviceMessage: (this.spec.messageOf ?? messageFromBody)(response.body), hint: setupHint(status, hints) });
	}

	/** A ServiceError of this service, with the credential's secrets scrubbed from the service's words. */
	error(action: string, args: { status?: number; serviceMessage?: string; hint?: string; retryable?: boolean } = {}): ServiceError {
		const serviceMessage = args.serviceMessage === undefined ? undefined : this.scrub(args.serviceMessage);
		return new ServiceError({ service: this.spec.service, action, ...args, serviceMessage });
	}

	scrub(text: string): string {
		return scrubSecrets(text, this.spec.secrets);
	}
}
