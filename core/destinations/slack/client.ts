import { ServiceError, messageFromBody } from '../../outbound/errors';
import type { HttpResponse } from '../../outbound/http';
import { ServiceTransport } from '../../outbound/transport';
import { classifyStatus, headerOf, nowOf, parseRetryAfter, runWithRetry, type AttemptOutcome, type DeliveryContext, type DeliveryReport } from '../delivery';
import { EventInputError } from '../event-input';
import { SLACK_DEFAULT_BASE_URL, SLACK_METADATA_EVENT_TYPE, SLACK_SERVICE, type SlackCredentials } from './types';

const RETRYABLE_SLACK_ERRORS = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

/**
 * HTTP 200 `ok:false` errors after which "some aspect of the operation [may have] succeeded before
 * the error was raised" (Slack's chat.postMessage error list): the outcome is unknown, so a post is
 * looked for before it is sent again.
 */
const UNKNOWN_OUTCOME_SLACK_ERRORS = new Set(['internal_error', 'fatal_error']);

function slackHint(code: string | undefined, body: Record<string, unknown>): string {
	switch (code) {
		case 'invalid_auth':
		case 'not_authed':
		case 'token_revoked':
		case 'token_expired':
		case 'account_inactive':
			return 'the bot token was refused; reinstall the Slack app and update the credential';
		case 'missing_scope':
			return `the bot token lacks the scope ${typeof body.needed === 'string' ? body.needed : 'this method needs'} (add it in the Slack app settings and reinstall)`;
		case 'channel_not_found':
			return 'check the channel ID and that the app can see the channel';
		case 'not_in_channel':
			return 'invite the app to the channel (/invite @your-app)';
		case 'is_archived':
		case 'channel_is_archived':
			return 'the channel is archived';
		case 'invalid_blocks':
		case 'invalid_blocks_format':
			return 'Slack rejected the message layout; try with Blocks turned off or a shorter text';
		case 'msg_too_long':
			return 'the message text is too long';
		default:
			return 'check the node settings';
	}
}

/** Slack Web API: HTTP 200 with `ok: false` is an error; 429 carries Retry-After. */
function classifySlackApi<T>(response: HttpResponse, action: string, now: number, ok: (body: Record<string, unknown>) => T): AttemptOutcome<T> {
	if (response.status !== 200) {
		return classifyStatus(response, { service: SLACK_SERVICE, action, now, ok: () => ok({}) });
	}
	const body = (response.body && typeof response.body === 'object' ? response.body : {}) as Record<string, unknown>;
	if (body.ok === true) return { kind: 'ok', value: ok(body) };
	const code = typeof body.error === 'string' ? body.error : messageFromBody(response.body);
	const error = new ServiceError({
		service: SLACK_SERVICE,
		action,
		status: response.status,
		serviceMessage: code,
		hint: slackHint(code, body),
		retryable: code !== undefined && RETRYABLE_SLACK_ERRORS.has(code),
	});
	if (code && RETRYABLE_SLACK_ERRORS.has(code)) {
		return { kind: 'retry', error, retryAfterMs: parseRetryAfter(headerOf(response, 'retry-after'), now), ambiguous: UNKNOWN_OUTCOME_SLACK_ERRORS.has(code) };
	}
	return { kind: 'fail', error };
}

export interface SlackApiMessage {
	ts?: string;
	thread_ts?: string;
	metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

export function payloadOf(message: SlackApiMessage): Record<string, unknown> | undefined {
	return message.metadata?.event_type === SLACK_METADATA_EVENT_TYPE ? message.metadata.event_payload : undefined;
}

export function report(): DeliveryReport {
	return { attempts: 0, waitedMs: [], tokenRefreshed: false };
}

/** conversations.history / replies: "limit … Maximum of 999" (docs.slack.dev/reference/methods/conversations.history). */
const SLACK_PAGE_MAX = 999;

const MAX_THREAD_MESSAGES = 5000;

export class SlackWebApi {
	/** The Web API transport: the bot token as Bearer (none when the engine signs). */
	private readonly transport: ServiceTransport;

	constructor(
		private readonly ctx: DeliveryContext,
		token: string | undefined,
		private readonly baseUrl: string,
		readonly stats: DeliveryReport,
	) {
		this.transport = new ServiceTransport({
			service: SLACK_SERVICE,
			http: ctx.http,
			secrets: [token],
			authorize: (request) => (token ? { ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } } : request),
		});
	}

	private headers(json: boolean): Record<string, string> {
		const headers: Record<string, string> = { accept: 'application/json' };
		if (json) headers['content-type'] = 'application/json; charset=utf-8';
		return headers;
	}

