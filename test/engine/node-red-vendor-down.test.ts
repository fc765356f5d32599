import legitoModule from '../../node-red/src/legalhooks-legito';
import { capturing, helper, statusesOf } from '../node-red/helper';
import * as legitoSim from '../../sandbox/simulators/legito';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../wait-for';

/**
 * Issue 22: "removals pending" counts only registrations that exist or may exist at the vendor, and
 * a long outage (more than the 50 pending removals kept) never pushes out a real registration's removal.
 */

const RETRIES = 55;

describe('Node-RED: Legito unreachable for more than 50 retries', () => {
	const nodes = capturing(legitoModule as any);
	let userDir: string;
	const retry = () => helper.request().post('/legalhooks/legito/registrations/retry').send({});
	const listed = async () => (await helper.request().get('/legalhooks/legito/registrations')).body.registrations as Array<{ node: string; pending: unknown[] }>;
	const flow = (settings: Record<string, unknown> = {}) => [
		{ id: 'acct', type: 'legalhooks-legito-account', name: 'account', baseUrl: 'https://nodered.example.com' },
		{ id: 'trigger', type: 'legalhooks-legito-trigger', account: 'acct', path: 'inbox', legitoEvents: 'SignCompleted', wires: [[]], ...settings },
	];

	beforeEach(() => {
		userDir = mkdtempSync(join(tmpdir(), 'legalhooks-down-'));
		helper.settings({ userDir, credentialSecret: 'a-user-secret' });
	});
	afterEach(async () => {
		await helper.unload();
		helper.settings({ userDir: undefined, credentialSecret: undefined });
		rmSync(userDir, { recursive: true, force: true });
	});

	it('a trigger that never created anything shows no pending removal, however often it retries', async () => {
		const sim = await legitoSim.start();
		const { apiKey, privateKey, baseUrl } = sim;
		await sim.close(); // nothing listens there any more: every connection is refused
		await helper.load(nodes.module as any, flow(), { acct: { apiKey, privateKey, region: 'custom', apiBaseUrl: baseUrl } });
		await waitFor(() => statusesOf('trigger').some((s) => s.fill === 'red'), 'the failed registration');
		for (let attempt = 0; attempt < RETRIES; attempt++) await retry();
		const texts = statusesOf('trigger').map((s) => s.text);
		expect(texts.filter((text) => /registration failed/.test(text)).length).toBeGreaterThan(RETRIES);
		expect(texts.filter((text) => /pending/.test(text))).toEqual([]);
		expect((await listed()).flatMap((entry) => entry.pending)).toEqual([]);
	}, 120_000);

	it('the removal of a real registration is kept through more than 50 ambiguous failed creates, and done when Legito is back', async () => {
		const sim = await legitoSim.start();
		try {
			const credentials = { acct: { apiKey: sim.apiKey, privateKey: sim.privateKey, region: 'custom', apiBaseUrl: sim.baseUrl } };
			await helper.load(nodes.module as any, flow(), credentials);
			await waitFor(() => statusesOf('trigger').some((s) => s.fill === 'green'), 'the registration');
			const [first] = [...sim.state.connections.keys()];
			// Legito answers 500 to every change: the replaced connection cannot be removed, and each create may have been made.
			sim.faults.failNext(500, { method: 'DELETE' }, { times: 100_000 });
			sim.faults.failNext(500, { method: 'POST' }, { times: 100_000 });
			await helper.setFlows(flow({ legitoEvents: 'SignCompleted,SignStarted' }), 'nodes', credentials);
			await waitFor(async () => (await listed()).some((entry) => entry.pending.some((p: any) => p.reason === 'replaced')), 'the replaced connection pending');
			// Now listings fail too: no failed create can be confirmed absent.
			sim.faults.failNext(500, { method: 'GET' }, { times: 100_000 });
			for (let attempt = 0; attempt < RETRIES; attempt++) await retry();
			const pending = (await listed()).flatMap((entry) => entry.pending) as Array<{ reason: string; ids: string[] }>;
			expect(pending.filter((p) => p.reason === 'failed-create').length).toBeGreaterThan(40);
			expect(pending.filter((p) => p.reason === 'replaced')).toEqual([expect.objectContaining({ ids: [String(first)] })]);
			sim.faults.clear();
			await retry();
			await waitFor(() => !sim.state.connections.has(first), 'the replaced connection to be removed');
			await waitFor(async () => (await listed()).flatMap((entry) => entry.pending).length === 0, 'every pending removal done');
			expect(sim.state.connections.size).toBe(1);
		} finally {
			await sim.close();
		}
	}, 180_000);
});
