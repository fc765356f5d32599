import type { DocumentDownload } from '../../downloads/download';
import type { NormalizedEvent } from '../../event/normalized-event';
import type { HttpClient } from '../../outbound/http';
import { legalesignAuthHeaders, legalesignBaseUrl, type LegalesignCredentials } from './api';
import { documentIdInUri } from './inbound';

/** Batch entry "document status 100": "final PDF ready to download" (VENDORS.md, Legalesign). */
export const LEGALESIGN_FINAL_PDF_EVENT = 'document.100';

/**
 * Legalesign's v1 OpenAPI (legalesign/Legalesign-V1-OpenAPI3, legalesign-api-v1.yaml):
 * `GET /pdf/{docId}/` "Get the PDF for a signing document" answers 200 with the PDF, 201 "Being
 * de-archived, available in 4 hours", or 302 to "a short lived location for download, do not use
 * Legalesign authentication" (core/downloads/download.ts sends the headers to the first URL only).
 */
export const LEGALESIGN_PDF_STATUS_REASONS: Record<number, string> = {
	201: 'the document is archived and Legalesign is de-archiving it (available in about 4 hours)',
	401: 'check the Legalesign API username and key',
	404: 'no such document for this API user',
};

export function legalesignPdfUrl(credentials: LegalesignCredentials, documentId: string): string {
	return `${legalesignBaseUrl(credentials)}/pdf/${encodeURIComponent(documentId)}/`;
}

/** At status 100, the document's final PDF through the API with the account's key. */
export async function legalesignDocumentDownloads(_http: HttpClient, credentials: LegalesignCredentials, event: NormalizedEvent): Promise<DocumentDownload[]> {
	// Realtime: `document.finalPdfCreated` ("filter for 'document' and 'finalPdfCreated'"; then GET /pdf/{uuid}/).
	if (event.vendorEventType !== LEGALESIGN_FINAL_PDF_EVENT && event.vendorEventType !== 'document.finalPdfCreated') return [];
	const uri = typeof event.data.resourceUri === 'string' ? event.data.resourceUri : '';
	const documentId = event.document.id || documentIdInUri(uri);
	if (!documentId || documentId === '.' || documentId === '..') throw new Error('the event names no Legalesign document id (resource_uri), so there is no PDF to ask for');
	return [
		{
			url: legalesignPdfUrl(credentials, documentId),
			fileName: `legalesign-${documentId.replace(/[^\w.-]/g, '_').slice(0, 80)}.pdf`,
			mimeType: 'application/pdf',
			headers: { ...legalesignAuthHeaders(credentials), accept: 'application/pdf' },
			what: `final PDF of document ${documentId}`,
			statusReasons: LEGALESIGN_PDF_STATUS_REASONS,
		},
	];
}
