import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleSets } from '../../core/samples/sets';
import { startNodeRed, type NodeRedProcess } from '../node-red/runtime';

/**
 * Issue 13: the trigger's seen ids live in Node-RED's context store. With `localfilesystem` as the
 * runtime's default store, a retry that arrives after a restart (a new process on the same user
 * directory) is still dropped; with the memory store it is not (the documented limit).
 */
const secret = 'persistent-store-plexus-secret-0123456789';

const flows = (contextStore?: string) => [
	{ id: 'tab', type: 'tab', label: 'store' },
	{ id: 'acct', type: 'legalhooks-plexus-account', name: 'plexus', ...(contextStore === undefined ? {} : { contextStore }) },
	{ id: 'trig', type: 'legalhooks-plexus-trigger', z: 'tab', account: 'acct', path: 'inbox', wires: [['dbg']] },
	{ id: 'dbg', type: 'debug', z: 'tab', name: 'emitted', active: true, tosidebar: false, console: true, complete: 'payload.id' },
];

function signed(eventId: string): { headers: Record<string, string>; body: string } {
	const sample = sampleSets.plexus!.build('executed', { secret }, { now: new Date() });
	const body = JSON.stringify({ ...JSON.parse(String(sample.body)), id: eventId });
	return { headers: { ...sample.headers, 'plexus-webhook-signature': createHmac('sha512', secret).update(body).digest('hex') }, body };
}

/** Event ids the debug node logged (each emitted message once). */
const emitted = (red: NodeRedProcess) => [...red.output().matchAll(/\[debug:emitted\] (\S+)/g)].map((m) => m[1]);

async function deliver(red: NodeRedProcess, delivery: { headers: Record<string, string>; body: string }): Promise<void> {
	const response = await fetch(`${red.base}/legalhooks/plexus/inbox`, { method: 'POST', headers: delivery.headers, body: delivery.body });
	expect(response.status).toBe(200);
}

/** Waits until `id` was emitted `count` times (or 3 s). */
async function settle(red: NodeRedProcess, id: string, count: number): Promise<void> {
	for (let i = 0; i < 150 && emitted(red).filter((e) => e === id).length < count; i++) await new Promise((r) => setTimeout(r, 20));
}

describe('Node-RED: seen ids in the context store survive a restart', () => {
	let userDir: string;
	let red: NodeRedProcess | undefined;
	const start = (settings: Record<string, unknown>, contextStore?: string) =>
		startNodeRed({ modules: ['legalhooks-plexus'], flows: flows(contextStore), credentials: { acct: { secret } }, settings, userDir });

	beforeEach(() => {
		userDir = mkdtempSync(join(tmpdir(), 'legalhooks-nr-store-'));
	});
	afterEach(async () => {
		await red?.stop();
		red = undefined;
		rmSync(userDir, { recursive: true, force: true });
	});

	it('localfilesystem as the default store: a retry after a restart is dropped, a new event is emitted', async () => {
		const settings = { contextStorage: { default: { module: 'localfilesystem' } } };
		const first = signed('evt-before-restart');
		red = await start(settings);
		await deliver(red, first);
		await settle(red, 'evt-before-restart', 1);
		expect(emitted(red)).toEqual(['evt-before-restart']);
		await red.stop();

		red = await start(settings);
		await deliver(red, first); // the vendor's retry, same bytes
		const fresh = signed('evt-after-restart');
		await deliver(red, fresh);
		await settle(red, 'evt-after-restart', 1);
		// the retry was handled before the new event (one at a time per key), so it would be logged by now
		expect(emitted(red)).toEqual(['evt-after-restart']);
		expect(red.output()).not.toContain(secret);
	}, 60_000);

	it('the account names a store that is not the default: that one is used', async () => {
		const settings = { contextStorage: { default: { module: 'memory' }, disk: { module: 'localfilesystem' } } };
		const first = signed('evt-named-store');
		red = await start(settings, 'disk');
		await deliver(red, first);
		await settle(red, 'evt-named-store', 1);
		await red.stop();
		red = await start(settings, 'disk');
		await deliver(red, first);
		await deliver(red, signed('evt-named-store-2'));
		await settle(red, 'evt-named-store-2', 1);
		expect(emitted(red)).toEqual(['evt-named-store-2']);
	}, 60_000);

	it('with the memory store (Node-RED’s default) the restart forgets: the retry is emitted again', async () => {
		const first = signed('evt-memory');
		red = await start({});
		await deliver(red, first);
		await settle(red, 'evt-memory', 1);
		await deliver(red, first); // within one process it is dropped
		await deliver(red, signed('evt-memory-2'));
		await settle(red, 'evt-memory-2', 1);
		expect(emitted(red)).toEqual(['evt-memory', 'evt-memory-2']);
		await red.stop();
		red = await start({});
		await deliver(red, first);
		await settle(red, 'evt-memory', 1);
		expect(emitted(red)).toEqual(['evt-memory']);
	}, 60_000);
});
