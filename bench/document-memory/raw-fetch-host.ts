/**
 * The baseline of bench/document-memory: a bare Node process that GETs a URL with node:http, keeps
 * the chunks and joins them into one Buffer (what any client holding a whole file does), and holds
 * it. With RAW_CLIENT=fetch: the global fetch and arrayBuffer() instead (what the project's n8n
 * harness's helpers.httpRequest does). Reads one URL per stdin line; prints `ready` once, then
 * `bench-seen <bytes>` per download.
 */
import * as http from 'node:http';
import * as readline from 'node:readline';

const held: Buffer[] = [];

async function viaFetch(url: string): Promise<Buffer> {
	return Buffer.from(await (await fetch(url)).arrayBuffer());
}

function get(url: string): Promise<Buffer> {
	if (process.env.RAW_CLIENT === 'fetch') return viaFetch(url);
	return new Promise((resolve, reject) => {
		http.get(url, (response) => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () => resolve(Buffer.concat(chunks)));
			response.on('error', reject);
		}).on('error', reject);
	});
}

const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (url) => {
	void get(url.trim()).then((bytes) => {
		held.splice(0, held.length, bytes); // the previous run's file is released, as a finished run's would be
		console.log(`bench-seen ${bytes.length}`);
	});
});
console.log('ready');
