import { createHmac } from 'node:crypto';
import { NormalizedEventSchema } from '../../core/event/normalized-event';
import { DEFAULT_TRIGGER_OPTIONS, type InboundRequest } from '../../core/vendors/definition';
import { phenixid } from '../../core/vendors/phenixid';
import { fetchPhenixidOrders, orderUrl } from '../../core/vendors/phenixid/api';
import type { HttpClient } from '../../core/outbound/http';

const secret = 'phenix-secret';
const now = new Date();
// The seed's example body.
const seedBody = '{\n  "orderId": "07c6ad8c-d1ba-4e73-9bbf-c70a085a449c",\n  "eventType":"OrderAccepted",\n  "taskId": "07c6ad8c-d1ba-4e73-9bbf-c70a085a449c"\n}';
const hmacOf = (body: string, key = secret) => createHmac('sha256', key).update(body).digest();

function request(body: string, signature?: string, query: Record<string, string> = {}): InboundRequest {
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	if (signature !== undefined) headers['X-Signature'] = signature;
	return { method: 'POST', rawBody: Buffer.from(body), headers, query };
}
const context = (credentials: Record<string, unknown> = {}) => ({ secret, credentials, options: { ...DEFAULT_TRIGGER_OPTIONS }, now });

describe('PhenixID inbound', () => {
	it.each([
		['hex', hmacOf(seedBody).toString('hex')],
		['base64', hmacOf(seedBody).toString('base64')],
		['sha256=hex', `sha256=${hmacOf(seedBody).toString('hex')}`],
		['sha256=base64', `sha256=${hmacOf(seedBody).toString('base64')}`],
	])('verifies the seed body signed as %s', (_form, signature) => {
		const result = phenixid.receive(request(seedBody, signature), context());
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		const event = NormalizedEventSchema.parse(result.events[0]);
		expect(event).toMatchObject({
			vendor: 'phenixid',
			type: 'document.updated',
			vendorEventType: 'OrderAccepted',
			document: { id: '07c6ad8c-d1ba-4e73-9bbf-c70a085a449c', status: 'out_for_signature' },
		});
		expect(event.id).toMatch(/^[0-9a-f]{64}$/);
	});

	it('gives the same id for the same delivery and a different one per event type', () => {
		const sig = hmacOf(seedBody).toString('hex');
		const a = phenixid.receive(request(seedBody, sig), context());
		const b = phenixid.receive(request(seedBody, sig), context());
		const otherBody = seedBody.replace('OrderAccepted', 'OrderSigned');
		const c = phenixid.receive(request(otherBody, hmacOf(otherBody).toString('hex')), context());
		expect(a.ok && b.ok && a.events[0].id === b.events[0].id).toBe(true);
		expect(a.ok && c.ok && a.events[0].id !== c.events[0].id).toBe(true);
		expect(c.ok && c.events[0]).toMatchObject({ type: 'document.completed', document: { status: 'completed' } });
	});

	it('accepts 2.x bodies without taskId', () => {
		const body = '{"orderId":"abc","eventType":"OrderCreated"}';
		const result = phenixid.receive(request(body, hmacOf(body).toString('hex')), context());
		expect(result.ok && result.events[0]).toMatchObject({ type: 'document.created', document: { id: 'abc' } });
	});

	it('refuses a wrong signature, a missing one, and a wrong or missing key', () => {
		const sig = hmacOf(seedBody).toString('hex');
		expect(phenixid.receive(request(seedBody, hmacOf(seedBody, 'nope').toString('hex')), context())).toMatchObject({ status: 401 });
		expect(phenixid.receive(request(seedBody), context())).toMatchObject({ status: 401 });
		expect(phenixid.receive(request(seedBody, sig, { key: 'wrong' }), context({ key: 'right' }))).toMatchObject({ status: 401 });
		expect(phenixid.receive(request(seedBody, sig), context({ key: 'right' }))).toMatchObject({ status: 401 });
		expect(phenixid.receive(request(seedBody, sig, { key: 'right' }), context({ key: 'right' })).ok).toBe(true);
	});

	it('answers 400 when neither taskId nor orderId is present', () => {
		const body = '{"eventType":"OrderCreated"}';
		expect(phenixid.receive(request(body, hmacOf(body).toString('hex')), context())).toMatchObject({ ok: false, status: 400 });
	});

	it('builds the order URL from base and template', () => {
		expect(orderUrl('https://sign.example.org/api/', '/orders/{id}', 'a b')).toBe('https://sign.example.org/api/orders/a%20b');
	});

	it.each(['..', '.', '', 'a/b', '../admin', 'a\\b'])('refuses to fetch the order of task id %j (not one path segment)', async (taskId) => {
		expect(() => orderUrl('https://sign.example.org/api', '/orders/{id}', taskId)).toThrow('not one path segment');
		const requested: string[] = [];
		const http: HttpClient = async (request) => {
			requested.push(request.url);
			return { status: 200, headers: {}, body: {} };
		};
		const event = { ...(phenixid.receive(request(seedBody, hmacOf(seedBody).toString('hex')), context()) as unknown as { events: object[] }).events[0] } as { document: { id: string } };
		event.document = { ...event.document, id: taskId };
		const [enriched] = await fetchPhenixidOrders(http, { secret, apiBaseUrl: 'https://sign.example.org/api' }, [event as never], { fetchOrder: true });
		expect(requested).toEqual([]);
		expect(enriched.data.orderError).toContain('not one URL path segment');
	});
});
