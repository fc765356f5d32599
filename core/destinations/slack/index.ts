import { createHash } from 'node:crypto';
import type { NormalizedEvent } from '../../event';
import { ServiceError, messageFromBody } from '../../errors';
import type { HttpResponse } from '../../http';
import { classifyStatus, headerOf, nowOf, parseRetryAfter, redact, runWithRetry, type AttemptOutcome, type DeliveryContext, type DeliveryReport } from '../delivery';
import { EventInputError, STATUS_LABELS, VENDOR_LABELS, documentLabel, documentPageUrl, personOf, renderTemplate } from '../event-input';
import { SendGuard } from '../send-guard';

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
	/** The injected HTTP client adds the bot token itself (n8n's httpRequestWithAuthentication). */
	engineAuth?: boolean;
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
	/** How many recent channel messages to search for a document's thread (default 200, max 5000; read in pages). */
	historyLimit?: number;
	/** Values for placeholders the event lacks: what earlier actions added (`{{xero.invoiceNumber}}`). */
	context?: Record<string, unknown>;
}

export interface SlackResult {
	destination: 'slack';
	/** `posted`, or `duplicate` when the event was found already posted (nothing sent). */
	outcome: 'posted' | 'duplicate';
	channel?: string;
	ts?: string;
	threadTs?: string;
	/** Link to the message (chat.getPermalink), when Slack gave one. */
	permalink?: string;
	attempts: number;
	waitedMs: number[];
}

export interface SlackMessage {
	text: string;
	blocks?: unknown[];
	metadata: { event_type: string; event_payload: Record<string, string> };
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Slack's three control characters as entities, so `<!channel>` or `<@U…>` in data never pings. */
function escapeMrkdwn(text: string): string {
	return text.replace(/[&<>]/g, (c) => ENTITIES[c]);
}

function truncate(text: string, max: number): string {
	return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Escapes, then cuts to `max` characters of the escaped text (what Slack counts), never inside
 * an entity. Escaping after cutting could triple the length: a 2,900-character text of `<` became
 * 11,600 characters against a 3,000 limit.
 */
export function escapeAndTruncate(text: string, max: number): string {
	const escaped = escapeMrkdwn(text);
	if (escaped.length <= max) return escaped;
	let out = '';
	for (const char of text) {
		const piece = ENTITIES[char] ?? char;
		if (out.length + piece.length > max - 1) break;
		out += piece;
	}
	return `${out}…`;
}

/** Slack's limits: a section text 3,000 characters; top-level text is truncated past 40,000. */
export const SLACK_SECTION_MAX = 3000;
const TOP_LEVEL_TEXT_MAX = 3900;

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
export function buildSlackMessage(event: NormalizedEvent, options: Pick<SlackOptions, 'text' | 'blocks' | 'context'> = {}): SlackMessage {
	const title = documentLabel(event);
	const status = STATUS_LABELS[event.document.status];
	const vendor = VENDOR_LABELS[event.vendor];
	const who = personOf(event);
	const when = event.occurredAt ?? event.receivedAt;
	const text = options.text?.trim() ? renderTemplate(options.text, event, options.context) : `${title}: ${status.toLowerCase()} (${vendor})${who ? ` — ${who}` : ''}`;
	const metadata = {
		event_type: SLACK_METADATA_EVENT_TYPE,
		event_payload: { event_id: event.id, document_id: event.document.id, vendor: event.vendor, status: event.document.status },
	};
	if (options.blocks === false) return { text: escapeAndTruncate(text, TOP_LEVEL_TEXT_MAX), metadata };
	const link = safeLink(documentPageUrl(event));
	const fields = [
		{ type: 'mrkdwn', text: `*Status*\n${status}` },
		{ type: 'mrkdwn', text: `*Vendor*\n${vendor}` },
		...(who ? [{ type: 'mrkdwn', text: `*Who*\n${escapeAndTruncate(who, 200)}` }] : []),
		{ type: 'mrkdwn', text: `*When*\n${slackDate(when) ?? escapeMrkdwn(when)}` },
	];
	const heading = link ? `<${link}|${escapeAndTruncate(title, 200)}>` : `*${escapeAndTruncate(title, 200)}*`;
	const blocks: unknown[] = [
		{ type: 'header', text: { type: 'plain_text', text: truncate(title, 150), emoji: false } },
		{ type: 'section', text: { type: 'mrkdwn', text: options.text?.trim() ? escapeAndTruncate(text, SLACK_SECTION_MAX) : heading }, fields },
		{
			type: 'context',
			elements: [{ type: 'mrkdwn', text: escapeAndTruncate(`${event.type} · document ${event.document.id} · event ${event.id}`, SLACK_SECTION_MAX) }],
		},
	];
	if (options.text?.trim() && link) blocks.splice(2, 0, { type: 'section', text: { type: 'mrkdwn', text: heading } });
	return { text: escapeAndTruncate(text, TOP_LEVEL_TEXT_MAX), blocks, metadata };
}

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
		private readonly token: string | undefined,
		private readonly baseUrl: string,
		readonly stats: DeliveryReport,
	) {}

