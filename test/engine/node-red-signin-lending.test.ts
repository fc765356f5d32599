import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import salesforceModule from '../../node-red/src/legalhooks-salesforce';
import xeroModule from '../../node-red/src/legalhooks-xero';
import { helper } from '../node-red/helper';
import * as salesforceSim from '../../sandbox/simulators/salesforce';
import * as xeroSim from '../../sandbox/simulators/xero';

/**
 * Issue 20: the account nodes' sign-in start lends a deployed client secret only from a deployed
 * node of its own type and only with that node's settings; a sign-in `state` is used once, even by
 * two callbacks racing for it. A second Xero simulator plays the server an editor user would like
 * the secret sent to.
 */
describe('Node-RED: what the Xero/Salesforce sign-in start may lend, and one use of a state', () => {
	let xero: xeroSim.XeroSimulator;
	let evil: xeroSim.XeroSimulator;
	let sf: salesforceSim.SalesforceSimulator;

	const redirectUri = (destination: string) => `http://127.0.0.1:1880/legalhooks/${destination}/auth/callback`;
	const start = (destination: string, body: Record<string, unknown>) => helper.request().post(`/legalhooks/${destination}/auth/start`).send({ ...body, redirectUri: redirectUri(destination) });
	/** What the attacker's server saw of a token request: a client id and secret in Basic auth. */
	const tokenRequests = (sim: xeroSim.XeroSimulator) => sim.state.requests.filter((r) => r.path === '/connect/token');

	beforeEach(async () => {
		[xero, evil, sf] = await Promise.all([xeroSim.start(), xeroSim.start(), salesforceSim.start()]);
		helper.settings({ userDir: mkdtempSync(path.join(tmpdir(), 'legalhooks-nr-lend-')), credentialSecret: 'sim-secret' });
		const flow = [
			{ id: 'xacct', type: 'legalhooks-xero-account', grantType: 'refresh_token', identityUrl: xero.identityUrl, apiUrl: xero.apiUrl },
			{ id: 'sacct', type: 'legalhooks-salesforce-account', grantType: 'refresh_token', loginUrl: sf.url, apiVersion: '60.0' },
		];
		await helper.load([xeroModule as any, salesforceModule as any], flow, {
			xacct: { clientId: xeroSim.XERO_SIM_CLIENT_ID, clientSecret: xeroSim.XERO_SIM_CLIENT_SECRET },
			sacct: { clientId: salesforceSim.SF_SIM_CLIENT_ID, clientSecret: salesforceSim.SF_SIM_CLIENT_SECRET },
		});
	});
	afterEach(async () => {
		await helper.unload();
		await Promise.all([xero.close(), evil.close(), sf.close()]);
	});

	/** Drives a started sign-in to the callback with a code of the caller's choosing, as an attacker can. */
	async function callbackWith(destination: string, state: string, code = 'any-code') {
		return helper.request().get(`/legalhooks/${destination}/auth/callback`).query({ state, code });
	}

	it('another account type’s node lends nothing: the Xero route with the Salesforce node’s id needs the secret typed in', async () => {
		const stolen = await start('xero', { id: 'sacct', settings: { identityUrl: evil.identityUrl }, credentials: { clientId: salesforceSim.SF_SIM_CLIENT_ID, clientSecret: '__PWRD__' } });
		if (stolen.body.ok) await callbackWith('xero', stolen.body.state);
		expect(stolen.status).toBe(400);
		expect(stolen.body).toEqual({ ok: false, message: 'Enter the client id and client secret first' });
		expect(tokenRequests(evil)).toHaveLength(0);

		const backwards = await start('salesforce', { id: 'xacct', settings: { loginUrl: evil.identityUrl }, credentials: { clientId: xeroSim.XERO_SIM_CLIENT_ID, clientSecret: '__PWRD__' } });
		expect(backwards.status).toBe(400);
	});

	it('its own type’s node lends the secret only with the deployed client id and URLs; changed ones need the secret typed in', async () => {
		const redirected = await start('xero', { id: 'xacct', settings: { identityUrl: evil.identityUrl, apiUrl: xero.apiUrl }, credentials: { clientId: xeroSim.XERO_SIM_CLIENT_ID, clientSecret: '__PWRD__' } });
		if (redirected.body.ok) await callbackWith('xero', redirected.body.state);
		expect(redirected.status).toBe(400);
		expect(redirected.body.message).toMatch(/Enter clientSecret again to sign in with changed identityUrl/);
		expect(tokenRequests(evil)).toHaveLength(0);

		const otherClient = await start('xero', { id: 'xacct', settings: { identityUrl: xero.identityUrl, apiUrl: xero.apiUrl }, credentials: { clientId: 'ANOTHERCLIENT', clientSecret: '__PWRD__' } });
		expect(otherClient.status).toBe(400);
		expect(otherClient.body.message).toMatch(/changed clientId/);

		// Settings left out of the form are the deployed ones.
		const deployed = await start('xero', { id: 'xacct', settings: {}, credentials: { clientSecret: '__PWRD__' } });
		expect(deployed.body).toMatchObject({ ok: true });
		expect(deployed.body.url.startsWith(xero.identityUrl)).toBe(true);

		// A secret typed in the form is the user's own: any server, as before.
		const typed = await start('xero', { id: 'xacct', settings: { identityUrl: evil.identityUrl }, credentials: { clientId: 'MYCLIENT', clientSecret: 'my-own-secret' } });
		expect(typed.body).toMatchObject({ ok: true });
		expect(typed.body.url.startsWith(evil.identityUrl)).toBe(true);
	});

	it('two callbacks racing for one state: one code is exchanged, the other callback is refused', async () => {
		const started = await start('xero', { id: 'xacct', settings: { identityUrl: xero.identityUrl, apiUrl: xero.apiUrl }, credentials: { clientId: xeroSim.XERO_SIM_CLIENT_ID, clientSecret: '__PWRD__' } });
		expect(started.body).toMatchObject({ ok: true });
		// Two sign-ins on the service for the one state: two codes, each good on its own.
		const codes = await Promise.all(
			[1, 2].map(async () => new URL((await fetch(started.body.url, { redirect: 'manual' })).headers.get('location') as string).searchParams.get('code') as string),
		);
		expect(new Set(codes).size).toBe(2);
		const callbacks = await Promise.all(codes.map((code) => callbackWith('xero', started.body.state, code)));
		expect(callbacks.map((c) => c.status).sort()).toEqual([200, 400]);
		const exchanged = xero.state.tokensIssued.filter((t) => t.grantType === 'authorization_code');
		expect(exchanged).toHaveLength(1);
		const result = await helper.request().get('/legalhooks/xero/auth/result').query({ state: started.body.state });
		expect(result.body).toMatchObject({ status: 'done', refreshToken: exchanged[0].refreshToken });
	});
});
