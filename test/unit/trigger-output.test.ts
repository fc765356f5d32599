import { toCloudEvent, type LegalhooksCloudEvent } from '../../core/event/cloudevents';
import { MemoryDedupeStore } from '../../core/inbound/dedupe';
import { EmittedEventSchema, type NormalizedEvent } from '../../core/event/normalized-event';
import { handleDelivery, triggerOutput, type InboundTrigger, type TriggerOutput } from '../../core/inbound/pipeline';
import { parseRedactPaths, REDACTED, redactRaw } from '../../core/event/redact';
import { sampleSets } from '../../core/samples/sets';
import { DEFAULT_TRIGGER_OPTIONS, type CommonTriggerOptions } from '../../core/vendors/definition';
import { vendors } from '../../core/vendors';

const secret = 'output-secret-0123456789abcdef';

/** One signed Plexus delivery through the whole pipeline, as an engine runs it; what it emitted. */
async function deliver(options: Partial<CommonTriggerOptions>, dedupe = new MemoryDedupeStore(), eventId: 'fixed' | 'fresh' = 'fresh') {
	const delivery = sampleSets.plexus!.build('executed', { secret }, { now: new Date(), eventId });
	const emitted: TriggerOutput[] = [];
	const trigger: InboundTrigger = {
		vendor: vendors.plexus!,
		options: { ...DEFAULT_TRIGGER_OPTIONS, replayToleranceSeconds: 0, ...options },
		verification: async () => ({ secret, credentials: { secret } }),
		http: async () => {
			throw new Error('no network in this test');
		},
		dedupe,
		logger: { warn: () => undefined, error: (message) => { throw new Error(message); } },
		answer: () => undefined,
		emit: (events) => {
			emitted.push(...events);
		},
	};
	await handleDelivery({ method: 'POST', headers: delivery.headers, query: delivery.query, readBody: async () => ({ ok: true, body: Buffer.from(delivery.body) }) }, trigger);
	return emitted;
}

type PlexusRaw = { data: { document: Record<string, unknown> } };

describe('raw redaction', () => {
	it('masks the listed paths of raw before the event leaves the trigger; the rest and the body hash stay', async () => {
		const [plain] = (await deliver({})) as NormalizedEvent[];
		const [event] = (await deliver({ redactRawPaths: ['data.document.ownerEmail', 'raw.data.document.authorEmail', 'data.nothing.here'] })) as NormalizedEvent[];
		const document = (event.raw as PlexusRaw).data.document;
		expect(document.ownerEmail).toBe(REDACTED);
		expect(document.authorEmail).toBe(REDACTED);
		expect(document.title).toBe((plain.raw as PlexusRaw).data.document.title);
		expect(JSON.stringify(event.raw)).not.toMatch(/@example\.com/);
		expect(event.verification?.bodySha256).toMatch(/^[0-9a-f]{64}$/);
		expect(EmittedEventSchema.safeParse(event).success).toBe(true);
	});

	it('* matches any key or list entry; array indexes; forbidden keys and empty segments are ignored', () => {
		expect(parseRedactPaths('a.b, ,__proto__.x, c..d,\nraw.e')).toEqual([['a', 'b'], ['e']]);
		const event = { raw: { persons: [{ email: 'a@x', name: 'A' }, { email: 'b@x', name: 'B' }], signer: { one: { email: 'c@x' }, two: { email: 'd@x' } }, list: ['keep', 'secret'] } } as unknown as NormalizedEvent;
		const out = redactRaw(event, parseRedactPaths(['persons.*.email', 'signer.*.email', 'list.1']));
		expect(out.raw).toEqual({ persons: [{ email: REDACTED, name: 'A' }, { email: REDACTED, name: 'B' }], signer: { one: { email: REDACTED }, two: { email: REDACTED } }, list: ['keep', REDACTED] });
		// pure: the event it was given is unchanged
		expect((event.raw as { persons: Array<{ email: string }> }).persons[0].email).toBe('a@x');
	});

	it('no paths, or raw left out: the same event object', () => {
		const event = { id: 'x' } as NormalizedEvent;
		expect(redactRaw(event, parseRedactPaths(['a.b']))).toBe(event);
		expect(triggerOutput([event], DEFAULT_TRIGGER_OPTIONS)[0]).toBe(event);
	});
});

describe('CloudEvents 1.0 output', () => {
	it('emits a structured CloudEvent whose data is the normalized event', async () => {
		const [cloud] = (await deliver({ outputFormat: 'cloudevents' })) as LegalhooksCloudEvent[];
		expect(Object.keys(cloud).sort()).toEqual(['data', 'datacontenttype', 'id', 'source', 'specversion', 'subject', 'time', 'type']);
		expect(cloud).toMatchObject({
			specversion: '1.0',
			id: cloud.data.id,
			source: 'urn:legalhooks:plexus',
			type: 'dev.legalhooks.document.completed',
			subject: cloud.data.document.id,
			time: cloud.data.occurredAt,
			datacontenttype: 'application/json',
		});
		expect(EmittedEventSchema.safeParse(cloud.data).success).toBe(true);
	});

	it('de-duplication still works on the event id: a vendor retry is not emitted twice', async () => {
		const store = new MemoryDedupeStore();
		expect(await deliver({ outputFormat: 'cloudevents' }, store, 'fixed')).toHaveLength(1);
		expect(await deliver({ outputFormat: 'cloudevents' }, store, 'fixed')).toHaveLength(0);
	});

	it('no subject when the document has no id; time falls back to receivedAt', () => {
		const event = { id: 'e', vendor: 'quicklysign', type: 'other', occurredAt: null, receivedAt: '2026-12-01T00:00:00.000Z', document: { id: '', status: 'other' } } as NormalizedEvent;
		const cloud = toCloudEvent(event);
		expect('subject' in cloud).toBe(false);
		expect(cloud.time).toBe(event.receivedAt);
	});

	it('redaction applies to the CloudEvent data as well', async () => {
		const [cloud] = (await deliver({ outputFormat: 'cloudevents', redactRawPaths: ['data.document.ownerEmail'] })) as LegalhooksCloudEvent[];
		expect((cloud.data.raw as PlexusRaw).data.document.ownerEmail).toBe(REDACTED);
	});
});
