/*
 * The Node-RED action suite: Plexus trigger → Salesforce and Xero nodes in a real Node-RED. Both
 * accounts are signed in through the account dialog's "Sign in" admin endpoints (start → the
 * service's sign-in page → Node-RED's callback → result), driven over HTTP as the editor would;
 * then a send, a restart without deploy after both refresh tokens rotated, a send with the
 * rotated tokens, and Plexus retries (in the same process and after another restart).
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as salesforceSim from '../../../sandbox/simulators/salesforce';
import * as xeroSim from '../../../sandbox/simulators/xero';
import { sampleSets } from '../../../core/samples/sets';
import type { SampleDelivery } from '../../../core/samples/delivery';
import type { Packed } from '../lib/pack';
import { NodeRed, type NodeRedEngineSpec } from '../lib/nodered';
import { check, E2EError, jsonRequest, log, request, sleep, stays, waitFor } from '../lib/util';
import { checkAck, checkNoSecretsLogged } from '../lib/expect';

const PLEXUS_SECRET = 'e2e-plexus-nr-actions-secret-0123456789abcdef012345';
const id = () => randomBytes(8).toString('hex');

/** "Sign in with …" in the account dialog, over HTTP; resolves to the refresh token the dialog gets. */
async function signIn(nr: NodeRed, destination: 'salesforce' | 'xero', settings: Record<string, unknown>, credentials: Record<string, string>): Promise<string> {
	const base = `${nr.base}/legalhooks/${destination}/auth`;
	const started = await jsonRequest(`${base}/start`, 'POST', { settings, credentials, redirectUri: `${base}/callback` });
	check(started.status === 200 && started.json?.ok && typeof started.json.url === 'string', `${destination} sign-in start → ${started.status} ${started.text.slice(0, 300)}`);
	const page = await request(started.json.url);
	const back = page.headers.location;
	check(page.status === 302 && typeof back === 'string', `${destination} sign-in page → ${page.status} ${page.text.slice(0, 200)}`);
	const callback = await request(back);
	check(callback.status === 200, `${destination} sign-in callback → ${callback.status} ${callback.text.slice(0, 300)}`);
	const result = await jsonRequest(`${base}/result?state=${encodeURIComponent(started.json.state)}`, 'GET');
	check(result.status === 200 && result.json?.status === 'done' && typeof result.json.refreshToken === 'string', `${destination} sign-in result → ${result.status} ${result.text.slice(0, 300)}`);
	return result.json.refreshToken;
}

