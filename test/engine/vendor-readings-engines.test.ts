import express from 'express';
import type { IDataObject } from 'n8n-workflow';
import { NormalizedEventSchema } from '../../core/event/normalized-event';
import { LEGITO_LOG_PLACEHOLDER } from '../../core/vendors/legito/inbound';
import { buildPlexusDelivery, plexusSamples } from '../../core/vendors/plexus/samples';
import { LegalesignTrigger } from '../../n8n/legalesign/nodes/LegalesignTrigger/LegalesignTrigger.node';
import { LegitoTrigger } from '../../n8n/legito/nodes/LegitoTrigger/LegitoTrigger.node';
import { PlexusTrigger } from '../../n8n/plexus-gateway/nodes/PlexusTrigger/PlexusTrigger.node';
import { QuicklySignTrigger } from '../../n8n/quicklysign/nodes/QuicklySignTrigger/QuicklySignTrigger.node';
import legalesignModule from '../../node-red/src/legalhooks-legalesign';
import legitoModule from '../../node-red/src/legalhooks-legito';
import plexusModule from '../../node-red/src/legalhooks-plexus';
import quicklysignModule from '../../node-red/src/legalhooks-quicklysign';
import { N8nTriggerHarness } from '../n8n/trigger-harness';
import { capturing, collect, helper } from '../node-red/helper';
import * as legalesignSim from '../../sandbox/simulators/legalesign';
import * as legitoSim from '../../sandbox/simulators/legito';
import * as quicklysignSim from '../../sandbox/simulators/quicklysign';
import { listen, sendDelivery, type RunningServer, type SentDelivery } from '../../sandbox/simulators/server';
import { waitFor } from '../wait-for';

// Issue 15: each reading a vendor's page allows, sent through both engines (a Node-RED runtime and the
// n8n trigger harness); the simulators' state gives the registered URL, token and keys in both.

type Delivery = { url: string; headers: Record<string, string>; body: string };
type Event = Record<string, any>;

/** One engine running one trigger: where it listens and what it emitted. */
interface Running {
	/** The trigger's webhook URL (for manual vendors; registering ones give theirs to the simulator). */
	url: string;
	events(): Event[];
	/** How many files the `index`th event came with (n8n binary properties / Node-RED msg.files). */
	fileCount(index: number): number;
	/** What the engine logged at warning level (n8n's logger, Node-RED's node.warn). */
	warnings(): string[];
	/** Waits until `count` events have been emitted. */
	settle(count: number): Promise<void>;
	/** Starts the trigger again as the engine does after a restart (n8n: activation again; Node-RED: a full redeploy). */
	restart(): Promise<void>;
	stop(): Promise<void>;
}

interface Engine {
	name: string;
	start(vendor: Vendor, credentials: Record<string, unknown>, parameters: Record<string, unknown>): Promise<Running>;
}
type Vendor = 'quicklysign' | 'legalesign' | 'legito' | 'plexus';

const n8nNodes = { quicklysign: () => new QuicklySignTrigger(), legalesign: () => new LegalesignTrigger(), legito: () => new LegitoTrigger(), plexus: () => new PlexusTrigger() };
const n8nCredentialNames = { quicklysign: 'quicklySignApi', legalesign: 'legalesignApi', legito: 'legitoApi', plexus: 'plexusGatewayApi' };

const n8n: Engine = {
	name: 'n8n',
	async start(vendor, credentials, parameters) {
		const harness = await new N8nTriggerHarness(n8nNodes[vendor](), { credentials: { [n8nCredentialNames[vendor]]: credentials as IDataObject }, parameters }).start();
		await harness.activate();
		const events = () => harness.executions.flatMap((items) => items.map((item) => item.json as Event));
		return {
			url: harness.url(),
			events,
			fileCount: (index) => Object.keys(harness.executions.flat()[index]?.binary ?? {}).length,
			warnings: () => harness.logs.filter((entry) => entry.level === 'warn').map((entry) => entry.message),
			async settle(count) {
				await harness.idle();
				await waitFor(() => events().length >= count, `${count} n8n item(s)`);
			},
			restart: () => harness.restart(),
			async stop() {
				await harness.deactivate();
				await harness.stop();
			},
		};
	},
};

const redModules = {
	quicklysign: capturing(quicklysignModule as any),
	legalesign: capturing(legalesignModule as any),
	legito: capturing(legitoModule as any),
	plexus: capturing(plexusModule as any),
};

