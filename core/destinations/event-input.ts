import { VENDOR_LABELS } from '../vendors/labels';
import { NormalizedEventSchema, type DocumentStatus, type NormalizedEvent } from '../event/normalized-event';

/** The input is not a usable normalized event, or lacks a field the action needs. Not retryable. */
export class EventInputError extends Error {
	readonly field?: string;
	readonly retryable = false;
	constructor(message: string, field?: string) {
		super(message);
		this.name = 'EventInputError';
		this.field = field;
	}
}

/** Validates the incoming item/payload against the NormalizedEvent schema, naming the first bad field. */
export function parseEvent(input: unknown): NormalizedEvent {
	const result = NormalizedEventSchema.safeParse(input);
	if (result.success) return result.data;
	const issue = result.error.issues[0];
	const path = issue?.path.join('.') || '(root)';
	throw new EventInputError(
		`The input is not a legalhooks normalized event: ${path}: ${issue?.message ?? 'invalid'}. Connect this node after a legalhooks trigger (or pass the event unchanged).`,
		path,
	);
}

export { VENDOR_LABELS };

export const STATUS_LABELS: Record<DocumentStatus, string> = {
	created: 'Created',
	in_review: 'In review',
	in_approval: 'In approval',
	approved: 'Approved',
	out_for_signature: 'Out for signature',
	completed: 'Completed',
	rejected: 'Rejected',
	cancelled: 'Cancelled',
	expired: 'Expired',
	deleted: 'Deleted',
	other: 'Other',
};

/**
 * The vendor's own page for the document, as a link a reader can open any time later: Legito's
 * `detailLink`. Not `document.url`: that is a file download (Plexus: presigned, valid 15 minutes from the
 * event, shown redacted), and the other vendors give no page in their events. Undefined: no link.
 */
export function documentPageUrl(event: NormalizedEvent): string | undefined {
	const page = event.vendor === 'legito' ? valueAt(event, 'data.detailLink') : undefined;
	return typeof page === 'string' && /^https?:\/\/[^\s]+$/i.test(page) ? page : undefined;
}

const DESTINATION_LABELS: Record<string, string> = { slack: 'Slack', salesforce: 'Salesforce', xero: 'Xero' };

/**
 * The result of an event this action already sent (n8n's Send Each Event Once): nothing was sent, and
 * the hint says why and how to send again in a test — a re-run of the same test event is "already sent".
 */
export function alreadySentResult(destination: string, event: NormalizedEvent): Record<string, string> {
	const where = DESTINATION_LABELS[destination] ?? destination;
	return {
		destination,
		outcome: 'alreadySent',
		eventId: event.id,
		hint: `Nothing was sent to ${where}: this node already sent event ${event.id} (Send Each Event Once skips a vendor retry or a re-run). To send again in a test, send a new sample (npx @legalhooks/cli send … gives every send a fresh event id) or turn Send Each Event Once off.`,
	};
}

/** Reads a dot path (`document.title`, `data.contractValue`, `recipient.email`) from the event. */
export function valueAt(event: NormalizedEvent, path: string): unknown {
	let current: unknown = event;
	for (const part of path.split('.').filter(Boolean)) {
		if (current === null || current === undefined || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[part];
	}
	return current;
}

export function stringAt(event: NormalizedEvent, path: string): string | undefined {
	const value = valueAt(event, path);
	if (typeof value === 'string') return value.trim() === '' ? undefined : value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

/** Who the event is about or who caused it, for display. */
export function personOf(event: NormalizedEvent): string | undefined {
	const person = event.recipient?.name || event.recipient?.email ? event.recipient : event.actor;
	if (!person) return undefined;
	if (person.name && person.email) return `${person.name} <${person.email}>`;
	return person.name ?? person.email;
}

export function documentLabel(event: NormalizedEvent): string {
	return event.document.title || `Document ${event.document.id}`;
}

/** Named values a template may use beside the event's paths (an action adds its own, e.g. Salesforce's `status`). */
export type TemplateNames = Record<string, (event: NormalizedEvent) => unknown>;

const COMMON_NAMES: TemplateNames = {
	statusLabel: (event) => STATUS_LABELS[event.document.status],
	vendorLabel: (event) => VENDOR_LABELS[event.vendor],
};

/** `{{ path }}`: the one placeholder syntax of every action field that takes event values. */
const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/g;
const ONLY_PLACEHOLDER = /^\s*\{\{\s*([\w.]+)\s*\}\}\s*$/;

function placeholderValue(path: string, event: NormalizedEvent, context: Record<string, unknown> | undefined, names: TemplateNames): unknown {
	const named = Object.prototype.hasOwnProperty.call(names, path) ? names[path] : COMMON_NAMES[path];
	if (named) return named(event);
	const value = valueAt(event, path);
	return value === undefined && context ? valueAt(context as NormalizedEvent, path) : value;
}

/**
 * Fills `{{path}}` placeholders from the event (`{{document.title}}`, `{{data.counterpartyName}}`,
 * `{{statusLabel}}`, `{{vendorLabel}}`); a path the event lacks is looked up in `context` — what earlier
 * legalhooks actions added, such as `{{xero.invoiceNumber}}`.
 */
export function renderTemplate(template: string, event: NormalizedEvent, context?: Record<string, unknown>, names: TemplateNames = {}): string {
	return template.replace(PLACEHOLDER, (_, path: string) => {
		const value = placeholderValue(path, event, context, names);
		return value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
	});
}

/** A field value from a template: one placeholder alone keeps the value's type (an amount stays a number); anything else is text. */
export function templateValue(template: string, event: NormalizedEvent, names: TemplateNames = {}): unknown {
	const only = ONLY_PLACEHOLDER.exec(template);
	return only ? placeholderValue(only[1], event, undefined, names) : renderTemplate(template, event, undefined, names);
}

/** Parses a user-supplied JSON object setting (string in the editor, object from code). */
export function jsonObjectSetting(value: unknown, name: string): Record<string, unknown> | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
	if (typeof value === 'string') {
		try {
			const parsed = JSON.parse(value);
			if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
		} catch {
			// fall through to the error below
		}
	}
	throw new EventInputError(`The setting "${name}" must be a JSON object`, name);
}
