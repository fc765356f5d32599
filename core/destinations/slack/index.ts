import type { NormalizedEvent } from '../../event';
import { ServiceError, messageFromBody } from '../../errors';
import type { HttpResponse } from '../../http';
import { classifyStatus, headerOf, nowOf, parseRetryAfter, redact, runWithRetry, type AttemptOutcome, type DeliveryContext, type DeliveryReport } from '../delivery';
import { EventInputError, STATUS_LABELS, VENDOR_LABELS, documentLabel, personOf, renderTemplate } from '../event-input';

export const SLACK_SERVICE = 'Slack';
export const SLACK_DEFAULT_BASE_URL = 'https://slack.com/api';
/** `metadata.event_type` of every message we post; `event_payload` carries the ids we look for. */
export const SLACK_METADATA_EVENT_TYPE = 'legalhooks_document_event';

export interface SlackCredentials {
	/** `botToken`: Web API chat.postMessage; `webhook`: an incoming-webhook URL. */
	kind: 'botToken' | 'webhook';
	botToken?: string;
	webhookUrl?: string;
	/** Web API base URL (tests point it at the simulator). */
	baseUrl?: string;
}

export interface SlackOptions {
	/** Channel ID (C…/G…) or name; required with a bot token, ID required for threads. */
	channel?: string;
	/** Replaces the default notification text; `{{path}}` placeholders are filled from the event. */
	text?: string;
	/** Send the Block Kit layout (default true); false sends the text only. */
	blocks?: boolean;
	/** Post the first event of a document as a message and later ones as replies in its thread. */
	threadPerDocument?: boolean;
	/** How many recent channel messages to search for a document's thread (default 200, max 1000). */
	historyLimit?: number;
}

export interface SlackResult {
	destination: 'slack';
	/** `posted`, or `duplicate` when the event was found already posted (nothing sent). */
	outcome: 'posted' | 'duplicate';
	channel?: string;
	ts?: string;
	threadTs?: string;
	attempts: number;
	waitedMs: number[];
}

export interface SlackMessage {
	text: string;
	blocks?: unknown[];
	metadata: { event_type: string; event_payload: Record<string, string> };
}

