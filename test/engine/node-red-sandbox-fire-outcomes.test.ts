import express from 'express';
import request from 'supertest';
import { sandboxRoutes, type SandboxSimulators } from '../../sandbox/routes';
import * as legalesignSim from '../../sandbox/simulators/legalesign';
import * as legitoSim from '../../sandbox/simulators/legito';
import { samplePdf, startPlexusDocuments, type PlexusDocumentStore } from '../../sandbox/simulators/plexus-documents';
import * as quicklysignSim from '../../sandbox/simulators/quicklysign';
import { startNodeRed, type NodeRedProcess } from '../node-red/runtime';

/**
 * Issue 22: every `/sandbox/fire` answer says what the trigger did with the delivery — emitted,
 * or why not — read from the trigger's recent deliveries in a real Node-RED.
 */
const secret = 'sandbox-outcome-secret-0123456789abcdef';
let red: NodeRedProcess;
let documents: PlexusDocumentStore;
let others: Array<{ close(): Promise<void> }>;
let base: Omit<SandboxSimulators, 'plexus' | 'nodeRedAdmin'>;

beforeAll(async () => {
	red = await startNodeRed({
		modules: ['legalhooks-plexus'],
		flows: [
			{ id: 'tab', type: 'tab', label: 'outcomes' },
			{ id: 'acct', type: 'legalhooks-plexus-account', z: 'tab', name: 'account' },
			{ id: 'all', type: 'legalhooks-plexus-trigger', z: 'tab', account: 'acct', path: 'contracts', dropOutOfOrder: true, wires: [[]] },
			{ id: 'created-only', type: 'legalhooks-plexus-trigger', z: 'tab', account: 'acct', path: 'created', eventTypes: ['document.created'], wires: [[]] },
		],
		credentials: { acct: { secret } },
	});
	documents = await startPlexusDocuments();
	const [legito, legalesign, quicklysign] = await Promise.all([legitoSim.start(), legalesignSim.start(), quicklysignSim.start()]);
	others = [legito, legalesign, quicklysign, documents];
	base = { legito, legalesign, quicklysign, pack: quicklysign.addPack(), slack: {} as never, salesforce: {} as never, xero: {} as never };
}, 60_000);
afterAll(async () => {
	await Promise.all(others.map((o) => o.close()));
	await red.stop();
});

function sandbox(path: string) {
	const plexus = { documents, pdf: samplePdf(), triggerUrl: `${red.base}/legalhooks/plexus/${path}`, secret };
	return express().use('/sandbox', sandboxRoutes({ ...base, plexus, nodeRedAdmin: red.base }));
}

describe('/sandbox/fire says what the trigger did', () => {
	it('emitted: the event type and id', async () => {
		const response = await request(sandbox('contracts')).post('/sandbox/fire/plexus/executed');
		expect(response.status).toBe(200);
		const [delivery] = response.body.deliveries;
		expect(delivery.trigger).toMatch(/^emitted 1 event\(s\) \(document\.completed sandbox-\d+\)$/);
		expect(delivery.outcome).toMatchObject({ outcome: 'emitted', status: 200, emitted: [{ type: 'document.completed' }] });
	});

	it('not emitted: filtered out by the trigger’s event types, said so', async () => {
		const response = await request(sandbox('created')).post('/sandbox/fire/plexus/executed');
		expect(response.status).toBe(200);
		const [delivery] = response.body.deliveries;
		expect(delivery.answer).toEqual({ received: true });
		expect(delivery.trigger).toMatch(/^not emitted, filtered out by the event-type options \(documentUpdated → document\.completed\)$/);
		expect(delivery.outcome).toMatchObject({ outcome: 'filtered' });
	});

	it('parallel fires each get their own outcome', async () => {
		const app = sandbox('contracts');
		const answers = await Promise.all(Array.from({ length: 5 }, () => request(app).post('/sandbox/fire/plexus/executed')));
		const outcomes = answers.map((a) => a.body.deliveries[0].outcome);
		expect(outcomes.every(Boolean)).toBe(true);
		expect(new Set(outcomes.map((o) => JSON.stringify(o))).size).toBe(5);
	});
});
