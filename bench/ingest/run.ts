/**
 * Ingest throughput on one core: verify + parse + normalize (the whole core pipeline) for a
 * 1.5 KB Plexus event, beside the floor it cannot beat (raw HMAC-SHA512 + JSON.parse of the same
 * bytes), in the same run. Usage: npm run bench:ingest [-- --seconds 3 --rounds 5]
 */
import { createHmac } from 'node:crypto';
import { MemoryDedupeStore } from '../../core/dedupe';
import { deduplicate, ingest } from '../../core/ingest';
import { DEFAULT_TRIGGER_OPTIONS, type InboundRequest } from '../../core/vendor';
import { plexus } from '../../core/vendors/plexus';
import { buildPlexusDelivery, plexusSamples } from '../../core/vendors/plexus/samples';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
	const i = args.indexOf(`--${name}`);
	return i >= 0 ? Number(args[i + 1]) : fallback;
};
const seconds = flag('seconds', 2);
const rounds = flag('rounds', 5);
const secret = 'bench-secret-0123456789abcdef0123';
const POOL = 20_000;

/** Distinct signed deliveries (own event id each) of about 1.5 KB. */
function pool(): InboundRequest[] {
	const now = new Date().toISOString();
	const requests: InboundRequest[] = [];
	for (let i = 0; i < POOL; i++) {
		const payload = plexusSamples.executed(now);
		payload.id = `9a7c5e3b-1d2f-4e6a-8b0c-${String(i).padStart(12, '0')}`;
		payload.data.document.additionalFacts = { ...payload.data.document.additionalFacts, notes: 'n'.repeat(550) };
		const delivery = buildPlexusDelivery(payload, secret);
		requests.push({ method: 'POST', rawBody: Buffer.from(delivery.body), headers: delivery.headers, query: {} });
	}
	return requests;
}

function measure(name: string, work: (request: InboundRequest) => unknown, requests: InboundRequest[]): number {
	let operations = 0;
	const deadline = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
	const started = process.hrtime.bigint();
	while (process.hrtime.bigint() < deadline) {
		for (let i = 0; i < 1000; i++) work(requests[operations++ % requests.length]);
	}
	const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
	return operations / elapsed;
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

function main(): void {
	const requests = pool();
	const options = { ...DEFAULT_TRIGGER_OPTIONS };
	const cases: Array<[string, (request: InboundRequest) => unknown]> = [
		['floor: HMAC-SHA512 + JSON.parse', (r) => {
			createHmac('sha512', secret).update(r.rawBody).digest('hex');
			return JSON.parse(r.rawBody.toString('utf8'));
		}],
		['plexus.receive (verify + parse + validate + normalize)', (r) => plexus.receive(r, { secret, options, now: new Date() })],
		['ingest (receive + filters + dedupe)', (() => {
			let store = new MemoryDedupeStore({ maxEntries: POOL * 2 });
			let seen = 0;
			return (r: InboundRequest) => {
				if (++seen % POOL === 0) store = new MemoryDedupeStore({ maxEntries: POOL * 2 });
				const now = new Date();
				const result = ingest(plexus, r, { secret, options, now });
				return result.ok ? deduplicate(plexus, result.events, options, store, now) : result;
			};
		})()],
	];
	const results = new Map<string, number[]>(cases.map(([name]) => [name, []]));
	for (let round = 0; round < rounds; round++) {
		for (const [name, work] of cases) results.get(name)!.push(measure(name, work, requests));
	}
	const floor = median(results.get(cases[0][0])!);
	console.log(`node ${process.version}, body ${requests[0].rawBody.length} bytes, ${rounds} rounds × ${seconds} s per case, one core, median\n`);
	console.log('| case | ops/s | µs/op | vs floor |');
	console.log('|---|---:|---:|---:|');
	for (const [name] of cases) {
		const rate = median(results.get(name)!);
		console.log(`| ${name} | ${Math.round(rate).toLocaleString('en-US')} | ${(1e6 / rate).toFixed(1)} | ${(floor / rate).toFixed(2)}× |`);
	}
}

main();
