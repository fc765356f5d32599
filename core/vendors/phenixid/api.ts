import type { NormalizedEvent } from '../../event/normalized-event';
import type { ServiceError } from '../../outbound/errors';
import type { HttpClient, HttpRequest } from '../../outbound/http';
import { ServiceTransport, type ServiceHints } from '../../outbound/transport';

export interface PhenixidCredentials {
	secret: string;
	key?: string;
	/** Automation API base URL, for the optional order fetch. */
	apiBaseUrl?: string;
	clientCertificate?: string;
	clientKey?: string;
	clientKeyPassphrase?: string;
	/** CA certificate to trust for the Automation API's server certificate (self-hosted, private CA). */
	serverCa?: string;
}

export interface PhenixidEnrichOptions {
	fetchOrder?: boolean;
	/** Path under the API base URL; `{id}` is replaced with the task id. */
	orderPath?: string;
}

export const DEFAULT_ORDER_PATH = '/orders/{id}';

/** A task id that cannot be one path segment (`..` would turn the fetch into `GET <base>/`). */
export function isOnePathSegment(taskId: string): boolean {
	return taskId !== '' && taskId !== '.' && taskId !== '..' && !/[/\\]/.test(taskId);
}

export function orderUrl(baseUrl: string, pathTemplate: string, taskId: string): string {
	if (!isOnePathSegment(taskId)) throw new Error(`task id ${JSON.stringify(taskId.slice(0, 80))} is not one path segment`);
	const path = pathTemplate.replace(/\{id\}/g, encodeURIComponent(taskId));
	return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** The client certificate and server CA in the credential, for the Automation API. */
export function phenixidTls(credentials: PhenixidCredentials): HttpRequest['tls'] {
	const tls: NonNullable<HttpRequest['tls']> = {};
	if (credentials.clientCertificate && credentials.clientKey) {
		tls.cert = credentials.clientCertificate;
		tls.key = credentials.clientKey;
		if (credentials.clientKeyPassphrase) tls.passphrase = credentials.clientKeyPassphrase;
	}
	if (credentials.serverCa) tls.ca = credentials.serverCa;
	return Object.keys(tls).length > 0 ? tls : undefined;
}

/** The Automation API's transport: the client certificate and server CA on every request; secrets never in an error. */
export function phenixidTransport(http: HttpClient, credentials: PhenixidCredentials, options: { service?: string; hints?: ServiceHints } = {}): ServiceTransport {
	const tls = phenixidTls(credentials);
	return new ServiceTransport({
		service: options.service ?? 'PhenixID',
		hints: options.hints,
		http,
		secrets: [credentials.secret, credentials.key, credentials.clientKey, credentials.clientKeyPassphrase],
		authorize: (request) => ({ ...request, headers: { accept: 'application/json', ...request.headers }, tls }),
	});
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
	const transport = phenixidTransport(http, credentials);
	return Promise.all(
		events.map(async (event) => {
			if (!isOnePathSegment(event.document.id)) {
				return { ...event, data: { ...event.data, orderError: 'the task id is not one URL path segment; the order was not fetched' } };
			}
			const url = orderUrl(credentials.apiBaseUrl as string, options.orderPath || DEFAULT_ORDER_PATH, event.document.id);
			try {
				const response = await transport.send('reading the order', { method: 'GET', url });
				if (transport.ok(response)) return { ...event, data: { ...event.data, order: response.body } };
				const detail = transport.failure('reading the order', response).serviceMessage;
				return { ...event, data: { ...event.data, orderError: `PhenixID Automation API answered HTTP ${response.status}${detail ? `: ${detail}` : ''}` } };
			} catch (error) {
				return { ...event, data: { ...event.data, orderError: `PhenixID Automation API unreachable: ${(error as ServiceError).serviceMessage ?? (error as Error).message}` } };
			}
		}),
	);
}
