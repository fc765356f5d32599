import * as crypto from 'node:crypto';

// counts the constant-time comparisons verify.ts makes (node's own function, run for real)
jest.mock('node:crypto', () => {
	const actual = jest.requireActual('node:crypto');
	return { ...actual, timingSafeEqual: jest.fn(actual.timingSafeEqual) };
});
import { sampleSets } from '../../core/samples/sets';
import { ingest } from '../../core/inbound/ingest';
import { MemoryDedupeStore } from '../../core/inbound/dedupe';
import { handleDelivery } from '../../core/inbound/pipeline';
import { matchingSecret, PREVIOUS_SECRET_GRACE_MS, registrationSecrets, rotationMemory, secretsToVerifyWith } from '../../core/verify/secret-rotation';
import { legalesign } from '../../core/vendors/legalesign';
import { VerificationRecordSchema } from '../../core/verify/record';
import { phenixid } from '../../core/vendors/phenixid';
import { plexus } from '../../core/vendors/plexus';
import type { AnyVendorDefinition, Registration } from '../../core/vendors/definition';

/** Issue 25: the one rule that picks the secrets a delivery is verified with during a rotation. */
const oldSecret = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
const newSecret = 'f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f';
const t0 = new Date('2026-12-06T12:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

describe('secretsToVerifyWith', () => {
	it('uses the current secret alone when no previous one is set, or it equals the current one', () => {
		expect(secretsToVerifyWith({ secret: newSecret }, rotationMemory(), t0, 'Plexus Gateway')).toEqual({ secret: newSecret });
		expect(secretsToVerifyWith({ secret: newSecret, previousSecret: newSecret }, rotationMemory(), t0, 'Plexus Gateway')).toEqual({ secret: newSecret });
		expect(secretsToVerifyWith({ previousSecret: oldSecret }, rotationMemory(), t0, 'Plexus Gateway').previousSecret).toBeUndefined();
	});

	it('accepts the previous secret for 24 h after it was first seen, then refuses it and says so once', () => {
		const memory = rotationMemory();
		const fields = { secret: newSecret, previousSecret: oldSecret };
		const first = secretsToVerifyWith(fields, memory, t0, 'Plexus Gateway');
		expect(first).toMatchObject({ secret: newSecret, previousSecret: oldSecret, previousValidUntil: '2026-12-07T12:00:00.000Z' });
		expect(secretsToVerifyWith(fields, memory, at(PREVIOUS_SECRET_GRACE_MS - 1), 'Plexus Gateway').previousSecret).toBe(oldSecret);
		const expired = secretsToVerifyWith(fields, memory, at(PREVIOUS_SECRET_GRACE_MS), 'Plexus Gateway');
		expect(expired.previousSecret).toBeUndefined();
		expect(expired.expiredNotice).toMatch(/^Plexus Gateway: the previous webhook secret expired at 2026-12-07T12:00:00.000Z/);
		expect(expired.expiredNotice).not.toContain(oldSecret);
		const later = secretsToVerifyWith(fields, memory, at(PREVIOUS_SECRET_GRACE_MS + 1000), 'Plexus Gateway');
		expect(later.previousSecret).toBeUndefined();
		expect(later.expiredNotice).toBeUndefined();
		// what it remembers holds no secret
		const kept: string[] = [];
		const spy = { get: memory.get, set: (key: string, mark: unknown) => kept.push(key, JSON.stringify(mark)) };
		secretsToVerifyWith({ secret: newSecret, previousSecret: 'another old secret' }, spy, t0, 'x');
		expect(kept.join(' ')).not.toMatch(new RegExp(`${newSecret}|another old secret`));
	});

	it('takes an explicit end over the 24 h, read as UTC without a zone; a value that is no date counts as empty', () => {
		const explicit = { secret: newSecret, previousSecret: oldSecret, previousSecretValidUntil: '2026-12-06T13:00' };
		expect(secretsToVerifyWith(explicit, rotationMemory(), at(59 * 60_000), 'PhenixID').previousSecret).toBe(oldSecret);
		expect(secretsToVerifyWith(explicit, rotationMemory(), at(60 * 60_000), 'PhenixID').previousSecret).toBeUndefined();
		const longer = { ...explicit, previousSecretValidUntil: '2026-12-09T00:00:00+01:00' };
		expect(secretsToVerifyWith(longer, rotationMemory(), at(2 * PREVIOUS_SECRET_GRACE_MS), 'PhenixID').previousSecret).toBe(oldSecret);
		const nonsense = { ...explicit, previousSecretValidUntil: 'tomorrow' };
		expect(secretsToVerifyWith(nonsense, rotationMemory(), t0, 'PhenixID').previousValidUntil).toBe('2026-12-07T12:00:00.000Z');
	});

	it('starts a new 24 h for a new rotation (another previous secret)', () => {
		const memory = rotationMemory();
		secretsToVerifyWith({ secret: newSecret, previousSecret: oldSecret }, memory, t0, 'x');
		const third = 'c0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ff';
		const next = secretsToVerifyWith({ secret: third, previousSecret: newSecret }, memory, at(PREVIOUS_SECRET_GRACE_MS + 5), 'x');
		expect(next.previousSecret).toBe(newSecret);
	});
});

describe('matchingSecret', () => {
	it('compares with both secrets every time, in constant time, and names the one that matched', () => {
		const compare = crypto.timingSafeEqual as unknown as jest.Mock;
		{
			const body = Buffer.from('{}');
			const sign = (secret: string) => crypto.createHmac('sha256', secret).update(body).digest('hex');
			const verifies = (signature: string) => (secret: string) => crypto.timingSafeEqual(Buffer.from(sign(secret)), Buffer.from(signature));
			compare.mockClear();
			expect(matchingSecret({ secret: newSecret, previousSecret: oldSecret }, verifies(sign(newSecret)))).toBe('current');
			expect(compare).toHaveBeenCalledTimes(2);
			expect(matchingSecret({ secret: newSecret, previousSecret: oldSecret }, verifies(sign(oldSecret)))).toBe('previous');
			expect(matchingSecret({ secret: newSecret }, verifies(sign(oldSecret)))).toBeUndefined();
		}
	});
});

describe.each([
	['Plexus Gateway', plexus],
	['PhenixID', phenixid],
] as Array<[string, AnyVendorDefinition]>)('%s: verification with a previous secret', (_name, vendor) => {
	const delivery = (secret: string) => {
		const built = sampleSets[vendor.id]!.build(sampleSets[vendor.id]!.events[0], { secret }, { eventId: 'fresh' });
		return { method: 'POST', rawBody: Buffer.from(built.body), headers: built.headers, query: built.query };
	};
	const receive = (secret: string, context: { secret: string; previousSecret?: string }) => ingest(vendor, delivery(secret), { ...context, options: {} as never, now: new Date() });

	it('accepts both secrets, compares each delivery with both in constant time, and records which matched', () => {
		const compare = crypto.timingSafeEqual as unknown as jest.Mock;
		{
			compare.mockClear();
			const current = receive(newSecret, { secret: newSecret, previousSecret: oldSecret });
			const comparedCurrent = compare.mock.calls.length;
			compare.mockClear();
			const previous = receive(oldSecret, { secret: newSecret, previousSecret: oldSecret });
			const comparedPrevious = compare.mock.calls.length;
			compare.mockClear();
			receive(newSecret, { secret: newSecret });
			const comparedAlone = compare.mock.calls.length;
			if (!current.ok || !previous.ok) throw new Error('refused');
			expect(VerificationRecordSchema.parse(current.events[0].verification)).toMatchObject({ secret: 'current' });
			expect(VerificationRecordSchema.parse(previous.events[0].verification)).toMatchObject({ secret: 'previous' });
			expect(comparedAlone).toBeGreaterThanOrEqual(1);
			expect(comparedCurrent).toBe(2 * comparedAlone);
			expect(comparedPrevious).toBe(comparedCurrent);
		}
	});

	it('refuses the previous secret once it is no longer given', () => {
		expect(receive(oldSecret, { secret: newSecret })).toMatchObject({ ok: false, status: 401 });
	});
});

describe('registrationSecrets: a re-created registration and the one it replaced', () => {
	const oldToken = 'a'.repeat(64);
	const newToken = 'b'.repeat(64);
	const registration: Registration = {
		ids: ['new'],
		url: `https://n8n.example.com/webhook/x?token=${newToken}`,
		secret: newToken,
		settings: {},
		previous: { ids: ['old'], url: `https://n8n.example.com/webhook/x?token=${oldToken}`, secret: oldToken, settings: {}, until: at(PREVIOUS_SECRET_GRACE_MS).toISOString() },
	};
	const batch = sampleSets.legalesign!.build(sampleSets.legalesign!.events[0], { secret: oldToken }, { eventId: 'fresh' });

	async function deliverOldToken(now: Date) {
		const answers: Array<{ status: number }> = [];
		const emitted: unknown[] = [];
		await handleDelivery(
			{ method: 'POST', headers: batch.headers, query: batch.query, readBody: async () => ({ ok: true, body: Buffer.from(batch.body) }) },
			{
				vendor: legalesign as AnyVendorDefinition,
				options: { eventTypes: [], vendorEventTypes: [], includeRaw: false, replayToleranceSeconds: 0, maxBodyBytes: 0, dropOutOfOrder: false, redactRawPaths: [], outputFormat: 'normalized' },
				verification: async () => ({ ...registrationSecrets(registration, now), registration }),
				http: async () => {
					throw new Error('no API call expected');
				},
				dedupe: new MemoryDedupeStore(),
				logger: { warn: () => undefined, error: () => undefined },
				answer: (answer) => void answers.push(answer),
				emit: (events) => void emitted.push(...events),
				now: () => now,
			},
		);
		return { status: answers[0].status, emitted: emitted as Array<{ verification?: { secret?: string } }> };
	}

	it('accepts the old token until the replaced registration expires, then refuses it', async () => {
		expect(registrationSecrets(registration, t0).previousRegistration?.secret).toBe(oldToken);
		expect(registrationSecrets(registration, at(PREVIOUS_SECRET_GRACE_MS)).previousRegistration).toBeUndefined();
		const before = await deliverOldToken(at(PREVIOUS_SECRET_GRACE_MS - 1000));
		expect(before.status).toBe(200);
		expect(before.emitted.length).toBeGreaterThan(0);
		expect(before.emitted.every((event) => event.verification?.secret === 'previous')).toBe(true);
		const after = await deliverOldToken(at(PREVIOUS_SECRET_GRACE_MS));
		expect(after).toEqual({ status: 401, emitted: [] });
	});
});
