import type { DocumentDownload, FetchedBytes } from '../../downloads/download';
import type { NormalizedEvent } from '../../event/normalized-event';
import type { HttpClient } from '../../outbound/http';
import { safeFileName } from '../../downloads/file-names';
import { QuicklysignSession, documentPackWith, quicklysignBaseUrl, quicklysignTokenHeaders, type QuicklysignCredentials, type QuicklysignDocumentPack } from './api';

/**
 * The seed (quicklysign-webhooks.txt): "final_document_generated (Final pdf document has been
 * generated. This will then be your queue to run a request on "/document_packs/<key>". Each
 * document in the pack has a "serve_pdf_url" which can be used to download the document.)"
 */
export const QUICKLYSIGN_FINAL_EVENT = 'final_document_generated';

/** QuicklySign answers errors in its JSON envelope, at times with HTTP 200 (api.ts effectiveStatus): not a PDF. */
function notAPdf(response: FetchedBytes): string | undefined {
	if (response.data.subarray(0, 5).toString('latin1') === '%PDF-') return undefined;
	const type = response.headers['content-type']?.split(';')[0].trim() || 'no content type';
	let detail = '';
	try {
		const status = (JSON.parse(response.data.toString('utf8')) as { status?: { status_code?: unknown; message?: unknown } }).status;
		if (status) detail = `: QuicklySign answered status_code ${String(status.status_code)}${typeof status.message === 'string' ? ` (${status.message.slice(0, 120)})` : ''}`;
	} catch {
		detail = '';
	}
	return `the answer was not a PDF (${type})${detail}`;
}

const sameOrigin = (a: string, b: string) => {
	try {
		return new URL(a).origin === new URL(b).origin;
	} catch {
		return false;
	}
};

/**
 * On final_document_generated: the pack's documents' serve_pdf_urls, with an access token when the
 * link is on the account's API host (never sent to another host). The pack comes from the enrich
 * step when "Fetch document pack" is on, else it is fetched here.
 */
export async function quicklysignDocumentDownloads(http: HttpClient, credentials: QuicklysignCredentials, event: NormalizedEvent): Promise<DocumentDownload[]> {
	if (event.vendorEventType !== QUICKLYSIGN_FINAL_EVENT) return [];
	const session = new QuicklysignSession(http, credentials);
	const token = await session.accessToken();
	const enriched = event.data.documentPack as QuicklysignDocumentPack | undefined;
	const pack = enriched && Array.isArray(enriched.documents) ? enriched : await documentPackWith(session, credentials, event.document.id);
	const documents = (pack.documents ?? []).filter((d) => typeof d.serve_pdf_url === 'string' && /^https?:\/\//i.test(d.serve_pdf_url));
	if (documents.length === 0) throw new Error('the document pack lists no serve_pdf_url to download');
	const api = quicklysignBaseUrl(credentials);
	return documents.map((document, index) => {
		const url = document.serve_pdf_url as string;
		const name = safeFileName(document.name ?? '', `quicklysign-${document.key ?? `${event.document.id}-${index + 1}`}`);
		return {
			url,
			fileName: /\.pdf$/i.test(name) ? name : `${name}.pdf`,
			mimeType: 'application/pdf',
			headers: sameOrigin(url, api) ? quicklysignTokenHeaders(token) : undefined,
			what: `document ${document.key ?? index + 1} of pack ${event.document.id}`,
			notTheDocument: notAPdf,
		};
	});
}
