import type { DocumentDownload } from '../../downloads/download';
import type { NormalizedEvent } from '../../event/normalized-event';
import type { HttpClient } from '../../outbound/http';
import { DEFAULT_ORDER_PATH, isOnePathSegment, orderUrl, phenixidTls, type PhenixidCredentials, type PhenixidEnrichOptions } from './api';

/**
 * What we rely on: PhenixID's Automation API page (document.phenixid.net, "Automation API") lists
 * "Download a signed document" among its functions (earlier "DownloadOrderDocument"), says the
 * API has no authentication of its own (mutual TLS at a proxy in front), and the order is read at
 * `/orders/<id>` (api.ts, DEFAULT_ORDER_PATH). The download's path is in the OpenAPI file the page
 * links to (bitbucket.org/phenixidentity/openapi), which we could not read: we take the order's
 * path plus `/document` (default `/orders/{id}/document`), an assumption the help states.
 */
export const PHENIXID_DOCUMENT_SUFFIX = '/document';
export const PHENIXID_SIGNED_EVENT = 'OrderSigned';

export function phenixidDocumentUrl(credentials: PhenixidCredentials, options: PhenixidEnrichOptions, taskId: string): string {
	const orderPath = (options.orderPath || DEFAULT_ORDER_PATH).replace(/\/+$/, '');
	return orderUrl(credentials.apiBaseUrl ?? '', `${orderPath}${PHENIXID_DOCUMENT_SUFFIX}`, taskId);
}

/** On OrderSigned: the order's signed document from the Automation API (client certificate when set). */
export async function phenixidDocumentDownloads(_http: HttpClient, credentials: PhenixidCredentials, event: NormalizedEvent, options: PhenixidEnrichOptions = {}): Promise<DocumentDownload[]> {
	if (event.vendorEventType !== PHENIXID_SIGNED_EVENT) return [];
	if (!credentials.apiBaseUrl) throw new Error('no Automation API base URL is set in the credential, so the signed document cannot be fetched');
	const taskId = event.document.id;
	if (!isOnePathSegment(taskId)) throw new Error('the task id is not one URL path segment; the document was not fetched');
	return [
		{
			url: phenixidDocumentUrl(credentials, options, taskId),
			fileName: `phenixid-${taskId.replace(/[^\w.-]/g, '_').slice(0, 80)}.pdf`,
			mimeType: 'application/pdf',
			headers: { accept: 'application/pdf' },
			tls: phenixidTls(credentials),
			what: `signed document of order ${taskId}`,
			statusReasons: { 404: 'the Automation API has no document at this path for the order (check the order path option and the server version)' },
		},
	];
}
