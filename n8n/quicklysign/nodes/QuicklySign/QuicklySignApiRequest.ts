import type { IExecuteFunctions } from 'n8n-workflow';
import { fetchDocumentPack, listQuicklysignWebhooks, quicklysignAccessToken, unregisterQuicklysign, type QuicklysignCredentials } from '../../../../core/vendors/quicklysign/api';
import { QUICKLYSIGN_FINAL_EVENT, quicklysignDocumentDownloads } from '../../../../core/vendors/quicklysign/download';
import { documentRef, vendorRequest } from '../../../shared/action-node';

/** QuicklySign's main-node calls, each through core's QuicklySign API code with the trigger's credential. */
export function quicklySignApi(fns: IExecuteFunctions) {
	const request = vendorRequest<QuicklysignCredentials>(fns, 'quicklySignApi');
	return {
		/** `GET /v1/document_packs/<key>` with an access token (VENDORS.md, QuicklySign). */
		documentPack: (itemIndex: number, key: string) =>
			request(itemIndex, async (http, credentials) => fetchDocumentPack(http, credentials, await quicklysignAccessToken(http, credentials), key)),
		/** Each document's `serve_pdf_url`, as core's download builds them (the token goes to the API host only). */
		finalPdfDownloads: (itemIndex: number, key: string) =>
			request(itemIndex, (http, credentials) => quicklysignDocumentDownloads(http, credentials, documentRef('quicklysign', QUICKLYSIGN_FINAL_EVENT, key))),
		webhooks: (itemIndex: number, packKey?: string): Promise<Array<Record<string, unknown>>> =>
			request(itemIndex, async (http, credentials) => (await listQuicklysignWebhooks(http, credentials, packKey)) as Array<Record<string, unknown>>),
		/** `DELETE /v1/webhook/<key>` (then the plural path); 404 on both means already gone. */
		deleteWebhook: (itemIndex: number, key: string) =>
			request(itemIndex, (http, credentials) => unregisterQuicklysign(http, credentials, { ids: [key], url: '', secret: '', settings: {} })),
	};
}
