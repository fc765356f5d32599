import { NormalizedEventSchema } from '../../core/event/normalized-event';
import { LEGALESIGN_SEED_BATCH } from '../../core/vendors/legalesign/samples';
import { LegalesignTrigger } from '../../n8n/legalesign/nodes/LegalesignTrigger/LegalesignTrigger.node';
import { LegitoTrigger } from '../../n8n/legito/nodes/LegitoTrigger/LegitoTrigger.node';
import { QuicklySignTrigger } from '../../n8n/quicklysign/nodes/QuicklySignTrigger/QuicklySignTrigger.node';
import { N8nTriggerHarness } from '../n8n/trigger-harness';
import * as legitoSim from '../../sandbox/simulators/legito';
import * as legalesignSim from '../../sandbox/simulators/legalesign';
import * as quicklysignSim from '../../sandbox/simulators/quicklysign';
import { sendDelivery } from '../../sandbox/simulators/server';

type Registration = { ids: string[]; url: string; secret: string; extra?: Record<string, unknown> };
const registrationOf = (harness: N8nTriggerHarness, slot: 'production' | 'test' = 'production') =>
	(harness.staticData.registrations as Record<string, Registration> | undefined)?.[slot];

describe('n8n: Legito Trigger lifecycle against the simulator', () => {
	let sim: legitoSim.LegitoSimulator;
	let harness: N8nTriggerHarness;
	const make = (extra: Partial<ConstructorParameters<typeof N8nTriggerHarness>[1]> = {}) =>
		new N8nTriggerHarness(new LegitoTrigger(), {
			credentials: { legitoApi: { apiKey: sim.apiKey, privateKey: sim.privateKey, region: 'custom', apiBaseUrl: sim.baseUrl } },
			parameters: { legitoEvents: ['SignCompleted', 'SignStarted'], attachFilesGenerated: true, fileTypes: ['pdf', 'docx'] },
			...extra,
		}).start();

	beforeEach(async () => {
		sim = await legitoSim.start();
		harness = await make();
	});
	afterEach(async () => {
		await harness.stop();
		await sim.close();
	});

	it('activate → registered → delivery with files → item with binaries → deactivate → removed', async () => {
		await harness.activate();
		const connections = [...sim.state.connections.values()];
		expect(connections).toHaveLength(1);
		expect(connections[0]).toMatchObject({ url: harness.url(), enabled: true, eventTypes: ['SignCompleted', 'SignStarted'], attachFilesGenerated: true });
		const reg = registrationOf(harness)!;
		expect(reg.extra?.systemName).toBe(connections[0].systemName);

		const pdf = Buffer.from('%PDF-1.7 final');
		const [sent] = await sim.fire('SignCompleted', { files: [{ fileName: 'contract.pdf', data: pdf }, { fileName: 'contract.docx', data: Buffer.from('PK docx') }] });
		expect(sent.status).toBe(200);
		expect(harness.executions).toHaveLength(1);
		const [item] = harness.executions[0];
		expect(NormalizedEventSchema.parse(item.json)).toMatchObject({ vendor: 'legito', type: 'document.completed', files: [{ fileName: 'contract.pdf' }, { fileName: 'contract.docx' }] });
		expect(item.binary?.file0).toMatchObject({ fileName: 'contract.pdf', mimeType: 'application/pdf', data: pdf.toString('base64') });
		expect(item.binary?.file1).toMatchObject({ mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });

		expect(await harness.deactivate()).toBe(true);
		expect(sim.state.connections.size).toBe(0);
		expect(registrationOf(harness)).toBeUndefined();
	});

	it('restart (checkExists only) and saving twice never create a second connection', async () => {
		await harness.activate();
		expect(await harness.checkExists()).toBe(true);
		await harness.activate();
		expect(sim.state.connections.size).toBe(1);
		// A new process with the persisted static data but another public URL (WEBHOOK_URL changed): replaced, not duplicated.
		const moved = await make({ staticDataJson: harness.persistedStaticData });
		await moved.activate();
		expect([...sim.state.connections.values()].map((c) => c.url)).toEqual([moved.url()]);
		await moved.stop();
	});

	it('a changed setting replaces the connection instead of adding one', async () => {
		await harness.activate();
		const before = registrationOf(harness)!.ids[0];
		harness.setParameter('legitoEvents', ['SignCompleted']);
		await harness.activate();
		expect([...sim.state.connections.values()].map((c) => [String(c.id) === before, c.eventTypes])).toEqual([[false, ['SignCompleted']]]);
	});

	it('"listen for test event" registers the test URL and removes it afterwards, leaving production alone', async () => {
		await harness.activate();
		await harness.activate('test');
		expect([...sim.state.connections.values()].map((c) => c.url.includes('/webhook-test/')).sort()).toEqual([false, true]);
		// n8n never saves the test registration's static data (webhooks/test-webhooks.ts).
		expect(registrationOf(harness, 'test')).toBeUndefined();
		await harness.deactivate('test');
		expect([...sim.state.connections.values()].map((c) => c.url)).toEqual([harness.url('production')]);
	});

	it('three test runs (event received, stop listening, a lost test registration) then Unpublish leave no connection', async () => {
		await harness.activate();
		await harness.activate('test');
		const [sent] = await sim.fire('SignCompleted', { connectionId: [...sim.state.connections.values()].find((c) => c.url.includes('/webhook-test/'))!.id });
		expect(sent.status).toBe(200); // the event removes the test webhook
		await harness.activate('test');
		await harness.deactivate('test'); // "Stop listening"
		// A test run whose delete failed: the vendor keeps a connection to the test URL nobody remembers.
		await harness.activate('test');
		sim.faults.failNext(500, { method: 'DELETE' }, { times: 10 });
		await harness.deactivate('test');
		sim.faults.clear();
		expect([...sim.state.connections.values()].filter((c) => c.url === harness.url('test'))).toHaveLength(1);
		await harness.activate('test'); // the next test run sweeps the stale one
		await harness.deactivate('test');
		await harness.deactivate(); // Unpublish
		expect([...sim.state.connections.values()]).toEqual([]);
	});

	it('a vendor 500 during activation fails with vendor, status and hint, and leaves nothing registered', async () => {
		sim.faults.failNext(500, { method: 'POST' }, { after: true });
		await expect(harness.activate()).rejects.toThrow(/Legito creating the push connection failed \(HTTP 500\)/);
		expect(sim.state.connections.size).toBe(0);
		expect(registrationOf(harness)).toBeUndefined();
		expect(JSON.stringify(harness.logs)).not.toContain(sim.privateKey);
	});

	it('a connection already deleted at Legito (404) still deactivates cleanly', async () => {
		await harness.activate();
		sim.state.connections.clear();
		expect(await harness.deactivate()).toBe(true);
		expect(registrationOf(harness)).toBeUndefined();
	});

	it('refuses a wrong token and a push for another connection with 401, starting nothing', async () => {
		await harness.activate();
		const connection = [...sim.state.connections.values()][0];
		const body = sim.pushBody(connection, 'SignCompleted');
		expect((await sendDelivery(harness.url(), { headers: { 'content-type': 'application/json', 'X-Legalhooks-Token': 'f'.repeat(64) }, body })).status).toBe(401);
		const secret = registrationOf(harness)!.secret;
		const other = sim.pushBody({ ...connection, systemName: '11111111-2222-3333-4444-555555555555' }, 'SignCompleted');
		expect((await sendDelivery(harness.url(), { headers: { 'content-type': 'application/json', 'X-Legalhooks-Token': secret }, body: other })).status).toBe(401);
		expect(harness.executions).toHaveLength(0);
		expect(JSON.stringify(harness.logs)).not.toContain(secret);
	});

	it('a delivery before any registration (unknown registration) is refused', async () => {
		const body = JSON.stringify({ pushConnectionSystemName: 'x', eventType: 'SignCompleted', documentRecord: { code: 'c' } });
		expect((await sendDelivery(harness.url(), { headers: { 'content-type': 'application/json', 'X-Legalhooks-Token': 'x' }, body })).status).toBe(401);
		expect(harness.executions).toHaveLength(0);
	});

	it('takes a 20 MB delivery with two files when n8n’s payload limit is raised', async () => {
		await harness.stop();
		harness = await make({ payloadSizeMax: 64 * 1024 * 1024 });
		harness.setParameter('options', { maxBodyMb: 50 });
		await harness.activate();
		const a = Buffer.alloc(9 * 1024 * 1024, 1);
		const b = Buffer.alloc(6 * 1024 * 1024, 2);
		const [sent] = await sim.fire('SignCompleted', { files: [{ fileName: 'big.pdf', data: a }, { fileName: 'big.docx', data: b, kind: 'uploaded' }] });
		expect(sent.status).toBe(200);
		const [item] = harness.executions[0];
		expect(item.binary?.file0).toMatchObject({ fileName: 'big.docx', bytes: b.length });
		expect(item.binary?.file1).toMatchObject({ fileName: 'big.pdf', bytes: a.length });
		expect(Buffer.from(item.binary!.file1.data, 'base64').equals(a)).toBe(true);
	});

	it('n8n’s default 16 MB limit refuses the same delivery before the node runs', async () => {
		await harness.activate();
		const [sent] = await sim.fire('SignCompleted', { files: [{ fileName: 'big.pdf', data: Buffer.alloc(13 * 1024 * 1024, 1) }] });
		expect(sent.status).toBe(413);
		expect(harness.executions).toHaveLength(0);
	});
});

