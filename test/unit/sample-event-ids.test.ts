import { createHash } from 'node:crypto';
import { hashId } from '../../core/inbound/parse';
import { sampleSets, type SampleOptions } from '../../core/samples/sets';
import { DEFAULT_TRIGGER_OPTIONS, type Registration } from '../../core/vendors/definition';
import { legalesign, legito, phenixid, plexus } from '../../core/vendors';
import { legalesignCallbackUrl, legalesignSettings } from '../../core/vendors/legalesign/api';
import { legitoSettings } from '../../core/vendors/legito/api';

// A sample sent with eventId 'fresh' is a new event (a new normalized id); with 'fixed' it is the
// same event again, which the triggers drop as a vendor retry.
const secret = 'a'.repeat(64);
const systemName = 'eb892589-be50-4c24-8f68-adb67537a2d0';
const options = { ...DEFAULT_TRIGGER_OPTIONS, replayToleranceSeconds: 0 };

const cases = {
	plexus: { vendor: plexus, event: 'executed', registration: undefined as Registration | undefined },
	phenixid: { vendor: phenixid, event: 'OrderSigned', registration: undefined },
	legito: {
		vendor: legito,
		event: 'SignCompleted',
		registration: { ids: ['1'], url: 'https://h.example/webhook/x', secret, settings: legitoSettings({}), extra: { systemName } },
	},
	legalesign: {
		vendor: legalesign,
		event: 'batch',
		registration: { ids: [], url: legalesignCallbackUrl('https://h.example/webhook/x', secret), secret, settings: legalesignSettings({}) },
	},
};

function idsOf(name: keyof typeof cases, sampleOptions: SampleOptions, now: Date): string[] {
	const { vendor, event, registration } = cases[name];
	const delivery = sampleSets[name]!.build(event, { secret, registrationId: systemName }, { ...sampleOptions, now });
	const result = (vendor.receive as (...args: unknown[]) => { ok: boolean; events?: Array<{ id: string }> })(
		{ method: 'POST', rawBody: Buffer.from(delivery.body), headers: delivery.headers, query: { ...delivery.query, token: secret } },
		{ secret, registration, credentials: {}, options, now },
	);
	expect(result.ok).toBe(true);
	return result.events!.map((e) => e.id);
}

describe.each(Object.keys(cases) as Array<keyof typeof cases>)('%s samples', (name) => {
	it("'fresh' gives new event ids on every send, also within the same millisecond", () => {
		const now = new Date();
		const first = idsOf(name, { eventId: 'fresh' }, now);
		const second = idsOf(name, { eventId: 'fresh' }, now);
		expect(first.length).toBeGreaterThan(0);
		expect(second.some((id) => first.includes(id))).toBe(false);
	});

	it("'fixed' gives the same event ids at any time", () => {
		expect(idsOf(name, { eventId: 'fixed' }, new Date())).toEqual(idsOf(name, { eventId: 'fixed' }, new Date(Date.now() + 60_000)));
	});
});

describe('hashId', () => {
	// Ids already stored by running triggers were made with one SHA-256 update per part plus a NUL each:
	// the one-call form must give the very same ids.
	const perPart = (...parts: Array<string | number | Buffer | null | undefined>) => {
		const digest = createHash('sha256');
		for (const part of parts) digest.update(part === null || part === undefined ? '' : typeof part === 'number' ? String(part) : part).update('\u0000');
		return digest.digest('hex');
	};

	it('gives the ids of one update per part, for text, numbers, empty parts and buffers', () => {
		const cases: Array<Array<string | number | Buffer | null | undefined>> = [
			['/api/v1/document/1/', 'status', '30', '2022-07-11T07:28:25+00:00'],
			['upon-event', 'name', 'Vertrag für Ölkännchen ✓', 'event', 'signed'],
			['a', 1, 2.5, null, undefined, '', '\ud800 lone surrogate'],
			['buffer', Buffer.from([0, 255, 1]), 7],
			['two buffers', Buffer.from('é'), 'between', Buffer.alloc(0), null],
			['a large buffer', Buffer.alloc(20_000, 7), 'after'],
			[],
		];
		for (const parts of cases) expect(hashId(...parts)).toBe(perPart(...parts));
		expect(hashId('a', 'b')).not.toBe(hashId('ab'));
	});
});
