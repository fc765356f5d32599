/**
 * Issue 14: a 50 MB PDF downloaded by a trigger with Download Documents on raises the process's
 * peak RSS by at most 2× the file. Plexus Gateway (its document is a presigned link on the S3
 * simulator, sandbox/simulators/plexus-documents.ts, served from this process) in three processes
 * of their own, one after the other, each measured the same way (VmHWM after the file is out, the
 * high-water mark reset just before, minus VmRSS before):
 * - baseline: a bare node:http GET that joins the chunks into one Buffer and holds it (raw-fetch-host.ts);
 * - Node-RED: a real Node-RED process, the Plexus trigger, the file into msg.files;
 * - baseline-fetch: the same with fetch + arrayBuffer(), the n8n harness's own byte client;
 * - n8n: the Plexus trigger in the project's n8n harness (n8n-host.ts), default binary mode.
 * `npx tsx bench/document-memory/run.ts [mb=50] [runs=3] [targets=baseline,node-red,baseline-fetch,n8n]`
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildPlexusDelivery, plexusSamples } from '../../core/vendors/plexus/samples';
import { samplePdf, startPlexusDocuments, type PlexusDocumentStore } from '../../sandbox/simulators/plexus-documents';
import { startNodeRed } from '../../test/node-red/runtime';

const mb = Number(process.argv[2] ?? 50);
const runs = Number(process.argv[3] ?? 3);
const targets = (process.argv[4] ?? 'baseline,node-red,baseline-fetch,n8n').split(',');
const MB = 1024 * 1024;
const secret = 'bench-plexus-secret-0123456789abcdef';

function kb(pid: number, name: string): number {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	return Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
	const started = Date.now();
	while (!check()) {
		if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

/** A PDF of `mb` MB: a real one-page PDF's header and body, padded with incompressible bytes in a comment block before its end. */
function largePdf(): Buffer {
	const pdf = samplePdf('Fifty megabytes');
	const end = pdf.lastIndexOf('%%EOF');
	const padding = randomBytes(mb * MB - pdf.length - 4);
	return Buffer.concat([pdf.subarray(0, end), Buffer.from('%'), padding, Buffer.from('\n'), pdf.subarray(end)]);
}

interface Target {
	pid: number;
	seen(): number;
	/** Makes the target download `link` (a delivery to the trigger, or a URL to the baseline). */
	start(link: string, run: number): Promise<void>;
	stop(): Promise<void>;
}

async function measure(name: string, target: Target, store: PlexusDocumentStore, pdf: Buffer): Promise<number[]> {
	const ratios: number[] = [];
	for (let run = 1; run <= runs; run++) {
		const link = store.link(`bench/Agreement_${Date.now()}_${run}.pdf`, pdf, new Date());
		const seenBefore = target.seen();
		await new Promise((resolve) => setTimeout(resolve, 300));
		const rssBefore = kb(target.pid, 'VmRSS');
		fs.writeFileSync(`/proc/${target.pid}/clear_refs`, '5'); // resets VmHWM to the current RSS
		const started = performance.now();
		await target.start(link, run);
		await waitFor(() => target.seen() > seenBefore, 'the file');
		const doneMs = performance.now() - started;
		await new Promise((resolve) => setTimeout(resolve, 300));
		const peak = kb(target.pid, 'VmHWM');
		const growthMb = (peak - rssBefore) / 1024;
		const ratio = growthMb / (pdf.length / MB);
		ratios.push(ratio);
		console.log(`  ${name} run ${run}: file out at ${doneMs.toFixed(0)} ms; RSS before ${(rssBefore / 1024).toFixed(0)} MB, peak ${(peak / 1024).toFixed(0)} MB, growth ${growthMb.toFixed(0)} MB = ${ratio.toFixed(2)}× the file`);
	}
	return ratios;
}

function signedDelivery(link: string, run: number) {
	const payload = plexusSamples.executed(new Date().toISOString());
	payload.id = `bench-${Date.now()}-${run}`;
	payload.data.document.publishedVersion = { number: String(run), downloadUrl: link };
	return buildPlexusDelivery(payload, secret);
}

/** tsx runs the script in a node child of its own: the process to measure. */
async function scriptPid(child: ChildProcess): Promise<number> {
	await new Promise((resolve) => setTimeout(resolve, 200));
	return Number(fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/)[0] || child.pid);
}