describe('n8n: Legalesign Trigger lifecycle against the simulator', () => {
	let sim: legalesignSim.LegalesignSimulator;
	let harness: N8nTriggerHarness;

	beforeEach(async () => {
		sim = await legalesignSim.start();
		harness = await new N8nTriggerHarness(new LegalesignTrigger(), {
			credentials: { legalesignApi: { username: sim.username, apiKey: sim.apiKey, apiBaseUrl: sim.baseUrl, certificate: sim.certificate } },
			parameters: { notify: 'all' },
		}).start();
	});
	afterEach(async () => {
		await harness.stop();
		await sim.close();
	});

	it('activate → subscribed with token → batch → one item per entry → deactivate → unsubscribed', async () => {
		await harness.activate();
		expect(sim.state.subscriptions).toHaveLength(1);
		expect(sim.state.subscriptions[0].url).toBe(`${harness.url()}?token=${registrationOf(harness)!.secret}`);
		const [sent] = await sim.deliverBatch(LEGALESIGN_SEED_BATCH);
		expect(sent.status).toBe(200);
		expect(harness.executions).toHaveLength(1);
		expect(harness.executions[0].map((i) => i.json.type)).toEqual([
			'recipient.updated', 'recipient.sent', 'recipient.viewed', 'document.updated', 'recipient.updated', 'recipient.completed', 'document.completed', 'document.file_ready',
		]);
		await harness.activate(); // saving again keeps the one subscription
		expect(sim.state.subscriptions).toHaveLength(1);
		await harness.deactivate();
		expect(sim.state.subscriptions).toHaveLength(0);
	});

	it('a wrong RSA signature or a wrong token is 401 and starts nothing', async () => {
		await harness.activate();
		expect((await sim.deliverBatch(LEGALESIGN_SEED_BATCH, { badSignature: true }))[0].status).toBe(401);
		const url = sim.state.subscriptions[0].url.replace(/token=[0-9a-f]+/, 'token=nope');
		const body = new URLSearchParams({ data: JSON.stringify(LEGALESIGN_SEED_BATCH), signed: sim.sign(JSON.stringify(LEGALESIGN_SEED_BATCH)) }).toString();
		expect((await sendDelivery(url, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body })).status).toBe(401);
		expect(harness.executions).toHaveLength(0);
	});

	it('a changed notify mode re-subscribes; a vendor timeout during activation leaves nothing subscribed', async () => {
		await harness.activate();
		harness.setParameter('notify', 'signed');
		await harness.activate();
		expect(sim.state.subscriptions.map((s) => s.notify)).toEqual(['signed']);
		await harness.deactivate();
		sim.faults.hangNext({ path: '/subscribe/' }, { after: true });
		await expect(harness.activate()).rejects.toThrow(/Legalesign creating the webhook failed \(no response\)/);
		expect(sim.state.subscriptions).toHaveLength(0);
	}, 40_000);
});

