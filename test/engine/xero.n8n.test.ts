import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { LegalXero } from '../../nodes/LegalXero/LegalXero.node';
import { runNode } from '../n8n/execute-context';
import { executedContract, signedEvent } from '../simulators/destination-events';
import { XERO_SIM_CLIENT_ID, XERO_SIM_CLIENT_SECRET, XERO_SIM_TENANT_ID, seedContact, start, type XeroSimulator } from '../simulators/xero';

describe('n8n: Legal Event to Xero', () => {
	let sim: XeroSimulator;
	beforeEach(async () => {
		sim = await start();
	});
	afterEach(() => sim.close());
	const credentials = (tenantId = '') => ({
		legalhooksXeroOAuth2Api: { clientId: XERO_SIM_CLIENT_ID, clientSecret: XERO_SIM_CLIENT_SECRET, tenantId, scopes: '', identityUrl: sim.identityUrl, apiUrl: sim.apiUrl },
	});

	it('executed contract → exactly one PUT /Invoices (draft ACCREC) with Idempotency-Key and tenant', async () => {
		const event = executedContract();
		const { output } = await runNode({ node: new LegalXero(), parameters: { accountCode: '200' }, credentials: credentials(), items: [{ json: event as any }] });
		expect(sim.apiRequests()).toHaveLength(1);
		expect(sim.apiRequests()[0]).toMatchObject({ method: 'PUT', path: '/api.xro/2.0/Invoices', headers: { 'xero-tenant-id': XERO_SIM_TENANT_ID, 'idempotency-key': `legalhooks-createInvoice-plexus-${event.id}` } });
		expect(sim.state.invoices[0]).toMatchObject({ Type: 'ACCREC', Status: 'DRAFT', Contact: { Name: 'Company A' }, Total: 12500, Reference: event.document.id });
		expect(output[0]).toEqual({ json: expect.objectContaining({ invoiceNumber: 'INV-0001', status: 'DRAFT', eventId: event.id }), pairedItem: { item: 0 } });
	});

	it('429 then success → one invoice', async () => {
		sim.faults.rateLimit429('minute', '1');
		await runNode({ node: new LegalXero(), parameters: { operation: 'createBill' }, credentials: credentials(XERO_SIM_TENANT_ID), items: [{ json: executedContract() as any }] });
		expect(sim.state.invoices).toHaveLength(1);
		expect(sim.state.invoices[0].Type).toBe('ACCPAY');
	});

	it('500 ×3 → NodeApiError naming Xero and the attempts', async () => {
		sim.faults.serverError({ times: 3, path: '/Invoices' });
		const error = await runNode({ node: new LegalXero(), parameters: {}, credentials: credentials(XERO_SIM_TENANT_ID), items: [{ json: executedContract() as any }] }).catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/Xero create draft invoice failed \(HTTP 500\)/);
		expect(error.description).toMatch(/gave up after 3 attempts/);
		expect(sim.state.invoices).toHaveLength(0);
	});

	it('expired token → refresh and success', async () => {
		const items = [{ json: executedContract() as any }, { json: signedEvent({ data: { counterpartyName: 'Acme', contractValue: 10 } }) as any }];
		// the access token expires right after the first invoice (mid-execution)
		const original = sim.state.invoices.push.bind(sim.state.invoices);
		sim.state.invoices.push = (...args) => {
			const n = original(...args);
			sim.faults.expireTokens();
			return n;
		};
		const { output } = await runNode({ node: new LegalXero(), parameters: {}, credentials: credentials(XERO_SIM_TENANT_ID), items });
		expect(sim.state.invoices).toHaveLength(2);
		expect(sim.state.tokensIssued).toHaveLength(2);
		expect(output[1].json.tokenRefreshed).toBe(true);
	});

	it('missing fields → NodeOperationError naming the field; continue-on-fail gives an error item', async () => {
		const error = await runNode({ node: new LegalXero(), parameters: {}, credentials: credentials(), items: [{ json: signedEvent() as any }] }).catch((e) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/no data\.counterpartyName/);
		expect(error.description).toBe('Field: data.counterpartyName');
		const { output } = await runNode({ node: new LegalXero(), parameters: {}, credentials: credentials(), onError: 'continueRegularOutput', items: [{ json: signedEvent({ data: { counterpartyName: 'Acme' } }) as any }, { json: executedContract() as any }] });
		expect(output[0].json).toMatchObject({ field: 'data.contractValue', error: expect.stringMatching(/data\.contractValue/) });
		expect(output[1].json).toMatchObject({ status: 'DRAFT' });
		expect(sim.state.invoices).toHaveLength(1);
	});

	it('adds a note to the counterparty contact', async () => {
		const contactId = seedContact(sim, 'Company A');
		await runNode({ node: new LegalXero(), parameters: { operation: 'addContactNote', note: 'Executed: {{document.title}}' }, credentials: credentials(), items: [{ json: executedContract() as any }] });
		expect(sim.state.history).toEqual([{ contactId, Details: 'Executed: Service Agreement for Company A' }]);
	});
});
