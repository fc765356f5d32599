/*
 * The n8n action suite: Plexus Trigger → Legal Event to Salesforce → Legal Event to Xero in a real
 * n8n, both credentials signed in with their Connect button (n8n's own OAuth2 flow, driven over
 * HTTP as the browser would), then executions across refresh-token rotations and a redelivery.
 *
 * n8n's public API cannot create a credential that already holds a token: it validates `data`
 * against the credential's visible properties with `additionalProperties: false`, so
 * `oauthTokenData` (and hidden fields such as Xero's token URL) are refused with 400 — checked
 * below. The Connect flow is what a user does instead: GET /rest/oauth2-credential/auth gives the
 * sign-in URL, the simulator's sign-in page redirects to n8n's callback, n8n exchanges the code.
 * Xero's sign-in and token URLs are fixed in the credential (hidden), so they are pointed at the
 * simulator with n8n's own CREDENTIALS_OVERWRITE_DATA, as an operator would for a proxy.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as salesforceSim from '../../../sandbox/simulators/salesforce';
import * as xeroSim from '../../../sandbox/simulators/xero';
import { sampleSets } from '../../../core/samples/sets';
import type { SampleDelivery } from '../../../core/samples/delivery';
import type { Packed } from '../lib/pack';
import { N8n, executionError, nodeOutput, nodeType, type N8nEngineSpec } from '../lib/n8n';
import { installAndStart } from '../lib/n8n-installer';
import { check, E2EError, log, request, stays, waitFor } from '../lib/util';
import { checkAck, checkNoSecretsLogged } from '../lib/expect';

const PLEXUS_SECRET = 'e2e-plexus-actions-secret-0123456789abcdef0123456789';

/** An n8n with Xero's fixed OAuth URLs overwritten to the simulator (n8n's CREDENTIALS_OVERWRITE_DATA). */
class N8nWithOverwrites extends N8n {
	overwrites: Record<string, Record<string, string>> = {};
	env(): NodeJS.ProcessEnv {
		return { ...super.env(), CREDENTIALS_OVERWRITE_DATA: JSON.stringify(this.overwrites) };
	}
}

function cookiesOf(headers: Record<string, unknown>): string[] {
	return ([] as string[]).concat((headers['set-cookie'] as string[] | string | undefined) ?? []).map((c) => c.split(';')[0]);
}

/**
 * `data` for POST /api/v1/credentials. The public API's schema leaves hidden properties out, so an
 * "if" on one (n8n 1.x oAuth2Api: `useDynamicClientRegistration` → `serverUrl` required) holds
 * vacuously: give what its "then" requires an empty string, as the editor's defaults would. An
 * "if" on a visible option gets a value it does not match (as N8n.createCredential does).
 */
export async function publicApiData(n8n: N8n, type: string, data: Record<string, unknown>): Promise<Record<string, unknown>> {
	const schema = await n8n.api('GET', `/credentials/schema/${type}`);
	const filled = { ...data };
	for (const clause of schema.allOf ?? []) {
		for (const [prop, cond] of Object.entries<any>(clause.if?.properties ?? {})) {
			if (prop in filled) continue;
			if (schema.properties?.[prop]) {
				const other = ((schema.properties[prop].enum ?? []) as unknown[]).find((o) => !(cond.enum ?? []).includes(o));
				if (other !== undefined) filled[prop] = other;
				continue;
			}
			for (const req of (clause.then?.allOf ?? []).flatMap((a: any) => a.required ?? []) as string[]) {
				if (!(req in filled) && schema.properties?.[req]?.type === 'string') filled[req] = '';
			}
		}
	}
	return filled;
}

async function createCredential(n8n: N8n, name: string, type: string, data: Record<string, unknown>): Promise<{ id: string; name: string }> {
	const r = await n8n.api('POST', '/credentials', { name, type, data: await publicApiData(n8n, type, data) });
	return { id: r.id, name };
}