async function childTarget(script: string, onLine: (line: string) => void): Promise<{ child: ChildProcess; pid: number; output: () => string }> {
	const child = spawn(path.join(__dirname, '../../node_modules/.bin/tsx'), [path.join(__dirname, script)], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, PLEXUS_SECRET: secret } });
	let output = '';
	child.stdout!.on('data', (chunk: Buffer) => {
		output += chunk.toString();
		for (const line of chunk.toString().split('\n')) if (line) onLine(line);
	});
	await waitFor(() => output.includes('\n'), script);
	return { child, pid: await scriptPid(child), output: () => output };
}

async function baseline(client: 'http' | 'fetch'): Promise<Target> {
	process.env.RAW_CLIENT = client;
	const host = await childTarget('raw-fetch-host.ts', () => undefined);
	return {
		pid: host.pid,
		seen: () => (host.output().match(/bench-seen/g) ?? []).length,
		start: async (link) => void host.child.stdin!.write(`${link}\n`),
		stop: async () => void host.child.kill('SIGTERM'),
	};
}

async function n8n(): Promise<Target> {
	const host = await childTarget('n8n-host.ts', () => undefined);
	const { url } = JSON.parse(host.output().split('\n')[0]!) as { url: string };
	return {
		pid: host.pid,
		seen: () => (host.output().match(/bench-seen \d/g) ?? []).length,
		start: async (link, run) => {
			const delivery = signedDelivery(link, run);
			const response = await fetch(url, { method: 'POST', headers: delivery.headers, body: String(delivery.body) });
			if (response.status !== 200) throw new Error(`n8n answered ${response.status}`);
		},
		stop: async () => {
			host.child.kill('SIGTERM');
			try {
				process.kill(host.pid, 'SIGTERM');
			} catch {
				// gone with tsx
			}
		},
	};
}

async function nodeRed(): Promise<Target> {
	const red = await startNodeRed({
		modules: ['legalhooks-plexus'],
		flows: [
			{ id: 'tab', type: 'tab', label: 'bench' },
			{ id: 'acct', type: 'legalhooks-plexus-account', name: 'plexus' },
			{ id: 'trig', type: 'legalhooks-plexus-trigger', z: 'tab', account: 'acct', path: 'docs', downloadDocuments: true, maxDownloadMb: 64, maxDownloadTotalMb: 128, wires: [['seen']] },
			// one console line per message: when it is out, the trigger's work on the delivery is done
			{ id: 'seen', type: 'function', z: 'tab', func: "node.warn('bench-seen ' + (msg.files || []).map(function (f) { return f.size; }).join(','));\nreturn null;", outputs: 0, wires: [] },
		],
		credentials: { acct: { secret } },
	});
	return {
		pid: red.pid,
		seen: () => (red.output().match(/bench-seen \d/g) ?? []).length,
		start: async (link, run) => {
			const delivery = signedDelivery(link, run);
			const response = await fetch(`${red.base}/legalhooks/plexus/docs`, { method: 'POST', headers: delivery.headers, body: String(delivery.body) });
			if (response.status !== 200) throw new Error(`Node-RED answered ${response.status}`);
		},
		stop: () => red.stop(),
	};
}

async function main() {
	const pdf = largePdf();
	const store = await startPlexusDocuments();
	console.log(`file: ${(pdf.length / MB).toFixed(1)} MB PDF (${pdf.subarray(0, 8).toString('latin1').trim()}), ${runs} runs per target`);
	const summary: string[] = [];
	try {
		const all = [['baseline', () => baseline('http')], ['node-red', nodeRed], ['baseline-fetch', () => baseline('fetch')], ['n8n', n8n]] as const;
		for (const [name, make] of all) {
			if (!targets.includes(name)) continue;
			const target = await make();
			try {
				const ratios = await measure(name, target, store, pdf);
				summary.push(`${name}: growth ${ratios.map((r) => r.toFixed(2)).join(' / ')}× the file (max ${Math.max(...ratios).toFixed(2)}×)`);
			} finally {
				await target.stop();
			}
		}
	} finally {
		await store.close();
	}
	console.log(summary.join('\n'));
}

void main().catch((error) => {
	console.error(error);
	process.exit(1);
});
