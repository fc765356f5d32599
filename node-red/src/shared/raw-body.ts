import type { IncomingMessage } from 'node:http';

export type RawBodyResult = { ok: true; body: Buffer } | { ok: false; status: 413 | 400; reason: string };

/** Reads the request stream up to `limit` bytes; stops reading as soon as the limit is passed. */
export function readRawBody(req: IncomingMessage, limit: number): Promise<RawBodyResult> {
	const declared = Number(req.headers['content-length'] ?? 0);
	if (limit > 0 && declared > limit) {
		return Promise.resolve({ ok: false, status: 413, reason: `body of ${declared} bytes is over the ${limit}-byte limit` });
	}
	return new Promise((resolve) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let settled = false;
		const settle = (result: RawBodyResult) => {
			if (settled) return;
			settled = true;
			resolve(result);
		};
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (limit > 0 && size > limit) {
				req.pause();
				settle({ ok: false, status: 413, reason: `body is over the ${limit}-byte limit` });
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => settle({ ok: true, body: Buffer.concat(chunks, size) }));
		req.on('error', () => settle({ ok: false, status: 400, reason: 'the request body could not be read' }));
	});
}
