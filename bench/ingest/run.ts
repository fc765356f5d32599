/**
 * Ingest throughput on one core: the core pipeline for a signed 1.5 KB Plexus event (verify + parse
 * + validate + normalize, then de-duplication, then the whole `handleDelivery` of core/inbound/pipeline.ts),
 * beside the floor it cannot beat (raw HMAC-SHA512 + JSON.parse of the same bytes), in the same run;
 * then every other vendor's `ingest` of its own samples beside the same floor on its own bodies.
 *
 * Cost is CPU time of this process (process.cpuUsage), not wall time, so other work on a shared
 * machine slows a case without changing its figure much; cases are interleaved in short slices and
 * the median slice is reported, with the spread (interquartile range) as the noise figure.
 *
 * Usage: npm run bench:ingest [-- --slice-ms 200 --rounds 25 --plexus-only --only <case name part>]
 */
import { createHmac, hash, timingSafeEqual } from 'node:crypto';
import { MemoryDedupeStore } from '../../core/inbound/dedupe';
import { deduplicate, ingest } from '../../core/inbound/ingest';
import { handleDelivery, type InboundTrigger } from '../../core/inbound/pipeline';
import { DEFAULT_TRIGGER_OPTIONS, type InboundRequest } from '../../core/vendors/definition';
import { plexus } from '../../core/vendors/plexus';
import { buildPlexusDelivery, plexusSamples } from '../../core/vendors/plexus/samples';
import { fixtures } from '../../test/fuzz/vendor-fixtures';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
	const i = args.indexOf(`--${name}`);
	return i >= 0 ? Number(args[i + 1]) : fallback;
};
const sliceMs = flag('slice-ms', 200);
/** `--only <text>`: run only the Plexus cases whose name contains the text (to profile one of them). */
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const rounds = flag('rounds', 25);
const secret = 'bench-secret-0123456789abcdef0123';
const POOL = 20_000;

/** Distinct signed deliveries (own event id each) of about 1.5 KB. */
function plexusPool(): InboundRequest[] {
	const now = new Date().toISOString();
	const requests: InboundRequest[] = [];
	for (let i = 0; i < POOL; i++) {
		const payload = plexusSamples.executed(now);
		payload.id = `9a7c5e3b-1d2f-4e6a-8b0c-${String(i).padStart(12, '0')}`;
		payload.data.document.additionalFacts = { ...payload.data.document.additionalFacts, notes: 'n'.repeat(550) };
		const delivery = buildPlexusDelivery(payload, secret);
		requests.push({ method: 'POST', rawBody: Buffer.from(delivery.body), headers: delivery.headers, query: {}, contentType: 'application/json' });
	}
	return requests;
}

/**
 * What the same job costs written by hand with nothing but the essentials, as a bound: the HMAC
 * compared in constant time, JSON.parse, the three top-level type checks, the event object with the
 * same fields and its two ISO timestamps, and one Map insert. No forbidden-key or depth check, no
 * shape check below the top level, no replay window.
 */
function handWrittenMinimum(withRecord = false): (request: InboundRequest) => unknown {
	let seen = new Map<string, number>();
	return (r) => {
		const header = r.headers['plexus-webhook-signature'] as string;
		const expected = createHmac('sha512', secret).update(r.rawBody).digest();
		const given = Buffer.from(header, 'hex');
		if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error('bad signature');
		const body = JSON.parse(r.rawBody.toString('utf8'));
		if (typeof body.id !== 'string' || typeof body.type !== 'string' || typeof body.createdAt !== 'string') throw new Error('bad shape');
		const document = body.data.document;
		const event = {
			id: body.id,
			vendor: 'plexus',
			type: 'document.completed',
			vendorEventType: body.type,
			occurredAt: new Date(Date.parse(body.createdAt)).toISOString(),
			receivedAt: new Date().toISOString(),
			document: { id: document.externalId, title: document.title, status: 'completed', vendorStatus: document.status, url: document.publishedVersion?.downloadUrl },
			actor: { email: document.authorEmail },
			files: [],
			data: { documentType: document.type, sourceApp: document.sourceApp, additionalFacts: document.additionalFacts, ownerEmail: document.ownerEmail },
			raw: body,
			// what every event carries since the verification record: one SHA-256 of the body and a timestamp
			...(withRecord ? { verification: { scheme: 'hmac-sha512', checks: ['hmac-sha512'], verifiedAt: new Date().toISOString(), bodySha256: hash('sha256', r.rawBody, 'hex') } } : {}),
		};
		if (seen.size >= POOL) seen = new Map();
		if (!seen.has(event.id)) seen.set(event.id, Date.now());
		return event;
	};
}

