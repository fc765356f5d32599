import { parseArgs } from 'node:util';
import type { VendorId } from '../../core/event/normalized-event';
import { sampleSets, type SampleSecrets } from '../../core/samples/sets';
import { postDelivery, type PostResult } from './post';
import { unauthorizedHint } from './unauthorized-hint';

const HELP = `legalhooks — send correctly signed sample vendor deliveries to a webhook URL

Usage (npx @legalhooks/cli …, or legalhooks … when installed):
  npx @legalhooks/cli send <vendor> <event> --url <webhook url> --secret <secret> [options]
  npx @legalhooks/cli list
  npx @legalhooks/cli --help | --version

Options for send:
  --url <url>              the trigger's webhook URL (n8n Test/Production URL, Node-RED route)
  --secret <secret>        the secret in the trigger's credential / account
  --key <key>              PhenixID: the webhook key, when the credential has one
  --registration-id <id>   Legito push connection / QuicklySign subscription the trigger registered
  --entity-key <key>       QuicklySign document pack key
  --private-key <pem>      Legalesign: PEM key matching the credential's certificate
  --tamper                 break the signature: the trigger must answer 401 and start nothing
  --repeat-id              send the sample's fixed event id (a retry: the trigger drops it as a
                           duplicate); without it every send carries a fresh id

Examples:
  npx @legalhooks/cli list
  npx @legalhooks/cli send plexus executed --url http://127.0.0.1:1880/legalhooks/plexus/contracts --secret sandbox-secret-0123456789abcdef
  npx @legalhooks/cli send plexus executed --tamper --url http://127.0.0.1:1880/legalhooks/plexus/contracts --secret sandbox-secret-0123456789abcdef
  npx @legalhooks/cli send plexus executed --repeat-id --url … --secret …     # twice: the second is dropped as a duplicate
  npx @legalhooks/cli send phenixid OrderSigned --url https://n8n.example.org/webhook-test/ID/webhook --secret SECRET --key KEY`;

const OPTIONS = {
	url: { type: 'string' },
	secret: { type: 'string' },
	key: { type: 'string' },
	'registration-id': { type: 'string' },
	'entity-key': { type: 'string' },
	'private-key': { type: 'string' },
	tamper: { type: 'boolean' },
	'repeat-id': { type: 'boolean' },
	help: { type: 'boolean', short: 'h' },
	version: { type: 'boolean', short: 'v' },
} as const;

export interface Io {
	out(line: string): void;
	err(line: string): void;
	version: string;
}

/** Exit codes: 0 done as asked, 1 the trigger answered otherwise, 2 the command line is wrong. */
export async function main(argv: string[], io: Io): Promise<number> {
	const usageError = (message: string) => {
		io.err(`legalhooks: ${message}`);
		io.err('Run `npx @legalhooks/cli --help` for usage and examples.');
		return 2;
	};
	let parsed;
	try {
		parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
	} catch (error) {
		return usageError(optionError(error as Error & { code?: string }));
	}
	const { values, positionals } = parsed;
	if (values.version) {
		io.out(io.version);
		return 0;
	}
	const [command, vendor, event, ...extra] = positionals;
	if (values.help || command === 'help') {
		io.out(HELP);
		return 0;
	}
	if (command === undefined) return usageError('no command given: use `send` or `list`');
	if (command === 'list') {
		for (const [id, set] of Object.entries(sampleSets)) io.out(`${id}: ${set!.events.join(', ')}`);
		return 0;
	}
	if (command !== 'send') return usageError(`unknown command "${command}": use \`send\` or \`list\``);

	const vendors = Object.keys(sampleSets);
	if (!vendor) return usageError(`send needs a vendor and an event; vendors: ${vendors.join(', ')}`);
	const set = sampleSets[vendor as VendorId];
	if (!set) return usageError(`unknown vendor "${vendor}"; vendors: ${vendors.join(', ')}`);
	if (!event) return usageError(`send ${vendor} needs an event; ${vendor} events: ${set.events.join(', ')}`);
	if (!set.events.includes(event)) return usageError(`unknown ${vendor} event "${event}"; ${vendor} events: ${set.events.join(', ')}`);
	if (extra.length > 0) return usageError(`unexpected argument "${extra[0]}" after the event`);
	const missing = (['url', 'secret'] as const).filter((name) => !values[name]);
	if (missing.length > 0) {
		const what = { url: '--url <the trigger’s webhook URL>', secret: '--secret <the secret in the trigger’s credential or account>' };
		return usageError(`send ${values.tamper ? '--tamper ' : ''}needs ${missing.map((name) => what[name]).join(' and ')}`);
	}
	const target = webhookUrl(values.url!);
	if (typeof target === 'string') return usageError(target);

	const secrets: SampleSecrets = {
		secret: values.secret!,
		key: values.key,
		registrationId: values['registration-id'],
		entityKey: values['entity-key'],
		privateKey: values['private-key'],
	};
	const tamper = values.tamper === true;
	const delivery = set.build(event, secrets, { tamper, eventId: values['repeat-id'] ? 'fixed' : 'fresh' });
	for (const [name, value] of Object.entries(delivery.query)) target.searchParams.set(name, value);
	const label = `${vendor} ${event}${tamper ? ' (tampered)' : ''}`;
	const result = await postDelivery(target, delivery);
	return report(label, target, result, tamper, io, vendor);
}

function optionError(error: Error & { code?: string }): string {
	const option = /(--?[\w-]+)/.exec(error.message)?.[1] ?? '';
	if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option}`;
	if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
		return /argument missing/.test(error.message) ? `option ${option} needs a value` : `option ${option} takes no value`;
	}
	return error.message;
}

function webhookUrl(raw: string): URL | string {
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		return `--url "${raw}" is not a URL: give the whole webhook URL, e.g. http://127.0.0.1:1880/legalhooks/plexus/contracts`;
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') return `--url "${raw}" is not an http(s) URL`;
	return url;
}

function report(label: string, url: URL, result: PostResult, tamper: boolean, io: Io, vendor: string): number {
	if (result.kind === 'unreachable') {
		io.err(`${label} → not sent: ${result.reason}`);
		return 1;
	}
	const { status, body } = result;
	io.out(`${label} → HTTP ${status} ${body}`.trimEnd());
	const ok = status >= 200 && status < 300;
	if (tamper) {
		if (status === 401) {
			io.out('As expected: the trigger refused the broken signature and started nothing.');
			return 0;
		}
		io.err(`The trigger did not refuse a broken signature with 401 (it answered ${status}).`);
		return 1;
	}
	if (ok) return 0;
	const hints: Record<number, string> = {
		401: unauthorizedHint(vendor, body),
		404: `Nothing answers at ${url.pathname}: check the path (n8n: the Test URL answers only while the trigger's panel waits for a test event; the Production URL only while the workflow is active/published).`,
		413: 'The delivery is over the trigger’s maximum body size.',
	};
	if (hints[status]) io.err(hints[status]);
	return 1;
}
