import type { IExecuteFunctions } from 'n8n-workflow';
import type { HttpClient } from '../../../../core/outbound/http';
import { legitoBaseUrl, legitoTransport, listLegitoPushConnections, unregisterLegito, type LegitoCredentials, type LegitoPushConnection } from '../../../../core/vendors/legito/api';
import { vendorRequest } from '../../../shared/action-node';

/** Legito's main-node calls, each through core's Legito API code with the trigger's credential. */
export function legitoApi(fns: IExecuteFunctions) {
	const request = vendorRequest<LegitoCredentials>(fns, 'legitoApi');
	return {
		/** `GET /document-record?id=…` or `?code=…` (VENDORS.md, Legito v7): the records that match. */
		documentRecords: (itemIndex: number, by: 'id' | 'code', value: string) =>
			request(itemIndex, async (http: HttpClient, credentials) => {
				const response = await legitoTransport(http, credentials).request('reading the document record', { method: 'GET', url: `${legitoBaseUrl(credentials)}/document-record`, qs: { [by]: value } });
				return Array.isArray(response.body) ? (response.body as Array<Record<string, unknown>>) : [];
			}),
		pushConnections: (itemIndex: number) => request(itemIndex, (http, credentials) => listLegitoPushConnections(http, credentials)),
		/** `DELETE /push-connection/{id}`; Legito's 404 means it is already gone. */
		deletePushConnection: (itemIndex: number, id: string) =>
			request(itemIndex, (http, credentials) => unregisterLegito(http, credentials, { ids: [id], url: '', secret: '', settings: {} })),
	};
}

/** A push connection as listed, its header values hidden: another tool's token is a secret. */
export function withoutHeaderValues(connection: LegitoPushConnection): LegitoPushConnection {
	return { ...connection, headers: (connection.headers ?? []).map((header) => ({ ...header, ...(header.value ? { value: '***' } : {}) })) };
}