let counter = 0;
const nodeRed: Engine = {
	name: 'Node-RED',
	async start(vendor, credentials, parameters) {
		const nodes = redModules[vendor];
		const app = express();
		app.use((req, res, next) => (nodes.red() as unknown as { httpNode: express.Express }).httpNode(req, res, next));
		const server: RunningServer = await listen(app);
		const id = `trig-${++counter}`;
		const flow = [
			{ id: 'acct', type: `legalhooks-${vendor}-account`, name: 'account', baseUrl: server.url },
			{ id, type: `legalhooks-${vendor}-trigger`, account: 'acct', path: 'inbox', wires: [['out']], ...parameters },
			{ id: 'out', type: 'helper' },
		];
		await helper.load(nodes.module as any, flow, { acct: credentials });
		let received = collect(helper.getNode('out'));
		// The helper's log spy starts afresh at every load: keep what earlier loads logged.
		const earlierWarnings: string[] = [];
		const loggedWarnings = (): string[] =>
			(helper.log()?.args ?? [])
				.map(([entry]: any[]) => entry as { level: number; msg: unknown })
				.filter((entry: { level: number }) => entry.level === 30) // Node-RED's log.WARN
				.map((entry: { msg: unknown }) => String(entry.msg));
		return {
			url: `${server.url}/legalhooks/${vendor}/inbox`,
			events: () => received.map((msg) => msg.payload as Event),
			fileCount: (index) => (received[index]?.files ?? []).length,
			warnings: () => [...earlierWarnings, ...loggedWarnings()],
			settle: (count) => waitFor(() => received.length >= count, `${count} Node-RED message(s)`),
			async restart() {
				earlierWarnings.push(...loggedWarnings());
				await helper.unload(); // close(removed = false), as a redeploy or restart does
				await helper.load(nodes.module as any, flow, { acct: credentials });
				received = collect(helper.getNode('out')); // the redeployed flow's helper node
			},
			async stop() {
				await helper.unload();
				await server.close();
			},
		};
	},
};

async function expectEvent(running: Running, sent: SentDelivery | Promise<SentDelivery>, expected: Event, index = 0) {
	expect((await sent).status).toBe(200);
	await running.settle(index + 1);
	const event = running.events()[index];
	expect(NormalizedEventSchema.safeParse(event).success).toBe(true);
	expect(event).toMatchObject(expected);
	return event;
}