export async function runNodeRedActions(spec: NodeRedEngineSpec, work: string, packed: Packed): Promise<string> {
	const dir = path.join(work, 'actions');
	fs.mkdirSync(dir, { recursive: true });
	const nr = new NodeRed({ ...spec, label: `${spec.label} actions` }, dir);
	const L = (m: string) => log(nr.spec.label, m);
	const sf = await salesforceSim.start();
	const xero = await xeroSim.start();
	try {
		sf.state.rotateRefreshTokens = true;
		nr.installPackage(packed.tarball, spec.installMode);
		await nr.start();

		const sfSettings = { grantType: 'refresh_token', loginUrl: sf.url, instanceUrl: '', apiVersion: '60.0' };
		const xeroSettings = { grantType: 'refresh_token', tenantId: '', scopes: '', identityUrl: xero.identityUrl, apiUrl: xero.apiUrl };
		const sfClient = { clientId: salesforceSim.SF_SIM_CLIENT_ID, clientSecret: salesforceSim.SF_SIM_CLIENT_SECRET };
		const xeroClient = { clientId: xeroSim.XERO_SIM_CLIENT_ID, clientSecret: xeroSim.XERO_SIM_CLIENT_SECRET };
		const sfRefresh = await signIn(nr, 'salesforce', sfSettings, sfClient);
		const xeroRefresh = await signIn(nr, 'xero', xeroSettings, xeroClient);
		L('Salesforce and Xero signed in through the account nodes’ sign-in endpoints');

		const tab = id();
		const plexusAccount = id();
		const trigger = id();
		const sfAccount = id();
		const xeroAccount = id();
		const flows = [
			{ id: tab, type: 'tab', label: 'e2e actions', disabled: false, info: '' },
			{ id: plexusAccount, type: 'legalhooks-plexus-account', name: 'e2e Plexus', baseUrl: nr.base, credentials: { secret: PLEXUS_SECRET } },
			{ id: sfAccount, type: 'legalhooks-salesforce-account', name: 'e2e Salesforce', ...sfSettings, credentials: { ...sfClient, refreshToken: sfRefresh } },
			{ id: xeroAccount, type: 'legalhooks-xero-account', name: 'e2e Xero', ...xeroSettings, credentials: { ...xeroClient, refreshToken: xeroRefresh } },
			{ id: trigger, type: 'legalhooks-plexus-trigger', z: tab, name: '', account: plexusAccount, x: 150, y: 100, wires: [[`${trigger}sf`, `${trigger}xe`]] },
			{ id: `${trigger}sf`, type: 'legalhooks-salesforce', z: tab, name: '', account: sfAccount, operation: 'upsert', object: 'Opportunity', externalIdField: 'Legalhooks_Document_Id__c', upsertMode: 'createOrUpdate', x: 400, y: 60, wires: [[]] },
			{ id: `${trigger}xe`, type: 'legalhooks-xero', z: tab, name: '', account: xeroAccount, operation: 'createInvoice', lineAmountTypes: 'Exclusive', dueInDays: 30, x: 400, y: 140, wires: [[]] },
		];
		const url = `${nr.base}/legalhooks/plexus/${trigger}`;
		const send = (d: SampleDelivery) => request(url, { method: d.method, headers: d.headers, body: d.body });
		const event = () => sampleSets.plexus!.build('executed', { secret: PLEXUS_SECRET }, { eventId: 'fresh', now: new Date() });
		const sfWrites = () => sf.dataRequests().filter((r) => r.method === 'PATCH' || r.method === 'POST').length;
		const refreshes = () => ({ sf: sf.state.tokensIssued.filter((t) => t.grantType === 'refresh_token').length, xero: xero.state.tokensIssued.filter((t) => t.grantType === 'refresh_token').length });
		// one more invoice and (when `write`) Salesforce writes, then nothing more for a while; a first
		// upsert of a new record takes two PATCHes (the create defaults after REQUIRED_FIELD_MISSING)
		const expectSends = async (invoices: number, write: boolean, what: string) => {
			const writes = sfWrites();
			await waitFor(`${what}: ${invoices} invoice(s)${write ? ', a Salesforce write' : ''}`, async () => xero.state.invoices.length >= invoices && (!write || sfWrites() > writes), { timeoutMs: 20_000 });
			await sleep(300);
			const settled = sfWrites();
			await stays(`${what}: exactly ${invoices} invoice(s) (${xero.state.invoices.length}), Salesforce writes stay at ${settled} (${sfWrites()})`, async () => xero.state.invoices.length === invoices && sfWrites() === settled, 1500);
		};

		await nr.deploy(flows);
		await waitFor('Plexus route', async () => (await request(url, { method: 'GET' })).status !== 404, { timeoutMs: 20_000 });

		// 1. a send: both nodes refresh (their first access token) and get a rotated refresh token
		checkAck('first delivery', await send(event()));
		await expectSends(1, true, 'first delivery');
		check(refreshes().sf === 1 && refreshes().xero === 1, `first delivery: refreshes ${JSON.stringify(refreshes())}`);
		check(!sf.state.refreshTokens.has(sfRefresh) && !xero.state.refreshTokens.has(xeroRefresh), 'the signed-in refresh tokens were not rotated');

		// 2. restart without a deploy: the deployed credentials still hold the spent tokens; the
		// rotated ones must come from where the nodes stored them
		L('restart without deploy after the rotation');
		await nr.stop();
		sf.faults.expireTokens();
		xero.faults.expireTokens();
		await nr.start();
		await waitFor('Plexus route after restart', async () => (await request(url, { method: 'GET' })).status !== 404, { timeoutMs: 20_000 });
		const second = event();
		checkAck('delivery after restart', await send(second));
		await expectSends(2, true, 'delivery after restart');
		check(refreshes().sf === 2 && refreshes().xero === 2, `after restart: refreshes ${JSON.stringify(refreshes())}`);

		// 3. Plexus retries the same event: in this process, and after another restart
		const writesBeforeRetry = sfWrites();
		checkAck('Plexus retry', await send(second));
		await stays('no invoice or Salesforce write from the Plexus retry', async () => xero.state.invoices.length === 2 && sfWrites() === writesBeforeRetry, 2500);
		await nr.stop();
		await nr.start();
		await waitFor('Plexus route after the second restart', async () => (await request(url, { method: 'GET' })).status !== 404, { timeoutMs: 20_000 });
		checkAck('Plexus retry after restart', await send(second));
		await stays('no second invoice for the retried event after a restart', async () => xero.state.invoices.length === 2, 3000);
		const opportunities = sf.records('Opportunity').length;
		check(opportunities === 1, `${opportunities} opportunities for one document`);

		checkNoSecretsLogged(fs.readFileSync(nr.logFile, 'utf8'), [salesforceSim.SF_SIM_CLIENT_SECRET, xeroSim.XERO_SIM_CLIENT_SECRET, PLEXUS_SECRET, sfRefresh, xeroRefresh, ...sf.state.refreshTokens, ...xero.state.refreshTokens]);
		return `sign-in via admin endpoints; restart without deploy after rotation ok; Salesforce ${refreshes().sf} + Xero ${refreshes().xero} rotating refreshes, ${opportunities} opportunity (${sfWrites()} writes), ${xero.state.invoices.length} invoices for 2 events + 2 retries`;
	} catch (err) {
		const msg = err instanceof E2EError ? err.message : ((err as Error).stack ?? String(err));
		throw new E2EError(`${msg}\n----- ${nr.spec.label} log tail (${nr.logFile}) -----\n${nr.logTail()}\n-----`);
	} finally {
		await nr.stop().catch(() => undefined);
		await sf.close().catch(() => undefined);
		await xero.close().catch(() => undefined);
	}
}
