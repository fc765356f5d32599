import { hashSync } from 'bcryptjs';
import request from 'supertest';
import { sampleSets } from '../../core/samples/sets';
import { buildPlexusDelivery, plexusSamples } from '../../core/vendors/plexus/samples';
import plexusModule from '../../node-red/src/legalhooks-plexus';
import { capturing, collect, helper } from '../node-red/helper';
import { startNodeRed, type NodeRedProcess } from '../node-red/runtime';

/**
 * Issue 22 in Node-RED: every delivery is accounted for. A delivery that emits nothing is logged
 * once at info level (no secret) and counted in the node status; the trigger's last deliveries
 * (time, outcome, event ids and types — no body, no secret) are served to the editor.
 */
const secret = 'b5e0c1d2a3f4e5d6c7b8a9f0e1d2c3b4';
const executed = (id: string, createdAt: Date) => buildPlexusDelivery({ ...plexusSamples.executed(createdAt.toISOString()), id }, secret);
const tick = (ms = 50) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Node-RED: delivery outcomes of a trigger', () => {
	const plexus = capturing(plexusModule as any);
	afterEach(() => helper.unload());

	let loaded = 0;
	let id = '';
	async function load(extra: Record<string, unknown> = {}) {
		// a redeploy keeps a trigger's recent deliveries: each test its own node
		id = `trig${++loaded}`;
		await helper.load(
			plexus.module as any,
			[
				{ id: 'acct', type: 'legalhooks-plexus-account', name: 'account' },
				{ id, type: 'legalhooks-plexus-trigger', account: 'acct', path: 'inbox', dropOutOfOrder: true, wires: [['out']], ...extra },
				{ id: 'out', type: 'helper' },
			],
			{ acct: { secret } },
		);
		const node = helper.getNode(id);
		const statuses: Array<{ fill?: string; text?: string }> = [];
		const logged: string[] = [];
		const original = node.status.bind(node);
		node.status = ((status: { fill?: string; text?: string }) => {
			statuses.push(status);
			return original(status as Parameters<typeof original>[0]);
		}) as typeof node.status;
		const log = node.log.bind(node);
		node.log = ((message: string) => {
			logged.push(message);
			return log(message);
		}) as typeof node.log;
		return { received: collect(helper.getNode('out')), statuses, logged };
	}

	const post = (delivery: { headers: Record<string, string>; body: string | Buffer }) =>
		request(plexus.red().httpNode).post('/legalhooks/plexus/inbox').set(delivery.headers).send(String(delivery.body));

	async function settled(statuses: Array<{ text?: string }>, pattern: RegExp) {
		for (let i = 0; i < 80 && !pattern.test(statuses.at(-1)?.text ?? ''); i++) await tick(25);
		return statuses.at(-1)?.text ?? '';
	}

	it('counts repeats and older updates in the status and logs each once at info, without the secret', async () => {
		const { received, statuses, logged } = await load();
		const now = Date.now();
		expect((await post(executed('evt-new', new Date(now)))).status).toBe(200);
		expect((await post(executed('evt-new', new Date(now)))).status).toBe(200);
		expect((await post(executed('evt-old', new Date(now - 5000)))).status).toBe(200);
		const text = await settled(statuses, /2 repeats\/older dropped/);
		expect(received).toHaveLength(1);
		expect(text).toMatch(/^1 event\(s\), 2 repeats\/older dropped, last an older update at \d\d:\d\d:\d\d$/);
		expect(logged).toEqual([expect.stringContaining('a repeat of evt-new'), expect.stringContaining('older than an update already emitted for its document (evt-old')]);
		expect(logged.join('\n')).not.toContain(secret);
	});

	it('shows refusals in the status (yellow) and filtered events as filtered out', async () => {
		const { statuses } = await load({ eventTypes: ['document.created'] });
		expect((await post(executed('evt-a', new Date()))).status).toBe(200);
		expect((await post(sampleSets.plexus!.build('executed', { secret }, { tamper: true }))).status).toBe(401);
		const text = await settled(statuses, /1 refused/);
		expect(text).toMatch(/^0 event\(s\), 1 filtered out, 1 refused, last refused \(HTTP 401\) at /);
		expect(statuses.at(-1)?.fill).toBe('yellow');
	});

	it('serves the last deliveries, newest first, behind the admin API, with ids and types and no body or secret', async () => {
		await load();
		const now = Date.now();
		await post(executed('evt-1', new Date(now)));
		await post(executed('evt-1', new Date(now)));
		await post(sampleSets.plexus!.build('executed', { secret }, { tamper: true }));
		await tick();
		const response = await helper.request().get(`/legalhooks-plexus-trigger/${id}/deliveries`);
		expect(response.status).toBe(200);
		const { deliveries } = response.body as { deliveries: Array<Record<string, unknown>> };
		expect(deliveries.map((d) => d.outcome)).toEqual(['refused', 'repeat', 'emitted']);
		expect(deliveries[0]).toMatchObject({ status: 401, reason: expect.any(String) });
		expect(deliveries[1]).toMatchObject({ status: 200, repeats: [{ id: 'evt-1', type: 'document.completed', vendorEventType: 'documentUpdated' }] });
		expect(deliveries[2]).toMatchObject({ emitted: [{ id: 'evt-1', type: 'document.completed' }] });
		for (const delivery of deliveries) expect(Date.parse(String(delivery.at))).not.toBeNaN();
		const text = JSON.stringify(response.body);
		expect(text).not.toContain(secret);
		expect(text).not.toContain('Service Agreement'); // no body
		expect((await helper.request().get('/legalhooks-plexus-trigger/nope/deliveries')).status).toBe(404);
		expect((await helper.request().get('/legalhooks-plexus-account/acct/deliveries')).status).toBe(404);
	});

	it('keeps the last 50', async () => {
		await load();
		const now = Date.now();
		for (let i = 0; i < 55; i++) await post(executed(`evt-${i}`, new Date(now + i)));
		await tick();
		const { deliveries } = (await helper.request().get(`/legalhooks-plexus-trigger/${id}/deliveries`)).body as { deliveries: Array<{ emitted: Array<{ id: string }> }> };
		expect(deliveries).toHaveLength(50);
		expect(deliveries[0].emitted[0].id).toBe('evt-54');
		expect(deliveries[49].emitted[0].id).toBe('evt-5');
	});
});