/** The Connect button, over HTTP: n8n's auth URL → the service's sign-in page → n8n's callback. */
async function connect(n8n: N8n, credentialId: string, what: string) {
	const start = await request(`${n8n.base}/rest/oauth2-credential/auth?id=${encodeURIComponent(credentialId)}`, { headers: { cookie: n8n.cookie, accept: 'application/json' } });
	check(start.status === 200 && typeof start.json?.data === 'string', `${what}: /rest/oauth2-credential/auth → ${start.status} ${start.text.slice(0, 300)}`);
	const cookie = [n8n.cookie, ...cookiesOf(start.headers)].join('; ');
	const signIn = await request(start.json.data);
	const back = signIn.headers.location;
	check(signIn.status === 302 && typeof back === 'string', `${what}: sign-in page → ${signIn.status} ${signIn.text.slice(0, 200)}`);
	check(new URL(back).searchParams.get('code'), `${what}: the sign-in page sent no code back: ${back}`);
	const callback = await request(back, { headers: { cookie } });
	check(callback.status === 200, `${what}: n8n's OAuth callback → ${callback.status} ${callback.text.slice(0, 400)}`);
}

export async function runN8nActions(spec: N8nEngineSpec, work: string, packed: Packed[]): Promise<string> {
	const dir = path.join(work, 'actions');
	fs.mkdirSync(dir, { recursive: true });
	const n8n = new N8nWithOverwrites({ ...spec, label: `${spec.label} actions` }, dir);
	const L = (m: string) => log(n8n.spec.label, m);
	const sf = await salesforceSim.start();
	const xero = await xeroSim.start();
	try {
		sf.state.rotateRefreshTokens = true;
		n8n.overwrites = { legalhooksXeroOAuth2Api: { authUrl: `${xero.url}/identity/connect/authorize`, accessTokenUrl: `${xero.url}/connect/token` } };
		const installed = await installAndStart(n8n, packed.map((p) => p.tarball));
		L(`installed our ${packed.length} n8n tarballs (${installed})`);

		// --- Salesforce: a token already in oauthTokenData where the public API takes it, else Connect ---
		const sfData = { grantType: 'pkce', loginUrl: sf.url, clientId: salesforceSim.SF_SIM_CLIENT_ID, clientSecret: salesforceSim.SF_SIM_CLIENT_SECRET, apiVersion: '60.0' };
		const withToken = await request(`${n8n.base}/api/v1/credentials`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-n8n-api-key': n8n.apiKey },
			body: JSON.stringify({
				name: 'e2e Salesforce',
				type: 'legalhooksSalesforceOAuth2Api',
				// an access token that is no longer valid: the first call refreshes (and rotates)
				data: { ...(await publicApiData(n8n, 'legalhooksSalesforceOAuth2Api', sfData)), oauthTokenData: { access_token: 'expired-access-token', refresh_token: salesforceSim.SF_SIM_REFRESH_TOKEN, instance_url: sf.url, token_type: 'Bearer' } },
			}),
		});
		let sfCred: { id: string; name: string };
		let sfSignIn: string;
		if (withToken.status === 200 && withToken.json?.id) {
			sfCred = { id: withToken.json.id, name: 'e2e Salesforce' };
			sfSignIn = 'oauthTokenData through the public API';
		} else {
			check(withToken.status === 400, `public API with oauthTokenData → ${withToken.status}: ${withToken.text.slice(0, 300)}`);
			L(`public API refuses oauthTokenData (${String(withToken.json?.message ?? withToken.text).slice(0, 160)}); Connect instead`);
			sfCred = await createCredential(n8n, 'e2e Salesforce', 'legalhooksSalesforceOAuth2Api', sfData);
			await connect(n8n, sfCred.id, 'Salesforce Connect');
			check(sf.state.tokensIssued.filter((t) => t.grantType === 'authorization_code').length === 1, 'Salesforce: no authorization-code exchange after Connect');
			sfSignIn = 'Connect (PKCE; the public API refused oauthTokenData)';
		}
		// --- Xero: the Connect button ---
		const xeroCred = await createCredential(n8n, 'e2e Xero', 'legalhooksXeroOAuth2Api', { grantType: 'authorizationCode', scopeSet: 'granular', clientId: xeroSim.XERO_SIM_CLIENT_ID, clientSecret: xeroSim.XERO_SIM_CLIENT_SECRET, apiUrl: xero.apiUrl });
		await connect(n8n, xeroCred.id, 'Xero Connect');
		check(xero.state.tokensIssued.filter((t) => t.grantType === 'authorization_code').length === 1, 'Xero: no authorization-code exchange after Connect');
		L(`Salesforce: ${sfSignIn}; Xero: Connect (authorization code) through /rest/oauth2-credential`);

		const plexusCredId = (await createCredential(n8n, 'e2e Plexus (actions)', 'plexusGatewayApi', { secret: PLEXUS_SECRET })).id;
		const webhookId = randomUUID();
		const nodes = [
			{ id: randomUUID(), name: 'Trigger', type: nodeType('plexusTrigger'), typeVersion: 1, position: [0, 0], parameters: {}, credentials: { plexusGatewayApi: { id: plexusCredId, name: 'e2e Plexus (actions)' } }, webhookId },
			{ id: randomUUID(), name: 'Salesforce', type: nodeType('legalSalesforce'), typeVersion: 1, position: [250, 0], parameters: { authentication: 'oAuth2' }, credentials: { legalhooksSalesforceOAuth2Api: sfCred } },
			{ id: randomUUID(), name: 'Xero', type: nodeType('legalXero'), typeVersion: 1, position: [500, 0], parameters: {}, credentials: { legalhooksXeroOAuth2Api: xeroCred } },
		];
		const connections = { Trigger: { main: [[{ node: 'Salesforce', type: 'main', index: 0 }]] }, Salesforce: { main: [[{ node: 'Xero', type: 'main', index: 0 }]] } };
		const workflowId = await n8n.createWorkflow({ name: 'e2e actions', nodes, connections });
		await n8n.activate(workflowId);
		const url = `${n8n.base}/webhook/${webhookId}/webhook`;

		let executions = 0;
		const opportunities = () => sf.records('Opportunity');
		const sfWrites = () => sf.dataRequests().filter((r) => r.method === 'PATCH' || r.method === 'POST').length;
		const refreshes = () => ({ sf: sf.state.tokensIssued.filter((t) => t.grantType === 'refresh_token').length, xero: xero.state.tokensIssued.filter((t) => t.grantType === 'refresh_token').length });
		const send = (d: SampleDelivery) => request(url, { method: d.method, headers: d.headers, body: d.body });
		const expectExecution = async (what: string) => {
			executions += 1;
			const list = await waitFor(
				`execution #${executions} (${what})`,
				async () => {
					const l = await n8n.executions(workflowId);
					return l.length >= executions && l.every((e: any) => e.finished || e.stoppedAt) ? l : undefined;
				},
				{ timeoutMs: 30_000, intervalMs: 400 },
			);
			check(list.length === executions, `${what}: ${list.length} executions, expected ${executions}`);
			const latest = list.reduce((a: any, b: any) => (Number(a.id) > Number(b.id) ? a : b));
			const err = executionError(latest);
			check(!err && latest.status !== 'error', `${what}: execution ${latest.id} failed: ${err ?? latest.status}`);
			const out = nodeOutput(latest, 'Xero');
			check(out.length === 1, `${what}: the Xero node put out ${out.length} items`);
			return out[0];
		};
		// Plexus signs each delivery; `fresh` gives a new event id (another executed-contract event)
		const event = () => sampleSets.plexus!.build('executed', { secret: PLEXUS_SECRET }, { eventId: 'fresh', now: new Date() });

		// 1. first execution: the Connect tokens
		const first = event();
		const r1 = await waitFor('Plexus webhook live', async () => {
			const r = await send(first);
			return r.status === 404 ? undefined : r;
		}, { timeoutMs: 30_000, intervalMs: 500 });
		checkAck('first delivery', r1);
		const out1 = await expectExecution('first delivery');
		check(out1.salesforce?.id && out1.xero?.invoiceId, `first delivery: output lacks the record/invoice: ${JSON.stringify({ salesforce: out1.salesforce, xero: out1.xero }).slice(0, 400)}`);
		check(opportunities().length === 1 && xero.state.invoices.length === 1, `first delivery: ${opportunities().length} opportunities, ${xero.state.invoices.length} invoices`);

		// 2. + 3. access tokens expire: each execution refreshes with the refresh token the one before
		// got back (both services rotate it; the old one is spent), so n8n must have saved it
		for (const round of [2, 3]) {
			sf.faults.expireTokens();
			xero.faults.expireTokens();
			const before = refreshes();
			const r = await send(event());
			checkAck(`delivery ${round}`, r);
			const out = await expectExecution(`delivery ${round} after the access tokens expired`);
			const after = refreshes();
			check(after.sf === before.sf + 1 && after.xero === before.xero + 1, `delivery ${round}: refreshes Salesforce ${before.sf}→${after.sf}, Xero ${before.xero}→${after.xero}, expected one each`);
			check(out.xero?.invoiceId, `delivery ${round}: no invoice in the output`);
			check(xero.state.invoices.length === round, `delivery ${round}: ${xero.state.invoices.length} invoices`);
		}
		L(`3 executions across 2 refresh-token rotations each (Salesforce ${refreshes().sf}, Xero ${refreshes().xero} refreshes)`);

		// 4. Plexus retries the last event (same id, same bytes): one record update, one invoice, as before
		const invoices = xero.state.invoices.length;
		const writes = sfWrites();
		const last = event();
		checkAck('fourth delivery', await send(last));
		await expectExecution('fourth delivery');
		const writesAfterFourth = sfWrites();
		const retry = await send(last);
		checkAck('Plexus retry', retry);
		await stays('no new invoice or Salesforce write from the retry', async () => xero.state.invoices.length === invoices + 1 && sfWrites() === writesAfterFourth, 2500);
		// the trigger drops a repeat it has seen in this process; one that gets through (another
		// process, a restart) is skipped by the actions (Send Each Event Once)
		let retryOutcome = 'dropped by the trigger';
		if ((await n8n.executions(workflowId)).length > executions) {
			const out = await expectExecution('Plexus retry');
			check(out.salesforce?.outcome === 'alreadySent' && out.xero?.outcome === 'alreadySent', `Plexus retry: not skipped: ${JSON.stringify({ salesforce: out.salesforce, xero: out.xero }).slice(0, 300)}`);
			retryOutcome = 'skipped by Send Each Event Once';
		}

		// 5. the same retry after a restart (the trigger's memory of seen ids is gone)
		L('restart n8n, then the Plexus retry again');
		await n8n.stop();
		await n8n.start();
		const again = await waitFor(
			'Plexus webhook live after restart',
			async () => {
				const r = await send(last);
				return r.status === 404 ? undefined : r;
			},
			{ timeoutMs: 30_000, intervalMs: 500 },
		);
		checkAck('Plexus retry after restart', again);
		await stays('no new invoice or Salesforce write from the retry after restart', async () => xero.state.invoices.length === invoices + 1 && sfWrites() === writesAfterFourth, 3000);
		let restartOutcome = 'dropped by the trigger';
		if ((await n8n.executions(workflowId)).length > executions) {
			const out = await expectExecution('Plexus retry after restart');
			check(out.salesforce?.outcome === 'alreadySent' && out.xero?.outcome === 'alreadySent', `Plexus retry after restart: not skipped: ${JSON.stringify({ salesforce: out.salesforce, xero: out.xero }).slice(0, 300)}`);
			restartOutcome = 'skipped by Send Each Event Once';
		}
		check(opportunities().length === 1, `${opportunities().length} opportunities for one document`);
		check(writesAfterFourth > writes, 'the fourth delivery wrote nothing to Salesforce');

		checkNoSecretsLogged(fs.readFileSync(n8n.logFile, 'utf8'), [salesforceSim.SF_SIM_CLIENT_SECRET, xeroSim.XERO_SIM_CLIENT_SECRET, PLEXUS_SECRET, ...sf.state.refreshTokens, ...xero.state.refreshTokens]);
		await n8n.deactivate(workflowId);
		return `${installed}; Salesforce: ${sfSignIn}, Xero: Connect; ${executions} executions, Salesforce ${refreshes().sf} + Xero ${refreshes().xero} rotating refreshes, ${opportunities().length} opportunity, ${xero.state.invoices.length} invoices for 4 events + 2 retries (in process: ${retryOutcome}; after a restart: ${restartOutcome})`;
	} catch (err) {
		const msg = err instanceof E2EError ? err.message : ((err as Error).stack ?? String(err));
		throw new E2EError(`${msg}\n----- ${n8n.spec.label} log tail (${n8n.logFile}) -----\n${n8n.logTail()}\n-----`);
	} finally {
		await n8n.stop().catch(() => undefined);
		await sf.close().catch(() => undefined);
		await xero.close().catch(() => undefined);
	}
}

