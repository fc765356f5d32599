/*
 * Node-RED as two instances behind one URL (issue 13): the packed package in two real Node-RED
 * processes, each with `localfilesystem` as its default context store and a context store both
 * share (Redis on 127.0.0.1:6379, through the test plugin test/node-red/redis-context-store.ts:
 * Node-RED ships no shared store). The Legito account keeps its seen ids in the shared store;
 * instance A registers, B has "this instance registers" off. Checks: one registration; both
 * instances serve verified deliveries; a tampered delivery gets 401 on either; a retry of an event
 * A emitted, sent to B, emits nothing; restarting A adds no registration; a Plexus retry after a
 * restart of A (seen ids in localfilesystem) is dropped and a new event is emitted.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Redis from 'ioredis';
import * as legitoSim from '../../../sandbox/simulators/legito';
import { sendDelivery } from '../../../sandbox/simulators/server';
import { sampleSets } from '../../../core/samples/sets';
import type { Packed } from '../lib/pack';
import { NodeRed, type NodeRedEngineSpec } from '../lib/nodered';
import { check, E2EError, log, request, sleep, stays, waitFor } from '../lib/util';
import { checkNoSecretsLogged } from '../lib/expect';

const PLEXUS_SECRET = 'e2e-plexus-nr-instances-secret-0123456789abcdef0123';
const PUBLIC_URL = 'http://127.0.0.1:9'; // the balancer in front of both; the simulator only stores it
const REDIS_URL = 'redis://127.0.0.1:6379';
const PLUGIN = path.resolve(__dirname, '..', '..', 'node-red', 'redis-context-store.ts');
const id = () => randomBytes(8).toString('hex');

/** The user's settings.js plus the two context stores (the shared one under a prefix of this run). */
function addContextStores(nr: NodeRed, prefix: string) {
	const file = path.join(nr.userDir, 'settings.js');
	const tsx = require.resolve('tsx/cjs');
	const stores = `contextStorage: {
		default: { module: 'localfilesystem' },
		shared: { module: (require(${JSON.stringify(tsx)}), require(${JSON.stringify(PLUGIN)})), config: ${JSON.stringify({ url: REDIS_URL, prefix })} },
	},\n`;
	fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('module.exports = {\n', `module.exports = {\n\t${stores}`));
}

const emitted = (nr: NodeRed, name: string) => (fs.readFileSync(nr.logFile, 'utf8').match(new RegExp(`\\[debug:${name}\\] `, 'g')) ?? []).length;