describe('Node-RED runtime with adminAuth: recent deliveries need the trigger type’s read permission', () => {
	let red: NodeRedProcess;
	beforeAll(async () => {
		red = await startNodeRed({
			modules: ['legalhooks-plexus'],
			flows: [
				{ id: 'tab', type: 'tab', label: 'auth' },
				{ id: 'acct', type: 'legalhooks-plexus-account', z: 'tab', name: 'account' },
				{ id: 'trig', type: 'legalhooks-plexus-trigger', z: 'tab', account: 'acct', path: 'inbox', wires: [[]] },
			],
			credentials: { acct: { secret } },
			settings: { adminAuth: { type: 'credentials', users: [{ username: 'viewer', password: hashSync('viewer-password', 8), permissions: 'read' }] } },
		});
	}, 60_000);
	afterAll(() => red.stop());

	it('401 without a token, the list with a read-only user’s token', async () => {
		const delivery = executed('evt-auth', new Date());
		expect((await fetch(`${red.base}/legalhooks/plexus/inbox`, { method: 'POST', headers: delivery.headers, body: String(delivery.body) })).status).toBe(200);
		expect((await fetch(`${red.base}/legalhooks-plexus-trigger/trig/deliveries`)).status).toBe(401);
		const token = (await (
			await fetch(`${red.base}/auth/token`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ client_id: 'node-red-admin', grant_type: 'password', scope: 'read', username: 'viewer', password: 'viewer-password' }),
			})
		).json()) as { access_token: string };
		let body: { deliveries: Array<{ outcome: string }> } = { deliveries: [] };
		for (let i = 0; i < 40 && body.deliveries.length === 0; i++) {
			const response = await fetch(`${red.base}/legalhooks-plexus-trigger/trig/deliveries`, { headers: { authorization: `Bearer ${token.access_token}` } });
			expect(response.status).toBe(200);
			body = (await response.json()) as typeof body;
			if (body.deliveries.length === 0) await tick(25);
		}
		expect(body.deliveries.map((d) => d.outcome)).toEqual(['emitted']);
	});
});
