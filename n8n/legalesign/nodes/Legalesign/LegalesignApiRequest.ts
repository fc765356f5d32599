import type { IExecuteFunctions } from 'n8n-workflow';
import { responseError } from '../../../../core/errors';
import { LEGALESIGN_SERVICE, legalesignAuthHeaders, legalesignBaseUrl, legalesignHints, listLegalesignNotifications, unregisterLegalesign, type LegalesignCredentials } from '../../../../core/vendors/legalesign/api';
import { LEGALESIGN_FINAL_PDF_EVENT, legalesignDocumentDownloads } from '../../../../core/vendors/legalesign/download';
import { documentRef, vendorRequest } from '../../../shared/actionNode';

/** Legalesign's main-node calls, each through core's Legalesign API code with the trigger's credential. */
export function legalesignApi(fns: IExecuteFunctions) {
	const request = vendorRequest<LegalesignCredentials>(fns, 'legalesignApi');
	return {
		/** `GET /document/{id}/` (VENDORS.md, Legalesign v1): the document with `signer_objects[].status`. */
		document: (itemIndex: number, id: string) =>
			request(itemIndex, async (http, credentials) => {
				const response = await http({
					method: 'GET',
					url: `${legalesignBaseUrl(credentials)}/document/${encodeURIComponent(id)}/`,
					headers: legalesignAuthHeaders(credentials),
				});
				if (response.status < 200 || response.status >= 300) {
					throw responseError(LEGALESIGN_SERVICE, 'reading the document', response, { ...legalesignHints(), 404: 'no such document for this API user (check the document UUID)' });
				}
				return (response.body ?? {}) as Record<string, unknown>;
			}),
		/** `GET /pdf/{id}/`, as core's download builds it (the redirect target gets no Legalesign authentication). */
		finalPdfDownloads: (itemIndex: number, id: string) =>
			request(itemIndex, (http, credentials) => legalesignDocumentDownloads(http, credentials, documentRef('legalesign', LEGALESIGN_FINAL_PDF_EVENT, id))),
		notifications: (itemIndex: number) => request(itemIndex, (http, credentials) => listLegalesignNotifications(http, credentials)),
		/** `POST /unsubscribe/` with the exact URL and the subscription's own filter and group. */
		unsubscribe: (itemIndex: number, url: string, eventFilter: string, group: string) =>
			request(itemIndex, (http, credentials) => unregisterLegalesign(http, credentials, { ids: [url], url, secret: '', settings: { eventFilter, group } })),
	};
}