	private headers(json: boolean): Record<string, string> {
		const headers: Record<string, string> = { accept: 'application/json' };
		if (this.token) headers.authorization = `Bearer ${this.token}`;
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
					? await this.ctx.http({ method: 'POST', url, headers: this.headers(true), body: args.post })
					: await this.ctx.http({ method: 'GET', url, headers: this.headers(false), qs: args.get });
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

const CHANNEL_ID = /^[CGD][A-Z0-9]{6,}$/;
/** conversations.history / replies: "limit … Maximum of 999" (docs.slack.dev/reference/methods/conversations.history). */
const SLACK_PAGE_MAX = 999;
const MAX_THREAD_MESSAGES = 5000;
/** How far back the duplicate/thread search may read (pages of up to 999). */
export const SLACK_HISTORY_MAX = 5000;

/** A message the node posted (or found posted) for an event. */
interface PostedMessage {
	channel: string;
	ts?: string;
	threadTs?: string;
}

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
	if (options.threadPerDocument && !CHANNEL_ID.test(channel)) throw new EventInputError('Thread per document needs the channel ID (e.g. C0123456789), not its name', 'channel');
	const api = new SlackWebApi(ctx, credentials.engineAuth ? undefined : credentials.botToken, credentials.baseUrl || SLACK_DEFAULT_BASE_URL, stats);
	// Per workspace (API URL and token) and channel.
	const scope = `${credentials.baseUrl || SLACK_DEFAULT_BASE_URL}\u0000${createHash('sha256').update(credentials.botToken).digest('hex').slice(0, 16)}\u0000${channel}`;
	const eventKey = `${scope}\u0000event\u0000${event.vendor}\u0000${event.id}`;
	const lockKey = options.threadPerDocument ? `${scope}\u0000document\u0000${event.vendor}\u0000${event.document.id}` : eventKey;
	// The node's guard: one send at a time per event (per document in thread mode), check then post,
	// and what it posted lately. Without one (a single send), only the channel history is checked.
	const guard = ctx.guard ?? new SendGuard();
	return guard.run(lockKey, async () => {
		const known = guard.recall<PostedMessage>(eventKey);
		if (known) return duplicate(known.channel, known.ts, known.threadTs, stats);
		const result = await postOnce(api, channel, event, message, options, stats);
		guard.remember(eventKey, { channel: result.channel ?? channel, ts: result.ts, threadTs: result.threadTs } satisfies PostedMessage);
		return result;
	});
}

async function postOnce(api: SlackWebApi, channel: string, event: NormalizedEvent, message: SlackMessage, options: SlackOptions, stats: DeliveryReport): Promise<SlackResult> {
	const limit = Math.min(SLACK_HISTORY_MAX, Math.max(1, Math.floor(options.historyLimit ?? 200)));
	const isThisEvent = (m: SlackApiMessage) => payloadOf(m)?.event_id === event.id;

	let threadTs: string | undefined;
	if (options.threadPerDocument) {
		const isRoot = (m: SlackApiMessage) => payloadOf(m)?.document_id === event.document.id && (!m.thread_ts || m.thread_ts === m.ts);
		// Newest first: the first root found is the document's latest thread.
		const parent = (await api.history(channel, limit, isRoot)).find(isRoot);
		if (parent?.ts) {
			if (isThisEvent(parent)) return duplicate(channel, parent.ts, undefined, stats);
			const seen = (await api.replies(channel, parent.ts, isThisEvent)).find(isThisEvent);
			if (seen) return duplicate(channel, seen.ts, parent.ts, stats);
			threadTs = parent.ts;
		}
	}

	// After an unknown outcome (5xx, connection lost, ok:false internal_error/fatal_error) the
	// message may have been posted: look first.
	const alreadyPosted = async (): Promise<{ done: unknown } | undefined> => {
		try {
			const messages = threadTs ? await api.replies(channel, threadTs, isThisEvent) : await api.history(channel, Math.min(limit, 200), isThisEvent);
			const seen = messages.find(isThisEvent);
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
	const permalink = posted.ts ? await api.permalink(posted.channel, posted.ts) : undefined;
	if (posted.duplicate) return { ...duplicate(channel, posted.ts, threadTs, stats), permalink };
	return { destination: 'slack', outcome: 'posted', channel: posted.channel, ts: posted.ts, threadTs, permalink, attempts: stats.attempts, waitedMs: stats.waitedMs };
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

/** Channels the bot can post to, for pickers: conversations.list (public and private, not archived), cursor-paged. */
export async function listSlackChannels(ctx: DeliveryContext, credentials: SlackCredentials, max = 1000): Promise<Array<{ id: string; name: string }>> {
	if (credentials.kind !== 'botToken' || !credentials.botToken) throw new EventInputError('Listing channels needs a bot token', 'botToken');
	const api = new SlackWebApi(ctx, credentials.engineAuth ? undefined : credentials.botToken, credentials.baseUrl || SLACK_DEFAULT_BASE_URL, report());
	const channels: Array<{ id: string; name: string }> = [];
	let cursor: string | undefined;
	do {
		const page = await api.call('conversations.list', { get: { types: 'public_channel,private_channel', exclude_archived: true, limit: 200, ...(cursor ? { cursor } : {}) } }, (body) => ({
			channels: Array.isArray(body.channels) ? (body.channels as Array<{ id?: unknown; name?: unknown }>) : [],
			next: ((body.response_metadata as Record<string, unknown> | undefined)?.next_cursor as string | undefined) || undefined,
		}));
		for (const c of page.channels) if (typeof c.id === 'string') channels.push({ id: c.id, name: typeof c.name === 'string' ? c.name : c.id });
		cursor = page.next;
	} while (cursor && channels.length < max);
	return channels.sort((a, b) => a.name.localeCompare(b.name));
}