	async call<T>(
		method: string,
		args: { get?: Record<string, string | number | boolean>; post?: Record<string, unknown> },
		ok: (body: Record<string, unknown>) => T,
		beforeAmbiguousRetry?: () => Promise<{ done: unknown } | undefined>,
		stats: DeliveryReport = this.stats,
	): Promise<T> {
		const url = `${this.baseUrl.replace(/\/+$/, '')}/${method}`;
		return runWithRetry<T>(
			this.ctx,
			{ service: SLACK_SERVICE, action: method, beforeAmbiguousRetry },
			async () => {
				const response = args.post
					? await this.transport.exchange({ method: 'POST', url, headers: this.headers(true), body: args.post })
					: await this.transport.exchange({ method: 'GET', url, headers: this.headers(false), qs: args.get });
				return classifySlackApi(response, method, nowOf(this.ctx), ok);
			},
			stats,
		);
	}

	/**
	 * Pages through a cursor-paginated method (`response_metadata.next_cursor`) until `max` messages
	 * were read or `stop` finds what is looked for. Slack caps `limit` at 999 and may return fewer.
	 */
	private async paged(method: string, args: Record<string, string | number | boolean>, max: number, stop?: (m: SlackApiMessage) => boolean): Promise<SlackApiMessage[]> {
		const messages: SlackApiMessage[] = [];
		let cursor: string | undefined;
		do {
			const page = await this.call(method, { get: { ...args, limit: Math.min(SLACK_PAGE_MAX, max - messages.length), include_all_metadata: true, ...(cursor ? { cursor } : {}) } }, (body) => ({
				messages: Array.isArray(body.messages) ? (body.messages as SlackApiMessage[]) : [],
				next: ((body.response_metadata as Record<string, unknown> | undefined)?.next_cursor as string | undefined) || undefined,
			}));
			messages.push(...page.messages);
			if (stop && page.messages.some(stop)) break;
			cursor = page.next;
		} while (cursor && messages.length < max);
		return messages;
	}

	/** chat.getPermalink; best effort (the message is posted either way). */
	async permalink(channel: string, ts: string): Promise<string | undefined> {
		try {
			return await this.call('chat.getPermalink', { get: { channel, message_ts: ts } }, (body) => (typeof body.permalink === 'string' ? body.permalink : undefined), undefined, report());
		} catch {
			return undefined;
		}
	}

	async history(channel: string, max: number, stop?: (m: SlackApiMessage) => boolean): Promise<SlackApiMessage[]> {
		return this.paged('conversations.history', { channel }, max, stop);
	}

	async replies(channel: string, ts: string, stop?: (m: SlackApiMessage) => boolean): Promise<SlackApiMessage[]> {
		return this.paged('conversations.replies', { channel, ts }, MAX_THREAD_MESSAGES, stop);
	}
}

export function webhookHint(status: number): string | undefined {
	if (status === 403) return 'the webhook is not allowed to post (action_prohibited)';
	if (status === 404) return 'the incoming-webhook URL is unknown or its channel was deleted; create a new webhook';
	if (status === 410) return 'the channel of this webhook is archived';
	if (status === 400) return 'Slack rejected the message';
	return undefined;
}

/** Checks a bot token with auth.test (used by the Node-RED "test connection" button). */
export async function testSlackCredentials(ctx: DeliveryContext, credentials: SlackCredentials): Promise<{ ok: true; team?: string; user?: string }> {
	if (credentials.kind === 'webhook') {
		if (!credentials.webhookUrl || !/^https?:\/\//.test(credentials.webhookUrl)) throw new EventInputError('The incoming-webhook URL is missing or not a URL', 'webhookUrl');
		await sendWebhookTest(ctx, credentials.webhookUrl);
		return { ok: true };
	}
	if (!credentials.botToken) throw new EventInputError('The bot token is empty', 'botToken');
	const api = new SlackWebApi(ctx, credentials.botToken, credentials.baseUrl || SLACK_DEFAULT_BASE_URL, report());
	return api.call('auth.test', { post: {} }, (body) => ({ ok: true as const, team: body.team as string | undefined, user: body.user as string | undefined }));
}

async function sendWebhookTest(ctx: DeliveryContext, url: string): Promise<void> {
	await runWithRetry(ctx, { service: SLACK_SERVICE, action: 'incoming webhook test' }, async () => {
		const response = await ctx.http({ method: 'POST', url, headers: { 'content-type': 'application/json' }, body: { text: 'legalhooks: connection test' } });
		return classifyStatus(response, { service: SLACK_SERVICE, action: 'incoming webhook test', now: nowOf(ctx), hint: webhookHint(response.status), ok: () => undefined });
	});
}
