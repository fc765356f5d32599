import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { LegalXero } from '../../n8n/actions/nodes/LegalXero/LegalXero.node';
import { CredentialStore, runListSearch, runNode } from '../n8n/execute-context';
import { connect } from '../n8n/oauth2';
import { executedContract, signedEvent } from '../../sandbox/simulators/destination-events';
import { XERO_SIM_CLIENT_ID, XERO_SIM_CLIENT_SECRET, XERO_SIM_TENANT_ID, seedContact, start, type XeroSimulator } from '../../sandbox/simulators/xero';

describe('n8n: Legal Event to Xero', () => {
	let sim: XeroSimulator;
	beforeEach(async () => {
		sim = await start();
	});
	afterEach(() => sim.close());
	const TYPE = 'legalhooksXeroOAuth2Api';
	// A Custom Connection (client credentials); n8n fetches its token on first use.
	const credentials = (tenantId = '') => ({
		[TYPE]: { grantType: 'clientCredentials', clientId: XERO_SIM_CLIENT_ID, clientSecret: XERO_SIM_CLIENT_SECRET, tenantId, accessTokenUrl: `${sim.identityUrl}/connect/token`, apiUrl: sim.apiUrl },
	});
	// A standard Xero app, signed in with the Connect button.
	const connected = async (grantType = 'authorizationCode', scopeSet = 'granular') => {
		const store = new CredentialStore({
			[TYPE]: { grantType, scopeSet, clientId: XERO_SIM_CLIENT_ID, clientSecret: XERO_SIM_CLIENT_SECRET, authUrl: `${sim.url}/identity/connect/authorize`, accessTokenUrl: `${sim.identityUrl}/connect/token`, apiUrl: sim.apiUrl },
		});
		await connect(store, TYPE);
		return store;
	};

	it('Connect button (granular scopes, PKCE too) → invoice; a rotated refresh token is saved, so the next execution refreshes again', async () => {
		for (const grantType of ['authorizationCode', 'pkce']) {
			const store = await connected(grantType);
			const first = store.tokenData(TYPE) as Record<string, string>;
			expect(first.scope).toBe('offline_access accounting.invoices accounting.contacts');
			await runNode({ node: new LegalXero(), parameters: {}, credentialStore: store, items: [{ json: { ...executedContract(), id: `a-${grantType}` } as any }] });
			sim.faults.expireTokens();
			await runNode({ node: new LegalXero(), parameters: {}, credentialStore: store, items: [{ json: { ...executedContract(), id: `b-${grantType}` } as any }] });
			const second = store.tokenData(TYPE) as Record<string, string>;
			expect(second.refresh_token).not.toBe(first.refresh_token);
			expect(sim.state.refreshTokens.has(first.refresh_token)).toBe(false); // spent
			sim.faults.expireTokens();
			// the third execution refreshes with the rotated token n8n saved, not the spent one
			await runNode({ node: new LegalXero(), parameters: {}, credentialStore: store, items: [{ json: { ...executedContract(), id: `c-${grantType}` } as any }] });
			expect(store.tokenRequests.filter((t) => t.grantType === 'refresh_token')).toHaveLength(2);
		}
		expect(sim.state.invoices).toHaveLength(6);
	});

	it('two executions at once after the token expired share one refresh (the rotated token is not spent twice)', async () => {
		const store = await connected();
		sim.faults.expireTokens();
		const runs = await Promise.all(
			['p', 'q', 'r'].map((id) => runNode({ node: new LegalXero(), parameters: {}, credentialStore: store, items: [{ json: { ...executedContract(), id } as any }] })),
		);
		expect(runs.map((r) => (r.output[0].json.xero as any).status)).toEqual(['DRAFT', 'DRAFT', 'DRAFT']);
		expect(store.tokenRequests.filter((t) => t.grantType === 'refresh_token')).toHaveLength(1);
		expect(store.saves).toHaveLength(2); // the Connect, then the one refresh
	});

	it('broad scopes are refused to an app created after 2 March 2026 at sign-in', async () => {
		await expect(connected('authorizationCode', 'broad')).rejects.toThrow(/invalid_scope/);
		sim.state.appCreated = '2025-06-01';
		const store = await connected('authorizationCode', 'broad');
		expect((store.tokenData(TYPE) as Record<string, string>).scope).toBe('offline_access accounting.transactions accounting.contacts');
	});

	it('not connected → error naming the sign-in, nothing sent', async () => {
		const store = new CredentialStore({ [TYPE]: { grantType: 'authorizationCode', clientId: XERO_SIM_CLIENT_ID, clientSecret: XERO_SIM_CLIENT_SECRET, accessTokenUrl: `${sim.identityUrl}/connect/token`, apiUrl: sim.apiUrl } });
		const error = await runNode({ node: new LegalXero(), parameters: {}, credentialStore: store, items: [{ json: executedContract() as any }] }).catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/Xero sign-in failed.*not connected/);
		expect(sim.state.requests).toHaveLength(0);
	});

	it('executed contract → exactly one PUT /Invoices (draft ACCREC) with Idempotency-Key and tenant', async () => {
		const event = executedContract();
		const { output } = await runNode({ node: new LegalXero(), parameters: { accountCode: '200' }, credentials: credentials(), items: [{ json: event as any }] });
		expect(sim.apiRequests()).toHaveLength(1);
		expect(sim.apiRequests()[0]).toMatchObject({ method: 'PUT', path: '/api.xro/2.0/Invoices', headers: { 'xero-tenant-id': XERO_SIM_TENANT_ID, 'idempotency-key': `legalhooks-createInvoice-plexus-${event.id}` } });
		expect(sim.state.invoices[0]).toMatchObject({ Type: 'ACCREC', Status: 'DRAFT', Contact: { Name: 'Company A' }, Total: 12500, Reference: event.document.id });
		expect(output[0]).toEqual({ json: expect.objectContaining({ id: event.id, document: event.document, xero: expect.objectContaining({ invoiceNumber: 'INV-0001', invoiceId: sim.state.invoices[0].InvoiceID, status: 'DRAFT' }) }), pairedItem: { item: 0 } });
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
		expect(output).toHaveLength(2);
	});

	it('missing fields → NodeOperationError naming the field; continue-on-fail gives an error item', async () => {
		const error = await runNode({ node: new LegalXero(), parameters: {}, credentials: credentials(), items: [{ json: signedEvent() as any }] }).catch((e) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toMatch(/no data\.counterpartyName/);
		expect(error.description).toBe('Field: data.counterpartyName');
		const { output } = await runNode({ node: new LegalXero(), parameters: {}, credentials: credentials(), onError: 'continueRegularOutput', items: [{ json: signedEvent({ data: { counterpartyName: 'Acme' } }) as any }, { json: executedContract() as any }] });
		expect(output[0].json).toMatchObject({ field: 'data.contractValue', error: expect.stringMatching(/data\.contractValue/) });
		expect(output[1].json.xero).toMatchObject({ status: 'DRAFT' });
		expect(sim.state.invoices).toHaveLength(1);
	});

	it('adds a note to the counterparty contact', async () => {
		const contactId = seedContact(sim, 'Company A');
		await runNode({ node: new LegalXero(), parameters: { operation: 'addContactNote', note: 'Executed: {{document.title}}' }, credentials: credentials(), items: [{ json: executedContract() as any }] });
		expect(sim.state.history).toEqual([{ contactId, Details: 'Executed: Service Agreement for Company A' }]);
	});

	it('organisation picker lists the organisations the sign-in reaches; the picked one is used', async () => {
		sim.state.tenants.push({ tenantId: '6f2a1c0e-0000-4000-8000-00000000a002', tenantName: 'Second Org (NZ)' });
		const store = await connected();
		const { result } = await runListSearch({ node: new LegalXero(), parameters: {}, credentialStore: store, method: 'searchOrganisations', filter: 'second' });
		expect(result.results).toEqual([{ name: 'Second Org (NZ)', value: '6f2a1c0e-0000-4000-8000-00000000a002' }]);
		await runNode({ node: new LegalXero(), parameters: { tenant: { __rl: true, mode: 'list', value: '6f2a1c0e-0000-4000-8000-00000000a002' } }, credentialStore: store, items: [{ json: executedContract() as any }] });
		expect(sim.state.invoices[0].tenantId).toBe('6f2a1c0e-0000-4000-8000-00000000a002');
	});
});
