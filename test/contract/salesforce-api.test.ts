import { sendToSalesforce, testSalesforceCredentials, type SalesforceCredentials } from '../../core/destinations/salesforce';
import { nodeHttpClient } from '../../node-red/src/shared/node-http';
import { executedContract, recordingSleep, signedEvent } from '../../sandbox/simulators/destination-events';
import { SF_SIM_CLIENT_ID, SF_SIM_CLIENT_SECRET, SF_SIM_REFRESH_TOKEN, start, type SalesforceSimulator } from '../../sandbox/simulators/salesforce';

describe('Salesforce destination against the simulator', () => {
	let sim: SalesforceSimulator;
	let creds: SalesforceCredentials;
	beforeEach(async () => {
		sim = await start();
		creds = { grantType: 'refresh_token', loginUrl: sim.url, clientId: SF_SIM_CLIENT_ID, clientSecret: SF_SIM_CLIENT_SECRET, refreshToken: SF_SIM_REFRESH_TOKEN };
	});
	afterEach(() => sim.close());
	const make = () => {
		const rec = recordingSleep();
		return { waits: rec.waits, ctx: { http: nodeHttpClient, sleep: rec.sleep } };
	};

	it('updates an Opportunity stage by external ID with exactly one upsert request', async () => {
		const { ctx } = make();
		const event = signedEvent();
		const opp = sim.seed('Opportunity', { Name: 'ACME deal', StageName: 'Negotiation/Review', CloseDate: '2024-03-31', Legalhooks_Document_Id__c: event.document.id });
		const { result, tokenState } = await sendToSalesforce(ctx, creds, event, { operation: 'upsert', fieldMap: { StageName: '$status' } });
		expect(result).toMatchObject({ operation: 'upsert', object: 'Opportunity', id: opp.Id, created: false, fields: { StageName: 'Closed Won' }, attempts: 1 });
		expect(result.apiUsage).toBe('api-usage=1/15000');
		expect(sim.dataRequests()).toHaveLength(1);
		expect(sim.dataRequests()[0]).toMatchObject({ method: 'PATCH', path: `/services/data/v60.0/sobjects/Opportunity/Legalhooks_Document_Id__c/${event.document.id}`, body: { StageName: 'Closed Won' } });
		expect(sim.records('Opportunity')[0]).toMatchObject({ Name: 'ACME deal', StageName: 'Closed Won' });
		expect(tokenState?.accessToken).toBe(sim.state.tokensIssued[0].accessToken);
		expect(tokenState?.instanceUrl).toBe(sim.url);
	});

	it('creates the record when the external ID is new; a retry after a lost answer updates it instead of duplicating', async () => {
		const { ctx } = make();
		const event = executedContract();
		sim.faults.serverError({ path: '/sobjects/', after: true });
		const { result } = await sendToSalesforce(ctx, creds, event, { operation: 'upsert', extraFields: { CloseDate: '2021-12-31' } });
		expect(sim.records('Opportunity')).toHaveLength(1);
		expect(sim.records('Opportunity')[0]).toMatchObject({ Name: 'Service Agreement for Company A', StageName: 'Closed Won', Amount: 12500, Legalhooks_Document_Id__c: event.document.id });
		expect(result).toMatchObject({ created: false, attempts: 2 });
	});

	it('expired token → one refresh and success; a cached token is reused', async () => {
		const { ctx } = make();
		const event = signedEvent();
		sim.seed('Opportunity', { Name: 'x', StageName: 'Prospecting', CloseDate: '2024-01-01', Legalhooks_Document_Id__c: event.document.id });
		const first = await sendToSalesforce(ctx, creds, event, { operation: 'upsert', fieldMap: { StageName: '$status' } });
		await sendToSalesforce(ctx, creds, event, { operation: 'upsert', fieldMap: { StageName: '$status' } }, first.tokenState);
		expect(sim.state.tokensIssued).toHaveLength(1);
		sim.faults.expireTokens();
		const again = await sendToSalesforce(ctx, creds, event, { operation: 'upsert', fieldMap: { StageName: '$status' } }, first.tokenState);
		expect(again.result.tokenRefreshed).toBe(true);
		expect(sim.state.tokensIssued).toHaveLength(2);
		expect(again.tokenState?.accessToken).toBe(sim.state.tokensIssued[1].accessToken);
	});

	it('the concurrent request limit (REQUEST_LIMIT_EXCEEDED, ConcurrentPerOrgLongTxn) is retried; 500 ×3 → a clear error', async () => {
		const { ctx, waits } = make();
		const event = signedEvent();
		sim.seed('Opportunity', { Name: 'x', StageName: 'Prospecting', CloseDate: '2024-01-01', Legalhooks_Document_Id__c: event.document.id });
		sim.faults.requestLimitExceeded(1, 'concurrent');
		await sendToSalesforce(ctx, creds, event, { operation: 'upsert', fieldMap: { StageName: '$status' } });
		expect(waits).toEqual([1000]);
		expect(sim.records('Opportunity')[0].StageName).toBe('Closed Won');
		sim.faults.serverError({ times: 3 });
		await expect(sendToSalesforce(ctx, creds, event, { operation: 'upsert', fieldMap: { StageName: '$status' } })).rejects.toThrow(/Salesforce upsert Opportunity failed \(HTTP 500\).*gave up after 3 attempts/);
	});

	it('the daily API limit fails at once with the usage; field errors name the field', async () => {
		const { ctx, waits } = make();
		sim.faults.requestLimitExceeded();
		await expect(sendToSalesforce(ctx, creds, signedEvent(), { operation: 'upsert' })).rejects.toThrow(/REQUEST_LIMIT_EXCEEDED.*api-usage=15000\/15000/);
		expect(waits).toEqual([]);
		await expect(sendToSalesforce(ctx, creds, signedEvent(), { operation: 'upsert', createFields: {} })).rejects.toThrow(/REQUIRED_FIELD_MISSING.*\[CloseDate\].*add it to the field mapping/);
		await expect(sendToSalesforce(ctx, creds, signedEvent(), { operation: 'upsert', statusMap: { completed: 'Signed!' } })).rejects.toThrow(/INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST.*StageName/);
	});

	it("updates a Lead's status, found by the signer's email", async () => {
		const { ctx } = make();
		const lead = sim.seed('Lead', { LastName: 'Signer', Company: 'Acme', Email: 'jane.signer@example.com', Status: 'Open - Not Contacted' });
		const event = signedEvent({ document: { id: 'd', title: 'NDA', status: 'out_for_signature' } });
		const { result } = await sendToSalesforce(ctx, creds, event, { operation: 'updateLeadStatus' });
		expect(result).toMatchObject({ id: lead.Id, fields: { Status: 'Working - Contacted' } });
		expect(sim.records('Lead')[0].Status).toBe('Working - Contacted');
		await expect(sendToSalesforce(ctx, creds, signedEvent({ recipient: { email: 'nobody@example.com' } }), { operation: 'updateLeadStatus', statusMap: { completed: 'Working - Contacted' } })).rejects.toThrow(/no open Lead with email nobody@example.com/);
	});

	it('adds a Task to a record, upserted by event id when an external ID field is set', async () => {
		const { ctx } = make();
		const opp = sim.seed('Opportunity', { Name: 'x', StageName: 'Prospecting', CloseDate: '2024-01-01' });
		const event = signedEvent();
		await sendToSalesforce(ctx, creds, event, { operation: 'createTask', whatId: opp.Id });
		await sendToSalesforce(ctx, creds, event, { operation: 'createTask', whatId: opp.Id, taskExternalIdField: 'Legalhooks_Event_Id__c' });
		await sendToSalesforce(ctx, creds, event, { operation: 'createTask', whatId: opp.Id, taskExternalIdField: 'Legalhooks_Event_Id__c' });
		expect(sim.records('Task')).toHaveLength(2);
		expect(sim.records('Task')[1]).toMatchObject({ WhatId: opp.Id, Subject: 'Master Services Agreement: Completed', Legalhooks_Event_Id__c: event.id });
	});

	it('client credentials grant; the credential check; bad secrets are refused without echoing them', async () => {
		const { ctx } = make();
		await expect(testSalesforceCredentials(ctx, { ...creds, grantType: 'client_credentials', refreshToken: undefined })).resolves.toEqual({ ok: true, instanceUrl: sim.url });
		expect(sim.state.tokensIssued[0].grantType).toBe('client_credentials');
		const error = await testSalesforceCredentials(ctx, { ...creds, clientSecret: 'wrong-secret-value' }).catch((e: Error) => e);
		expect(String(error)).toMatch(/token request failed \(HTTP 400\): invalid client credentials — the client id or client secret is wrong/);
		expect(String(error)).not.toContain('wrong-secret-value');
		const revoked = await testSalesforceCredentials(ctx, { ...creds, refreshToken: 'revoked' }).catch((e: Error) => e);
		expect(String(revoked)).toMatch(/refresh token is expired or revoked/);
	});

	it('defaults succeed on create: an unknown document id makes a valid Opportunity (Name, StageName, CloseDate); an update keeps CloseDate', async () => {
		const { ctx } = make();
		const event = signedEvent({ document: { id: 'new-doc', title: null as any, status: 'out_for_signature' } });
		const created = await sendToSalesforce(ctx, creds, event, { operation: 'upsert' });
		expect(created.result).toMatchObject({ created: true, outcome: 'written' });
		expect(sim.records('Opportunity')).toEqual([expect.objectContaining({ Name: 'Document new-doc', StageName: 'Negotiation/Review', CloseDate: '2024-03-01', Legalhooks_Document_Id__c: 'new-doc' })]);
		sim.records('Opportunity')[0].CloseDate = '2024-12-31';
		await sendToSalesforce(ctx, creds, { ...event, id: 'e2', occurredAt: '2024-05-05T00:00:00Z', document: { ...event.document, status: 'completed' } }, { operation: 'upsert' });
		expect(sim.records('Opportunity')[0]).toMatchObject({ StageName: 'Closed Won', CloseDate: '2024-12-31' });
		// a status the stage map leaves out still creates (first stage)
		await sendToSalesforce(ctx, creds, signedEvent({ document: { id: 'other-doc', title: 'X', status: 'other' } }), { operation: 'upsert' });
		expect(sim.records('Opportunity')[1]).toMatchObject({ StageName: 'Prospecting', Name: 'X' });
	});

	it('update only: an unknown document id writes nothing; a known one is updated by Id', async () => {
		const { ctx } = make();
		const missing = await sendToSalesforce(ctx, creds, signedEvent(), { operation: 'upsert', upsertMode: 'updateOnly' });
		expect(missing.result).toMatchObject({ outcome: 'notFound', id: undefined });
		expect(sim.records('Opportunity')).toHaveLength(0);
		const seeded = sim.seed('Opportunity', { Name: 'x', StageName: 'Prospecting', CloseDate: '2024-01-01', Legalhooks_Document_Id__c: signedEvent().document.id });
		const found = await sendToSalesforce(ctx, creds, signedEvent(), { operation: 'upsert', upsertMode: 'updateOnly' });
		expect(found.result).toMatchObject({ outcome: 'written', id: seeded.Id, created: false });
		expect(sim.records('Opportunity')[0].StageName).toBe('Closed Won');
		expect(sim.dataRequests().filter((r) => r.method === 'PATCH').map((r) => r.path)).toEqual([`/services/data/v60.0/sobjects/Opportunity/${seeded.Id}`]);
	});
});
