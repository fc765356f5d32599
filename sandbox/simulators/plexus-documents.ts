import express from 'express';
import { createHmac } from 'node:crypto';
import { Faults, faultMiddleware, listen, type RunningServer } from './server';

/**
 * Plexus Gateway's document links: each webhook's `latestVersion/publishedVersion.downloadUrl` is a
 * presigned S3 URL (the docs' example: `https://legalgateway-local.s3.amazonaws.com:443/media/
 * documents/2499/Contract_2JS9d2q.docx?...`), "valid for 15 minutes from event creation". Modelled
 * as S3 answers a presigned GET: `X-Amz-Date` + `X-Amz-Expires` + `X-Amz-Signature`; a changed
 * signature is 403 SignatureDoesNotMatch, a link past its life 403 AccessDenied "Request has
 * expired" (S3's XML error bodies), otherwise the bytes with S3's content type.
 */
export interface PlexusDocumentStore {
	url: string;
	faults: Faults;
	/** A presigned link to `bytes`, issued at `issuedAt` (the event's createdAt), valid 15 minutes. */
	link(path: string, bytes: Buffer, issuedAt: Date, contentType?: string): string;
	/** How many GETs reached the documents (retries included). */
	gets(): number;
	close(): Promise<void>;
}

const SIGNING_KEY = 'simulated-s3-signing-key';
const LIFETIME_SECONDS = 15 * 60;

const amzDate = (date: Date) => date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const fromAmzDate = (text: string) => Date.parse(text.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));

function s3Error(code: string, message: string): string {
	return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}

export async function startPlexusDocuments(now: () => Date = () => new Date()): Promise<PlexusDocumentStore> {
	const app = express();
	const faults = new Faults();
	const documents = new Map<string, { bytes: Buffer; contentType: string }>();
	let gets = 0;
	const sign = (path: string, date: string, expires: string) => createHmac('sha256', SIGNING_KEY).update(`${path}\n${date}\n${expires}`).digest('hex');
	app.use(faultMiddleware(faults));
	app.get(/^\/media\/documents\/.+/, (req, res) => {
		gets++;
		const date = String(req.query['X-Amz-Date'] ?? '');
		const expires = String(req.query['X-Amz-Expires'] ?? '');
		const signature = String(req.query['X-Amz-Signature'] ?? '');
		res.type('application/xml');
		if (!date || !expires || signature !== sign(req.path, date, expires)) return void res.status(403).send(s3Error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.'));
		if (now().getTime() > fromAmzDate(date) + Number(expires) * 1000) return void res.status(403).send(s3Error('AccessDenied', 'Request has expired'));
		const document = documents.get(req.path);
		if (!document) return void res.status(404).send(s3Error('NoSuchKey', 'The specified key does not exist.'));
		res.status(200).type(document.contentType).send(document.bytes);
	});
	const server: RunningServer = await listen(app);
	return {
		url: server.url,
		faults,
		link: (path, bytes, issuedAt, contentType = 'application/pdf') => {
			const full = `/media/documents/${path}`;
			documents.set(full, { bytes, contentType });
			const date = amzDate(issuedAt);
			const expires = String(LIFETIME_SECONDS);
			return `${server.url}${full}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=${date}&X-Amz-Expires=${expires}&X-Amz-Signature=${sign(full, date, expires)}`;
		},
		gets: () => gets,
		close: () => server.close(),
	};
}

/** A small but real PDF 1.4 document (one page with text), as bytes. */
export function samplePdf(text = 'Signed contract'): Buffer {
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
		`<< /Length ${`BT /F1 24 Tf 72 760 Td (${text}) Tj ET`.length} >>\nstream\nBT /F1 24 Tf 72 760 Td (${text}) Tj ET\nendstream`,
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
	];
	let pdf = '%PDF-1.4\n';
	const offsets: number[] = [];
	objects.forEach((body, index) => {
		offsets.push(Buffer.byteLength(pdf));
		pdf += `${index + 1} 0 obj\n${body}\nendobj\n`;
	});
	const xref = Buffer.byteLength(pdf);
	pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
	pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(pdf, 'latin1');
}
