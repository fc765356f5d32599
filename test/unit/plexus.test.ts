import { createHmac } from 'node:crypto';
import { NormalizedEventSchema } from '../../core/event/normalized-event';
import { deduplicate, ingest, type IngestResult } from '../../core/inbound/ingest';
import { MemoryDedupeStore } from '../../core/inbound/dedupe';
import { DEFAULT_TRIGGER_OPTIONS, type InboundRequest } from '../../core/vendors/definition';
import { plexus } from '../../core/vendors/plexus';
import { buildPlexusDelivery, plexusSamples } from '../../core/vendors/plexus/samples';

const secret = 'plexus-secret';
const now = new Date('2021-11-11T22:45:00Z');
const seedCreatedAt = '2021-11-11T22:39:59.250174+00:00';

function request(body: string, signature?: string): InboundRequest {
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	if (signature !== undefined) headers['plexus-webhook-signature'] = signature;
	return { method: 'POST', rawBody: Buffer.from(body), headers, query: {} };
}
const sign = (algorithm: string, body: string) => createHmac(algorithm, secret).update(body).digest('hex');
const context = (options = {}) => ({ secret, options: { ...DEFAULT_TRIGGER_OPTIONS, ...options }, now });

describe('Plexus Gateway inbound', () => {
	it('normalizes the seed documentCreated example signed with HMAC-SHA512', () => {
		const body = JSON.stringify(plexusSamples.documentCreated(seedCreatedAt));
		const result = plexus.receive(request(body, sign('sha512', body)), context());
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		const [event] = result.events;
		expect(NormalizedEventSchema.parse(event)).toBeTruthy();
		expect(event).toMatchObject({
			id: '8cfa669c-41cc-412c-858d-0374e2c007fc',
			vendor: 'plexus',
			type: 'document.created',
			vendorEventType: 'documentCreated',
			occurredAt: '2021-11-11T22:39:59.250Z',
			document: { id: 'd24c0644-1d31-47fa-960e-b0cc8b4f136c', title: 'Service Agreement for Company A', status: 'created' },
			data: { counterpartyName: 'Company A', currency: 'AUD', contractValue: 0 },
		});
	});

	it.each([
		['awaitingSignature', 'document.sent', 'out_for_signature'],
		['executed', 'document.completed', 'completed'],
		['signatureRejected', 'document.rejected', 'rejected'],
		['cancelled', 'document.cancelled', 'cancelled'],
		['signatureRequestExpired', 'document.expired', 'expired'],
		['awaitingReview', 'document.approval_requested', 'in_review'],
		['approved', 'document.approved', 'approved'],
		['approvalRejected', 'document.approval_rejected', 'rejected'],
		['paused', 'document.updated', 'other'],
	])('maps documentUpdated with status %s to %s / %s', (status, type, canonical) => {
		const payload = plexusSamples.documentUpdated(seedCreatedAt);
		payload.data.document.status = status;
		const body = JSON.stringify(payload);
		const result = plexus.receive(request(body, sign('sha512', body)), context());
		expect(result.ok && result.events[0]).toMatchObject({ type, document: { status: canonical, vendorStatus: status } });
	});

	it('accepts legacy DOCUMENT_DELETED names and marks the document deleted', () => {
		const payload = { ...plexusSamples.documentDeleted(seedCreatedAt), type: 'DOCUMENT_DELETED' };
		const body = JSON.stringify(payload);
		const result = plexus.receive(request(body, sign('sha512', body)), context());
		expect(result.ok && result.events[0]).toMatchObject({ type: 'document.deleted', vendorEventType: 'DOCUMENT_DELETED', document: { status: 'deleted' } });
	});

	it('accepts the 64-hex HMAC-SHA256 fallback', () => {
		const body = JSON.stringify(plexusSamples.documentCreated(seedCreatedAt));
		expect(plexus.receive(request(body, sign('sha256', body)), context()).ok).toBe(true);
	});

	it('refuses bad, missing and unconfigured signatures with 401', () => {
		const body = JSON.stringify(plexusSamples.documentCreated(seedCreatedAt));
		expect(plexus.receive(request(body, sign('sha512', `${body} `)), context())).toMatchObject({ ok: false, status: 401 });
		expect(plexus.receive(request(body), context())).toMatchObject({ ok: false, status: 401 });
		expect(plexus.receive(request(body, sign('sha512', body)), { ...context(), secret: '' })).toMatchObject({ ok: false, status: 401 });
	});

	it('refuses a replayed delivery outside the window, and accepts it when the window is off', () => {
		const body = JSON.stringify(plexusSamples.documentCreated('2021-11-11T20:00:00Z'));
		const signed = request(body, sign('sha512', body));
		expect(plexus.receive(signed, context())).toMatchObject({ ok: false, status: 401 });
		expect(plexus.receive(signed, context({ replayToleranceSeconds: 0 })).ok).toBe(true);
	});

	it('answers 400 with a secret-free summary for a signed body of the wrong shape', () => {
		const body = JSON.stringify({ id: 'x', type: 'documentCreated' });
		const result = plexus.receive(request(body, sign('sha512', body)), context());
		expect(result).toMatchObject({ ok: false, status: 400 });
		expect(!result.ok && result.reason).toMatch(/createdAt/);
		expect(!result.ok && result.reason).not.toContain(secret);
		const notJson = 'id=1';
		expect(plexus.receive(request(notJson, sign('sha512', notJson)), context())).toMatchObject({ ok: false, status: 400 });
	});
});

