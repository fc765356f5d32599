import request from 'supertest';
import type { IDataObject } from 'n8n-workflow';
import { NormalizedEventSchema, type NormalizedEvent } from '../../core/event/normalized-event';
import { sampleSets } from '../../core/samples/sets';
import type { VendorId } from '../../core/event/normalized-event';
import { PhenixIdTrigger } from '../../n8n/phenixid-signing/nodes/PhenixIdTrigger/PhenixIdTrigger.node';
import { PlexusTrigger } from '../../n8n/plexus-gateway/nodes/PlexusTrigger/PlexusTrigger.node';
import plexusModule from '../../node-red/src/legalhooks-plexus';
import phenixidModule from '../../node-red/src/legalhooks-phenixid';
import { N8nTriggerHarness } from '../n8n/trigger-harness';
import { capturing, helper } from '../node-red/helper';

/**
 * Issue 25: rotating a secret agreed by hand loses no delivery. The vendor signs with the old
 * secret; the user sets the new one with the old as previous (valid for a few seconds here); a
 * delivery still signed with the old one is accepted, then the vendor switches; after the expiry
 * the old secret is refused and the trigger says so once. Real engines, real HTTP.
 */
const oldSecret = '0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9';
const newSecret = 'f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8';
const GRACE_MS = 3000;
const tick = (ms = 50) => new Promise((resolve) => setTimeout(resolve, ms));

interface Delivery {
	headers: Record<string, string>;
	query: Record<string, string>;
	body: string | Buffer;
}
const signed = (vendor: VendorId, secret: string): Delivery => {
	const set = sampleSets[vendor]!;
	return set.build(set.events[0], { secret }, { eventId: 'fresh' });
};

/** One engine's trigger as the rotation sees it: deliver, change the credential, read what it emitted and warned. */
interface Engine {
	deliver(delivery: Delivery): Promise<number>;
	setCredential(fields: Record<string, string>): Promise<void>;
	emitted(): NormalizedEvent[];
	warnings(): string[];
}

async function rotate(engine: Engine, vendor: VendorId) {
	// 1. the vendor signs with the old secret
	expect(await engine.deliver(signed(vendor, oldSecret))).toBe(200);
	// 2. the new secret is set, the old one kept as previous; a delivery (or retry) still signed with the old one arrives
	const validUntil = new Date(Date.now() + GRACE_MS);
	await engine.setCredential({ secret: newSecret, previousSecret: oldSecret, previousSecretValidUntil: validUntil.toISOString() });
	expect(await engine.deliver(signed(vendor, oldSecret))).toBe(200);
	// 3. the vendor switches
	expect(await engine.deliver(signed(vendor, newSecret))).toBe(200);
	expect(await engine.deliver(signed(vendor, oldSecret))).toBe(200);
	await tick();
	expect(engine.warnings().filter((w) => /previous webhook secret/.test(w))).toEqual([]);
	// 4. the expiry passes
	await tick(Math.max(0, validUntil.getTime() - Date.now()) + 50);
	expect(await engine.deliver(signed(vendor, oldSecret))).toBe(401);
	expect(await engine.deliver(signed(vendor, oldSecret))).toBe(401);
	expect(await engine.deliver(signed(vendor, newSecret))).toBe(200);
	await tick();

	const events = engine.emitted();
	expect(events.map((event) => NormalizedEventSchema.parse(event).verification?.secret)).toEqual(['current', 'previous', 'current', 'previous', 'current']);
	const notices = engine.warnings().filter((w) => /previous webhook secret expired/.test(w));
	expect(notices).toHaveLength(1);
	expect(notices[0]).toContain(validUntil.toISOString());
	expect(JSON.stringify(engine.warnings())).not.toMatch(new RegExp(`${oldSecret}|${newSecret}`));
}

describe.each([
	['plexus', PlexusTrigger, 'plexusGatewayApi'],
	['phenixid', PhenixIdTrigger, 'phenixIdSigningApi'],
] as const)('n8n: %s secret rotation', (vendor, Trigger, credentialType) => {
	let harness: N8nTriggerHarness;
	const credentials: Record<string, IDataObject> = {};
	beforeEach(async () => {
		credentials[credentialType] = { secret: oldSecret };
		harness = await new N8nTriggerHarness(new Trigger(), { credentials }).start();
		await harness.activate();
	});
	afterEach(() => harness.stop());

	it('loses no delivery while the vendor switches, and refuses the old secret after the expiry', async () => {
		await rotate(
			{
				deliver: async (delivery) => {
					const target = new URL(harness.url());
					for (const [k, v] of Object.entries(delivery.query)) target.searchParams.set(k, v);
					const response = await fetch(target, { method: 'POST', headers: delivery.headers, body: delivery.body as BodyInit });
					await harness.idle();
					return response.status;
				},
				// an edited credential is read by the next delivery; the workflow is not saved again
				setCredential: async (fields) => void Object.assign(credentials[credentialType], fields),
				emitted: () => harness.executions.map(([item]) => item.json as unknown as NormalizedEvent),
				warnings: () => harness.logs.filter((log) => log.level === 'warn').map((log) => log.message),
			},
			vendor,
		);
	});
});

describe.each([
	['plexus', plexusModule, 'legalhooks-plexus'],
	['phenixid', phenixidModule, 'legalhooks-phenixid'],
] as const)('Node-RED: %s secret rotation', (vendor, module, type) => {
	const captured = capturing(module as any);
	afterEach(() => helper.unload());

	it('loses no delivery while the vendor switches, and refuses the old secret after the expiry', async () => {
		const received: any[] = [];
		const warnings: string[] = [];
		async function deploy(credentials: Record<string, string>) {
			await helper.unload();
			const flow = [
				{ id: 'acct', type: `${type}-account`, name: 'account' },
				{ id: `${vendor}-rotating`, type: `${type}-trigger`, account: 'acct', path: 'inbox', wires: [['out']] },
				{ id: 'out', type: 'helper' },
			];
			await helper.load(captured.module as any, flow, { acct: credentials });
			helper.getNode('out').on('input', (message: unknown) => received.push(message));
			const node = helper.getNode(`${vendor}-rotating`);
			const warn = node.warn.bind(node);
			node.warn = ((message: string) => {
				warnings.push(String(message));
				return warn(message);
			}) as typeof node.warn;
		}
		await deploy({ secret: oldSecret });
		await rotate(
			{
				deliver: async (delivery) => {
					const query = new URLSearchParams(delivery.query).toString();
					const response = await request(captured.red().httpNode)
						.post(`/legalhooks/${vendor}/inbox${query ? `?${query}` : ''}`)
						.set(delivery.headers)
						.send(String(delivery.body));
					return response.status;
				},
				setCredential: (fields) => deploy(fields),
				emitted: () => received.map((message) => message.payload),
				warnings: () => warnings,
			},
			vendor,
		);
	});
});
