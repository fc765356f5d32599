import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import salesforceModule from '../../node-red/src/legalhooks-salesforce';
import { collect, helper } from '../node-red/helper';
import { signedEvent, waitFor } from '../../sandbox/simulators/destination-events';
import { SF_SIM_CLIENT_ID, SF_SIM_CLIENT_SECRET, SF_SIM_REFRESH_TOKEN, start, type SalesforceSimulator } from '../../sandbox/simulators/salesforce';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const catchNode = require('@node-red/nodes/core/common/25-catch.js');

describe('Node-RED: legalhooks-salesforce', () => {
	let sim: SalesforceSimulator;
	beforeEach(async () => {
		sim = await start();
		helper.settings({ userDir: mkdtempSync(path.join(tmpdir(), 'legalhooks-nr-sf-')), credentialSecret: 'sim-secret' });
	});
	afterEach(async () => {
		await helper.unload();
		await sim.close();
	});

	async function load(node: Record<string, unknown> = {}) {
		const flow = [
			{ id: 'f1', type: 'tab', label: 'test' },
			{ id: 'acct', type: 'legalhooks-salesforce-account', grantType: 'refresh_token', loginUrl: sim.url, apiVersion: '60.0' },
			{ id: 'sf', z: 'f1', type: 'legalhooks-salesforce', account: 'acct', operation: 'upsert', fieldMap: '{"StageName":"$status"}', maxAttempts: 3, wires: [['out']], ...node },
			{ id: 'out', z: 'f1', type: 'helper' },
			{ id: 'catcher', z: 'f1', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
			{ id: 'caught', z: 'f1', type: 'helper' },
		];
		await helper.load([catchNode, salesforceModule as any], flow, { acct: { clientId: SF_SIM_CLIENT_ID, clientSecret: SF_SIM_CLIENT_SECRET, refreshToken: SF_SIM_REFRESH_TOKEN } });
		return { out: collect(helper.getNode('out')), caught: collect(helper.getNode('caught')), sf: helper.getNode('sf') };
	}
	it('refresh-token rotation on: the rotated token is used after a restart without deploy', async () => {
		sim.state.rotateRefreshTokens = true;
		const event = signedEvent();
		seedOpp(event.document.id);
		const first = await load();
		first.sf.receive({ payload: event });
		await waitFor(() => first.out.length === 1, 'first upsert');
		expect(sim.state.refreshTokens.has(SF_SIM_REFRESH_TOKEN)).toBe(false);
		await helper.unload();
		sim.faults.expireTokens();
		const second = await load();
		second.sf.receive({ payload: { ...event, id: 'after-restart' } });
		await waitFor(() => second.out.length + second.caught.length === 1, 'upsert after the restart');
		expect(second.caught).toHaveLength(0);
		expect(sim.state.tokensIssued).toHaveLength(2);
	});

	it('"Test connection" with rotation on spends no token it cannot keep', async () => {
		sim.state.rotateRefreshTokens = true;
		const { out, caught, sf } = await load();
		const pasted = await helper.request().post('/legalhooks/salesforce/test').send({ id: 'acct', settings: {}, credentials: { clientId: SF_SIM_CLIENT_ID, clientSecret: '__PWRD__', refreshToken: 'a-new-token' } });
		expect(pasted.body.message).toMatch(/Not tested/);
		const deployed = await helper.request().post('/legalhooks/salesforce/test').send({ id: 'acct', settings: {}, credentials: { clientId: SF_SIM_CLIENT_ID, clientSecret: '__PWRD__', refreshToken: '__PWRD__' } });
		expect(deployed.body.ok).toBe(true);
		sim.faults.expireTokens();
		const event = signedEvent();
		seedOpp(event.document.id);
		sf.receive({ payload: event });
		await waitFor(() => out.length + caught.length === 1, 'upsert after the test');
		expect(caught).toHaveLength(0);
	});

	const seedOpp = (docId: string) => sim.seed('Opportunity', { Name: 'Deal', StageName: 'Negotiation/Review', CloseDate: '2024-06-30', Legalhooks_Document_Id__c: docId });

	it('signed event → exactly one upsert that moves the Opportunity stage', async () => {
		const { out, sf } = await load();
		const event = signedEvent();
		const opp = seedOpp(event.document.id);
		sf.receive({ payload: event });
		await waitFor(() => out.length === 1, 'output message');
		expect(sim.dataRequests()).toHaveLength(1);
		expect(sim.records('Opportunity')[0].StageName).toBe('Closed Won');
		expect(out[0].result).toMatchObject({ operation: 'upsert', id: opp.Id, created: false });
	});

	it('keeps the token on the account between messages; expired token → refresh and success', async () => {
		const { out, sf } = await load();
		const event = signedEvent();
		seedOpp(event.document.id);
		sf.receive({ payload: event });
		await waitFor(() => out.length === 1, 'first message');
		sf.receive({ payload: event });
		await waitFor(() => out.length === 2, 'second message');
		expect(sim.state.tokensIssued).toHaveLength(1);
		sim.faults.expireTokens();
		sf.receive({ payload: event });
		await waitFor(() => out.length === 3, 'third message');
		expect(out[2].result.tokenRefreshed).toBe(true);
		expect(sim.state.tokensIssued).toHaveLength(2);
	});

	it('429 then success → one update', async () => {
		const { out, sf } = await load();
		const event = signedEvent();
		seedOpp(event.document.id);
		sim.faults.requestLimitExceeded(1, 'concurrent');
		sf.receive({ payload: event });
		await waitFor(() => out.length === 1, 'output message');
		expect(sim.dataRequests().filter((r) => !r.fault)).toHaveLength(1);
		expect(out[0].result.waitedMs).toEqual([1000]);
	});

	it('500 ×3 → the Catch node gets a clear error', async () => {
		const { out, caught, sf } = await load();
		sim.faults.serverError({ times: 3 });
		sf.receive({ payload: signedEvent() });
		await waitFor(() => caught.length === 1, 'caught error');
		expect(caught[0].error.message).toMatch(/Salesforce upsert Opportunity failed \(HTTP 500\).*gave up after 3 attempts/);
		expect(out).toHaveLength(0);
	});

	it('Task on the record given in msg.whatId', async () => {
		const { out, sf } = await load({ operation: 'createTask', fieldMap: '' });
		const opp = seedOpp('x');
		sf.receive({ payload: signedEvent(), whatId: opp.Id });
		await waitFor(() => out.length === 1, 'output message');
		expect(sim.records('Task')).toEqual([expect.objectContaining({ WhatId: opp.Id, Subject: 'Master Services Agreement: Completed' })]);
	});

	it('test connection endpoint', async () => {
		await load();
		const ok = await helper.request().post('/legalhooks/salesforce/test').send({ id: 'acct', settings: {}, credentials: { clientId: SF_SIM_CLIENT_ID, clientSecret: '__PWRD__', refreshToken: '__PWRD__' } });
		expect(ok.body).toEqual({ ok: true, message: `Connected to ${sim.url}.` });
		const bad = await helper.request().post('/legalhooks/salesforce/test').send({ settings: { grantType: 'client_credentials', loginUrl: sim.url }, credentials: { clientId: SF_SIM_CLIENT_ID, clientSecret: 'not-the-secret' } });
		expect(bad.body.ok).toBe(false);
		expect(bad.body.message).toMatch(/client id or client secret is wrong/);
		expect(bad.body.message).not.toContain('not-the-secret');
	});
});
