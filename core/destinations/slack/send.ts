import { createHash } from 'node:crypto';
import type { NormalizedEvent } from '../../event/normalized-event';
import { messageFromBody } from '../../outbound/errors';
import { classifyStatus, nowOf, redact, runWithRetry, type DeliveryContext, type DeliveryReport } from '../delivery';
import { EventInputError } from '../event-input';
import { SendGuard } from '../send-guard';
import { SlackWebApi, payloadOf, report, webhookHint, type SlackApiMessage } from './client';
import { buildSlackMessage } from './mapping';
import { SLACK_DEFAULT_BASE_URL, SLACK_SERVICE, type SlackCredentials, type SlackMessage, type SlackOptions, type SlackResult } from './types';

const CHANNEL_ID = /^[CGD][A-Z0-9]{6,}$/;

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