interface Case {
	name: string;
	/** Runs `count` operations; synchronous cases return nothing, the pipeline case a promise. */
	run(count: number): void | Promise<void>;
	samples: number[];
}

function syncCase(name: string, requests: InboundRequest[], work: (request: InboundRequest) => unknown): Case {
	let next = 0;
	return {
		name,
		samples: [],
		run(count) {
			for (let i = 0; i < count; i++) {
				work(requests[next]);
				next = (next + 1) % requests.length;
			}
		},
	};
}

function floorCase(requests: InboundRequest[]): Case {
	return syncCase('floor: HMAC-SHA512 + JSON.parse', requests, (r) => {
		createHmac('sha512', secret).update(r.rawBody).digest('hex');
		return JSON.parse(r.rawBody.toString('utf8'));
	});
}

/** A fresh store every POOL deliveries, so every delivery is new to it (the store's size stays realistic). */
function freshStores(): () => MemoryDedupeStore {
	let store = new MemoryDedupeStore({ maxEntries: POOL * 2 });
	let seen = 0;
	return () => {
		if (++seen % POOL === 0) store = new MemoryDedupeStore({ maxEntries: POOL * 2 });
		return store;
	};
}

function pipelineCase(requests: InboundRequest[]): Case {
	const storeFor = freshStores();
	const options = { ...DEFAULT_TRIGGER_OPTIONS };
	let emitted = 0;
	let next = 0;
	const trigger = (): InboundTrigger => ({
		vendor: plexus,
		options,
		verification: () => Promise.resolve({ secret }),
		http: { request: () => Promise.reject(new Error('no HTTP in this benchmark')) } as never,
		dedupe: storeFor(),
		logger: { warn: () => undefined, error: (message) => { throw new Error(message); } },
		answer: (answer) => {
			if (answer.status !== 200) throw new Error(`answered ${answer.status}: ${JSON.stringify(answer.body)}`);
		},
		emit: (events) => {
			emitted += events.length;
		},
	});
	return {
		name: 'handleDelivery (core/inbound/pipeline.ts: precheck + read + ingest + answer + dedupe + emit)',
		samples: [],
		async run(count) {
			for (let i = 0; i < count; i++) {
				const r = requests[next];
				next = (next + 1) % requests.length;
				await handleDelivery(
					{ method: r.method, headers: r.headers, query: r.query, readBody: () => Promise.resolve({ ok: true, body: r.rawBody }) },
					trigger(),
				);
			}
			if (emitted === 0) throw new Error('the pipeline emitted nothing');
		},
	};
}

function cpuMicros(): number {
	const usage = process.cpuUsage();
	return usage.user + usage.system;
}

/** One slice: operations in batches until sliceMs of wall time passed; returns CPU µs per operation. */
async function slice(work: Case): Promise<number> {
	const batch = 200;
	let operations = 0;
	const deadline = Date.now() + sliceMs;
	const started = cpuMicros();
	while (Date.now() < deadline) {
		await work.run(batch);
		operations += batch;
	}
	return (cpuMicros() - started) / operations;
}

function quantile(values: number[], q: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
}

async function measure(cases: Case[]): Promise<void> {
	for (const work of cases) await slice(work); // warm-up
	for (let round = 0; round < rounds; round++) for (const work of cases) work.samples.push(await slice(work));
}

function row(work: Case, floorMicros: number): string {
	const micros = quantile(work.samples, 0.5);
	const spread = ((quantile(work.samples, 0.75) - quantile(work.samples, 0.25)) / micros) * 100;
	return `| ${work.name} | ${Math.round(1e6 / micros).toLocaleString('en-US')} | ${micros.toFixed(2)} | ±${spread.toFixed(0)} % | ${(floorMicros / micros).toFixed(2)}× |`;
}

