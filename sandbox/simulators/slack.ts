import express, { type Request, type Response } from 'express';
import { listen } from './server';
import { DestinationFaults, bearer, type RecordedRequest } from './destination-faults';

/**
 * Slack simulator: Web API (auth.test, chat.postMessage, conversations.history,
 * conversations.replies) under /api, and incoming webhooks under /services/T…/B…/…
 * Web API errors answer HTTP 200 with {ok:false, error}, like Slack.
 */
export interface SlackSimMessage {
	channel: string;
	ts: string;
	text?: string;
	blocks?: unknown[];
	metadata?: { event_type: string; event_payload: Record<string, unknown> };
	thread_ts?: string;
	reply_count?: number;
}

export interface SlackSimState {
	botTokens: Set<string>;
	channels: Map<string, string>;
	/** Channels the bot token has no history scope for (answer missing_scope). */
	webhookPaths: Set<string>;
	messages: SlackSimMessage[];
	webhookMessages: Array<{ path: string; text?: string; blocks?: unknown[] }>;
	requests: RecordedRequest[];
}

export interface SlackSimulator {
	url: string;
	apiUrl: string;
	webhookUrl: string;
	close(): Promise<void>;
	state: SlackSimState;
	faults: DestinationFaults & {
		revokeToken(token?: string): void;
		/**
		 * The next chat.postMessage call(s) answer HTTP 200 `{ok:false, error}`; with `after` the
		 * message is posted first. Slack documents internal_error and fatal_error as "It's possible
		 * some aspect of the operation succeeded before the error was raised"
		 * (docs.slack.dev/reference/methods/chat.postMessage, Errors).
		 */
		postError(error: string, options?: { times?: number; after?: boolean }): void;
	};
	/** Requests to one Web API method (e.g. 'chat.postMessage'), faults included. */
	calls(method: string): RecordedRequest[];
}

export const SLACK_SIM_TOKEN = 'xoxb-sim-0000-token';
export const SLACK_SIM_CHANNEL = 'C0SIMLEGAL1';
const WEBHOOK_PATH = '/services/T0SIM/B0SIM/sim-webhook-secret';

