/**
 * Issue 8 §2: memory of a Node-RED (default layout, one Plexus trigger) under N parallel chunked
 * uploads of M MB each with a bad signature, the body having to be read before the signature can
 * be checked. Prints RSS before, peak (VmHWM) and after, the answers, and whether a signed delivery
 * is still served. `npx tsx bench/inbound-memory/run.ts [uploads=24] [mb=24]`; against a running
 * Node-RED instead (e.g. `npm start`, whose Plexus secret is the sandbox's):
 * `TARGET_PORT=1880 TARGET_PID=<pid> PLEXUS_SECRET=sandbox-secret-0123456789abcdef npx tsx bench/inbound-memory/run.ts`
 */
import { createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { sampleSets } from '../../core/samples/sets';
import { startNodeRed } from '../../test/node-red/runtime';

const uploads = Number(process.argv[2] ?? 24);
const mb = Number(process.argv[3] ?? 24);
const secret = process.env.PLEXUS_SECRET || 'bench-plexus-secret-0123456789abcdef';
const MB = 1024 * 1024;

function memory(pid: number): { rssMb: number; peakMb: number } {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
	return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}

function upload(port: number): Promise<string> {
	return new Promise((resolve) => {
		let answer = 'no answer';
		const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/legalhooks/plexus/example', headers: { 'content-type': 'application/json', 'plexus-webhook-signature': 'bad' } }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => {
				answer = `${res.statusCode}${res.headers['retry-after'] ? ` (Retry-After ${res.headers['retry-after']})` : ''} ${Buffer.concat(chunks).toString()}`;
				resolve(answer);
			});
		});
		req.on('error', () => resolve(answer));
		const chunk = Buffer.alloc(MB, 'a');
		let sent = 0;
		const write = () => {
			while (sent < mb) {
				sent++;
				if (!req.write(chunk)) return void req.once('drain', write);
			}
			req.end();
		};
		write();
	});
}

async function signed(base: string): Promise<string> {
	const sample = sampleSets.plexus!.build('executed', { secret }, { now: new Date() });
	const body = JSON.stringify({ ...JSON.parse(String(sample.body)), id: `bench-${Date.now()}` });
	const response = await fetch(`${base}/legalhooks/plexus/example`, {
		method: 'POST',
		headers: { ...sample.headers, 'plexus-webhook-signature': createHmac('sha512', secret).update(body).digest('hex') },
		body,
	});
	return `${response.status} ${await response.text()}`;
}

async function target() {
	if (process.env.TARGET_PORT) {
		const port = Number(process.env.TARGET_PORT);
		return { port, pid: Number(process.env.TARGET_PID), base: `http://127.0.0.1:${port}`, running: () => true, stop: async () => undefined };
	}
	return startNodeRed({
		modules: ['legalhooks-plexus'],
		flows: [
			{ id: 'tab', type: 'tab', label: 'bench' },
			{ id: 'acct', type: 'legalhooks-plexus-account', name: 'plexus' },
			{ id: 'trig', type: 'legalhooks-plexus-trigger', z: 'tab', account: 'acct', path: 'example', wires: [] },
		],
		credentials: { acct: { secret } },
	});
}

async function main() {
	const red = await target();
	try {
		console.log(`warm-up signed delivery: ${await signed(red.base)}`);
		const before = memory(red.pid);
		const answers = await Promise.all(Array.from({ length: uploads }, () => upload(red.port)));
		const after = memory(red.pid);
		const counts = new Map<string, number>();
		for (const answer of answers) counts.set(answer, (counts.get(answer) ?? 0) + 1);
		console.log(`${uploads} parallel chunked ${mb} MB uploads with a bad signature:`);
		for (const [answer, count] of counts) console.log(`  ${count} × ${answer}`);
		console.log(`RSS before ${before.rssMb} MB, peak ${after.peakMb} MB, after ${after.rssMb} MB`);
		console.log(`signed delivery afterwards: ${await signed(red.base)}; process running: ${red.running()}`);
	} finally {
		await red.stop();
	}
}

void main();
