import { createHash } from 'node:crypto';
import type { NormalizedEvent } from '../../event/normalized-event';
import { EventInputError, STATUS_LABELS, VENDOR_LABELS, documentLabel, documentPageUrl, personOf, renderTemplate, stringAt, valueAt } from '../event-input';
import type { XeroOperation, XeroOptions } from './types';

/** Idempotency-Key for an event and operation (Xero allows up to 128 characters). */
export function xeroIdempotencyKey(event: NormalizedEvent, operation: XeroOperation): string {
	const key = `legalhooks-${operation}-${event.vendor}-${event.id}`;
	if (key.length <= 128 && /^[\w.:-]+$/.test(key)) return key;
	return `legalhooks-${operation}-${createHash('sha256').update(`${event.vendor}:${event.id}`).digest('hex')}`;
}

function isoDate(value: string | undefined | null): string | undefined {
	if (!value) return undefined;
	const ms = Date.parse(value);
	return Number.isNaN(ms) ? undefined : new Date(ms).toISOString().slice(0, 10);
}

function addDays(date: string, days: number): string {
	return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export function missing(field: string, purpose: string, event: NormalizedEvent): EventInputError {
	return new EventInputError(
		`The event has no ${field} (${purpose}), so no Xero ${'draft'} can be made from it. ${VENDOR_LABELS[event.vendor]} event ${event.id} for document ${event.document.id}: map the value into ${field} before this node, or only send executed contracts that carry it.`,
		field,
	);
}

/** Builds the draft invoice/bill from the event; throws EventInputError naming a missing field. */
export function buildXeroInvoice(event: NormalizedEvent, options: XeroOptions): Record<string, unknown> {
	const type = options.operation === 'createBill' ? 'ACCPAY' : 'ACCREC';
	const contactName = stringAt(event, 'data.counterpartyName');
	if (!contactName) throw missing('data.counterpartyName', 'the Xero contact', event);
	const rawValue = valueAt(event, 'data.contractValue');
	if (rawValue === undefined || rawValue === null || rawValue === '') throw missing('data.contractValue', 'the amount', event);
	const amount = typeof rawValue === 'number' ? rawValue : Number(rawValue);
	if (!Number.isFinite(amount) || amount <= 0) {
		throw new EventInputError(`data.contractValue must be a positive amount for a Xero ${type === 'ACCPAY' ? 'bill' : 'invoice'}; the event has ${JSON.stringify(rawValue)}`, 'data.contractValue');
	}
	const currency = stringAt(event, 'data.currency') || options.defaultCurrency?.trim() || undefined;
	if (currency && !/^[A-Za-z]{3}$/.test(currency)) throw new EventInputError(`data.currency "${currency}" is not a 3-letter currency code`, 'data.currency');
	const date = isoDate(stringAt(event, 'data.executedAt')) ?? isoDate(event.occurredAt) ?? (isoDate(event.receivedAt) as string);
	const dueInDays = options.dueInDays ?? 30;
	const lineItem: Record<string, unknown> = {
		Description: (options.description?.trim() ? renderTemplate(options.description, event) : documentLabel(event)).slice(0, 4000) || documentLabel(event),
		Quantity: 1,
		UnitAmount: Math.round(amount * 100) / 100,
	};
	if (options.accountCode?.trim()) lineItem.AccountCode = options.accountCode.trim();
	if (options.taxType?.trim()) lineItem.TaxType = options.taxType.trim();
	const invoice: Record<string, unknown> = {
		Type: type,
		Status: 'DRAFT',
		Contact: { Name: contactName },
		Date: date,
		DueDate: addDays(date, dueInDays),
		LineAmountTypes: options.lineAmountTypes ?? 'Exclusive',
		LineItems: [lineItem],
	};
	// Bills carry the supplier's reference in InvoiceNumber; Reference is for sales invoices.
	if (type === 'ACCPAY') invoice.InvoiceNumber = event.document.id.slice(0, 255);
	else invoice.Reference = event.document.id.slice(0, 255);
	if (currency) invoice.CurrencyCode = currency.toUpperCase();
	const page = documentPageUrl(event);
	if (page) invoice.Url = page;
	return { Invoices: [invoice] };
}

export function buildXeroNote(event: NormalizedEvent, options: XeroOptions): string {
	if (options.note?.trim()) return renderTemplate(options.note, event).slice(0, 2500);
	const who = personOf(event);
	return [
		`${VENDOR_LABELS[event.vendor]}: ${documentLabel(event)} is ${STATUS_LABELS[event.document.status].toLowerCase()}`,
		who ? ` (${who})` : '',
		`. Document ${event.document.id}, event ${event.id}, ${event.occurredAt ?? event.receivedAt}.`,
	]
		.join('')
		.slice(0, 2500);
}
