import { generateKeyPairSync } from 'node:crypto';
import { NodeApiError } from 'n8n-workflow';
import { LegalSalesforce } from '../../n8n/actions/nodes/LegalSalesforce/LegalSalesforce.node';
import { CredentialStore, runListSearch, runNode } from '../n8n/execute-context';
import { connect } from '../n8n/oauth2';
import { signedEvent } from '../../sandbox/simulators/destination-events';
import { SF_SIM_CLIENT_ID, SF_SIM_CLIENT_SECRET, SF_SIM_REFRESH_TOKEN, start, type SalesforceSimulator } from '../../sandbox/simulators/salesforce';

describe('n8n: Legal Event to Salesforce', () => {
	let sim: SalesforceSimulator;
	beforeEach(async () => {
		sim = await start();
		sim.state.accessTokens.add(SEEDED);
	});
	afterEach(() => sim.close());
	const TYPE = 'legalhooksSalesforceOAuth2Api';
	// A connected credential as n8n stores it after the Connect button (token data with instance_url).
	const SEEDED = '00DSIM!seeded';
	const credentials = (grantType = 'pkce') => ({
		[TYPE]: {
			grantType,
			loginUrl: sim.url,
			clientId: SF_SIM_CLIENT_ID,
			clientSecret: SF_SIM_CLIENT_SECRET,
			apiVersion: '60.0',
			...(grantType === 'clientCredentials' ? {} : { oauthTokenData: { access_token: SEEDED, refresh_token: SF_SIM_REFRESH_TOKEN, instance_url: sim.url } }),
		},
	});

	it('Connect (PKCE) with refresh-token rotation on: executions keep working across rotations', async () => {
		sim.state.rotateRefreshTokens = true;
		const store = new CredentialStore({ [TYPE]: { grantType: 'pkce', loginUrl: sim.url, clientId: SF_SIM_CLIENT_ID, clientSecret: SF_SIM_CLIENT_SECRET } });
		const token = await connect(store, TYPE);
		expect(token).toMatchObject({ instance_url: sim.url, refresh_token: expect.any(String) });
		const event = signedEvent();
		seedOpp(event.document.id);
		const run = () => runNode({ node: new LegalSalesforce(), parameters: { fieldMap: '{"StageName":"$status"}' }, credentialStore: store, items: [{ json: event as any }] });
		await run();
		const spent: string[] = [];
		for (let i = 0; i < 2; i++) {
			spent.push(String(store.tokenData(TYPE)?.refresh_token));
			sim.faults.expireTokens();
			const { output } = await run();
			expect(output[0].json.salesforce).toMatchObject({ created: false });
		}
		expect(spent.every((t) => !sim.state.refreshTokens.has(t))).toBe(true);
		expect(store.tokenRequests.map((t) => t.grantType)).toEqual(['authorization_code', 'refresh_token', 'refresh_token']);
		expect(sim.state.codes.size).toBe(0);
	});

	it('a revoked refresh token → error saying to reconnect; nothing written', async () => {
		sim.state.refreshTokens.clear();
		sim.faults.expireTokens();
		const error = await runNode({ node: new LegalSalesforce(), parameters: {}, credentials: credentials(), items: [{ json: signedEvent() as any }] }).catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/Salesforce sign-in failed.*needs to be reconnected/);
		expect(sim.dataRequests().map((r) => r.method)).toEqual(['PATCH', 'GET']); // the refused attempt, then n8n's refresh probe
		expect(sim.records('Opportunity')).toHaveLength(0);
	});
	const seedOpp = (docId: string) => sim.seed('Opportunity', { Name: 'Deal', StageName: 'Negotiation/Review', CloseDate: '2024-06-30', Legalhooks_Document_Id__c: docId });

	it('signed event → exactly one upsert; default mapping (Name, StageName) applied; one token for several items', async () => {
		const a = signedEvent({ id: 'e1', document: { id: 'doc-a', title: 'NDA A', status: 'completed' } });
		const b = signedEvent({ id: 'e2', document: { id: 'doc-b', title: 'NDA B', status: 'rejected' } });
		seedOpp('doc-a');
		seedOpp('doc-b');
		const { output } = await runNode({ node: new LegalSalesforce(), parameters: {}, credentials: credentials(), items: [{ json: a as any }, { json: b as any }] });
		expect(sim.dataRequests().map((r) => `${r.method} ${r.path}`)).toEqual([
			'PATCH /services/data/v60.0/sobjects/Opportunity/Legalhooks_Document_Id__c/doc-a',
			'PATCH /services/data/v60.0/sobjects/Opportunity/Legalhooks_Document_Id__c/doc-b',
		]);
		expect(sim.records('Opportunity').map((r) => [r.Name, r.StageName])).toEqual([
			['NDA A', 'Closed Won'],
			['NDA B', 'Closed Lost'],
		]);
		expect(sim.state.tokensIssued).toHaveLength(0);
		expect(output.map((o) => [(o.json.salesforce as any).created, o.pairedItem])).toEqual([
			[false, { item: 0 }],
			[false, { item: 1 }],
		]);
	});

	it('user mapping + extra fields from the editor (JSON and fixedCollection)', async () => {
		const event = signedEvent();
		await runNode({
			node: new LegalSalesforce(),
			parameters: {
				object: 'Contract__c',
				fieldMap: '{"Status__c": "$status", "Signer__c": "recipient.email"}',
				statusMap: '{"completed": "Signed"}',
				extraFields: { field: [{ name: 'Source__c', value: 'legalhooks' }] },
			},
			credentials: credentials(),
			items: [{ json: event as any }],
		});
		expect(sim.records('Contract__c')).toEqual([expect.objectContaining({ Status__c: 'Signed', Signer__c: 'jane.signer@example.com', Source__c: 'legalhooks', Legalhooks_Document_Id__c: event.document.id })]);
	});

	it('expired token → refresh and success', async () => {
		const event = signedEvent();
		seedOpp(event.document.id);
		sim.faults.expireTokens();
		const { output } = await runNode({ node: new LegalSalesforce(), parameters: { fieldMap: '{"StageName":"$status"}' }, credentials: credentials(), items: [{ json: event as any }, { json: event as any }] });
		expect(sim.state.tokensIssued).toHaveLength(1);
		sim.faults.expireTokens();
		const again = await runNode({ node: new LegalSalesforce(), parameters: { fieldMap: '{"StageName":"$status"}' }, credentials: credentials('clientCredentials'), items: [{ json: event as any }] });
		expect(output).toHaveLength(2);
		expect((again.output[0].json.salesforce as any).created).toBe(false);
		expect(sim.state.tokensIssued.map((t) => t.grantType)).toEqual(['refresh_token', 'client_credentials']);
	});

	it('429 then success → one update; 500 ×3 → NodeApiError', async () => {
		const event = signedEvent();
		seedOpp(event.document.id);
		sim.faults.requestLimitExceeded(1, 'concurrent');
		await runNode({ node: new LegalSalesforce(), parameters: { fieldMap: '{"StageName":"$status"}' }, credentials: credentials(), items: [{ json: event as any }] });
		expect(sim.dataRequests().filter((r) => !r.fault)).toHaveLength(1);
		sim.faults.serverError({ times: 3 });
		const error = await runNode({ node: new LegalSalesforce(), parameters: {}, credentials: credentials(), items: [{ json: event as any }] }).catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/Salesforce upsert Opportunity failed \(HTTP 500\)/);
		expect(error.context.itemIndex).toBe(0);
	});

	it('continue-on-fail keeps Salesforce’s field error on the failed item', async () => {
		const { output } = await runNode({
			node: new LegalSalesforce(),
			parameters: { statusMap: '{"completed": "Signed!"}' },
			credentials: credentials(),
			onError: 'continueRegularOutput',
			items: [{ json: signedEvent({ document: { id: 'new-doc', title: 'New', status: 'completed' } }) as any }],
		});
		expect(output[0]).toEqual({ json: expect.objectContaining({ error: expect.stringMatching(/INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST.*StageName/), httpCode: 400 }), pairedItem: { item: 0 } });
	});

	it('default settings create a valid Opportunity for an unknown document; "Update Only" creates nothing', async () => {
		const created = await runNode({ node: new LegalSalesforce(), parameters: {}, credentials: credentials(), items: [{ json: signedEvent({ document: { id: 'new-doc', title: 'New', status: 'completed' } }) as any }] });
		expect(created.output[0].json).toMatchObject({ id: 'legalesign-doc-3f2a-signed', salesforce: { created: true, outcome: 'written', id: expect.stringMatching(/^006/) } });
		expect(sim.records('Opportunity')).toEqual([expect.objectContaining({ Name: 'New', StageName: 'Closed Won', CloseDate: '2024-03-01' })]);
		const skipped = await runNode({ node: new LegalSalesforce(), parameters: { upsertMode: 'updateOnly' }, credentials: credentials(), items: [{ json: signedEvent({ document: { id: 'other', title: 'O', status: 'completed' } }) as any }] });
		expect(skipped.output[0].json.salesforce).toMatchObject({ outcome: 'notFound' });
		expect(sim.records('Opportunity')).toHaveLength(1);
	});

	it('update Lead status and create Task operations', async () => {
		const lead = sim.seed('Lead', { LastName: 'S', Company: 'C', Email: 'jane.signer@example.com', Status: 'Open - Not Contacted' });
		const event = signedEvent({ document: { id: 'd', title: 'NDA', status: 'out_for_signature' } });
		await runNode({ node: new LegalSalesforce(), parameters: { operation: 'updateLeadStatus' }, credentials: credentials(), items: [{ json: event as any }] });
		expect(sim.records('Lead')[0].Status).toBe('Working - Contacted');
		await runNode({ node: new LegalSalesforce(), parameters: { operation: 'createTask', whoId: lead.Id, subject: 'Sent: {{document.title}}' }, credentials: credentials(), items: [{ json: event as any }] });
		expect(sim.records('Task')).toEqual([expect.objectContaining({ WhoId: lead.Id, Subject: 'Sent: NDA', Status: 'Completed' })]);
	});

	it('JWT bearer: n8n gets a session token by preAuthentication, saves it, renews it after a 401; no refresh token involved', async () => {
		const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
		sim.state.jwtApps.set('jwt-consumer-key', publicKey.export({ type: 'spki', format: 'pem' }) as string);
		sim.state.jwtUsers.add('integration@example.com');
		const store = new CredentialStore({
			legalhooksSalesforceJwtApi: { loginUrl: sim.url, instanceUrl: sim.url, clientId: 'jwt-consumer-key', username: 'integration@example.com', privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, apiVersion: '60.0' },
		});
		const event = signedEvent();
		seedOpp(event.document.id);
		const run = () => runNode({ node: new LegalSalesforce(), parameters: { authentication: 'jwt', fieldMap: '{"StageName":"$status"}', sendOnce: false }, credentialStore: store, items: [{ json: event as any }] });
		await run();
		expect(store.preAuthentications).toHaveLength(1);
		await run(); // the saved session token is reused
		expect(store.preAuthentications).toHaveLength(1);
		sim.faults.expireTokens();
		const { output } = await run();
		expect(output[0].json.salesforce).toMatchObject({ created: false });
		expect(store.preAuthentications).toHaveLength(2);
		expect(sim.state.tokensIssued.map((t) => t.grantType)).toEqual(Array(2).fill('urn:ietf:params:oauth:grant-type:jwt-bearer'));
		// a user no longer pre-authorized: no new session, a clear 401 error, nothing written
		sim.state.jwtUsers.clear();
		sim.faults.expireTokens();
		await expect(run()).rejects.toThrow(/HTTP 401.*check the credential/);
	});

	it('object and External ID field pickers list from the org (through the credential); picked values are used', async () => {
		const objects = await runListSearch({ node: new LegalSalesforce(), parameters: {}, credentials: credentials(), method: 'searchObjects', filter: 'contract' });
		expect(objects.result.results).toEqual([{ name: 'Contract (Contract__c)', value: 'Contract__c' }]);
		const fields = await runListSearch({ node: new LegalSalesforce(), parameters: { object: { __rl: true, mode: 'list', value: 'Contract__c' } }, credentials: credentials(), method: 'searchExternalIdFields' });
		expect(fields.result.results).toEqual([{ name: 'Legalhooks Document Id (Legalhooks_Document_Id__c)', value: 'Legalhooks_Document_Id__c' }]);
		expect(objects.record.authenticatedRequests.map((r) => r.credentialType)).toEqual(['legalhooksSalesforceOAuth2Api']);
		await runNode({
			node: new LegalSalesforce(),
			parameters: { object: { __rl: true, mode: 'list', value: 'Contract__c' }, externalIdField: { __rl: true, mode: 'list', value: 'Legalhooks_Document_Id__c' }, fieldMap: '{"Status__c":"$status"}', statusMap: '{"completed":"Signed"}' },
			credentials: credentials(),
			items: [{ json: signedEvent() as any }],
		});
		expect(sim.records('Contract__c')).toEqual([expect.objectContaining({ Status__c: 'Signed' })]);
	});
});
