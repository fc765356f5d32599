import request from 'supertest';
import type { LegalhooksCloudEvent } from '../../core/event/cloudevents';
import { EmittedEventSchema } from '../../core/event/normalized-event';
import { REDACTED } from '../../core/event/redact';
import { sampleSets } from '../../core/samples/sets';
import plexusModule from '../../node-red/src/legalhooks-plexus';
import { PlexusTrigger } from '../../n8n/plexus-gateway/nodes/PlexusTrigger/PlexusTrigger.node';
import { N8nTriggerHarness } from '../n8n/trigger-harness';
import { capturing, collect, helper } from '../node-red/helper';

// The two output options, set as each engine's user sets them: n8n's Options collection, the
// Node-RED trigger's properties. Every emitted event also carries its verification record.
const secret = 'c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9';
type PlexusRaw = { data: { document: { ownerEmail?: string; title?: string } } };

describe('n8n: Plexus trigger output options', () => {
	let harness: N8nTriggerHarness | undefined;
	afterEach(() => harness?.stop());

	async function run(options: Record<string, unknown>) {
		harness = await new N8nTriggerHarness(new PlexusTrigger(), { credentials: { plexusGatewayApi: { secret } }, parameters: { options } }).start();
		await harness.activate();
		const delivery = sampleSets.plexus!.build('executed', { secret }, { eventId: 'fresh' });
		const response = await fetch(harness.url(), { method: 'POST', headers: delivery.headers, body: delivery.body as BodyInit });
		expect(response.status).toBe(200);
		expect(harness.executions).toHaveLength(1);
		return harness.executions[0][0].json;
	}

	it('by default: the normalized event with its verification record', async () => {
		const json = await run({});
		expect(EmittedEventSchema.parse(json).verification).toMatchObject({ scheme: 'hmac-sha512', signatureHeader: 'plexus-webhook-signature' });
	});

	it('Redact Raw Fields and CloudEvents output', async () => {
		const json = (await run({ redactRawPaths: 'data.document.ownerEmail', outputFormat: 'cloudevents' })) as unknown as LegalhooksCloudEvent;
		expect(json).toMatchObject({ specversion: '1.0', source: 'urn:legalhooks:plexus', type: 'dev.legalhooks.document.completed', datacontenttype: 'application/json' });
		const event = EmittedEventSchema.parse(json.data);
		expect((event.raw as PlexusRaw).data.document.ownerEmail).toBe(REDACTED);
		expect((event.raw as PlexusRaw).data.document.title).toBeTruthy();
	});
});

describe('Node-RED: Plexus trigger output options', () => {
	const plexus = capturing(plexusModule as any);
	afterEach(async () => {
		await helper.unload();
	});

	async function run(extra: Record<string, unknown>) {
		const flow = [
			{ id: 'acct', type: 'legalhooks-plexus-account', name: 'account' },
			{ id: 'trig', type: 'legalhooks-plexus-trigger', account: 'acct', path: 'inbox', wires: [['out']], ...extra },
			{ id: 'out', type: 'helper' },
		];
		await helper.load(plexus.module as any, flow, { acct: { secret } });
		const received = collect(helper.getNode('out'));
		const delivery = sampleSets.plexus!.build('executed', { secret }, { eventId: 'fresh' });
		const response = await request(plexus.red().httpNode).post('/legalhooks/plexus/inbox').set(delivery.headers).send(delivery.body.toString());
		expect(response.status).toBe(200);
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(received).toHaveLength(1);
		return received[0].payload;
	}

	it('by default: the normalized event with its verification record', async () => {
		const payload = await run({});
		expect(EmittedEventSchema.parse(payload).verification?.checks).toEqual(['hmac-sha512', 'replay-window']);
	});

	it('redactRawPaths and outputFormat cloudevents', async () => {
		const payload = (await run({ redactRawPaths: 'data.document.ownerEmail, data.document.authorEmail', outputFormat: 'cloudevents' })) as LegalhooksCloudEvent;
		expect(payload).toMatchObject({ specversion: '1.0', id: payload.data.id, type: 'dev.legalhooks.document.completed' });
		const raw = EmittedEventSchema.parse(payload.data).raw as PlexusRaw;
		expect(raw.data.document.ownerEmail).toBe(REDACTED);
	});
});
