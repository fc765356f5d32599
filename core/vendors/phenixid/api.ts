import type { NormalizedEvent } from '../../event';
import { messageFromBody } from '../../errors';
import type { HttpClient } from '../../http';

export interface PhenixidCredentials {
	secret: string;
	key?: string;
	/** Automation API base URL, for the optional order fetch. */
	apiBaseUrl?: string;
	clientCertificate?: string;
	clientKey?: string;
	clientKeyPassphrase?: string;
}

export interface PhenixidEnrichOptions {
	fetchOrder?: boolean;
	/** Path under the API base URL; `{id}` is replaced with the task id. */
	orderPath?: string;
}

export const DEFAULT_ORDER_PATH = '/orders/{id}';

export function orderUrl(baseUrl: string, pathTemplate: string, taskId: string): string {
	const path = pathTemplate.replace(/\{id\}/g, encodeURIComponent(taskId));
	return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/**
 * Fetches each event's order from the Automation API into `data.order`. A failed fetch never drops
 * the event: the reason goes in `data.orderError` so the workflow can decide.
 */
export async function fetchPhenixidOrders(
	http: HttpClient,
	credentials: PhenixidCredentials,
	events: NormalizedEvent[],
	options: PhenixidEnrichOptions,
): Promise<NormalizedEvent[]> {
	if (!credentials.apiBaseUrl) {
		return events.map((event) => ({ ...event, data: { ...event.data, orderError: 'no Automation API base URL is set in the credential' } }));
	}
	const clientCertificate =
		credentials.clientCertificate && credentials.clientKey
			? { cert: credentials.clientCertificate, key: credentials.clientKey, passphrase: credentials.clientKeyPassphrase || undefined }
			: undefined;
	return Promise.all(
		events.map(async (event) => {
			const url = orderUrl(credentials.apiBaseUrl as string, options.orderPath || DEFAULT_ORDER_PATH, event.document.id);
			try {
				const response = await http({ method: 'GET', url, headers: { accept: 'application/json' }, clientCertificate });
				if (response.status >= 200 && response.status < 300) return { ...event, data: { ...event.data, order: response.body } };
				const detail = messageFromBody(response.body);
				return { ...event, data: { ...event.data, orderError: `PhenixID Automation API answered HTTP ${response.status}${detail ? `: ${detail}` : ''}` } };
			} catch (error) {
				return { ...event, data: { ...event.data, orderError: `PhenixID Automation API unreachable: ${(error as Error).message}` } };
			}
		}),
	);
}
