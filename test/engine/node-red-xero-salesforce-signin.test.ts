import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import salesforceModule from '../../node-red/src/legalhooks-salesforce';
import xeroModule from '../../node-red/src/legalhooks-xero';
import { collect, helper } from '../node-red/helper';
import { executedContract, signedEvent, waitFor } from '../../sandbox/simulators/destination-events';
import * as salesforceSim from '../../sandbox/simulators/salesforce';
import * as xeroSim from '../../sandbox/simulators/xero';

/**
 * The account nodes' "Sign in" (authorization code + PKCE run by Node-RED): start (write permission),
 * the service's sign-in page, the callback on the Node-RED server, the result for the dialog; the
 * refresh token it gives then works once deployed.
 */
describe('Node-RED: sign in to Xero and Salesforce from the account node', () => {
	beforeEach(() => {
		helper.settings({ userDir: mkdtempSync(path.join(tmpdir(), 'legalhooks-nr-signin-')), credentialSecret: 'sim-secret' });
	});
	afterEach(() => helper.unload());

	const REDIRECT = 'http://127.0.0.1:1880/legalhooks/DEST/auth/callback';

	/** Plays the browser: opens the sign-in URL (the simulator signs the user in) and follows the redirect to Node-RED. */
	async function signIn(destination: string, body: Record<string, unknown>) {
		const start = await helper.request().post(`/legalhooks/${destination}/auth/start`).send({ ...body, redirectUri: REDIRECT.replace('DEST', destination) });
		expect(start.body).toMatchObject({ ok: true, url: expect.any(String), state: expect.any(String) });
		expect(new URL(start.body.url).searchParams.get('code_challenge_method')).toBe('S256');
		const pendingResult = await helper.request().get(`/legalhooks/${destination}/auth/result`).query({ state: start.body.state });
		expect(pendingResult.body).toEqual({ status: 'pending' });
		const signInPage = await fetch(start.body.url, { redirect: 'manual' });
		const back = new URL(signInPage.headers.get('location') as string);
		const callback = await helper.request().get(`/legalhooks/${destination}/auth/callback${back.search}`);
		const result = await helper.request().get(`/legalhooks/${destination}/auth/result`).query({ state: start.body.state });
		const replay = await helper.request().get(`/legalhooks/${destination}/auth/callback${back.search}`);
		return { start: start.body, callback, result: result.body, replay };
	}

	it('Xero: sign-in gives a refresh token (granular scopes, offline_access) and the organisation; deployed, it sends', async () => {
		const xero = await xeroSim.start();
		try {
			const flow = [
				{ id: 'f1', type: 'tab', label: 't' },
				{ id: 'acct', type: 'legalhooks-xero-account', grantType: 'refresh_token', identityUrl: xero.identityUrl, apiUrl: xero.apiUrl },
				{ id: 'x', z: 'f1', type: 'legalhooks-xero', account: 'acct', operation: 'createInvoice', wires: [['out']] },
				{ id: 'out', z: 'f1', type: 'helper' },
			];
			await helper.load([xeroModule as any], flow, { acct: { clientId: xeroSim.XERO_SIM_CLIENT_ID, clientSecret: xeroSim.XERO_SIM_CLIENT_SECRET } });
			const { start, callback, result, replay } = await signIn('xero', { id: 'acct', settings: { identityUrl: xero.identityUrl, apiUrl: xero.apiUrl }, credentials: { clientId: xeroSim.XERO_SIM_CLIENT_ID, clientSecret: '__PWRD__' } });
			expect(new URL(start.url).searchParams.get('scope')).toBe('offline_access accounting.invoices accounting.contacts');
			expect(callback.status).toBe(200);
			expect(callback.text).toContain('Signed in to Xero');
			expect(result).toMatchObject({ status: 'done', refreshToken: expect.stringMatching(/^sim-xero-refresh-/), organisations: [{ tenantId: xeroSim.XERO_SIM_TENANT_ID }] });
			expect(replay.status).toBe(400); // a state is good once
			// the dialog puts the token in the credential; deploy and send
			await helper.unload();
			await helper.load([xeroModule as any], flow, { acct: { clientId: xeroSim.XERO_SIM_CLIENT_ID, clientSecret: xeroSim.XERO_SIM_CLIENT_SECRET, refreshToken: result.refreshToken } });
			const out = collect(helper.getNode('out'));
			helper.getNode('x').receive({ payload: executedContract() });
			await waitFor(() => out.length === 1, 'invoice');
			expect(xero.state.invoices).toHaveLength(1);
		} finally {
			await xero.close();
		}
	});

	it('Salesforce: sign-in (web server flow + PKCE) gives a refresh token; a refused sign-in says why; start needs the client secret', async () => {
		const sf = await salesforceSim.start();
		try {
			const flow = [
				{ id: 'f1', type: 'tab', label: 't' },
				{ id: 'acct', type: 'legalhooks-salesforce-account', grantType: 'refresh_token', loginUrl: sf.url, apiVersion: '60.0' },
				{ id: 's', z: 'f1', type: 'legalhooks-salesforce', account: 'acct', operation: 'upsert', wires: [['out']] },
				{ id: 'out', z: 'f1', type: 'helper' },
			];
			await helper.load([salesforceModule as any], flow, {});
			const missing = await helper.request().post('/legalhooks/salesforce/auth/start').send({ settings: { loginUrl: sf.url }, credentials: { clientId: 'x' }, redirectUri: REDIRECT.replace('DEST', 'salesforce') });
			expect(missing.status).toBe(400);
			const foreign = await helper.request().post('/legalhooks/salesforce/auth/start').send({ settings: { loginUrl: sf.url }, credentials: { clientId: 'x', clientSecret: 'y' }, redirectUri: 'https://evil.example/steal' });
			expect(foreign.status).toBe(400);
			const { result } = await signIn('salesforce', { settings: { loginUrl: sf.url }, credentials: { clientId: salesforceSim.SF_SIM_CLIENT_ID, clientSecret: salesforceSim.SF_SIM_CLIENT_SECRET } });
			expect(result).toMatchObject({ status: 'done', refreshToken: expect.stringMatching(/^5Aep861sim-refresh-/) });
			const wrongSecret = await signIn('salesforce', { settings: { loginUrl: sf.url }, credentials: { clientId: salesforceSim.SF_SIM_CLIENT_ID, clientSecret: 'wrong' } });
			expect(wrongSecret.callback.status).toBe(502);
			expect(wrongSecret.result).toMatchObject({ status: 'error', message: expect.stringMatching(/invalid_client|invalid client/) });
			await helper.unload();
			await helper.load([salesforceModule as any], flow, { acct: { clientId: salesforceSim.SF_SIM_CLIENT_ID, clientSecret: salesforceSim.SF_SIM_CLIENT_SECRET, refreshToken: result.refreshToken } });
			const out = collect(helper.getNode('out'));
			helper.getNode('s').receive({ payload: signedEvent() });
			await waitFor(() => out.length === 1, 'upsert');
			expect(sf.records('Opportunity')).toHaveLength(1);
		} finally {
			await sf.close();
		}
	});
});