describe('n8n: QuicklySign Trigger lifecycle against the simulator', () => {
	let sim: quicklysignSim.QuicklysignSimulator;
	let harness: N8nTriggerHarness;
	let packs: string[];

	beforeEach(async () => {
		sim = await quicklysignSim.start();
		packs = [sim.addPack().key, sim.addPack().key];
		harness = await new N8nTriggerHarness(new QuicklySignTrigger(), {
			credentials: { quicklySignApi: { clientId: sim.clientId, clientSecret: sim.clientSecret, apiKey: sim.apiKey, environment: 'custom', apiBaseUrl: sim.baseUrl } },
			parameters: { documentPackKeys: packs.join('\n'), fetchDocumentPack: true },
		}).start();
	});
	afterEach(async () => {
		await harness.stop();
		await sim.close();
	});

	it('activate → one webhook per pack → callback → item with the pack → deactivate → removed', async () => {
		await harness.activate();
		expect([...sim.state.webhooks.values()].map((w) => w.entity_key).sort()).toEqual([...packs].sort());
		sim.setPackStatus(packs[1], 'complete');
		const [sent] = await sim.fire(packs[1], 'document_status_changed');
		expect(sent.status).toBe(200);
		await harness.idle(); // answered before the pack fetch; the run starts after it
		expect(harness.executions[0][0].json).toMatchObject({ type: 'document.completed', document: { id: packs[1], status: 'completed' }, data: { documentPack: { status: 'complete' } } });
		await harness.activate();
		expect(sim.state.webhooks.size).toBe(2);
		await harness.deactivate();
		expect(sim.state.webhooks.size).toBe(0);
	});

	it('Normalized Types filter on the type the pack fetch gives: a completion reported as a status change is emitted, the other change is filtered out', async () => {
		harness.setParameter('options', { eventTypes: ['document.completed'] });
		await harness.activate();
		sim.setPackStatus(packs[1], 'complete');
		await sim.fire(packs[1], 'document_status_changed');
		await sim.fire(packs[0], 'entity_updated');
		await harness.idle();
		expect(harness.executions.map((run) => run[0].json.type)).toEqual(['document.completed']);
		expect(harness.executions[0][0].json).toMatchObject({ document: { id: packs[1], status: 'completed' } });
	});

	it('a 500 on the second pack fails activation and deletes the first pack’s webhook', async () => {
		sim.faults.failNext(500, { method: 'POST', path: '/webhooks' }, { skip: 1 });
		await expect(harness.activate()).rejects.toThrow(/QuicklySign creating the webhook for document pack 2 of 2 .* failed \(HTTP 500\)/);
		expect(sim.state.webhooks.size).toBe(0);
		expect(registrationOf(harness)).toBeUndefined();
	});

	it('a callback for a subscription that is not ours, or with a wrong token, is 401', async () => {
		await harness.activate();
		const reg = registrationOf(harness)!;
		const body = JSON.stringify({ entity_type: 'Document', entity_key: packs[0], callback_event: 'entity_updated', subscription_key: 'not-ours' });
		expect((await sendDelivery(reg.url, { headers: { 'content-type': 'application/json' }, body })).status).toBe(401);
		const ours = JSON.stringify({ entity_type: 'Document', entity_key: packs[0], callback_event: 'entity_updated', subscription_key: reg.ids[0] });
		expect((await sendDelivery(harness.url(), { headers: { 'content-type': 'application/json' }, query: { token: 'wrong' }, body: ours })).status).toBe(401);
		expect(harness.executions).toHaveLength(0);
	});

	it('webhooks already deleted at QuicklySign (404 on both delete paths) still deactivate cleanly', async () => {
		await harness.activate();
		sim.state.webhooks.clear();
		expect(await harness.deactivate()).toBe(true);
		expect(registrationOf(harness)).toBeUndefined();
	});
});
