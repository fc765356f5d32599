import { sendToXero, testXeroCredentials, type XeroCredentials } from '../../core/destinations/xero';
import { nodeHttpClient } from '../../node-red/src/shared/node-http';
import { executedContract, recordingSleep, signedEvent } from '../../sandbox/simulators/destination-events';
import { XERO_SIM_CLIENT_ID, XERO_SIM_CLIENT_SECRET, XERO_SIM_REFRESH_TOKEN, XERO_SIM_TENANT_ID, seedContact, start, type XeroSimulator } from '../../sandbox/simulators/xero';

describe('Xero destination against the simulator', () => {
	let sim: XeroSimulator;
	let creds: XeroCredentials;
	beforeEach(async () => {
		sim = await start();
		creds = { grantType: 'client_credentials', clientId: XERO_SIM_CLIENT_ID, clientSecret: XERO_SIM_CLIENT_SECRET, identityUrl: sim.identityUrl, apiUrl: sim.apiUrl };
	});
	afterEach(() => sim.close());
	const make = () => {
		const rec = recordingSleep();
		return { waits: rec.waits, ctx: { http: nodeHttpClient, sleep: rec.sleep } };
	};

	it('creates one draft invoice with an Idempotency-Key, finding the tenant from /connections', async () => {
		const { ctx } = make();
		const event = executedContract();
		const { result, state } = await sendToXero(ctx, creds, event, { operation: 'createInvoice', accountCode: '200' });
		expect(result).toMatchObject({ operation: 'createInvoice', tenantId: XERO_SIM_TENANT_ID, invoiceNumber: 'INV-0001', status: 'DRAFT', idempotencyKey: `legalhooks-createInvoice-plexus-${event.id}` });
		expect(state.tenantId).toBe(XERO_SIM_TENANT_ID);
		expect(sim.apiRequests()).toHaveLength(1);
		expect(sim.apiRequests()[0].headers).toMatchObject({ 'xero-tenant-id': XERO_SIM_TENANT_ID, 'idempotency-key': result.idempotencyKey });
		expect(sim.state.invoices).toHaveLength(1);
		expect(sim.state.invoices[0]).toMatchObject({ Type: 'ACCREC', Status: 'DRAFT', Contact: { Name: 'Company A' }, Total: 12500, CurrencyCode: 'AUD', Reference: event.document.id });
	});

	it('a retry after a lost answer reuses the Idempotency-Key: still one invoice', async () => {
		const { ctx } = make();
		sim.faults.serverError({ path: '/Invoices', after: true, status: 503 });
		await sendToXero(ctx, { ...creds, tenantId: XERO_SIM_TENANT_ID }, executedContract(), { operation: 'createInvoice' });
		expect(sim.state.invoices).toHaveLength(1);
		expect(sim.state.idempotencyKeys).toHaveLength(2);
		expect(new Set(sim.state.idempotencyKeys).size).toBe(1);
		// the same event sent again later (e.g. a redelivery) is also one invoice
		await sendToXero(ctx, { ...creds, tenantId: XERO_SIM_TENANT_ID }, executedContract(), { operation: 'createInvoice' });
		expect(sim.state.invoices).toHaveLength(1);
	});

	it('429 (minute limit) waits Retry-After; the daily limit fails at once', async () => {
		const { ctx, waits } = make();
		sim.faults.rateLimit429('minute', '5');
		await sendToXero(ctx, { ...creds, tenantId: XERO_SIM_TENANT_ID }, executedContract(), { operation: 'createBill' });
		expect(waits).toEqual([5000]);
		expect(sim.state.invoices).toHaveLength(1);
		sim.faults.rateLimit429('day', '40000');
		await expect(sendToXero(ctx, { ...creds, tenantId: XERO_SIM_TENANT_ID }, signedEvent({ data: { counterpartyName: 'B', contractValue: 3 } }), { operation: 'createBill' })).rejects.toThrow(/daily API limit/);
		expect(waits).toEqual([5000]);
	});

	it('500 ×3 → a clear error', async () => {
		const { ctx } = make();
		sim.faults.serverError({ times: 3, path: '/Invoices' });
		await expect(sendToXero(ctx, { ...creds, tenantId: XERO_SIM_TENANT_ID }, executedContract(), { operation: 'createInvoice' })).rejects.toThrow(/Xero create draft invoice failed \(HTTP 500\).*gave up after 3 attempts/);
		expect(sim.state.invoices).toHaveLength(0);
	});

	it('expired token → refresh once and succeed; refresh-token grant keeps the rotated token', async () => {
		const { ctx } = make();
		const rt: XeroCredentials = { ...creds, grantType: 'refresh_token', refreshToken: XERO_SIM_REFRESH_TOKEN, tenantId: XERO_SIM_TENANT_ID };
		const first = await sendToXero(ctx, rt, executedContract(), { operation: 'createInvoice' });
		expect(first.state.token?.refreshToken).toBe(sim.state.tokensIssued[0].refreshToken);
		sim.faults.expireTokens();
		const second = await sendToXero(ctx, rt, signedEvent({ data: { counterpartyName: 'Acme', contractValue: 99.5 } }), { operation: 'createInvoice' }, first.state);
		expect(second.result.tokenRefreshed).toBe(true);
		expect(sim.state.tokensIssued).toHaveLength(2);
		expect(sim.state.invoices).toHaveLength(2);
	});

	it('refuses an event without the needed fields before sending anything', async () => {
		const { ctx } = make();
		await expect(sendToXero(ctx, creds, signedEvent(), { operation: 'createInvoice' })).rejects.toThrow(/no data\.counterpartyName/);
		expect(sim.state.requests).toHaveLength(0);
	});

	it('validation errors from Xero are shown', async () => {
		const { ctx } = make();
		sim.faults.respond(400, { ErrorNumber: 10, Type: 'ValidationException', Message: 'A validation exception occurred', Elements: [{ ValidationErrors: [{ Message: 'Account code 999 is not a valid code for this document.' }] }] }, { path: '/Invoices' });
		await expect(sendToXero(ctx, { ...creds, tenantId: XERO_SIM_TENANT_ID }, executedContract(), { operation: 'createInvoice', accountCode: '999' })).rejects.toThrow(/HTTP 400\): Account code 999 is not a valid code/);
	});

	it('adds a note to the counterparty contact', async () => {
		const { ctx } = make();
		const contactId = seedContact(sim, 'Company A');
		const { result } = await sendToXero(ctx, { ...creds, tenantId: XERO_SIM_TENANT_ID }, executedContract(), { operation: 'addContactNote' });
		expect(result.contactId).toBe(contactId);
		expect(sim.state.history).toEqual([{ contactId, Details: expect.stringContaining('Service Agreement for Company A is completed') }]);
		await expect(sendToXero(ctx, { ...creds, tenantId: XERO_SIM_TENANT_ID }, signedEvent({ data: { counterpartyName: 'Nobody Ltd' } }), { operation: 'addContactNote' })).rejects.toThrow(/no contact named "Nobody Ltd"/);
	});

	it('credential check lists organisations and catches a wrong tenant', async () => {
		const { ctx } = make();
		await expect(testXeroCredentials(ctx, creds)).resolves.toEqual({ ok: true, organisations: [{ tenantId: XERO_SIM_TENANT_ID, tenantName: 'Demo Company (AU)' }] });
		await expect(testXeroCredentials(ctx, { ...creds, tenantId: 'other' })).rejects.toThrow(/not among the organisations/);
		await expect(testXeroCredentials(ctx, { ...creds, clientSecret: 'nope' })).rejects.toThrow(/invalid_client/);
	});

	it('X-Rate-Limit-Problem is read without regard to case: "Day" fails at once, "Minute" waits', async () => {
		const { ctx, waits } = make();
		sim.faults.rateLimit429('Day', '3600');
		await expect(sendToXero(ctx, { ...creds, tenantId: XERO_SIM_TENANT_ID }, executedContract(), { operation: 'createInvoice' })).rejects.toThrow(/daily API limit/);
		expect(waits).toEqual([]);
		sim.faults.rateLimit429('Minute', '2');
		await sendToXero(ctx, { ...creds, tenantId: XERO_SIM_TENANT_ID }, executedContract(), { operation: 'createInvoice' });
		expect(waits).toEqual([2000]);
	});

	it('the Idempotency-Key protects within Xero’s window only; a key reused with another body is refused with a clear hint', async () => {
		const { ctx } = make();
		const c = { ...creds, tenantId: XERO_SIM_TENANT_ID };
		const event = executedContract();
		await sendToXero(ctx, c, event, { operation: 'createInvoice', accountCode: '200' });
		await sendToXero(ctx, c, event, { operation: 'createInvoice', accountCode: '200' });
		expect(sim.state.invoices).toHaveLength(1); // replayed within the window
		await expect(sendToXero(ctx, c, event, { operation: 'createInvoice', accountCode: '400' })).rejects.toThrow(/HTTP 400.*already sent to Xero with different settings/);
		sim.state.clockMs = sim.state.idempotencyWindowMs + 1000;
		await sendToXero(ctx, c, event, { operation: 'createInvoice', accountCode: '200' });
		expect(sim.state.invoices).toHaveLength(2); // after the window Xero runs it again
	});
});