function escapeMrkdwn(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function truncate(text: string, max: number): string {
	return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function safeLink(url: string | undefined): string | undefined {
	if (!url || !/^https?:\/\//i.test(url)) return undefined;
	return url.replace(/\|/g, '%7C').replace(/>/g, '%3E').replace(/</g, '%3C');
}

function slackDate(iso: string | null | undefined): string | undefined {
	if (!iso) return undefined;
	const ms = Date.parse(iso);
	if (Number.isNaN(ms)) return undefined;
	return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${iso}>`;
}

/** The message for an event: Block Kit layout, notification text, and metadata carrying the ids. */
export function buildSlackMessage(event: NormalizedEvent, options: Pick<SlackOptions, 'text' | 'blocks'> = {}): SlackMessage {
	const title = documentLabel(event);
	const status = STATUS_LABELS[event.document.status];
	const vendor = VENDOR_LABELS[event.vendor];
	const who = personOf(event);
	const when = event.occurredAt ?? event.receivedAt;
	const text = options.text?.trim() ? renderTemplate(options.text, event) : `${title}: ${status.toLowerCase()} (${vendor})${who ? ` — ${who}` : ''}`;
	const metadata = {
		event_type: SLACK_METADATA_EVENT_TYPE,
		event_payload: { event_id: event.id, document_id: event.document.id, vendor: event.vendor, status: event.document.status },
	};
	if (options.blocks === false) return { text, metadata };
	const link = safeLink(event.document.url);
	const fields = [
		{ type: 'mrkdwn', text: `*Status*\n${status}` },
		{ type: 'mrkdwn', text: `*Vendor*\n${vendor}` },
		...(who ? [{ type: 'mrkdwn', text: `*Who*\n${escapeMrkdwn(truncate(who, 200))}` }] : []),
		{ type: 'mrkdwn', text: `*When*\n${slackDate(when) ?? escapeMrkdwn(when)}` },
	];
	const heading = link ? `<${link}|${escapeMrkdwn(truncate(title, 200))}>` : `*${escapeMrkdwn(truncate(title, 200))}*`;
	const blocks: unknown[] = [
		{ type: 'header', text: { type: 'plain_text', text: truncate(title, 150), emoji: false } },
		{ type: 'section', text: { type: 'mrkdwn', text: options.text?.trim() ? escapeMrkdwn(truncate(text, 2900)) : heading }, fields },
		{
			type: 'context',
			elements: [{ type: 'mrkdwn', text: escapeMrkdwn(truncate(`${event.type} · document ${event.document.id} · event ${event.id}`, 2900)) }],
		},
	];
	if (options.text?.trim() && link) blocks.splice(2, 0, { type: 'section', text: { type: 'mrkdwn', text: heading } });
	return { text: truncate(text, 3900), blocks, metadata };
}

const RETRYABLE_SLACK_ERRORS = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

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
		return { kind: 'retry', error, retryAfterMs: parseRetryAfter(headerOf(response, 'retry-after'), now) };
	}
	return { kind: 'fail', error };
}

interface SlackApiMessage {
	ts?: string;
	thread_ts?: string;
	metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

function payloadOf(message: SlackApiMessage): Record<string, unknown> | undefined {
	return message.metadata?.event_type === SLACK_METADATA_EVENT_TYPE ? message.metadata.event_payload : undefined;
}

function report(): DeliveryReport {
	return { attempts: 0, waitedMs: [], tokenRefreshed: false };
}

class SlackWebApi {
	constructor(
		private readonly ctx: DeliveryContext,
		private readonly token: string,
		private readonly baseUrl: string,
		readonly stats: DeliveryReport,
	) {}

	private headers(json: boolean): Record<string, string> {
		const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: 'application/json' };
		if (json) headers['content-type'] = 'application/json; charset=utf-8';
		return headers;
	}

	async call<T>(method: string, args: { get?: Record<string, string | number | boolean>; post?: Record<string, unknown> }, ok: (body: Record<string, unknown>) => T, beforeAmbiguousRetry?: () => Promise<{ done: unknown } | undefined>): Promise<T> {
		const url = `${this.baseUrl.replace(/\/+$/, '')}/${method}`;
		return runWithRetry<T>(
			this.ctx,
			{ service: SLACK_SERVICE, action: method, beforeAmbiguousRetry },
			async () => {
				const response = args.post
					? await this.ctx.http({ method: 'POST', url, headers: this.headers(true), body: args.post })
					: await this.ctx.http({ method: 'GET', url, headers: this.headers(false), qs: args.get });
				return classifySlackApi(response, method, nowOf(this.ctx), ok);
			},
			this.stats,
		);
	}

	async history(channel: string, limit: number): Promise<SlackApiMessage[]> {
		return this.call('conversations.history', { get: { channel, limit, include_all_metadata: true } }, (body) => (Array.isArray(body.messages) ? (body.messages as SlackApiMessage[]) : []));
	}

	async replies(channel: string, ts: string): Promise<SlackApiMessage[]> {
		return this.call('conversations.replies', { get: { channel, ts, limit: 1000, include_all_metadata: true } }, (body) => (Array.isArray(body.messages) ? (body.messages as SlackApiMessage[]) : []));
	}
}

const CHANNEL_ID = /^[CGD][A-Z0-9]{6,}$/;

/**
 * Posts the event to Slack. Bot token: chat.postMessage with the event id in message metadata; in
 * thread mode the document's first message is found in the channel history (by metadata) and the
 * thread's replies are checked for this event id first, so a retried event is not posted twice.
 * Incoming webhook: one POST (no metadata, no threads).
 */
export async function sendToSlack(ctx: DeliveryContext, credentials: SlackCredentials, event: NormalizedEvent, options: SlackOptions = {}): Promise<SlackResult> {
	const message = buildSlackMessage(event, options);
	const stats = report();
	if (credentials.kind === 'webhook') {
		if (!credentials.webhookUrl) throw new EventInputError('The Slack credential has no incoming-webhook URL', 'webhookUrl');
		if (options.threadPerDocument) throw new EventInputError('Thread per document needs a bot token; incoming webhooks cannot reply in threads', 'threadPerDocument');
		const webhookUrl = credentials.webhookUrl;
		await runWithRetry(
			ctx,
			{ service: SLACK_SERVICE, action: 'incoming webhook' },
			async () => {
				const response = await ctx.http({ method: 'POST', url: webhookUrl, headers: { 'content-type': 'application/json' }, body: { text: message.text, blocks: message.blocks } });
				return classifyStatus(response, {
					service: SLACK_SERVICE,
					action: 'incoming webhook',
					now: nowOf(ctx),
					message: typeof response.body === 'string' ? redact(response.body).slice(0, 200) : messageFromBody(response.body),
					hint: webhookHint(response.status),
					ok: () => true,
				});
			},
			stats,
		);
		return { destination: 'slack', outcome: 'posted', attempts: stats.attempts, waitedMs: stats.waitedMs };
	}

	if (!credentials.botToken) throw new EventInputError('The Slack credential has no bot token', 'botToken');
	const channel = options.channel?.trim();
	if (!channel) throw new EventInputError('Set the Slack channel (channel ID such as C0123456789)', 'channel');
	const api = new SlackWebApi(ctx, credentials.botToken, credentials.baseUrl || SLACK_DEFAULT_BASE_URL, stats);
	const limit = Math.min(1000, Math.max(1, Math.floor(options.historyLimit ?? 200)));

	let threadTs: string | undefined;
	if (options.threadPerDocument) {
		if (!CHANNEL_ID.test(channel)) throw new EventInputError('Thread per document needs the channel ID (e.g. C0123456789), not its name', 'channel');
		const history = await api.history(channel, limit);
		const roots = history.filter((m) => payloadOf(m)?.document_id === event.document.id && (!m.thread_ts || m.thread_ts === m.ts));
		const parent = roots[roots.length - 1];
		if (parent?.ts) {
			if (payloadOf(parent)?.event_id === event.id) return duplicate(channel, parent.ts, undefined, stats);
			const replies = await api.replies(channel, parent.ts);
			const seen = replies.find((m) => payloadOf(m)?.event_id === event.id);
			if (seen) return duplicate(channel, seen.ts, parent.ts, stats);
			threadTs = parent.ts;
		}
	}

	// After an ambiguous failure (5xx, connection lost) the message may have been posted: look first.
	const alreadyPosted = async (): Promise<{ done: unknown } | undefined> => {
		try {
			const messages = threadTs ? await api.replies(channel, threadTs) : await api.history(channel, Math.min(limit, 100));
			const seen = messages.find((m) => payloadOf(m)?.event_id === event.id);
			return seen ? { done: { ts: seen.ts, channel, duplicate: true } } : undefined;
		} catch {
			return undefined; // cannot check (e.g. no history scope): post again rather than lose the event
		}
	};

	const posted = await api.call(
		'chat.postMessage',
		{ post: { channel, text: message.text, blocks: message.blocks, metadata: message.metadata, ...(threadTs ? { thread_ts: threadTs } : {}), unfurl_links: false } },
		(body): { ts?: string; channel: string; duplicate?: boolean } => ({
			ts: typeof body.ts === 'string' ? body.ts : undefined,
			channel: typeof body.channel === 'string' ? body.channel : channel,
		}),
		alreadyPosted,
	);
	if (posted.duplicate) return duplicate(channel, posted.ts, threadTs, stats);
	return { destination: 'slack', outcome: 'posted', channel: posted.channel, ts: posted.ts, threadTs, attempts: stats.attempts, waitedMs: stats.waitedMs };
}

function duplicate(channel: string, ts: string | undefined, threadTs: string | undefined, stats: DeliveryReport): SlackResult {
	return { destination: 'slack', outcome: 'duplicate', channel, ts, threadTs, attempts: stats.attempts, waitedMs: stats.waitedMs };
}

function webhookHint(status: number): string | undefined {
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
