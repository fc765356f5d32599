import request from 'supertest';
import { NormalizedEventSchema } from '../../core/event/normalized-event';
import { sampleSets } from '../../core/samples/sets';
import plexusModule from '../../node-red/src/legalhooks-plexus';
import phenixidModule from '../../node-red/src/legalhooks-phenixid';
import { capturing, collect, helper } from '../node-red/helper';
import { startPhenixidApi } from '../../sandbox/simulators/phenixid';

const secret = 'b5e0c1d2a3f4e5d6c7b8a9f0e1d2c3b4';

function flow(type: string, accountType: string, extra: Record<string, unknown> = {}) {
	return [
		{ id: 'acct', type: accountType, name: 'account' },
		{ id: 'trig', type, account: 'acct', path: 'inbox', wires: [['out']], ...extra },
		{ id: 'out', type: 'helper' },
	];
}

function send(app: any, path: string, delivery: { headers: Record<string, string>; query: Record<string, string>; body: string | Buffer }) {
	const query = new URLSearchParams(delivery.query).toString();
	return request(app)
		.post(`${path}${query ? `?${query}` : ''}`)
		.set(delivery.headers)
		.send(typeof delivery.body === 'string' ? delivery.body : delivery.body.toString());
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('Node-RED: legalhooks-plexus-trigger', () => {
	const plexus = capturing(plexusModule as any);
	afterEach(async () => {
		await helper.unload();
	});

	async function load(extra: Record<string, unknown> = {}, credentials: Record<string, unknown> = { secret }) {
		await helper.load(plexus.module as any, flow('legalhooks-plexus-trigger', 'legalhooks-plexus-account', extra), { acct: credentials });
		return collect(helper.getNode('out'));
	}

	it('sends a signed delivery on as one normalized event', async () => {
		const received = await load();
		const response = await send(plexus.red().httpNode, '/legalhooks/plexus/inbox', sampleSets.plexus!.build('executed', { secret }, {}));
		expect(response.status).toBe(200);
		await tick();
		expect(received).toHaveLength(1);
		expect(NormalizedEventSchema.parse(received[0].payload)).toMatchObject({ vendor: 'plexus', type: 'document.completed' });
	});

	it('answers 401 to a tampered delivery and sends nothing', async () => {
		const received = await load();
		const response = await send(plexus.red().httpNode, '/legalhooks/plexus/inbox', sampleSets.plexus!.build('executed', { secret }, { tamper: true }));
		expect(response.status).toBe(401);
		expect(JSON.stringify(response.body)).not.toContain(secret);
		await tick();
		expect(received).toHaveLength(0);
	});

	it('drops a redelivery of the same event', async () => {
		const received = await load();
		const delivery = sampleSets.plexus!.build('documentCreated', { secret }, {});
		expect((await send(plexus.red().httpNode, '/legalhooks/plexus/inbox', delivery)).status).toBe(200);
		expect((await send(plexus.red().httpNode, '/legalhooks/plexus/inbox', delivery)).status).toBe(200);
		await tick();
		expect(received).toHaveLength(1);
	});

	it('answers 413 over the size limit, 405 for GET, 404 for an unknown path', async () => {
		const received = await load({ maxBodyMb: 0.0002 });
		const app = plexus.red().httpNode;
		expect((await send(app, '/legalhooks/plexus/inbox', sampleSets.plexus!.build('executed', { secret }, {}))).status).toBe(413);
		expect((await request(app).get('/legalhooks/plexus/inbox')).status).toBe(405);
		expect((await send(app, '/legalhooks/plexus/other', sampleSets.plexus!.build('executed', { secret }, {}))).status).toBe(404);
		await tick();
		expect(received).toHaveLength(0);
	});

	it('refuses everything when the account has no secret (e.g. a wrong credentialSecret emptied it)', async () => {
		const received = await load({}, {});
		const response = await send(plexus.red().httpNode, '/legalhooks/plexus/inbox', sampleSets.plexus!.build('executed', { secret: '' }, {}));
		expect(response.status).toBe(401);
		await tick();
		expect(received).toHaveLength(0);
	});

	it('serves the route again after a redeploy without piling up handlers', async () => {
		await load();
		await helper.unload();
		const received = await load();
		const response = await send(plexus.red().httpNode, '/legalhooks/plexus/inbox', sampleSets.plexus!.build('awaitingSignature', { secret }, {}));
		expect(response.status).toBe(200);
		await tick();
		expect(received).toHaveLength(1);
	});
});

describe('Node-RED: legalhooks-phenixid-trigger', () => {
	const phenixid = capturing(phenixidModule as any);
	const key = 'install-key';
	afterEach(async () => {
		await helper.unload();
	});

	it('verifies signature and key, and sends the normalized event', async () => {
		await helper.load(phenixid.module as any, flow('legalhooks-phenixid-trigger', 'legalhooks-phenixid-account'), { acct: { secret, key } });
		const received = collect(helper.getNode('out'));
		const app = phenixid.red().httpNode;
		expect((await send(app, '/legalhooks/phenixid/inbox', sampleSets.phenixid!.build('OrderRejected', { secret, key: 'nope' }, {}))).status).toBe(401);
		expect((await send(app, '/legalhooks/phenixid/inbox', sampleSets.phenixid!.build('OrderRejected', { secret, key }, { tamper: true }))).status).toBe(401);
		expect((await send(app, '/legalhooks/phenixid/inbox', sampleSets.phenixid!.build('OrderRejected', { secret, key }, {}))).status).toBe(200);
		await tick();
		expect(received).toHaveLength(1);
		expect(received[0].payload).toMatchObject({ vendor: 'phenixid', type: 'document.rejected', document: { status: 'rejected' } });
	});

	it('fetches the order into data.order when Fetch order is on', async () => {
		const api = await startPhenixidApi();
		api.orders.set('07c6ad8c-d1ba-4e73-9bbf-c70a085a449c', { id: '07c6ad8c-d1ba-4e73-9bbf-c70a085a449c', state: 'SIGNED' });
		try {
			await helper.load(phenixid.module as any, flow('legalhooks-phenixid-trigger', 'legalhooks-phenixid-account', { fetchOrder: true }), {
				acct: { secret, key, apiBaseUrl: api.url },
			});
			const received = collect(helper.getNode('out'));
			const response = await send(phenixid.red().httpNode, '/legalhooks/phenixid/inbox', sampleSets.phenixid!.build('OrderSigned', { secret, key }, {}));
			expect(response.status).toBe(200);
			for (let i = 0; i < 40 && received.length === 0; i++) await tick();
			expect(received).toHaveLength(1);
			expect(received[0].payload.data.order).toEqual({ id: '07c6ad8c-d1ba-4e73-9bbf-c70a085a449c', state: 'SIGNED' });
		} finally {
			await api.close();
		}
	});
});
