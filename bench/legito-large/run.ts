/**
 * Issue 10 target: a 20 MB Legito delivery with files (SignCompleted, generated PDF and DOCX, base64 in
 * the JSON as Legito sends them) to a Legito trigger in a real Node-RED process, registered against the
 * Legito simulator. Reports the answer time and the Node-RED process's peak RSS growth (VmHWM after the
 * message left the trigger, with the high-water mark reset just before the post, minus VmRSS before)
 * against "peak RSS growth ≤ 3× the body, answered in under 1 s".
 * The same for n8n: the Legito trigger in the project's n8n harness, in a child process (n8n-host.ts).
 * Beside it, n8n's own share: a node doing what n8n's Webhook node does, in the same harness (n8n-floor).
 * `npx tsx bench/legito-large/run.ts [mb=20] [runs=3] [engines=node-red,n8n-floor,n8n]`
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { startNodeRed } from '../../test/node-red/runtime';
import * as legitoSim from '../../sandbox/simulators/legito';

const mb = Number(process.argv[2] ?? 20);
const runs = Number(process.argv[3] ?? 3);
const MB = 1024 * 1024;

function kb(pid: number, name: string): number {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	return Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
	const started = Date.now();
	while (!check()) {
		if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

const engines = (process.argv[4] ?? 'node-red,n8n-floor,n8n').split(',');

function payload(systemName: string, files: legitoSim.LegitoFile[], run: number, sim: legitoSim.LegitoSimulator): string {
	return sim.pushBody({ systemName } as never, 'SignCompleted', { files, lastModified: new Date(Date.now() + run * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00') });
}

function largeFiles(): legitoSim.LegitoFile[] {
	// base64 is 4/3 of the bytes: two files whose base64 together makes the body `mb` MB
	const fileBytes = Math.floor((mb * MB * 3) / 4 / 2);
	return [
		{ fileName: 'agreement.pdf', data: Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(fileBytes - 9)]) },
		{ fileName: 'agreement.docx', data: Buffer.concat([Buffer.from('PK\u0003\u0004'), randomBytes(fileBytes - 4)]) },
	];
}

interface Target {
	pid: number;
	url: string;
	headers: Record<string, string>;
	systemName: string;
	seen(): number;
	stop(): Promise<void>;
}

async function measure(name: string, target: Target, sim: legitoSim.LegitoSimulator): Promise<void> {
	const files = largeFiles();
	console.log(`${name}: pid ${target.pid}, ${target.url}`);
	for (let run = 1; run <= runs; run++) {
		const body = payload(target.systemName, files, run, sim);
		const seenBefore = target.seen();
		const rssBefore = kb(target.pid, 'VmRSS');
		fs.writeFileSync(`/proc/${target.pid}/clear_refs`, '5'); // resets VmHWM to the current RSS
		const started = performance.now();
		const response = await fetch(target.url, { method: 'POST', headers: target.headers, body });
		const answerMs = performance.now() - started;
		const answer = `${response.status} ${(await response.text()).slice(0, 60)}`;
		await waitFor(() => target.seen() > seenBefore, 'the message');
		const doneMs = performance.now() - started;
		await new Promise((resolve) => setTimeout(resolve, 500));
		const peak = kb(target.pid, 'VmHWM');
		const bodyMb = Buffer.byteLength(body) / MB;
		const growthMb = (peak - rssBefore) / 1024;
		console.log(
			`  run ${run}: body ${bodyMb.toFixed(1)} MB; answer ${answer} in ${answerMs.toFixed(0)} ms, output at ${doneMs.toFixed(0)} ms; ` +
				`RSS before ${(rssBefore / 1024).toFixed(0)} MB, peak ${(peak / 1024).toFixed(0)} MB, growth ${growthMb.toFixed(0)} MB = ${(growthMb / bodyMb).toFixed(2)}× the body`,
		);
	}
}

async function n8nTarget(node: 'legito' | 'floor'): Promise<Target> {
	const child = spawn(path.join(__dirname, '../../node_modules/.bin/tsx'), [path.join(__dirname, 'n8n-host.ts')], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, BENCH_NODE: node } });
	let output = '';
	child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	await waitFor(() => output.includes('\n'), 'the n8n harness');
	const info = JSON.parse(output.split('\n')[0]!) as { url: string; headers: Record<string, string>; systemName: string };
	// tsx runs the script in a node child of its own: measure that process
	await new Promise((resolve) => setTimeout(resolve, 200));
	const pid = Number(fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/)[0] || child.pid);
	return {
		pid,
		...info,
		seen: () => (output.match(/bench-seen/g) ?? []).length,
		stop: async () => {
			child.kill('SIGTERM');
			try { process.kill(pid, 'SIGTERM'); } catch { /* gone with tsx */ }
		},
	};
}

