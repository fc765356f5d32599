import type { DeliveryContext } from '../delivery';
import { SalesforceClient, bodyRecord } from './client';
import { apiName } from './mapping';
import type { SalesforceCredentials } from './types';

/** Objects that can be written, for pickers (GET /sobjects). */
export async function listSalesforceObjects(ctx: DeliveryContext, credentials: SalesforceCredentials): Promise<Array<{ name: string; label: string }>> {
	const client = new SalesforceClient(ctx, credentials);
	const sobjects = await client.request('GET', '/sobjects', 'list objects', undefined, (res) => bodyRecord(res).sobjects);
	return (Array.isArray(sobjects) ? (sobjects as Array<Record<string, unknown>>) : [])
		.filter((o) => o.updateable === true && typeof o.name === 'string')
		.map((o) => ({ name: o.name as string, label: typeof o.label === 'string' ? o.label : (o.name as string) }));
}

/** An object's External ID fields, for pickers (GET /sobjects/<object>/describe). */
export async function listSalesforceExternalIdFields(ctx: DeliveryContext, credentials: SalesforceCredentials, object: string): Promise<Array<{ name: string; label: string }>> {
	const name = apiName(object, 'Opportunity', 'object');
	const client = new SalesforceClient(ctx, credentials);
	const fields = await client.request('GET', `/sobjects/${name}/describe`, `describe ${name}`, undefined, (res) => bodyRecord(res).fields);
	return (Array.isArray(fields) ? (fields as Array<Record<string, unknown>>) : [])
		.filter((f) => f.externalId === true && typeof f.name === 'string')
		.map((f) => ({ name: f.name as string, label: typeof f.label === 'string' ? f.label : (f.name as string) }));
}
