import type { DeliveryContext } from '../delivery';
import { EventInputError } from '../event-input';
import { SlackWebApi, report } from './client';
import { SLACK_DEFAULT_BASE_URL, type SlackCredentials } from './types';

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
