import { createHash } from 'node:crypto';
import { EmittedEventSchema } from '../../core/event/normalized-event';
import { ingest } from '../../core/inbound/ingest';
import type { InboundRequest, ReceiveContext } from '../../core/vendors/definition';
import { certificateHint, generatedSecretHint } from '../../core/verify/record';
import { hmac } from '../../core/verify/crypto';
import { LEGITO_TOKEN_HEADER } from '../../core/vendors/legito/api';
import { PLEXUS_SIGNATURE_HEADER } from '../../core/vendors/plexus/inbound';
import { fixture, fixtures } from '../fuzz/vendor-fixtures';

const now = new Date('2026-12-01T12:00:00.000Z');
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function accepted(name: string, request: InboundRequest, context: ReceiveContext) {
	const result = ingest(fixture(name).vendor, request, context);
	if (!result.ok) throw new Error(`${name}: refused ${result.status} ${result.reason}`);
	expect(result.events.length).toBeGreaterThan(0);
	return result.events;
}

function firstSample(name: string) {
	const f = fixture(name);
	return { request: f.sample(f.events[0], now), context: f.context(now) };
}

/** Every string the trigger was configured with or received as a credential. */
function credentialsIn(request: InboundRequest, context: ReceiveContext): string[] {
	const values = [context.secret, context.registration?.secret, ...Object.values(context.credentials ?? {}), ...Object.values(request.query)];
	for (const [name, value] of Object.entries(request.headers)) if (/sign|token|key|auth/i.test(name)) values.push(String(value));
	return values.filter((value): value is string => typeof value === 'string' && value.length >= 8);
}

describe.each(fixtures.map((f) => f.name))('%s: every accepted delivery carries a verification record', (name) => {
	it('with the time, the SHA-256 of the exact bytes received, and no secret or signature', () => {
		const f = fixture(name);
		for (const event of f.events) {
			const request = f.sample(event, now);
			const context = f.context(now);
			for (const emitted of accepted(name, request, context)) {
				expect(EmittedEventSchema.safeParse(emitted).success).toBe(true);
				expect(emitted.verification).toMatchObject({ verifiedAt: now.toISOString(), bodySha256: sha256(request.rawBody) });
				expect(emitted.verification!.scheme).toBe(emitted.verification!.checks[0]);
				const text = JSON.stringify(emitted.verification);
				for (const secret of credentialsIn(request, context)) expect(text).not.toContain(secret);
			}
		}
	});
});

describe('what each vendor reports it checked', () => {
	it('Plexus: HMAC-SHA512 and the replay window, the header name only', () => {
		const { request, context } = firstSample('plexus');
		expect(accepted('plexus', request, context)[0].verification).toMatchObject({
			scheme: 'hmac-sha512',
			checks: ['hmac-sha512', 'replay-window'],
			signatureHeader: PLEXUS_SIGNATURE_HEADER,
		});
	});

	it('Plexus: the HMAC-SHA256 its docs once described, with required headers and no replay window when it is off', () => {
		const { request, context } = firstSample('plexus');
		const signed = { ...request, headers: { ...request.headers, [PLEXUS_SIGNATURE_HEADER]: hmac('sha256', context.secret!, request.rawBody).toString('hex'), 'x-extra': 'v4lue-extra' } };
		const events = accepted('plexus', signed, { ...context, credentials: { requiredHeaders: 'X-Extra: v4lue-extra' }, options: { ...context.options, replayToleranceSeconds: 0 } });
		expect(events[0].verification).toMatchObject({ scheme: 'hmac-sha256', checks: ['hmac-sha256', 'required-headers'] });
		expect(events[0].verification!.keyHint).toBeUndefined();
	});

	it('PhenixID: HMAC-SHA256 and the URL key; without a key configured, the HMAC only', () => {
		const { request, context } = firstSample('phenixid');
		expect(accepted('phenixid', request, context)[0].verification).toMatchObject({ scheme: 'hmac-sha256', checks: ['hmac-sha256', 'url-token'], signatureHeader: 'x-signature' });
		const withoutKey = accepted('phenixid', { ...request, query: {} }, { ...context, credentials: { secret: context.secret } });
		expect(withoutKey[0].verification!.checks).toEqual(['hmac-sha256']);
	});

	it('Legito: the token header and the push connection, hinted by the generated secret', () => {
		const { request, context } = firstSample('legito');
		expect(accepted('legito', request, context)[0].verification).toEqual(
			expect.objectContaining({ scheme: 'header-token', checks: ['header-token', 'push-connection'], signatureHeader: LEGITO_TOKEN_HEADER, keyHint: generatedSecretHint(context.registration!.secret) }),
		);
	});

	it('QuicklySign: the URL token and our subscription key; a foreign pack accepted has the token only', () => {
		const { request, context } = firstSample('quicklysign');
		expect(accepted('quicklysign', request, context)[0].verification).toMatchObject({ scheme: 'url-token', checks: ['url-token', 'subscription-key'] });
		const foreign = { ...context, registration: { ...context.registration!, ids: ['someone-else'] }, options: { ...context.options, acceptForeignSubscriptions: true } };
		expect(accepted('quicklysign', request, foreign)[0].verification!.checks).toEqual(['url-token']);
	});

	it('Legalesign: the RSA-SHA1 certificate (batch and upon-event), hinted by the certificate fingerprint; token only without one', () => {
		const f = fixture('legalesign');
		const context = f.context(now);
		const hint = certificateHint(String(context.credentials!.certificate));
		expect(hint).toMatch(/^sha256:[0-9a-f]{16}$/);
		for (const upon of [false, true]) {
			const request = f.signedJson(JSON.stringify(upon ? { event: 'document.signed', document: '/api/v1/document/abc/' } : [{ value: 30, timestamp: '2026-12-01T11:59:00', resource_uri: '/api/v1/document/abc/' }]), { upon });
			const verification = accepted('legalesign', request, context)[0].verification!;
			expect(verification).toMatchObject({ scheme: 'rsa-sha1-certificate', checks: ['rsa-sha1-certificate', 'url-token'], keyHint: hint });
			expect(verification.signatureHeader).toBe(upon ? 'x-signed' : undefined);
		}
		const token = firstSample('legalesign (token only)');
		expect(accepted('legalesign (token only)', token.request, token.context)[0].verification).toMatchObject({ scheme: 'url-token', checks: ['url-token'] });
	});
});
