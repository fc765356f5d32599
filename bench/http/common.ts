/* What bench/http/run.ts and bench/http/queue.ts share: the signed load, CPU accounting, pinning, engines. */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildPlexusDelivery, plexusSamples } from '../../core/vendors/plexus/samples';
import { log } from '../../test/e2e/lib/util';

export const SECRET = 'bench-plexus-secret-0123456789abcdef0123456789abcdef';
export const LOAD_CPU = '1';

export function arg(name: string, fallback: number): number {
	const i = process.argv.indexOf(`--${name}`);
	return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** A fresh, correctly signed Plexus delivery: new id, createdAt now (replay window), ≈1.5 KB. */
export function signedDelivery() {
	const payload = plexusSamples.executed(new Date().toISOString());
	payload.id = randomUUID();
	return buildPlexusDelivery(payload, SECRET);
}

/** CPU ticks (1/100 s) used by every process of a process group (server + its children, e.g. n8n's task runner). */
export function groupTicks(pgid: number): number {
	let ticks = 0;
	for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
		try {
			const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
		} catch {
			/* gone */
		}
	}
	return ticks;
}

/** The engines from the e2e cache (test/e2e/engines/install.sh), as its KEY=value lines. */
export function engineVars(components: string[]): Record<string, string> {
	const out = execFileSync('bash', [path.resolve(__dirname, '../../test/e2e/engines/install.sh'), ...components], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], cwd: os.tmpdir() });
	return Object.fromEntries(out.split('\n').map((l) => /^([A-Z0-9_]+)=(.*)$/.exec(l.trim())).filter(Boolean).map((m) => [m![1], m![2]]));
}

/** The load generator on its own CPU. */
export function pinSelf() {
	try {
		execFileSync('taskset', ['-a', '-p', '-c', LOAD_CPU, String(process.pid)], { stdio: 'ignore' });
	} catch {
		log('bench', 'taskset unavailable: load generator not pinned');
	}
}

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}
