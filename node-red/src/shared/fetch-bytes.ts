import * as http from 'node:http';
import * as https from 'node:https';
import type { FetchBytes, FetchedBytes } from '../../../core/downloads/download';

/**
 * Collects a response's bytes, at most `limit`. With a Content-Length the buffer is allocated once
 * and each chunk copied into it and let go, so a file is in memory about once, not twice (chunks
 * plus their concatenation: bench/document-memory); without one, or when the answer runs past its
 * Content-Length, chunks are joined at the end.
 */
class ByteCollector {
	private readonly whole: Buffer | undefined;
	private chunks: Buffer[] = [];
	size = 0;

	constructor(
		declared: number,
		private readonly limit: number,
	) {
		this.whole = Number.isSafeInteger(declared) && declared > 0 ? Buffer.allocUnsafe(Math.min(declared, limit)) : undefined;
	}

	/** False once `limit` bytes are in: stop reading. */
	add(chunk: Buffer): boolean {
		const take = chunk.subarray(0, Math.max(0, this.limit - this.size));
		if (this.whole && this.chunks.length === 0 && this.size + take.length <= this.whole.length) take.copy(this.whole, this.size);
		else {
			if (this.whole && this.chunks.length === 0) this.chunks.push(this.whole.subarray(0, this.size));
			this.chunks.push(take);
		}
		this.size += take.length;
		return this.size < this.limit;
	}

	bytes(): Buffer {
		if (this.chunks.length > 0) return Buffer.concat(this.chunks, this.size);
		return this.whole ? this.whole.subarray(0, this.size) : Buffer.alloc(0);
	}
}

/**
 * The document-download client for Node-RED: GET with a timeout (redirects are core's), reading at
 * most `maxBytes + 1` bytes (then the socket is closed), so an oversized file never sits whole in memory.
 */
export const nodeFetchBytes: FetchBytes = ({ url, headers, tls, timeoutMs, maxBytes }) =>
	new Promise<FetchedBytes>((resolve, reject) => {
		const secure = url.startsWith('https:');
		const client = secure ? https : http;
		const request = client.get(url, { headers, timeout: timeoutMs, ...(secure && tls ? tls : {}) }, (response) => {
			const collector = new ByteCollector(Number(response.headers['content-length']), maxBytes + 1);
			let finished = false;
			const done = () => {
				if (finished) return;
				finished = true;
				resolve({
					status: response.statusCode ?? 0,
					headers: Object.fromEntries(Object.entries(response.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value ?? '')])),
					data: collector.bytes(),
				});
			};
			response.on('data', (chunk: Buffer) => {
				if (finished) return;
				if (!collector.add(chunk)) {
					response.destroy();
					done();
				}
			});
			response.on('end', done);
			response.on('error', (error) => (finished ? undefined : reject(error)));
		});
		request.on('timeout', () => request.destroy(new Error(`no complete answer within ${timeoutMs} ms`)));
		request.on('error', reject);
	});