const HEADER = '| case | ops per CPU-second | CPU µs/op | IQR | throughput vs floor |\n|---|---:|---:|---:|---:|';

async function plexusTable(): Promise<void> {
	const requests = plexusPool();
	const options = { ...DEFAULT_TRIGGER_OPTIONS };
	const storeFor = freshStores();
	const cases = [
		floorCase(requests),
		syncCase('bound: the same job by hand, essentials only (see handWrittenMinimum)', requests, handWrittenMinimum()),
		syncCase("bound + the event's verification record (SHA-256 of the body, verifiedAt)", requests, handWrittenMinimum(true)),
		syncCase('plexus.receive (verify + parse + validate + normalize)', requests, (r) => plexus.receive(r, { secret, options, now: new Date() })),
		syncCase('ingest + deduplicate (the core pipeline, synchronous)', requests, (r) => {
			const now = new Date();
			const result = ingest(plexus, r, { secret, options, now });
			if (!result.ok) throw new Error(result.reason);
			return deduplicate(plexus, result.events, options, storeFor(), now);
		}),
		pipelineCase(requests),
	];
	if (only !== undefined) {
		const chosen = cases.filter((work) => work.name.includes(only));
		await measure(chosen);
		for (const work of chosen) console.log(`${work.name}: ${quantile(work.samples, 0.5).toFixed(2)} CPU µs/op`);
		return;
	}
	await measure(cases);
	const floor = quantile(cases[0].samples, 0.5);
	console.log(`Plexus Gateway, body ${requests[0].rawBody.length} bytes, ${POOL} distinct deliveries\n`);
	console.log(HEADER);
	for (const work of cases) console.log(row(work, floor));
}

/** Every other fixture's sample deliveries (as the vendor sends them) through `ingest`, beside the floor on the same bodies. */
async function otherVendorsTable(): Promise<void> {
	console.log('\nOther vendors: `ingest` of each sample delivery in turn, beside the floor on the same bodies (form bodies: HMAC-SHA512 + URLSearchParams)\n');
	console.log('| vendor (fixture) | samples | mean body bytes | floor CPU µs/op | ingest CPU µs/op | IQR | throughput vs floor |\n|---|---:|---:|---:|---:|---:|---:|');
	for (const f of fixtures) {
		if (f.name === 'plexus') continue;
		const now = new Date();
		const requests = f.events.map((event) => f.sample(event, now)).filter((r) => ingest(f.vendor, r, f.context(now)).ok);
		if (requests.length === 0) continue;
		const isJson = (r: InboundRequest) => (r.contentType ?? '').includes('json');
		const floor = syncCase('floor', requests, (r) => {
			createHmac('sha512', secret).update(r.rawBody).digest('hex');
			const text = r.rawBody.toString('utf8');
			return isJson(r) ? JSON.parse(text) : new URLSearchParams(text);
		});
		const work = syncCase('ingest', requests, (r) => {
			const result = ingest(f.vendor, r, f.context(new Date()));
			if (!result.ok) throw new Error(`${f.name}: ${result.reason}`);
		});
		await measure([floor, work]);
		const floorMicros = quantile(floor.samples, 0.5);
		const micros = quantile(work.samples, 0.5);
		const spread = ((quantile(work.samples, 0.75) - quantile(work.samples, 0.25)) / micros) * 100;
		const bytes = Math.round(requests.reduce((sum, r) => sum + r.rawBody.length, 0) / requests.length);
		console.log(`| ${f.name} | ${requests.length} | ${bytes} | ${floorMicros.toFixed(2)} | ${micros.toFixed(2)} | ±${spread.toFixed(0)} % | ${(floorMicros / micros).toFixed(2)}× |`);
	}
}

async function main(): Promise<void> {
	console.log(`node ${process.version}, ${rounds} rounds × ${sliceMs} ms slices per case, interleaved, median slice; CPU time of this process\n`);
	await plexusTable();
	if (!args.includes('--plexus-only') && only === undefined) await otherVendorsTable();
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
