import type { NormalizedEvent } from '../../event/normalized-event';
import { ServiceError } from '../../outbound/errors';
import type { DeliveryContext } from '../delivery';
import { EventInputError, stringAt } from '../event-input';
import { XeroClient } from './client';
import { buildXeroInvoice, buildXeroNote, missing, xeroIdempotencyKey } from './mapping';
import { XERO_SERVICE, type XeroCredentials, type XeroOperation, type XeroOptions, type XeroResult, type XeroState } from './types';

function result(client: XeroClient, operation: XeroOperation, idempotencyKey: string, request: Record<string, unknown>, extra: Partial<XeroResult>): XeroResult {
	return {
		destination: 'xero',
		operation,
		tenantId: client.tenantId ?? '',
		idempotencyKey,
		request,
		attempts: client.stats.attempts,
		waitedMs: client.stats.waitedMs,
		tokenRefreshed: client.stats.tokenRefreshed,
		...extra,
	};
}

function quoteWhere(value: string): string {
	return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Creates a draft invoice/bill (PUT /Invoices with an Idempotency-Key from the event id) or adds a
 * History note to a contact. Missing event fields are refused before anything is sent.
 * Returns the new state (token incl. a rotated refresh token, tenant) for the engine to keep.
 */
export async function sendToXero(ctx: DeliveryContext, credentials: XeroCredentials, event: NormalizedEvent, options: XeroOptions, state: XeroState = {}): Promise<{ result: XeroResult; state: XeroState }> {
	const idempotencyKey = xeroIdempotencyKey(event, options.operation);
	if (options.operation === 'createInvoice' || options.operation === 'createBill') {
		const body = buildXeroInvoice(event, options);
		const client = new XeroClient(ctx, credentials, state);
		await client.resolveTenant();
		const invoice = await client.request('PUT', '/api.xro/2.0/Invoices', options.operation === 'createBill' ? 'create draft bill' : 'create draft invoice', { body, idempotencyKey }, (res) => {
			const invoices = (res.body as Record<string, unknown> | undefined)?.Invoices;
			return (Array.isArray(invoices) ? invoices[0] : {}) as Record<string, unknown>;
		});
		const contact = invoice.Contact as Record<string, unknown> | undefined;
		return {
			result: result(client, options.operation, idempotencyKey, body, {
				invoiceId: invoice.InvoiceID as string | undefined,
				invoiceNumber: invoice.InvoiceNumber as string | undefined,
				status: invoice.Status as string | undefined,
				contactId: contact?.ContactID as string | undefined,
			}),
			state: client.state,
		};
	}
	if (options.operation === 'addContactNote') {
		const details = buildXeroNote(event, options);
		let contactId = options.contactId?.trim();
		const contactName = stringAt(event, 'data.counterpartyName');
		if (!contactId && !contactName) throw missing('data.counterpartyName', 'the contact to add the note to; or set the Contact ID', event);
		const client = new XeroClient(ctx, credentials, state);
		await client.resolveTenant();
		if (!contactId) {
			const found = await client.request('GET', '/api.xro/2.0/Contacts', 'find contact', { qs: { where: `Name==${quoteWhere(contactName as string)}` } }, (res) => {
				const contacts = (res.body as Record<string, unknown> | undefined)?.Contacts;
				return Array.isArray(contacts) ? (contacts as Array<Record<string, unknown>>) : [];
			});
			if (found.length === 0) {
				throw new ServiceError({ service: XERO_SERVICE, action: 'find contact', serviceMessage: `no contact named "${contactName}"`, hint: 'create the contact in Xero or set the Contact ID', retryable: false });
			}
			contactId = found[0].ContactID as string;
		}
		const body = { HistoryRecords: [{ Details: details }] };
		await client.request('PUT', `/api.xro/2.0/Contacts/${encodeURIComponent(contactId)}/History`, 'add contact note', { body, idempotencyKey }, () => undefined);
		return { result: result(client, options.operation, idempotencyKey, body, { contactId }), state: client.state };
	}
	throw new EventInputError(`Unknown Xero operation "${String(options.operation)}"`, 'operation');
}
