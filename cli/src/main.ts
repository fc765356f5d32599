import type { VendorId } from '../../core/event';
import { sampleSets, type SampleSecrets } from '../../core/samples';
import { nodeHttpClient } from '../../node-red/src/shared/node-http';

const USAGE = `Usage:
  legalhooks send <vendor> <event> --url <webhook url> --secret <secret> [--key <key>] [--tamper] [--<name> <value>]
  legalhooks list

Sends a correctly signed sample delivery, exactly as the vendor would, to any webhook URL (an n8n
test or production URL, a Node-RED route). --tamper breaks the signature so you can see the 401.
Vendors and their sample events: legalhooks list`;

interface Parsed {
	positional: string[];
	flags: Record<string, string | true>;
}

function parse(argv: string[]): Parsed {
	const positional: string[] = [];
	const flags: Record<string, string | true> = {};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (!arg.startsWith('--')) {
			positional.push(arg);
			continue;
		}
		const [name, inline] = arg.slice(2).split('=', 2);
		if (inline !== undefined) flags[name] = inline;
		else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) flags[name] = argv[++i];
		else flags[name] = true;
	}
	return { positional, flags };
}

function camel(name: string): string {
	return name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

export async function main(argv: string[], out: (line: string) => void): Promise<number> {
	const { positional, flags } = parse(argv);
	const [command, vendor, event] = positional;
	if (command === 'list') {
		for (const [id, set] of Object.entries(sampleSets)) out(`${id}: ${set!.events.join(', ')}`);
		return 0;
	}
	if (command !== 'send' || !vendor || !event || typeof flags.url !== 'string' || typeof flags.secret !== 'string') {
		out(USAGE);
		return command === 'help' || flags.help ? 0 : 2;
	}
	const set = sampleSets[vendor as VendorId];
	if (!set) {
		out(`Unknown vendor "${vendor}". Known: ${Object.keys(sampleSets).join(', ')}`);
		return 2;
	}
	// --registration-id, --entity-key, --private-key… fill the vendor-specific SampleSecrets fields.
	const secrets: Record<string, string> = { secret: flags.secret };
	for (const [name, value] of Object.entries(flags)) {
		if (typeof value === 'string' && !['url', 'secret'].includes(name)) secrets[camel(name)] = value;
	}
	let delivery;
	try {
		delivery = set.build(event, secrets as unknown as SampleSecrets, { tamper: flags.tamper === true });
	} catch (error) {
		out((error as Error).message);
		return 2;
	}
	const url = new URL(flags.url);
	for (const [name, value] of Object.entries(delivery.query)) url.searchParams.set(name, value);
	const response = await nodeHttpClient({ method: 'POST', url: url.toString(), headers: delivery.headers, body: delivery.body });
	out(`${vendor} ${event}${flags.tamper ? ' (tampered)' : ''} → HTTP ${response.status} ${typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? '')}`);
	return response.status >= 200 && response.status < 300 ? 0 : 1;
}
