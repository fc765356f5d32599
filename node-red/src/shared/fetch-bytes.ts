import * as http from 'node:http';
import * as https from 'node:https';
import type { FetchBytes, FetchedBytes } from '../../../core/downloads';

/**
 * The document-download client for Node-RED: GET with a timeout, reading at most `maxBytes + 1`
 * bytes (then the socket is closed), so an oversized file never sits whole in memory.
 */
export const nodeFetchBytes: FetchBytes = ({ url, headers, tls, timeoutMs, maxBytes }) =>
	new Promise<FetchedBytes>((resolve, reject) => {
		const secure = url.startsWith('https:');
		const client = secure ? https : http;
		const request = client.get(url, { headers, timeout: timeoutMs, ...(secure && tls ? tls : {}) }, (response) => {
			const chunks: Buffer[] = [];
			let size = 0;
			const done = () =>
				resolve({
					status: response.statusCode ?? 0,
					headers: Object.fromEntries(Object.entries(response.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value ?? '')])),
					data: Buffer.concat(chunks),
				});
			response.on('data', (chunk: Buffer) => {
				size += chunk.length;
				if (size <= maxBytes + 1) chunks.push(chunk);
				else {
					chunks.push(chunk.subarray(0, maxBytes + 1 - (size - chunk.length)));
					response.destroy();
					done();
				}
			});
			response.on('end', done);
			response.on('error', reject);
		});
		request.on('timeout', () => request.destroy(new Error(`no complete answer within ${timeoutMs} ms`)));
		request.on('error', reject);
	});
