/**
 * Two checkouts of this repository in one process, interleaved: the core pipeline (Plexus `ingest` +
 * `deduplicate`) and every other vendor's `ingest`, each beside the floor of bench/ingest/run.ts on
 * the same bodies. For a change's before and after in the same run, e.g. the base commit in a clone:
 *
 *   git clone -q . /tmp/before && git -C /tmp/before checkout -q <commit> && ln -s "$PWD/node_modules" /tmp/before/
 *   npx tsx bench/ingest/compare.ts /tmp/before . [--rounds 15]
 *
 * Cost is CPU time of this process per operation, median of 200 ms slices, as in run.ts.
 */
import { createHmac } from 'node:crypto';
import * as path from 'node:path';
import type { InboundRequest } from '../../core/vendors/definition';

const argv = process.argv.slice(2);
const roundsAt = argv.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(argv[roundsAt + 1]) : 15;
const args = argv.filter((arg, i) => !arg.startsWith('--') && argv[i - 1] !== '--rounds');
if (args.length !== 2) throw new Error('usage: npx tsx bench/ingest/compare.ts <before checkout> <after checkout> [--rounds 15]');
const secret = 'bench-secret-0123456789abcdef0123';
const POOL = 20_000;

type Work = () => void;

function cpuMicros(): number {
	const usage = process.cpuUsage();
	return usage.user + usage.system;
}

function slice(work: Work): number {
	let operations = 0;
	const deadline = Date.now() + 200;
	const started = cpuMicros();
	while (Date.now() < deadline) {
		for (let i = 0; i < 100; i++) work();
		operations += 100;
	}
	return (cpuMicros() - started) / operations;
}

/** Medians of interleaved slices, one per case. */
function measure(cases: Work[]): number[] {
	const samples = cases.map(() => [] as number[]);
	for (const work of cases) slice(work);
	for (let round = 0; round < rounds; round++) cases.forEach((work, i) => samples[i].push(slice(work)));
	return samples.map((values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]);
}

function cycling<T>(items: T[], work: (item: T) => void): Work {
	let next = 0;
	return () => work(items[next++ % items.length]);
}

const floor = (r: InboundRequest) => {
	createHmac('sha512', secret).update(r.rawBody).digest('hex');
	const text = r.rawBody.toString('utf8');
	return (r.contentType ?? '').includes('json') ? JSON.parse(text) : new URLSearchParams(text);
};

async function load(root: string) {
	const from = (file: string) => import(path.resolve(root, file));
	const [ingest, dedupe, vendor, samples, options, fixtures] = await Promise.all([
		from('core/inbound/ingest.ts'),
		from('core/inbound/dedupe.ts'),
		from('core/vendors/plexus/index.ts'),
		from('core/vendors/plexus/samples.ts'),
		from('core/vendors/definition.ts'),
		from('test/fuzz/vendor-fixtures.ts'),
	]);
	return { ingest, dedupe, plexus: vendor.plexus, samples, defaults: options.DEFAULT_TRIGGER_OPTIONS, fixtures: fixtures.fixtures as Array<Record<string, any>> };
}

async function main(): Promise<void> {
	const [before, after] = [await load(args[0]), await load(args[1])];
	const now = new Date().toISOString();
	const requests: InboundRequest[] = [];
	for (let i = 0; i < POOL; i++) {
		const payload = after.samples.plexusSamples.executed(now);
		payload.id = `9a7c5e3b-1d2f-4e6a-8b0c-${String(i).padStart(12, '0')}`;
		payload.data.document.additionalFacts = { ...payload.data.document.additionalFacts, notes: 'n'.repeat(550) };
		const delivery = after.samples.buildPlexusDelivery(payload, secret);
		requests.push({ method: 'POST', rawBody: Buffer.from(delivery.body), headers: delivery.headers, query: {}, contentType: 'application/json' });
	}
	const pipeline = (tree: typeof before): Work => {
		const options = { ...tree.defaults };
		let store = new tree.dedupe.MemoryDedupeStore({ maxEntries: POOL * 2 });
		let count = 0;
		return cycling(requests, (r) => {
			if (++count % POOL === 0) store = new tree.dedupe.MemoryDedupeStore({ maxEntries: POOL * 2 });
			const at = new Date();
			const result = tree.ingest.ingest(tree.plexus, r, { secret, options, now: at });
			if (!result.ok) throw new Error(result.reason);
			tree.ingest.deduplicate(tree.plexus, result.events, options, store, at);
		});
	};
	console.log(`node ${process.version}, ${rounds} rounds × 200 ms slices per case, interleaved; before = ${args[0]}, after = ${args[1]}\n`);
	console.log('| case | floor CPU µs/op | before CPU µs/op | after CPU µs/op | before vs floor | after vs floor |\n|---|---:|---:|---:|---:|---:|');
	const row = (name: string, [f, b, a]: number[]) => console.log(`| ${name} | ${f.toFixed(2)} | ${b.toFixed(2)} | ${a.toFixed(2)} | ${(f / b).toFixed(2)}× | ${(f / a).toFixed(2)}× |`);
	row('plexus: ingest + deduplicate', measure([cycling(requests, floor), pipeline(before), pipeline(after)]));
	for (const fixture of after.fixtures) {
		const old = before.fixtures.find((f) => f.name === fixture.name);
		if (fixture.name === 'plexus' || !old) continue;
		const at = new Date();
		const ok = (tree: typeof before, f: Record<string, any>) => (r: InboundRequest) => tree.ingest.ingest(f.vendor, r, f.context(at)).ok;
		const own = (tree: typeof before, f: Record<string, any>) => f.events.map((event: string) => f.sample(event, at)).filter(ok(tree, f)) as InboundRequest[];
		const [oldRequests, newRequests] = [own(before, old), own(after, fixture)];
		const run = (tree: typeof before, f: Record<string, any>, items: InboundRequest[]) =>
			cycling(items, (r) => {
				const result = tree.ingest.ingest(f.vendor, r, f.context(new Date()));
				if (!result.ok) throw new Error(`${f.name}: ${result.reason}`);
			});
		row(fixture.name, measure([cycling(newRequests, floor), run(before, old, oldRequests), run(after, fixture, newRequests)]));
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
