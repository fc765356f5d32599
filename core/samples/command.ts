import type { VendorId } from '../event/normalized-event';
import type { Registration } from '../vendors/definition';
import { vendorModules } from '../vendors';
import { presentInModules } from '../vendors/module';

/**
 * The `npx @legalhooks/cli send` command for a trigger verified with a random registration token
 * (Legito, Legalesign, QuicklySign): what its --secret (and --registration-id / --entity-key) must
 * be is known only to the registration the trigger made, so the engine builds the command from it.
 * `masked` shows the command without the token, for display; `command` is what a copy button copies.
 */
export interface SampleCommand {
	command: string;
	masked: string;
	/** What the user still has to add (Legalesign with a certificate: the matching private key). */
	note?: string;
}

/** What --secret is for each token-verified vendor: shown next to the command and in the CLI's 401 hint. */
export const REGISTRATION_TOKEN_WORDS: Partial<Record<VendorId, string>> = presentInModules(vendorModules, (module) => module.registrationToken);

const quote = (value: string) => (/^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`);

export function sampleCommandFor(
	vendor: VendorId,
	url: string,
	registration: Pick<Registration, 'secret' | 'ids' | 'extra'> | undefined,
	options: { certificate?: boolean; /** The account's credential: Legalesign's certificate is read from it. */ credentials?: Record<string, unknown> } = {},
): SampleCommand | undefined {
	if (!registration?.secret) return undefined;
	let event: string;
	const extra: string[] = [];
	let note: string | undefined;
	if (vendor === 'legito') {
		event = 'SignCompleted';
		const systemName = registration.extra?.systemName;
		if (typeof systemName === 'string') extra.push('--registration-id', systemName);
	} else if (vendor === 'legalesign') {
		event = 'batch';
		if (options.certificate ?? Boolean(String(options.credentials?.certificate ?? '').trim())) note = 'the account has Legalesign’s certificate: a sample passes only when signed with its private key (--private-key <PEM file contents>)';
	} else if (vendor === 'quicklysign') {
		event = 'document_status_changed';
		const [pack, key] = Object.entries((registration.extra?.packs ?? {}) as Record<string, string>)[0] ?? [undefined, registration.ids[0]];
		if (key) extra.push('--registration-id', key);
		if (pack) extra.push('--entity-key', pack);
	} else return undefined;
	const line = (secret: string) => ['npx @legalhooks/cli send', vendor, event, '--url', quote(url), '--secret', secret, ...extra.map(quote)].join(' ');
	return { command: line(quote(registration.secret)), masked: line('<registration token>'), ...(note ? { note } : {}) };
}