export async function runNodeRedInstances(spec: NodeRedEngineSpec, work: string, packed: Packed): Promise<string> {
	const prefix = `legalhooks-e2e-${randomUUID()}`;
	const instance = (name: string) => {
		const dir = path.join(work, `instances-${name}`);
		fs.mkdirSync(dir, { recursive: true });
		return new NodeRed({ ...spec, label: `${spec.label} instance ${name}` }, dir);
	};
	const a = instance('A');
	const b = instance('B');
	const L = (m: string) => log(`${spec.label} instances`, m);
	const sim = await legitoSim.start();
	try {
		for (const nr of [a, b]) {
			nr.installPackage(packed.tarball, spec.installMode);
			addContextStores(nr, prefix);
		}
		const tab = id();
		const legitoAccount = id();
		const legito = id();
		const plexusAccount = id();
		const plexus = id();
		const flows = (registers: boolean) => [
			{ id: tab, type: 'tab', label: 'e2e instances', disabled: false, info: '' },
			{
				id: legitoAccount,
				type: 'legalhooks-legito-account',
				name: 'e2e Legito',
				baseUrl: PUBLIC_URL,
				contextStore: 'shared',
				registers,
				credentials: { apiKey: sim.apiKey, privateKey: sim.privateKey, region: 'custom', apiBaseUrl: sim.baseUrl },
			},
			{ id: legito, type: 'legalhooks-legito-trigger', z: tab, name: '', account: legitoAccount, path: 'contracts', legitoEvents: 'SignCompleted', x: 150, y: 60, wires: [[`${legito}dbg`]] },
			{ id: `${legito}dbg`, type: 'debug', z: tab, name: 'legito', active: true, tosidebar: false, console: true, complete: 'payload.id', x: 400, y: 60, wires: [] },
			// the runtime's default store (localfilesystem here): per instance, kept across restarts
			{ id: plexusAccount, type: 'legalhooks-plexus-account', name: 'e2e Plexus', credentials: { secret: PLEXUS_SECRET } },
			{ id: plexus, type: 'legalhooks-plexus-trigger', z: tab, name: '', account: plexusAccount, path: 'gateway', x: 150, y: 140, wires: [[`${plexus}dbg`]] },
			{ id: `${plexus}dbg`, type: 'debug', z: tab, name: 'plexus', active: true, tosidebar: false, console: true, complete: 'payload.id', x: 400, y: 140, wires: [] },
		];
		const registrations = () => sim.state.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/push-connection')).length;
		const connection = () => [...sim.state.connections.values()][0];
		const push = (nr: NodeRed, body: string, token?: string) => {
			const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Legito-Push-API' };
			for (const h of connection().headers) if (h.value !== null) headers[h.name] = token ?? h.value;
			return sendDelivery(`${nr.base}/legalhooks/legito/contracts`, { headers, body });
		};
		const legitoEvent = (lastModified: string) => sim.pushBody(connection(), 'SignCompleted', { lastModified });
		const legitoTotal = () => emitted(a, 'legito') + emitted(b, 'legito');
		const routeUp = (nr: NodeRed, route: string) => waitFor(`${nr.spec.label} ${route} route`, async () => (await request(`${nr.base}/legalhooks/${route}`, { method: 'GET' })).status !== 404, { timeoutMs: 20_000 });

		await a.start();
		await a.deploy(flows(true));
		await waitFor('A registers at Legito', async () => sim.state.connections.size === 1, { timeoutMs: 20_000 });
		await b.start();
		await b.deploy(flows(false));
		await routeUp(b, 'legito/contracts');
		await stays('one registration with B running', async () => registrations() === 1 && sim.state.connections.size === 1, 1500);
		L('one registration (A); B only serves');

		// both serve verified deliveries (B with the registration A handed over through the shared store)
		const statuses = [(await push(a, legitoEvent('2026-12-01T10:00:00Z'))).status, (await push(b, legitoEvent('2026-12-01T10:01:00Z'))).status];
		check(statuses.join() === '200,200', `verified deliveries to A and B → ${statuses.join(', ')}`);
		await waitFor('one message on each instance', async () => emitted(a, 'legito') === 1 && emitted(b, 'legito') === 1, { timeoutMs: 10_000 });

		const tampered = [(await push(a, legitoEvent('2026-12-01T10:02:00Z'), 'forged')).status, (await push(b, legitoEvent('2026-12-01T10:02:00Z'), 'forged')).status];
		check(tampered.join() === '401,401', `tampered deliveries to A and B → ${tampered.join(', ')}`);

		// a retry across instances: the shared seen-id set drops it
		const before = legitoTotal();
		const event = legitoEvent('2026-12-01T10:03:00Z');
		check((await push(a, event)).status === 200, 'delivery to A');
		await waitFor('the delivery to A emitted', async () => legitoTotal() === before + 1, { timeoutMs: 10_000 });
		check((await push(b, event)).status === 200, 'its retry to B');
		await stays(`one message for a delivery and its retry on the other instance (${legitoTotal() - before})`, async () => legitoTotal() === before + 1, 2000);
		L('retry across instances dropped');

		// restart A: no new registration; Plexus seen ids (localfilesystem) survive it
		const plexusEvent = sampleSets.plexus!.build('executed', { secret: PLEXUS_SECRET }, { eventId: 'fresh', now: new Date() });
		const sendPlexus = (d: typeof plexusEvent) => request(`${a.base}/legalhooks/plexus/gateway`, { method: d.method, headers: d.headers, body: d.body });
		check((await sendPlexus(plexusEvent)).status === 200, 'Plexus delivery to A');
		await waitFor('the Plexus event emitted', async () => emitted(a, 'plexus') === 1, { timeoutMs: 10_000 });
		await a.stop();
		await a.start();
		await routeUp(a, 'plexus/gateway');
		check((await sendPlexus(plexusEvent)).status === 200, 'Plexus retry after the restart');
		const fresh = sampleSets.plexus!.build('executed', { secret: PLEXUS_SECRET }, { eventId: 'fresh', now: new Date() });
		check((await sendPlexus(fresh)).status === 200, 'a new Plexus event after the restart');
		await waitFor('the new Plexus event emitted', async () => emitted(a, 'plexus') === 2, { timeoutMs: 10_000 });
		await stays('the Plexus retry after the restart stays dropped', async () => emitted(a, 'plexus') === 2, 1500);
		await sleep(500);
		check(registrations() === 1 && sim.state.connections.size === 1, `restart of A: ${registrations()} registration(s), ${sim.state.connections.size} connection(s)`);

		const token = connection().headers[0].value as string;
		for (const nr of [a, b]) checkNoSecretsLogged(fs.readFileSync(nr.logFile, 'utf8'), [PLEXUS_SECRET, sim.privateKey, token]);
		return `registrations 1 (A; B serves only), verified A/B 200/200, tampered 401/401, retry on the other instance: 1 message for 2 deliveries (shared Redis store), after a restart of A: Plexus retry dropped (localfilesystem), new event emitted, still 1 registration`;
	} catch (err) {
		const msg = err instanceof E2EError ? err.message : ((err as Error).stack ?? String(err));
		throw new E2EError(`${msg}\n----- A log tail (${a.logFile}) -----\n${a.logTail()}\n----- B log tail (${b.logFile}) -----\n${b.logTail()}\n-----`);
	} finally {
		await b.stop().catch(() => undefined);
		await a.stop().catch(() => undefined);
		await sim.close().catch(() => undefined);
		const redis = new Redis(REDIS_URL);
		await redis
			.keys(`${prefix}:*`)
			.then((keys) => (keys.length > 0 ? redis.del(...keys) : 0))
			.catch(() => undefined);
		await redis.quit().catch(() => undefined);
	}
}
