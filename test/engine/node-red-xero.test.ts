import { createDecipheriv, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import xeroModule from '../../node-red/src/legalhooks-xero';
import { collect, helper } from '../node-red/helper';
import { executedContract, signedEvent, waitFor } from '../../sandbox/simulators/destination-events';
import { XERO_SIM_CLIENT_ID, XERO_SIM_CLIENT_SECRET, XERO_SIM_REFRESH_TOKEN, XERO_SIM_TENANT_ID, start, type XeroSimulator } from '../../sandbox/simulators/xero';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const catchNode = require('@node-red/nodes/core/common/25-catch.js');

const CREDENTIAL_SECRET = 'sim-node-red-credential-secret';

describe('Node-RED: legalhooks-xero', () => {
	let sim: XeroSimulator;
	let userDir: string;
	beforeEach(async () => {
		sim = await start();
		userDir = mkdtempSync(path.join(tmpdir(), 'legalhooks-nr-'));
		helper.settings({ userDir, credentialSecret: CREDENTIAL_SECRET });
	});
	afterEach(async () => {
		await helper.unload();
		await sim.close();
	});

	async function load(node: Record<string, unknown> = {}, account: Record<string, unknown> = {}, credentials: Record<string, unknown> = {}) {
		const flow = [
			{ id: 'f1', type: 'tab', label: 'test' },
			{ id: 'acct', type: 'legalhooks-xero-account', grantType: 'client_credentials', tenantId: '', identityUrl: sim.identityUrl, apiUrl: sim.apiUrl, ...account },
			{ id: 'xero', z: 'f1', type: 'legalhooks-xero', account: 'acct', operation: 'createInvoice', accountCode: '200', dueInDays: 30, maxAttempts: 3, wires: [['out']], ...node },
			{ id: 'out', z: 'f1', type: 'helper' },
			{ id: 'catcher', z: 'f1', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
			{ id: 'caught', z: 'f1', type: 'helper' },
		];
		await helper.load([catchNode, xeroModule as any], flow, { acct: { clientId: XERO_SIM_CLIENT_ID, clientSecret: XERO_SIM_CLIENT_SECRET, ...credentials } });
		return { out: collect(helper.getNode('out')), caught: collect(helper.getNode('caught')), xero: helper.getNode('xero') };
	}

	it('executed contract → exactly one draft invoice with Idempotency-Key', async () => {
		const { out, xero } = await load();
		const event = executedContract();
		xero.receive({ payload: event });
		await waitFor(() => out.length === 1, 'output message');
		expect(sim.apiRequests()).toHaveLength(1);
		expect(sim.apiRequests()[0].headers['idempotency-key']).toBe(`legalhooks-createInvoice-plexus-${event.id}`);
		expect(sim.state.invoices[0]).toMatchObject({ Type: 'ACCREC', Status: 'DRAFT', Contact: { Name: 'Company A' }, Total: 12500, Reference: event.document.id });
		expect(out[0].result).toMatchObject({ tenantId: XERO_SIM_TENANT_ID, invoiceNumber: 'INV-0001' });
	});

	it('429 then success → one invoice', async () => {
		const { out, xero } = await load();
		sim.faults.rateLimit429('minute', '1');
		xero.receive({ payload: executedContract() });
		await waitFor(() => out.length === 1, 'output message');
		expect(sim.state.invoices).toHaveLength(1);
	});

	it('500 ×3 → a clear error at the Catch node', async () => {
		const { caught, xero } = await load();
		sim.faults.serverError({ times: 3, path: '/Invoices' });
		xero.receive({ payload: executedContract() });
		await waitFor(() => caught.length === 1, 'caught error');
		expect(caught[0].error.message).toMatch(/Xero create draft invoice failed \(HTTP 500\).*gave up after 3 attempts/);
		expect(sim.state.invoices).toHaveLength(0);
	});

	it('expired token → refresh and success; a rotated refresh token is kept for the next message', async () => {
		const { out, xero } = await load({}, { grantType: 'refresh_token', tenantId: XERO_SIM_TENANT_ID }, { refreshToken: XERO_SIM_REFRESH_TOKEN });
		xero.receive({ payload: executedContract() });
		await waitFor(() => out.length === 1, 'first invoice');
		sim.faults.expireTokens();
		xero.receive({ payload: signedEvent({ data: { counterpartyName: 'Acme', contractValue: 42 } }) });
		await waitFor(() => out.length === 2, 'second invoice');
		expect(out[1].result.tokenRefreshed).toBe(true);
		expect(sim.state.tokensIssued.map((t) => t.grantType)).toEqual(['refresh_token', 'refresh_token']);
		expect(sim.state.invoices).toHaveLength(2);
	});

	const refreshAccount = () => [{}, { grantType: 'refresh_token', tenantId: XERO_SIM_TENANT_ID }, { refreshToken: XERO_SIM_REFRESH_TOKEN }] as const;

	it('a rotated refresh token survives a restart without deploy (stored at once, encrypted as Node-RED encrypts credentials)', async () => {
		const first = await load(...refreshAccount());
		first.xero.receive({ payload: executedContract() });
		await waitFor(() => first.out.length === 1, 'invoice before the restart');
		const rotated = sim.state.tokensIssued[0].refreshToken as string;
		expect(sim.state.refreshTokens.has(XERO_SIM_REFRESH_TOKEN)).toBe(false); // spent

		// on disk, in Node-RED's credential format: {"$": <iv hex><aes-256-ctr base64>}, key = sha256(secret)
		const file = JSON.parse(readFileSync(path.join(userDir, '.legalhooks-tokens.json'), 'utf8'));
		expect(JSON.stringify(file)).not.toContain(rotated);
		const decipher = createDecipheriv('aes-256-ctr', createHash('sha256').update(CREDENTIAL_SECRET).digest(), Buffer.from(file.$.slice(0, 32), 'hex'));
		const stored = JSON.parse(decipher.update(file.$.slice(32), 'base64', 'utf8') + decipher.final('utf8'));
		expect(stored.acct.refreshToken).toBe(rotated);

		// restart: the flow and its credentials file still hold the spent token (no deploy happened)
		await helper.unload();
		sim.faults.expireTokens();
		const second = await load(...refreshAccount());
		second.xero.receive({ payload: signedEvent({ data: { counterpartyName: 'Acme', contractValue: 42 } }) });
		await waitFor(() => second.out.length === 1 || second.caught.length === 1, 'invoice after the restart');
		expect(second.caught).toHaveLength(0);
		expect(sim.state.invoices).toHaveLength(2);
	});

	it('concurrent messages on one account share one refresh of the rotating token', async () => {
		const { out, caught, xero } = await load(...refreshAccount());
		for (let i = 0; i < 3; i++) xero.receive({ payload: { ...executedContract(), id: `concurrent-${i}` } });
		await waitFor(() => out.length + caught.length === 3, 'three results');
		expect(caught).toHaveLength(0);
		expect(sim.state.tokensIssued.filter((t) => t.grantType === 'refresh_token')).toHaveLength(1);
		expect(sim.state.invoices).toHaveLength(3);
	});

	it('an event without the needed fields → Catch gets an error naming the field; nothing sent', async () => {
		const { caught, xero } = await load();
		xero.receive({ payload: signedEvent() });
		await waitFor(() => caught.length === 1, 'caught error');
		expect(caught[0].error.message).toMatch(/no data\.counterpartyName/);
		expect(sim.state.requests).toHaveLength(0);
	});

	it('test connection endpoint lists the organisation', async () => {
		await load();
		const res = await helper.request().post('/legalhooks/xero/test').send({ id: 'acct', settings: {}, credentials: { clientId: XERO_SIM_CLIENT_ID, clientSecret: '__PWRD__' } });
		expect(res.body).toEqual({ ok: true, message: `Connected to Demo Company (AU) (${XERO_SIM_TENANT_ID}).` });
	});
});
