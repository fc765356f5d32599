import { createDecipheriv, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import legalesignModule from '../../node-red/src/legalhooks-legalesign';
import legitoModule from '../../node-red/src/legalhooks-legito';
import { capturing, helper, httpNodeServer, statusesOf } from '../node-red/helper';
import * as legalesignSim from '../../sandbox/simulators/legalesign';
import * as legitoSim from '../../sandbox/simulators/legito';
import type { RunningServer } from '../../sandbox/simulators/server';
import { waitFor } from '../wait-for';

/** Issue 9 findings in a real Node-RED runtime, one test each, plus the encrypted store (issue 8 §4). */

describe('Node-RED: Legito registrations never leak', () => {
	const nodes = capturing(legitoModule as any);
	let sim: legitoSim.LegitoSimulator;
	let server: RunningServer;
	let other: { apiKey: string; privateKey: string };
	let userDir: string;
	const creds = (a: { apiKey: string; privateKey: string }) => ({ apiKey: a.apiKey, privateKey: a.privateKey, region: 'custom', apiBaseUrl: sim.baseUrl });
	const flow = (account: Record<string, unknown> = {}, trigger: Record<string, unknown> = {}) => [
		{ id: 'acct', type: 'legalhooks-legito-account', name: 'account', baseUrl: server.url, ...account },
		{ id: 'trigger', type: 'legalhooks-legito-trigger', account: 'acct', path: 'inbox', legitoEvents: 'SignCompleted', wires: [[]], ...trigger },
	];
	const ownerOf = () => [...sim.state.connections.values()].map((c) => c.owner);
	const retry = () => helper.request().post('/legalhooks/legito/registrations/retry').send({});

	beforeEach(async () => {
		sim = await legitoSim.start();
		other = sim.addAccount();
		server = await httpNodeServer(nodes.red as any);
		userDir = mkdtempSync(join(tmpdir(), 'legalhooks-nr-'));
		helper.settings({ userDir, credentialSecret: 'a-user-secret' });
	});
	afterEach(async () => {
		await helper.unload();
		helper.settings({ userDir: undefined, credentialSecret: undefined });
		await server.close();
		await sim.close();
		rmSync(userDir, { recursive: true, force: true });
	});

	it('an account edited to another Legito workspace removes the old connection there (not with the new key)', async () => {
		await helper.load(nodes.module as any, flow(), { acct: creds(sim) });
		await waitFor(() => sim.state.connections.size === 1, 'the connection');
		// The editor sends the edited config node's credentials inline.
		await helper.setFlows(flow({ credentials: creds(other) }), 'nodes', { acct: creds(other) });
		await retry();
		expect(ownerOf()).toEqual([other.apiKey]);
	});

	it('a removal whose delete fails stays pending, is visible to the editor, and is retried until Legito confirms', async () => {
		await helper.load(nodes.module as any, flow(), { acct: creds(sim) });
		await waitFor(() => statusesOf('trigger').some((s) => s.fill === 'green'), 'the registration');
		sim.faults.failNext(500, { method: 'DELETE' }, { times: 5 });
		await helper.setFlows([flow()[0]], 'nodes', { acct: creds(sim) }); // the trigger is deleted
		expect(sim.state.connections.size).toBe(1);
		const listed = await helper.request().get('/legalhooks/legito/registrations');
		expect(listed.body.registrations).toEqual([
			expect.objectContaining({ node: 'trigger', registered: false, pending: [expect.objectContaining({ reason: 'removed', ids: ['4636'], lastError: expect.stringMatching(/HTTP 500/) })] }),
		]);
		expect(JSON.stringify(listed.body)).not.toContain(sim.privateKey);
		sim.faults.clear();
		await helper.setFlows([flow()[0], { id: 'other', type: 'helper' }], 'nodes', { acct: creds(sim) }); // the next deploy retries
		await waitFor(() => sim.state.connections.size === 0, 'the retried removal');
		await waitFor(async () => (await helper.request().get('/legalhooks/legito/registrations')).body.registrations.length === 0, 'the store entry to go');
	});

	it('a running trigger’s failed removal is retried on a deploy that does not restart it', async () => {
		await helper.load(nodes.module as any, flow(), { acct: creds(sim) });
		await waitFor(() => statusesOf('trigger').some((s) => s.fill === 'green'), 'the registration');
		const [old] = [...sim.state.connections.keys()];
		sim.faults.failNext(500, { method: 'DELETE' }, { times: 2 });
		await helper.setFlows(flow({}, { legitoEvents: 'SignCompleted,SignStarted' }), 'nodes', { acct: creds(sim) });
		await waitFor(() => statusesOf('trigger').some((s) => /removal\(s\) pending/.test(s.text)), 'the pending removal in the status');
		expect(sim.state.connections.has(old)).toBe(true);
		sim.faults.clear();
		await helper.setFlows([...flow({}, { legitoEvents: 'SignCompleted,SignStarted' }), { id: 'other', type: 'helper' }], 'nodes', { acct: creds(sim) });
		await waitFor(() => !sim.state.connections.has(old), 'the retried removal');
		expect(sim.state.connections.size).toBe(1);
	});

	it('a create that did the work and failed, with a failing cleanup, leaves no dead duplicate after the next reconcile', async () => {
		sim.faults.failNext(500, { method: 'POST' }, { after: true });
		sim.faults.failNext(500, { method: 'GET' }, { times: 1 });
		await helper.load(nodes.module as any, flow(), { acct: creds(sim) });
		await waitFor(() => statusesOf('trigger').some((s) => s.fill === 'red'), 'the failure');
		expect(sim.state.connections.size).toBe(1); // the dead one
		await retry();
		expect(sim.state.connections.size).toBe(1);
		const [connection] = [...sim.state.connections.values()];
		expect((await sim.fire('SignCompleted', { connectionId: connection.id }))[0].status).toBe(200); // the live one, accepted
		expect(statusesOf('trigger').pop()).toMatchObject({ fill: 'green' });
	});

	it('the same with Legito hiding header values in listings: the dead one goes, the live one stays', async () => {
		sim.state.maskHeaderValues = true;
		sim.faults.failNext(500, { method: 'POST' }, { after: true });
		sim.faults.failNext(500, { method: 'GET' }, { times: 1 });
		await helper.load(nodes.module as any, flow(), { acct: creds(sim) });
		await waitFor(() => statusesOf('trigger').some((s) => s.fill === 'red'), 'the failure');
		await retry();
		await retry();
		expect(sim.state.connections.size).toBe(1);
		const [connection] = [...sim.state.connections.values()];
		expect((await sim.fire('SignCompleted', { connectionId: connection.id }))[0].status).toBe(200);
	});

	it('a restart while a create is in flight: the recorded intent removes what it made', async () => {
		sim.faults.hangNext({ method: 'POST' }, { after: true });
		await helper.load(nodes.module as any, flow(), { acct: creds(sim) });
		await waitFor(() => sim.state.connections.size === 1, 'the create to reach Legito');
		await helper.unload(); // the process stops; the create never answers
		const firstId = [...sim.state.connections.keys()][0];
		await helper.load(nodes.module as any, flow(), { acct: creds(sim) });
		await retry();
		expect(sim.state.connections.has(firstId)).toBe(false);
		expect(sim.state.connections.size).toBe(1);
	}, 40_000);

	it('a failed existence check shows yellow, keeps the stored registration delivering, and retries', async () => {
		await helper.load(nodes.module as any, flow(), { acct: creds(sim) });
		await waitFor(() => sim.state.connections.size === 1, 'the connection');
		sim.faults.failNext(500, { method: 'GET' });
		await helper.unload();
		await helper.load(nodes.module as any, flow(), { acct: creds(sim) });
		await waitFor(() => statusesOf('trigger').some((s) => s.fill === 'yellow' && /could not check — using the stored registration/.test(s.text)), 'the yellow status');
		const [connection] = [...sim.state.connections.values()];
		expect((await sim.fire('SignCompleted', { connectionId: connection.id }))[0].status).toBe(200);
		await retry();
		expect(statusesOf('trigger').pop()).toMatchObject({ fill: 'green', text: 'registered' });
		expect(sim.state.connections.size).toBe(1);
	});

	it('a closed instance whose vendor call answers late writes neither status nor store', async () => {
		sim.faults.hangNext({ method: 'POST' }, { after: true });
		await helper.load(nodes.module as any, flow(), { acct: creds(sim) });
		await waitFor(() => sim.state.connections.size === 1, 'the hanging create');
		const closed = helper.getNode('trigger') as any;
		await helper.setFlows(flow({}, { legitoEvents: 'SignCompleted,SignStarted' }), 'nodes', { acct: creds(sim) });
		const live = helper.getNode('trigger') as any;
		expect(live).not.toBe(closed);
		await retry(); // waits for the closed instance's call (it times out) and the live reconcile
		const closedStatuses = closed.status.getCalls().filter((call: any) => call.thisValue === closed).map((call: any) => call.args[0].text);
		expect(closedStatuses).toEqual(['registering…']);
		expect(statusesOf('trigger').pop()).toMatchObject({ fill: 'green' });
		expect([...sim.state.connections.values()].map((c) => c.eventTypes)).toEqual([['SignCompleted', 'SignStarted']]);
	}, 40_000);

	it('keeps the registration secrets encrypted with Node-RED’s credential key (aes-256-ctr, sha256 of credentialSecret)', async () => {
		await helper.load(nodes.module as any, flow(), { acct: creds(sim) });
		await waitFor(() => sim.state.connections.size === 1, 'the connection');
		const token = [...sim.state.connections.values()][0].headers[0].value as string;
		const key = createHash('sha256').update('a-user-secret').digest();
		const read = () => {
			const text = readFileSync(join(userDir, '.legalhooks', 'registrations.json'), 'utf8');
			const { $ } = JSON.parse(text) as { $: string };
			const decipher = createDecipheriv('aes-256-ctr', key, Buffer.from($.slice(0, 32), 'hex'));
			return { text, entries: JSON.parse(decipher.update($.slice(32), 'base64', 'utf8') + decipher.final('utf8')) };
		};
		// the vendor answers the create before the store is written
		await waitFor(() => Boolean(read().entries.trigger?.state?.registration), 'the stored registration');
		const { text, entries } = read();
		expect(text).not.toContain(token);
		expect(text).not.toContain(sim.privateKey);
		expect(entries.trigger.state.registration.secret).toBe(token);
	});

	it('uses the key Node-RED generated (.config.runtime.json _credentialSecret) when there is no credentialSecret', async () => {
		helper.settings({ userDir, credentialSecret: undefined });
		writeFileSync(join(userDir, '.config.runtime.json'), JSON.stringify({ _credentialSecret: 'generated-by-node-red' }));
		await helper.load(nodes.module as any, flow(), { acct: creds(sim) });
		await waitFor(() => sim.state.connections.size === 1, 'the connection');
		await retry();
		const { $ } = JSON.parse(readFileSync(join(userDir, '.legalhooks', 'registrations.json'), 'utf8')) as { $: string };
		const key = createHash('sha256').update('generated-by-node-red').digest();
		const decipher = createDecipheriv('aes-256-ctr', key, Buffer.from($.slice(0, 32), 'hex'));
		expect(JSON.parse(decipher.update($.slice(32), 'base64', 'utf8') + decipher.final('utf8')).trigger.vendor).toBe('legito');
	});
});

describe('Node-RED: "Test connection" never lends deployed secrets to another URL', () => {
	const nodes = capturing(legalesignModule as any);
	let sim: legalesignSim.LegalesignSimulator;
	let attacker: legalesignSim.LegalesignSimulator;
	let server: RunningServer;

	beforeEach(async () => {
		sim = await legalesignSim.start();
		attacker = await legalesignSim.start();
		server = await httpNodeServer(nodes.red as any);
		await helper.load(nodes.module as any, [{ id: 'acct', type: 'legalhooks-legalesign-account', name: 'account', baseUrl: server.url }], {
			acct: { username: sim.username, apiKey: sim.apiKey, apiBaseUrl: sim.baseUrl },
		});
	});
	afterEach(async () => {
		await helper.unload();
		await server.close();
		await sim.close();
		await attacker.close();
	});

	it('deployed key with the deployed URL: tested; with a URL from the form: refused, nothing sent there', async () => {
		const deployed = await helper.request().post('/legalhooks-legalesign-account/test').send({ id: 'acct', credentials: { username: sim.username, apiKey: '__PWRD__', apiBaseUrl: sim.baseUrl } });
		expect(deployed.body).toMatchObject({ ok: true });
		const elsewhere = await helper.request().post('/legalhooks-legalesign-account/test').send({ id: 'acct', credentials: { username: sim.username, apiKey: '__PWRD__', apiBaseUrl: attacker.baseUrl } });
		expect(elsewhere.body).toMatchObject({ ok: false, message: expect.stringMatching(/Enter apiKey again/) });
		expect(attacker.state.calls).toEqual([]);
		const typed = await helper.request().post('/legalhooks-legalesign-account/test').send({ id: 'acct', credentials: { username: attacker.username, apiKey: attacker.apiKey, apiBaseUrl: attacker.baseUrl } });
		expect(typed.body).toMatchObject({ ok: true });
	});
});
