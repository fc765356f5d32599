

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
