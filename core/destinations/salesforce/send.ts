import type { NormalizedEvent } from '../../event/normalized-event';
import { ServiceError } from '../../outbound/errors';
import type { DeliveryContext } from '../delivery';
import { EventInputError, stringAt } from '../event-input';
import type { TokenState } from '../oauth';
import { SalesforceClient, bodyRecord } from './client';
import { DEFAULT_LEAD_STATUS_MAP, apiName, buildTask, buildUpsert, createDefaults, soqlString } from './mapping';
import { SALESFORCE_SERVICE, type SalesforceCredentials, type SalesforceOperation, type SalesforceOptions, type SalesforceResult } from './types';

function result(client: SalesforceClient, operation: SalesforceOperation, object: string, fields: Record<string, unknown>, id?: string, created?: boolean): SalesforceResult {
	return {
		destination: 'salesforce',
		operation,
		object,
		id,
		created,
		fields,
		apiUsage: client.apiUsage,
		attempts: client.stats.attempts,
		waitedMs: client.stats.waitedMs,
		tokenRefreshed: client.stats.tokenRefreshed,
	};
}

/** Sends the event to Salesforce with the chosen operation. `tokenState` in, `client.session.state` out. */
export async function sendToSalesforce(
	ctx: DeliveryContext,
	credentials: SalesforceCredentials,
	event: NormalizedEvent,
	options: SalesforceOptions,
	tokenState?: TokenState,
): Promise<{ result: SalesforceResult; tokenState?: TokenState }> {
	const client = new SalesforceClient(ctx, credentials, tokenState);
	const done = (r: SalesforceResult) => ({ result: r, tokenState: client.session.state });

	if (options.operation === 'upsert') {
		const { object, path, fields } = buildUpsert(event, options);
		if (options.upsertMode === 'updateOnly') {
			// Look the record up by its external ID, then update it by Id: nothing is ever created.
			const id = await client.request('GET', path, `find ${object}`, undefined, (res) => (res.status === 404 ? undefined : (bodyRecord(res).Id as string | undefined)), { fields: 'Id' }).catch((error: unknown) => {
				if (error instanceof ServiceError && error.status === 404) return undefined;
				throw error;
			});
			if (!id) return done({ ...result(client, 'upsert', object, fields, undefined, false), outcome: 'notFound' });
			await client.request('PATCH', `/sobjects/${object}/${encodeURIComponent(id)}`, `update ${object}`, fields, () => undefined);
			return done({ ...result(client, 'upsert', object, fields, id, false), outcome: 'written' });
		}
		const upsert = (body: Record<string, unknown>) =>
			client.request('PATCH', path, `upsert ${object}`, body, (res) => {
				const record = bodyRecord(res);
				return { id: typeof record.id === 'string' ? record.id : undefined, created: typeof record.created === 'boolean' ? record.created : res.status === 201 };
			});
		let written = fields;
		const outcome = await upsert(fields).catch(async (error: unknown) => {
			const withDefaults = createDefaults(error, event, options, fields);
			if (!withDefaults) throw error;
			written = withDefaults;
			return upsert(withDefaults);
		});
		return done({ ...result(client, 'upsert', object, written, outcome.id, outcome.created), outcome: 'written' });
	}

	if (options.operation === 'updateLeadStatus') {
		const status = (options.statusMap ?? DEFAULT_LEAD_STATUS_MAP)[event.document.status];
		if (!status) throw new EventInputError(`No Lead status is mapped for the document status "${event.document.status}"; add it to the status map`, 'statusMap');
		let leadId = options.leadId?.trim();
		if (!leadId) {
			const email = options.leadEmail?.trim() || stringAt(event, 'recipient.email') || stringAt(event, 'actor.email');
			if (!email) throw new EventInputError('Set the Lead ID, or a Lead email: the event has no recipient.email or actor.email', 'recipient.email');
			const query = `SELECT Id FROM Lead WHERE Email = ${soqlString(email)} AND IsConverted = false ORDER BY LastModifiedDate DESC LIMIT 2`;
			const ids = await client.request('GET', '/query', 'find Lead', undefined, (res) => {
				const records = bodyRecord(res).records;
				return Array.isArray(records) ? records.map((r) => (r as Record<string, unknown>).Id as string) : [];
			}, { q: query });
			if (ids.length === 0) throw new ServiceError({ service: SALESFORCE_SERVICE, action: 'find Lead', serviceMessage: `no open Lead with email ${email}`, hint: 'set the Lead ID or check the email', retryable: false });
			if (ids.length > 1) throw new ServiceError({ service: SALESFORCE_SERVICE, action: 'find Lead', serviceMessage: `several open Leads have email ${email}`, hint: 'set the Lead ID', retryable: false });
			leadId = ids[0];
		}
		const fields = { Status: status, ...(options.extraFields ?? {}) };
		await client.request('PATCH', `/sobjects/Lead/${encodeURIComponent(leadId)}`, 'update Lead status', fields, () => undefined);
		return done(result(client, 'updateLeadStatus', 'Lead', fields, leadId, false));
	}

	if (options.operation === 'createTask') {
		const fields = buildTask(event, options);
		const externalField = options.taskExternalIdField?.trim();
		if (externalField) {
			const field = apiName(externalField, '', 'taskExternalIdField');
			delete fields[field];
			const outcome = await client.request('PATCH', `/sobjects/Task/${field}/${encodeURIComponent(event.id)}`, 'upsert Task', fields, (res) => {
				const body = bodyRecord(res);
				return { id: typeof body.id === 'string' ? body.id : undefined, created: typeof body.created === 'boolean' ? body.created : res.status === 201 };
			});
			return done(result(client, 'createTask', 'Task', fields, outcome.id, outcome.created));
		}
		const id = await client.request('POST', '/sobjects/Task', 'create Task', fields, (res) => {
			const body = bodyRecord(res);
			return typeof body.id === 'string' ? body.id : undefined;
		});
		return done(result(client, 'createTask', 'Task', fields, id, true));
	}

	throw new EventInputError(`Unknown Salesforce operation "${String(options.operation)}"`, 'operation');
}