/** ingest, then deduplicate against the store, as both engines do. */
function receiveOnce(request: InboundRequest, ctx: ReturnType<typeof context>, store: MemoryDedupeStore) {
	const result: IngestResult = ingest(plexus, request, ctx);
	if (!result.ok) return result;
	return { ...result, ...deduplicate(plexus, result.events, ctx.options, store, ctx.now) };
}

describe('ingest pipeline with Plexus', () => {
	const sample = (name: string, createdAt = seedCreatedAt) => {
		const delivery = buildPlexusDelivery(plexusSamples[name](createdAt), secret);
		return { method: 'POST', rawBody: Buffer.from(delivery.body), headers: delivery.headers, query: {} };
	};

	it('drops a redelivery of the same event id', () => {
		const store = new MemoryDedupeStore();
		const first = receiveOnce(sample('documentCreated'), context(), store);
		const again = receiveOnce(sample('documentCreated'), context(), store);
		expect(first.ok && first.events).toHaveLength(1);
		expect(again.ok && again.events).toHaveLength(0);
		expect(again.ok && again.duplicate).toBe(1);
	});

	it('drops an update older than one already emitted for the same document when asked', () => {
		const store = new MemoryDedupeStore();
		const options = { dropOutOfOrder: true, replayToleranceSeconds: 0 };
		expect(receiveOnce(sample('executed', '2021-11-11T22:40:00Z'), context(options), store)).toMatchObject({ ok: true, events: [{}] });
		const older = receiveOnce(sample('awaitingSignature', '2021-11-11T22:30:00Z'), context(options), store);
		expect(older.ok && older.events).toHaveLength(0);
		expect(older.ok && older.outOfOrder).toBe(1);
	});

	it('filters by canonical and vendor type, and drops raw when asked', () => {
		expect(ingest(plexus, sample('documentCreated'), context({ eventTypes: ['document.completed'] }))).toMatchObject({ ok: true, events: [] });
		expect(ingest(plexus, sample('documentCreated'), context({ vendorEventTypes: ['documentDeleted'] }))).toMatchObject({ ok: true, events: [] });
		const kept = ingest(plexus, sample('executed'), context({ eventTypes: ['document.completed'], includeRaw: false }));
		expect(kept.ok && kept.events[0].raw).toBeUndefined();
	});

	it('answers 405 for GET and 413 over the size limit before verifying', () => {
		expect(ingest(plexus, { ...sample('documentCreated'), method: 'GET' }, context())).toMatchObject({ ok: false, status: 405 });
		expect(ingest(plexus, sample('documentCreated'), context({ maxBodyBytes: 100 }))).toMatchObject({ ok: false, status: 413 });
	});
});