async function main() {
	for (const node of ['floor', 'legito'] as const) {
		if (!engines.includes(node === 'floor' ? 'n8n-floor' : 'n8n')) continue;
		const sim = await legitoSim.start();
		const target = await n8nTarget(node);
		try {
			await measure(node === 'floor' ? "n8n host floor: a node doing what n8n's Webhook node does (project harness, N8N_PAYLOAD_SIZE_MAX 32 MB)" : 'n8n Legito trigger (project harness, N8N_PAYLOAD_SIZE_MAX 32 MB)', target, sim);
		} finally {
			await target.stop();
			await sim.close();
		}
	}
	if (!engines.includes('node-red')) return;
	const sim = await legitoSim.start();
	const red = await startNodeRed({
		modules: ['legalhooks-legito'],
		flows: [
			{ id: 'tab', type: 'tab', label: 'bench' },
			{ id: 'acct', type: 'legalhooks-legito-account', name: 'legito', baseUrl: 'http://127.0.0.1:1' },
			{ id: 'trig', type: 'legalhooks-legito-trigger', z: 'tab', account: 'acct', path: 'large', legitoEvents: 'SignCompleted', attachFilesGenerated: true, fileTypes: 'pdf,docx', wires: [['seen']] },
			// one console line per message: when it is out, the trigger's work on the delivery is done
			{ id: 'seen', type: 'function', z: 'tab', func: "node.warn('bench-seen files=' + JSON.stringify(Object.keys(msg)));\nreturn null;", outputs: 0, wires: [] },
		],
		credentials: { acct: { apiKey: sim.apiKey, privateKey: sim.privateKey, region: 'custom', apiBaseUrl: sim.baseUrl } },
	});
	try {
		await waitFor(() => sim.state.connections.size === 1, 'the push connection');
		const connection = [...sim.state.connections.values()][0]!;
		const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Legito-Push-API' };
		for (const h of connection.headers) if (h.value !== null) headers[h.name] = h.value;
		// base64 is 4/3 of the bytes: two files whose base64 together makes the body `mb` MB
		const fileBytes = Math.floor((mb * MB * 3) / 4 / 2);
		const files = [
			{ fileName: 'agreement.pdf', data: Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(fileBytes - 9)]) },
			{ fileName: 'agreement.docx', data: Buffer.concat([Buffer.from('PK\u0003\u0004'), randomBytes(fileBytes - 4)]) },
		];
		console.log(`Node-RED ${red.base}, pid ${red.pid}; Legito trigger registered (connection ${connection.id})`);
		for (let run = 1; run <= runs; run++) {
			const body = sim.pushBody(connection, 'SignCompleted', { files, lastModified: new Date(Date.now() + run * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00') });
			const seenBefore = (red.output().match(/bench-seen/g) ?? []).length;
			const rssBefore = kb(red.pid, 'VmRSS');
			fs.writeFileSync(`/proc/${red.pid}/clear_refs`, '5'); // resets VmHWM to the current RSS
			const started = performance.now();
			const response = await fetch(`${red.base}/legalhooks/legito/large`, { method: 'POST', headers, body });
			const answerMs = performance.now() - started;
			const answer = `${response.status} ${await response.text()}`;
			await waitFor(() => (red.output().match(/bench-seen/g) ?? []).length > seenBefore, 'the message');
			const doneMs = performance.now() - started;
			await new Promise((resolve) => setTimeout(resolve, 500));
			const peak = kb(red.pid, 'VmHWM');
			const bodyMb = Buffer.byteLength(body) / MB;
			const growthMb = (peak - rssBefore) / 1024;
			console.log(
				`run ${run}: body ${bodyMb.toFixed(1)} MB; answer ${answer.slice(0, 60)} in ${answerMs.toFixed(0)} ms, message out at ${doneMs.toFixed(0)} ms; ` +
					`RSS before ${(rssBefore / 1024).toFixed(0)} MB, peak ${(peak / 1024).toFixed(0)} MB, growth ${growthMb.toFixed(0)} MB = ${(growthMb / bodyMb).toFixed(2)}× the body`,
			);
		}
		const seenLine = red.output().split('\n').find((l) => l.includes('bench-seen'));
		console.log(`message keys: ${seenLine?.replace(/^.*bench-seen files=/, '')}`);
	} finally {
		await red.stop();
		await sim.close();
	}
}

void main().catch((error) => {
	console.error(error);
	process.exit(1);
});
