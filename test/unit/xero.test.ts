import { buildXeroInvoice, buildXeroNote, xeroIdempotencyKey } from '../../core/destinations/xero';
import { EventInputError } from '../../core/destinations/event-input';
import { createdContract, executedContract, signedEvent } from '../../sandbox/simulators/destination-events';

describe('Xero request building', () => {
	it('makes a draft ACCREC invoice: contact = counterparty, amount = contract value, reference = document id', () => {
		const event = executedContract();
		expect(buildXeroInvoice(event, { operation: 'createInvoice', accountCode: '200' })).toEqual({
			Invoices: [
				{
					Type: 'ACCREC',
					Status: 'DRAFT',
					Contact: { Name: 'Company A' },
					Date: '2021-11-12',
					DueDate: '2021-12-12',
					LineAmountTypes: 'Exclusive',
					LineItems: [{ Description: 'Service Agreement for Company A', Quantity: 1, UnitAmount: 12500, AccountCode: '200' }],
					Reference: 'd24c0644-1d31-47fa-960e-b0cc8b4f136c',
					CurrencyCode: 'AUD',
				},
			],
		});
	});

	it("links the invoice to the vendor's document page only: Legito's detailLink, never an expiring file URL", () => {
		expect(executedContract().document.url).toBeDefined();
		const [plexus] = buildXeroInvoice(executedContract(), { operation: 'createInvoice' }).Invoices as any[];
		expect(plexus.Url).toBeUndefined();
		const page = 'https://emea.legito.com/US/en/document-record/detail/1234';
		const legito = signedEvent({ vendor: 'legito', data: { counterpartyName: 'Acme', contractValue: 10, detailLink: page } });
		expect((buildXeroInvoice(legito, { operation: 'createInvoice' }).Invoices as any[])[0].Url).toBe(page);
	});

	it('makes a draft ACCPAY bill with the document id as the bill number', () => {
		const [bill] = buildXeroInvoice(executedContract(), { operation: 'createBill', dueInDays: 14 }).Invoices as any[];
		expect(bill).toMatchObject({ Type: 'ACCPAY', InvoiceNumber: 'd24c0644-1d31-47fa-960e-b0cc8b4f136c', DueDate: '2021-11-26' });
		expect(bill.Reference).toBeUndefined();
	});

	it('names the missing field when the event lacks what an invoice needs', () => {
		const noCounterparty = signedEvent({ data: { contractValue: 10 } });
		expect(() => buildXeroInvoice(noCounterparty, { operation: 'createInvoice' })).toThrow(expect.objectContaining({ field: 'data.counterpartyName' }));
		const noValue = signedEvent({ data: { counterpartyName: 'Acme' } });
		expect(() => buildXeroInvoice(noValue, { operation: 'createInvoice' })).toThrow(/data\.contractValue/);
		expect(() => buildXeroInvoice(createdContract(), { operation: 'createInvoice' })).toThrow(/data\.contractValue must be a positive amount/);
		expect(() => buildXeroInvoice(signedEvent({ data: { counterpartyName: 'A', contractValue: 5, currency: 'euro' } }), { operation: 'createInvoice' })).toThrow(EventInputError);
	});

	it('derives a stable Idempotency-Key per event and operation', () => {
		const event = executedContract();
		expect(xeroIdempotencyKey(event, 'createInvoice')).toBe(`legalhooks-createInvoice-plexus-${event.id}`);
		expect(xeroIdempotencyKey(event, 'createInvoice')).toBe(xeroIdempotencyKey(executedContract(), 'createInvoice'));
		expect(xeroIdempotencyKey({ ...event, id: 'x'.repeat(200) }, 'createBill').length).toBeLessThanOrEqual(128);
		expect(buildXeroNote(event, { operation: 'addContactNote' })).toContain('Service Agreement for Company A is completed');
	});
});