export async function start(): Promise<SlackSimulator> {
	const state: SlackSimState = {
		botTokens: new Set([SLACK_SIM_TOKEN]),
		channels: new Map([[SLACK_SIM_CHANNEL, 'legal-events']]),
		webhookPaths: new Set([WEBHOOK_PATH]),
		messages: [],
		webhookMessages: [],
		requests: [],
	};
	const postErrors: Array<{ error: string; times: number; after: boolean }> = [];
	const faults = Object.assign(new DestinationFaults(), {
		revokeToken(token = SLACK_SIM_TOKEN) {
			state.botTokens.delete(token);
		},
		postError(error: string, options: { times?: number; after?: boolean } = {}) {
			postErrors.push({ error, times: options.times ?? 1, after: options.after ?? false });
		},
	});
	const takePostError = () => {
		const next = postErrors[0];
		if (!next) return undefined;
		if (--next.times <= 0) postErrors.shift();
		return next;
	};
	/**
	 * Cursor pagination (docs.slack.dev/apis/web-api/pagination): `limit` is capped at 999 for
	 * conversations.history/replies ("Maximum of 999"), a page may hold fewer, and
	 * `response_metadata.next_cursor` is empty on the last page.
	 */
	const page = <T>(items: T[], query: Record<string, unknown>) => {
		const limit = Math.min(999, Math.max(1, Number(query.limit ?? 100) || 100));
		const offset = query.cursor ? Number(Buffer.from(String(query.cursor), 'base64').toString('utf8').replace(/^offset:/, '')) : 0;
		const slice = items.slice(offset, offset + limit);
		const more = offset + limit < items.length;
		return { slice, has_more: more, response_metadata: { next_cursor: more ? Buffer.from(`offset:${offset + limit}`).toString('base64') : '' } };
	};
	let clock = 1_700_000_000;
	const nextTs = () => `${++clock}.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;

	const app = express();
	app.use(express.json({ limit: '1mb' }));
	app.use(express.urlencoded({ extended: false }));
	app.use(express.text({ type: 'text/*' }));
	app.use(faults.middleware(state.requests));

	const api = express.Router();
	const fail = (res: Response, error: string, extra: Record<string, unknown> = {}): void => {
		res.json({ ok: false, error, ...extra });
	};
	const authed = (req: Request, res: Response): boolean => {
		const token = bearer(req) ?? (typeof req.body?.token === 'string' ? req.body.token : undefined);
		if (!token) {
			fail(res, 'not_authed');
			return false;
		}
		if (!state.botTokens.has(token)) {
			fail(res, 'invalid_auth');
			return false;
		}
		return true;
	};
	const args = (req: Request): Record<string, unknown> => ({ ...req.query, ...(typeof req.body === 'object' ? req.body : {}) });
	const view = (m: SlackSimMessage, withMetadata: boolean) => {
		const { metadata, ...rest } = m;
		return withMetadata && metadata ? { type: 'message', ...rest, metadata } : { type: 'message', ...rest };
	};

	api.post('/auth.test', (req, res) => {
		if (!authed(req, res)) return;
		res.json({ ok: true, url: 'https://sim.slack.com/', team: 'Simulated Team', user: 'legalhooks', team_id: 'T0SIM', user_id: 'U0SIM', bot_id: 'B0SIMBOT' });
	});

	api.post('/chat.postMessage', (req, res) => {
		if (!authed(req, res)) return;
		const postError = takePostError();
		if (postError && !postError.after) return fail(res, postError.error);
		const a = args(req);
		const channel = String(a.channel ?? '');
		if (!state.channels.has(channel)) return fail(res, 'channel_not_found');
		if (!a.text && !a.blocks) return fail(res, 'no_text');
		if (a.blocks !== undefined && !Array.isArray(a.blocks)) return fail(res, 'invalid_blocks');
		let metadata = a.metadata as SlackSimMessage['metadata'] | string | undefined;
		if (typeof metadata === 'string') metadata = JSON.parse(metadata) as SlackSimMessage['metadata'];
		if (metadata && (typeof metadata.event_type !== 'string' || typeof metadata.event_payload !== 'object')) return fail(res, 'invalid_metadata_format');
		const threadTs = a.thread_ts ? String(a.thread_ts) : undefined;
		if (threadTs) {
			const parent = state.messages.find((m) => m.channel === channel && m.ts === threadTs);
			if (!parent) return fail(res, 'thread_not_found');
			parent.thread_ts = parent.ts;
			parent.reply_count = (parent.reply_count ?? 0) + 1;
		}
		const message: SlackSimMessage = {
			channel,
			ts: nextTs(),
			text: a.text as string | undefined,
			blocks: a.blocks as unknown[] | undefined,
			metadata: metadata as SlackSimMessage['metadata'],
			thread_ts: threadTs,
		};
		state.messages.push(message);
		if (postError) return fail(res, postError.error);
		return res.json({ ok: true, channel, ts: message.ts, message: view(message, true) });
	});

	// conversations.list: the workspace's channels, cursor-paged like conversations.history.
	api.get('/conversations.list', (req, res) => {
		if (!authed(req, res)) return;
		const all = [...state.channels.entries()].map(([id, name]) => ({ id, name, is_channel: true, is_archived: false }));
		const { slice, ...rest } = page(all, req.query);
		return res.json({ ok: true, channels: slice, ...rest });
	});

	// chat.getPermalink: a link to one message (docs.slack.dev/reference/methods/chat.getPermalink).
	api.get('/chat.getPermalink', (req, res) => {
		if (!authed(req, res)) return;
		const channel = String(req.query.channel ?? '');
		const ts = String(req.query.message_ts ?? '');
		const message = state.messages.find((m) => m.channel === channel && m.ts === ts);
		if (!message) return fail(res, 'message_not_found');
		return res.json({ ok: true, channel, permalink: `https://sim.slack.com/archives/${channel}/p${ts.replace('.', '')}` });
	});

	api.get('/conversations.history', (req, res) => {
		if (!authed(req, res)) return;
		const channel = String(req.query.channel ?? '');
		if (!state.channels.has(channel)) return fail(res, 'channel_not_found');
		const withMetadata = String(req.query.include_all_metadata) === 'true';
		const top = state.messages.filter((m) => m.channel === channel && (!m.thread_ts || m.thread_ts === m.ts)).reverse();
		const { slice, ...rest } = page(top, req.query);
		return res.json({ ok: true, messages: slice.map((m) => view(m, withMetadata)), ...rest });
	});

	api.get('/conversations.replies', (req, res) => {
		if (!authed(req, res)) return;
		const channel = String(req.query.channel ?? '');
		const ts = String(req.query.ts ?? '');
		if (!state.channels.has(channel)) return fail(res, 'channel_not_found');
		const parent = state.messages.find((m) => m.channel === channel && m.ts === ts);
		if (!parent) return fail(res, 'thread_not_found');
		const withMetadata = String(req.query.include_all_metadata) === 'true';
		const thread = [parent, ...state.messages.filter((m) => m.channel === channel && m.thread_ts === ts && m.ts !== ts)];
		const { slice, ...rest } = page(thread, req.query);
		return res.json({ ok: true, messages: slice.map((m) => view(m, withMetadata)), ...rest });
	});

	app.use('/api', api);

	app.post('/services/:team/:bot/:secret', (req, res) => {
		if (!state.webhookPaths.has(req.path)) return res.status(404).type('text/plain').send('no_service');
		const body = typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
		if (!body.text && !body.blocks) return res.status(400).type('text/plain').send('no_text');
		if (body.blocks !== undefined && !Array.isArray(body.blocks)) return res.status(400).type('text/plain').send('invalid_blocks');
		state.webhookMessages.push({ path: req.path, text: body.text as string | undefined, blocks: body.blocks as unknown[] | undefined });
		return res.status(200).type('text/plain').send('ok');
	});

	const running = await listen(app);
	return {
		url: running.url,
		apiUrl: `${running.url}/api`,
		webhookUrl: `${running.url}${WEBHOOK_PATH}`,
		close: running.close,
		state,
		faults,
		calls: (method: string) => state.requests.filter((r) => r.path === `/api/${method}`),
	};
}