const post = (delivery: Delivery) => sendDelivery(delivery.url, { headers: delivery.headers, body: delivery.body });
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe.each([nodeRed, n8n])('$name: vendor readings (issue 15)', (engine) => {
	describe('QuicklySign', () => {
		let sim: quicklysignSim.QuicklysignSimulator;
		let running: Running;
		let pack: string;
		const begin = async () => {
			running = await engine.start(
				'quicklysign',
				{ clientId: sim.clientId, clientSecret: sim.clientSecret, apiKey: sim.apiKey, environment: 'custom', apiBaseUrl: sim.baseUrl },
				{ documentPackKeys: pack, fetchDocumentPack: false },
			);
			await waitFor(() => sim.state.webhooks.size === 1, 'the webhook');
			return [...sim.state.webhooks.values()][0];
		};
		beforeEach(async () => {
			sim = await quicklysignSim.start();
			pack = sim.addPack().key;
		});
		afterEach(async () => {
			await running.stop();
			await sim.close();
		});

		const expected = () => ({ vendor: 'quicklysign', vendorEventType: 'document_status_changed', document: { id: pack } });

		it('a form-encoded callback with the fields at the top level', async () => {
			const webhook = await begin();
			const callback = { entity_type: 'Document', entity_key: pack, callback_event: 'document_status_changed', subscription_key: webhook.key };
			await expectEvent(running, post({ url: webhook.callback, headers: FORM, body: form(callback) }), expected());
		});

		it('a form-encoded callback with one field holding the JSON', async () => {
			const webhook = await begin();
			const callback = { entity_type: 'Document', entity_key: pack, callback_event: 'document_status_changed', subscription_key: webhook.key };
			await expectEvent(running, post({ url: webhook.callback, headers: FORM, body: form({ data: JSON.stringify(callback) }) }), expected());
		});

		it('`webhook_key` instead of `subscription_key`', async () => {
			const webhook = await begin();
			const callback = { entity_type: 'Document', entity_key: pack, callback_event: 'document_status_changed', webhook_key: webhook.key };
			await expectEvent(running, post({ url: webhook.callback, headers: { 'content-type': 'application/json' }, body: JSON.stringify(callback) }), expected());
		});

		it('a create answer with differing key and webhook_key: callbacks carrying `key` are accepted', async () => {
			sim.state.differingWebhookKey = true;
			const webhook = await begin();
			expect(webhook.webhook_key).not.toBe(webhook.key);
			const [sent] = await sim.fire(pack, 'document_status_changed'); // carries subscription_key = key
			await expectEvent(running, sent, expected());
			const other = { entity_type: 'Document', entity_key: pack, callback_event: 'entity_updated', subscription_key: webhook.webhook_key! };
			await expectEvent(running, post({ url: webhook.callback, headers: { 'content-type': 'application/json' }, body: JSON.stringify(other) }), { vendorEventType: 'entity_updated' }, 1);
		});
	});

	describe('Legalesign', () => {
		let sim: legalesignSim.LegalesignSimulator;
		let running: Running;
		const begin = async (notify: string) => {
			running = await engine.start('legalesign', { username: sim.username, apiKey: sim.apiKey, apiBaseUrl: sim.baseUrl, certificate: sim.certificate }, { notify });
			await waitFor(() => sim.state.subscriptions.length === 1, 'the subscription');
			return sim.state.subscriptions[0];
		};
		beforeEach(async () => {
			sim = await legalesignSim.start();
		});
		afterEach(async () => {
			await running.stop();
			await sim.close();
		});
		const entry = { value: '30', timestamp: '2022-07-11T07:29:06+00:00', resource_uri: '/api/v1/document/6619179c-95da-4d5c-b7be-7bac0bac4088/', name: 'status' };
		const batch = (url: string, data: unknown): Delivery => {
			const json = JSON.stringify(data);
			return { url, headers: FORM, body: form({ data: json, signed: sim.sign(json) }) };
		};
		const expected = { vendor: 'legalesign', type: 'document.completed', vendorEventType: 'document.30', document: { id: '6619179c-95da-4d5c-b7be-7bac0bac4088' } };

		it('`data` as a JSON object (the page’s words)', async () => {
			const subscription = await begin('all');
			await expectEvent(running, post(batch(subscription.url, entry)), expected);
		});

		it('`data` as an array (the page’s example)', async () => {
			const subscription = await begin('all');
			await expectEvent(running, post(batch(subscription.url, [entry])), expected);
		});

		it('an upon-event form with none of the known fields and a valid token: document.updated', async () => {
			await begin('signed');
			const [sent] = await sim.deliverUpon('signed', { something: 'else', other: '1' });
			await expectEvent(running, sent, { vendor: 'legalesign', type: 'document.updated', vendorEventType: 'unknown', data: { something: 'else', other: '1' } });
		});

		it('"a failed visit": recipient.updated with the vendor name kept', async () => {
			await begin('signed');
			const [sent] = await sim.deliverUpon('signed', { event: 'failed visit', uuid: 'abc-123' });
			await expectEvent(running, sent, { vendor: 'legalesign', type: 'recipient.updated', vendorEventType: 'failed visit' });
		});
	});

	describe('Legito', () => {
		let sim: legitoSim.LegitoSimulator;
		let running: Running;
		const begin = async () => {
			running = await engine.start(
				'legito',
				{ apiKey: sim.apiKey, privateKey: sim.privateKey, region: 'custom', apiBaseUrl: sim.baseUrl },
				{ legitoEvents: engine === n8n ? ['SignCompleted'] : 'SignCompleted', attachFilesGenerated: true, fileTypes: engine === n8n ? ['pdf', 'docx'] : 'pdf,docx' },
			);
			await waitFor(() => sim.state.connections.size === 1, 'the push connection');
			return [...sim.state.connections.values()][0];
		};
		beforeEach(async () => {
			sim = await legitoSim.start();
		});
		afterEach(async () => {
			await running.stop();
			await sim.close();
		});

		it('file data copied from the Push API log (the placeholder) is named in data.fileErrors, not emitted as a file', async () => {
			const connection = await begin();
			const push = JSON.parse(sim.pushBody(connection, 'SignCompleted', { files: [{ fileName: 'serviceagreement.pdf', data: Buffer.from('%PDF-1.4 real') }] }));
			for (const file of push.files.generated) {
				file.data = LEGITO_LOG_PLACEHOLDER;
				file.size = 19408;
			}
			const headers: Record<string, string> = { 'content-type': 'application/json' };
			for (const h of connection.headers) if (h.value !== null) headers[h.name] = h.value;
			const event = await expectEvent(running, post({ url: connection.url, headers, body: JSON.stringify(push) }), {
				vendor: 'legito',
				type: 'document.completed',
				vendorEventType: 'SignCompleted',
				data: { fileErrors: [expect.objectContaining({ fileName: 'serviceagreement.pdf', reason: expect.stringContaining('log placeholder') })] },
			});
			expect(event.data.fileErrors).toHaveLength(1);
			expect(running.fileCount(0)).toBe(0); // not a 49-byte "file" made of the placeholder
		});

		it('a push connection the API created disabled is kept, not re-created at every start', async () => {
			sim.state.createDisabled = true;
			const connection = await begin();
			expect(connection.enabled).toBe(false);
			const enableHint = (running: Running) => running.warnings().filter((w) => w.includes(`push connection ${connection.id} disabled`) && w.includes('Settings → Push API'));
			await waitFor(() => enableHint(running).length > 0, 'the warning that says where to enable it');
			// Deliveries wait for the first reconcile: once one is through, the registration is stored.
			const headers: Record<string, string> = { 'content-type': 'application/json' };
			for (const h of connection.headers) if (h.value !== null) headers[h.name] = h.value;
			await expectEvent(running, post({ url: connection.url, headers, body: sim.pushBody(connection, 'SignStarted') }), { vendor: 'legito', vendorEventType: 'SignStarted' });
			const listings = () => sim.state.calls.filter((c) => c.method === 'GET').length;
			const before = listings();
			await running.restart();
			await waitFor(() => listings() > before, 'the check that it still exists');
			await new Promise((resolve) => setTimeout(resolve, 100)); // a re-create would follow the listing
			expect([...sim.state.connections.keys()]).toEqual([connection.id]);
			// Once the user enables it in Legito (the page's "Disabled" button), pushes arrive and the warning stops.
			connection.enabled = true;
			const warned = enableHint(running).length;
			await running.restart();
			await waitFor(() => listings() > before + 1, 'the check after it was enabled');
			await new Promise((resolve) => setTimeout(resolve, 100));
			expect(enableHint(running)).toHaveLength(warned);
			const seen = running.events().length; // n8n keeps its earlier items; a Node-RED redeploy starts afresh
			const [sent] = await sim.fire('SignCompleted');
			await expectEvent(running, sent, { vendor: 'legito', vendorEventType: 'SignCompleted' }, seen);
		});
	});

	describe('Plexus', () => {
		const secret = 'c0ffee'.repeat(8);
		let running: Running;
		afterEach(() => running.stop());
		const delivery = (status: string): Delivery => {
			const payload = plexusSamples.executed(new Date().toISOString());
			payload.data.document.status = status;
			const built = buildPlexusDelivery(payload, secret);
			return { url: running.url, headers: built.headers, body: String(built.body) };
		};

		it.each(['EXECUTED', 'Executed'])('status %s matches like an event type', async (status) => {
			running = await engine.start('plexus', { secret }, {});
			await expectEvent(running, post(delivery(status)), { vendor: 'plexus', type: 'document.completed', vendorEventType: 'documentUpdated', document: { status: 'completed', vendorStatus: status } });
		});

		it('required additional headers: a delivery carrying them runs, one without is 401', async () => {
			running = await engine.start('plexus', { secret, requiredHeaders: 'X-Plexus-Tenant: acme\nX-Extra-Token: s3cret-value' }, {});
			const bare = delivery('executed');
			expect((await post(bare)).status).toBe(401);
			expect((await post({ ...bare, headers: { ...bare.headers, 'x-plexus-tenant': 'acme', 'x-extra-token': 'guess' } })).status).toBe(401);
			const carrying = { ...bare, headers: { ...bare.headers, 'x-plexus-tenant': 'acme', 'X-Extra-Token': 's3cret-value' } };
			await expectEvent(running, post(carrying), { vendor: 'plexus', type: 'document.completed', vendorEventType: 'documentUpdated' });
			expect(running.events()).toHaveLength(1);
		});
	});
});
