/**
 * A Node-RED trigger's seen-id check (issue 13): the JSON record in Node-RED's own memory context
 * store (node-red/src/shared/context-dedupe.ts, what a trigger uses when the runtime's default store
 * is memory) beside the in-process MemoryDedupeStore (n8n, and Node-RED before), same run,
 * interleaved. CPU time of this process per `seen()`: 50 000 distinct ids (so the 10 000-entry
 * bound is reached and kept) then 5 000 repeats.
 *
 * Usage: npx tsx bench/dedupe-store/run.ts [--rounds 5]
 */
import { MemoryDedupeStore } from '../../core/inbound/dedupe';
import { contextDedupeStore } from '../../node-red/src/shared/context-dedupe';
import type { NodeRedContext } from '../../node-red/src/shared/context-store';

// Node-RED's memory context store, as its context API calls it (scope `global`).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Memory = require('@node-red/runtime/lib/nodes/context/memory.js') as (config: object) => {
	open(): Promise<void>;
	get(scope: string, key: string, cb: (error?: unknown, value?: unknown) => void): void;
	set(scope: string, key: string, value: unknown, cb: (error?: unknown) => void): void;
};

const args = process.argv.slice(2);
const rounds = args.includes('--rounds') ? Number(args[args.indexOf('--rounds') + 1]) : 5;
const N = 50_000;
const ids = Array.from({ length: N }, (_, i) => `9a7c5e3b-1d2f-4e6a-8b0c-${String(i).padStart(12, '0')}`);

function cpuPerSeen(store: { seen(id: string, nowMs: number): boolean | Promise<boolean> }): number {
	const start = process.cpuUsage();
	let now = Date.now();
	for (const id of ids) if (typeof store.seen(id, now++) !== 'boolean') throw new Error('the store answered asynchronously');
	for (const id of ids.slice(-5000)) if (store.seen(id, now++) !== true) throw new Error('a recent id was not seen');
	const used = process.cpuUsage(start);
	return (used.user + used.system) / (N + 5000);
}

async function main() {
	const memory = Memory({});
	await memory.open();
	const context: NodeRedContext = { get: (key, _store, cb) => memory.get('global', key, cb), set: (key, value, _store, cb) => memory.set('global', key, value, cb) };
	const results: Record<string, number[]> = { MemoryDedupeStore: [], 'contextDedupeStore (Node-RED memory context)': [] };
	for (let round = 0; round < rounds; round++) {
		results.MemoryDedupeStore.push(cpuPerSeen(new MemoryDedupeStore()));
		results['contextDedupeStore (Node-RED memory context)'].push(cpuPerSeen(contextDedupeStore(context, `bench_${round}`, undefined, (m) => console.error(m))));
	}
	const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
	console.log(`node ${process.version}, ${rounds} rounds, median CPU µs per seen() (${N} distinct + 5000 repeats)\n`);
	console.log('| store | CPU µs per seen() | min–max |\n|---|---:|---:|');
	for (const [name, xs] of Object.entries(results)) console.log(`| ${name} | ${median(xs).toFixed(2)} | ${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)} |`);
}

void main();
