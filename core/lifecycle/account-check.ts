/**
 * What an account must hold before a trigger can work, checked before any delivery or vendor call:
 * the same rules for the Node-RED deploy check and status, "Test connection", the n8n credential
 * tests and activation. Each vendor declares its fields in its definition (`requiredCredentials`).
 */

/** A credential field the account cannot work without; `when`: only while another field has one of these values, or is filled. */
export interface RequiredCredential {
	field: string;
	/** The field's name as the forms show it. */
	label: string;
	when?: { field: string; equals?: readonly string[]; filled?: true };
}

const filled = (value: unknown) => typeof value === 'string' ? value.trim() !== '' : value !== undefined && value !== null;

function applies(rule: RequiredCredential, credentials: Record<string, unknown>): boolean {
	if (!rule.when) return true;
	const other = credentials[rule.when.field];
	if (rule.when.filled) return filled(other);
	return (rule.when.equals ?? []).includes(String(other ?? ''));
}

/** The labels of the required fields that are empty (never a value). */
export function missingCredentials(required: readonly RequiredCredential[] | undefined, credentials: Record<string, unknown> | undefined): string[] {
	const values = credentials ?? {};
	return (required ?? []).filter((rule) => applies(rule, values) && !filled(values[rule.field])).map((rule) => rule.label);
}

/** "Fill in the account's secret" / "…'s API key and private key", for statuses and errors. */
export function missingCredentialsMessage(service: string, missing: readonly string[]): string {
	const list = missing.length > 1 ? `${missing.slice(0, -1).join(', ')} and ${missing[missing.length - 1]}` : missing[0];
	return `the ${service} account has no ${list}: fill ${missing.length > 1 ? 'them' : 'it'} in`;
}

export type BaseUrlCheck = { ok: true } | { ok: false; problem: 'missing' | 'invalid'; message: string };

/** A public base URL: empty is "missing"; anything but an absolute http(s) URL with a host is "invalid". */
export function checkPublicBaseUrl(value: string | undefined): BaseUrlCheck {
	const text = (value ?? '').trim();
	if (!text) return { ok: false, problem: 'missing', message: 'no public base URL' };
	let parsed: URL | undefined;
	try {
		parsed = new URL(text);
	} catch {
		parsed = undefined;
	}
	if (!parsed || !/^https?:$/.test(parsed.protocol) || !parsed.hostname) {
		const shown = text.length > 60 ? `${text.slice(0, 57)}…` : text;
		return { ok: false, problem: 'invalid', message: `public base URL "${shown}" is not a valid http(s) URL` };
	}
	return { ok: true };
}
