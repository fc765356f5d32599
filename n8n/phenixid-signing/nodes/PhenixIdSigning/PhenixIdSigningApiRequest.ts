import type { IExecuteFunctions } from 'n8n-workflow';
import { ServiceError } from '../../../../core/outbound/errors';
import { DEFAULT_ORDER_PATH, orderUrl, phenixidTransport, type PhenixidCredentials } from '../../../../core/vendors/phenixid/api';
import { PHENIXID_SIGNED_EVENT, phenixidDocumentDownloads } from '../../../../core/vendors/phenixid/download';
import { documentRef, vendorRequest } from '../../../shared/action-node';

export const PHENIXID_SERVICE = 'PhenixID Signing Service';

const HINTS = {
	404: 'the Automation API has no order with this ID at this path (check the order path option and the server version)',
	network: "could not reach the Automation API: check the credential's API base URL and that this machine can reach it",
};

/** A ServiceError to throw (the request helper turns it into the item's NodeApiError). */
const failure = (args: ConstructorParameters<typeof ServiceError>[0]) => new ServiceError(args);

function requireBaseUrl(credentials: PhenixidCredentials, action: string): string {
	if (credentials.apiBaseUrl?.trim()) return credentials.apiBaseUrl.trim();
	throw failure({ service: PHENIXID_SERVICE, action, hint: 'set the Automation API base URL in the credential', retryable: false });
}

/** PhenixID's main-node calls, on core's Automation API code (order URL, task ID checks, download) with the trigger's credential. */
export function phenixIdSigningApi(fns: IExecuteFunctions) {
	const request = vendorRequest<PhenixidCredentials>(fns, 'phenixIdSigningApi');
	return {
		/** The order core's "Fetch order" reads (default `/orders/{id}`). */
		order: (itemIndex: number, taskId: string, orderPath: string) =>
			request(itemIndex, async (http, credentials) => {
				const action = 'reading the order';
				const url = orderUrl(requireBaseUrl(credentials, action), orderPath || DEFAULT_ORDER_PATH, taskId);
				const response = await phenixidTransport(http, credentials, { service: PHENIXID_SERVICE, hints: HINTS }).request(action, { method: 'GET', url });
				return (response.body ?? {}) as Record<string, unknown>;
			}),
		/** The signed document, as core's download builds it (the order path plus `/document`). */
		signedDocumentDownloads: (itemIndex: number, taskId: string, orderPath: string) =>
			request(itemIndex, (http, credentials) => {
				requireBaseUrl(credentials, 'downloading the signed document');
				return phenixidDocumentDownloads(http, credentials, documentRef('phenixid', PHENIXID_SIGNED_EVENT, taskId), { orderPath });
			}),
	};
}
