import * as legitoSim from '../../sandbox/simulators/legito';
import { sendDelivery } from '../../sandbox/simulators/server';
import { startNodeRed, type NodeRedProcess } from '../node-red/runtime';
import { sharedRedisStore } from '../node-red/shared-store';
import { waitFor } from '../wait-for';

/**
 * Issue 13: two real Node-RED processes run the same flow behind one public URL, with a context
 * store both share (Redis, on 127.0.0.1:6379). Instance A registers with Legito; B has "this
 * instance registers" off. Exactly one registration; both verify deliveries (B with the
 * registration A handed over, sealed, through the shared store); a tampered delivery gets 401 on
 * either; a retry of a delivery A emitted, sent to B, is dropped.
 */
const PUBLIC_URL = 'http://127.0.0.1:9'; // the load balancer both instances sit behind; Legito only stores it

const flows = (registers: boolean, apiBaseUrl: string) => [
	{ id: 'tab', type: 'tab', label: 'instances' },
	{ id: 'acct', type: 'legalhooks-legito-account', name: 'legito', baseUrl: PUBLIC_URL, contextStore: 'shared', registers },
	{ id: 'trig', type: 'legalhooks-legito-trigger', z: 'tab', account: 'acct', path: 'inbox', legitoEvents: 'SignCompleted', wires: [['dbg']], apiBaseUrl },
	{ id: 'dbg', type: 'debug', z: 'tab', name: 'emitted', active: true, tosidebar: false, console: true, complete: 'payload.id' },
];

const emitted = (red: NodeRedProcess) => [...red.output().matchAll(/\[debug:emitted\] (\S+)/g)].map((m) => m[1]);

describe('Node-RED: two instances behind one URL, one registering, a shared context store', () => {
	let sim: legitoSim.LegitoSimulator;
	const store = sharedRedisStore();
	let a: NodeRedProcess | undefined;
	let b: NodeRedProcess | undefined;

	const start = (registers: boolean) =>
		startNodeRed({
			modules: ['legalhooks-legito'],
			flows: flows(registers, sim.baseUrl),
			credentials: { acct: { apiKey: sim.apiKey, privateKey: sim.privateKey, region: 'custom', apiBaseUrl: sim.baseUrl } },
			settingsSource: store.settingsSource,
		});
	const registrations = () => sim.state.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/push-connection')).length;
	const removals = () => sim.state.calls.filter((c) => c.method === 'DELETE').length;
	/** What Legito would send to the public URL, sent to one instance instead. */
	const push = (red: NodeRedProcess, body: string, token?: string) => {
		const [connection] = [...sim.state.connections.values()];
		const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Legito-Push-API' };
		for (const h of connection.headers) if (h.value !== null) headers[h.name] = token ?? h.value;
		return sendDelivery(`${red.base}/legalhooks/legito/inbox`, { headers, body });
	};
	const body = (lastModified: string) => sim.pushBody([...sim.state.connections.values()][0], 'SignCompleted', { lastModified });
	const total = () => emitted(a!).length + emitted(b!).length;

	beforeAll(async () => {
		sim = await legitoSim.start();
		a = await start(true);
		await waitFor(() => sim.state.connections.size === 1, 'A to register');
		await waitFor(async () => (await store.keys()).some((key) => key.startsWith('legalhooks_registration_legito_')), 'A to hand the registration over');
		b = await start(false);
	}, 90_000);
	afterAll(async () => {
		await b?.stop();
		await a?.stop();
		await sim?.close();
		await store.clear();
	});

	it('registers exactly once: A registers, B never calls the registration API', async () => {
		expect(registrations()).toBe(1);
		expect(sim.state.connections.size).toBe(1);
		expect(b!.output()).not.toMatch(/registration failed|registering/);
	});

	it('both instances serve verified deliveries', async () => {
		expect((await push(a!, body('2026-12-01T10:00:00Z'))).status).toBe(200);
		expect((await push(b!, body('2026-12-01T10:01:00Z'))).status).toBe(200);
		await waitFor(() => emitted(a!).length === 1 && emitted(b!).length === 1, 'one message on each');
	});

	it('a tampered delivery (wrong token) gets 401 on either instance and emits nothing', async () => {
		const before = total();
		const forged = body('2026-12-01T10:02:00Z');
		const toA = await push(a!, forged, 'not-the-registration-token');
		const toB = await push(b!, forged, 'not-the-registration-token');
		expect([toA.status, toB.status]).toEqual([401, 401]);
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(total()).toBe(before);
	});

	it('a delivery to A and its retry to B: one message in total; a new event to B is emitted', async () => {
		const before = total();
		const delivery = body('2026-12-01T10:03:00Z');
		expect((await push(a!, delivery)).status).toBe(200);
		await waitFor(() => total() === before + 1, 'the first delivery');
		expect((await push(b!, delivery)).status).toBe(200); // Legito retries; the balancer picks B
		expect((await push(a!, delivery)).status).toBe(200); // and once more, back on A
		const fresh = body('2026-12-01T10:04:00Z');
		expect((await push(b!, fresh)).status).toBe(200);
		await waitFor(() => total() === before + 2, 'the new event');
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(total()).toBe(before + 2);
		const ids = [...emitted(a!), ...emitted(b!)];
		expect(new Set(ids).size).toBe(ids.length);
	});

	it('keeps the secret out of the shared store in clear, and stopping either instance removes nothing', async () => {
		const token = [...sim.state.connections.values()][0].headers[0].value as string;
		const values = (await store.values()).join('\n');
		expect(values).toContain('"iv"'); // the sealed registration is there
		expect(values).not.toContain(token);
		await b!.stop();
		b = await start(false);
		expect(registrations()).toBe(1);
		expect(removals()).toBe(0);
		expect((await push(b, body('2026-12-01T10:05:00Z'))).status).toBe(200);
	}, 60_000);
});
