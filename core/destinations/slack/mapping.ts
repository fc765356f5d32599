import type { NormalizedEvent } from '../../event/normalized-event';
import { STATUS_LABELS, VENDOR_LABELS, documentLabel, documentPageUrl, personOf, renderTemplate } from '../event-input';
import { SLACK_METADATA_EVENT_TYPE, type SlackMessage, type SlackOptions } from './types';

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
