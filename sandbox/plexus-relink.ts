import type { NextFunction, Request, Response } from 'express';
import * as http from 'node:http';
import { hmac, safeEqual } from '../core/verify/crypto';
import { PLEXUS_SIGNATURE_HEADER } from '../core/vendors/plexus/inbound';
import type { PlexusDocumentStore } from './simulators/plexus-documents';

/** The host of the S3 links in Plexus's documented example (and so in `npx @legalhooks/cli send plexus …`). */
const SAMPLE_S3 = /^https:\/\/legalgateway-local\.s3\.amazonaws\.com(:443)?\/media\/documents\/([^?]+)/;
const RELINKED = 'x-legalhooks-sandbox-relinked';
const MAX_BYTES = 1024 * 1024;

/**
 * The sandbox stands in for S3, which it cannot reach: a correctly signed Plexus delivery whose
 * document links are the sample's S3 links gets them pointed at the sandbox's document store
 * (a live 15-minute link to the sample PDF) and is signed again with the sandbox secret, then
 * handed to the trigger unchanged otherwise. Anything else (a tampered signature, another host)
 * reaches the trigger as sent.
 */
export function plexusSampleRelink(options: { documents: PlexusDocumentStore; pdf: Buffer; secret: string; port: number; host: string }) {
	const relink = (body: Buffer, signature: string): { body: Buffer; signature: string } | undefined => {
		if (!safeEqual(signature.toLowerCase(), hmac('sha512', options.secret, body).toString('hex'))) return undefined;
		let payload: { createdAt?: string; data?: { document?: Record<string, { downloadUrl?: unknown } | undefined> } };
		try {
			payload = JSON.parse(body.toString('utf8'));
		} catch {
			return undefined;
		}
		const document = payload?.data?.document;
		if (!document) return undefined;
		const issued = new Date(Date.parse(String(payload.createdAt)) || Date.now());
		let changed = false;
		for (const version of [document.latestVersion, document.publishedVersion]) {
			const match = typeof version?.downloadUrl === 'string' ? SAMPLE_S3.exec(version.downloadUrl) : null;
			if (!version || !match) continue;
			version.downloadUrl = options.documents.link(`sandbox/${match[2].replace(/\.[^./]+$/, '')}.pdf`, options.pdf, issued);
			changed = true;
		}
		if (!changed) return undefined;
		const text = Buffer.from(JSON.stringify(payload));
		return { body: text, signature: hmac('sha512', options.secret, text).toString('hex') };
	};

	return (req: Request, res: Response, next: NextFunction) => {
		if (req.headers[RELINKED] || !/^\/legalhooks\/plexus\/[^/]+$/.test(req.path)) return next();
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			chunks.push(chunk);
		});
		req.on('end', () => {
			const sent = Buffer.concat(chunks);
			const signature = String(req.headers[PLEXUS_SIGNATURE_HEADER] ?? '');
			const relinked = size <= MAX_BYTES ? relink(sent, signature) : undefined;
			const body = relinked?.body ?? sent;
			const headers: http.OutgoingHttpHeaders = { ...req.headers, [RELINKED]: '1', 'content-length': String(body.length) };
			delete headers.host;
			delete headers['transfer-encoding'];
			if (relinked) headers[PLEXUS_SIGNATURE_HEADER] = relinked.signature;
			// The delivery goes to the trigger as any other: through this server's Node-RED route.
			const forward = http.request({ host: options.host, port: options.port, method: req.method, path: req.originalUrl, headers }, (answer) => {
				res.status(answer.statusCode ?? 502);
				for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined && name !== 'connection') res.setHeader(name, value);
				answer.pipe(res);
			});
			forward.on('error', () => res.headersSent || res.status(502).json({ error: 'the sandbox could not hand the delivery to Node-RED' }));
			forward.end(body);
		});
	};
}
