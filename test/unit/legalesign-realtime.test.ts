import { encodeFormBody } from '../../core/inbound/form';
import { legalesign, legalesignRealtimeEvent, parseRealtimeBody, readRealtimeEvent } from '../../core/vendors/legalesign';
import { withDefaultOptions } from '../../core/inbound/parse';
import type { InboundRequest, ReceiveContext } from '../../core/vendors/definition';

const DOC = '6619179c-95da-4d5c-b7be-7bac0bac4088';
const secret = 'a'.repeat(64);
const context = (options: Record<string, unknown> = {}): ReceiveContext =>
	({ secret, registration: { ids: [], url: '', secret, settings: {} }, options: withDefaultOptions({ webhookSystem: 'realtime', ...options }), now: new Date('2026-12-06T10:00:00Z') }) as unknown as ReceiveContext;
const json = (body: unknown, token = secret): InboundRequest => ({ method: 'POST', rawBody: Buffer.from(JSON.stringify(body)), headers: { 'content-type': 'application/json' }, query: { token } });
const receive = (request: InboundRequest) => legalesign.receive(request, context() as never);

describe('Legalesign realtime: every reading of the body the pages allow', () => {
	it.each([
		['flat {object, event, data.uuid}', { object: 'document', event: 'finalPdfCreated', data: { uuid: DOC } }],
		['dotted event name', { event: 'document.finalPdfCreated', data: { uuid: DOC } }],
		['GraphQL envelope', { version: '1.0', eventId: 'e-1', timestamp: '2026-12-06T09:59:00Z', level: 'INFO', event: 'documentFinalPdfCreated', category: 'document', data: { documentId: DOC } }],
		['nested under event', { event: { object: 'document', event: 'finalPdfCreated', data: { uuid: DOC } } }],
		['nested under detail', { 'detail-type': 'x', detail: { object: 'document', event: 'finalPdfCreated', data: { uuid: DOC } } }],
		['nested under data', { data: { object: 'document', event: 'finalPdfCreated', uuid: DOC } }],
	])('%s → document.file_ready for the document', (_name, body) => {
		const result = receive(json(body));
		expect(result).toMatchObject({ ok: true, events: [{ type: 'document.file_ready', vendorEventType: 'document.finalPdfCreated', document: { id: DOC } }], verified: { checks: ['url-token'] } });
	});

	it('the same JSON under a form field, or the event as form fields, or a list of events', () => {
		const event = { object: 'recipient', event: 'emailOpened', data: { uuid: DOC, recipient: { uuid: 's-1', email: 'a@b.c' } } };
		const form = (fields: Record<string, string>): InboundRequest => ({ method: 'POST', rawBody: Buffer.from(encodeFormBody(fields)), headers: { 'content-type': 'application/x-www-form-urlencoded' }, query: { token: secret } });
		expect(receive(form({ data: JSON.stringify(event) }))).toMatchObject({ ok: true, events: [{ type: 'recipient.viewed', recipient: { id: 's-1', email: 'a@b.c' } }] });
		expect(receive(form({ payload: JSON.stringify(event) }))).toMatchObject({ ok: true, events: [{ type: 'recipient.viewed' }] });
		expect(receive(form({ object: 'document', event: 'rejected', uuid: DOC }))).toMatchObject({ ok: true, events: [{ type: 'document.rejected', document: { id: DOC } }] });
		const list = receive(json([event, { object: 'document', event: 'created', data: { uuid: DOC } }]));
		expect(list.ok && list.events.map((e) => e.type)).toEqual(['recipient.viewed', 'document.created']);
	});

	it('a recipient event naming its document separately: data.uuid is the recipient', () => {
		const result = receive(json({ object: 'recipient', event: 'completed', data: { uuid: 's-9', documentUuid: DOC } }));
		expect(result).toMatchObject({ ok: true, events: [{ type: 'recipient.completed', document: { id: DOC }, recipient: { id: 's-9' } }] });
	});

	it('refuses a wrong token, a body with no event, an event without a document', () => {
		expect(receive(json({ object: 'document', event: 'created', data: { uuid: DOC } }, 'nope'))).toMatchObject({ ok: false, status: 401 });
		expect(receive(json({ hello: 'world' }))).toMatchObject({ ok: false, status: 400 });
		expect(receive(json({ object: 'document', event: 'created', data: {} }))).toMatchObject({ ok: false, status: 400 });
		expect(receive(json([]))).toMatchObject({ ok: false, status: 400 });
		expect(parseRealtimeBody(Buffer.from('{"a":'))).toMatchObject({ ok: false });
	});

	it('eventId is the id; without it the id is stable over a redelivery', () => {
		const withId = receive(json({ eventId: 'abc', object: 'document', event: 'created', data: { uuid: DOC } }));
		expect(withId.ok && withId.events[0].id).toBe('legalesign:abc');
		const a = receive(json({ object: 'document', event: 'created', data: { uuid: DOC } }));
		const b = receive(json({ object: 'document', event: 'created', data: { uuid: DOC } }));
		expect(a.ok && b.ok && a.events[0].id === b.events[0].id).toBe(true);
		expect(readRealtimeEvent({ nothing: true })).toBeUndefined();
	});

	it('maps every spelling of the enum to canonical types; unknown events are *.updated', () => {
		expect(legalesignRealtimeEvent(undefined, 'recipientVisiting').type).toBe('recipient.viewed');
		expect(legalesignRealtimeEvent('signer', 'completed').type).toBe('recipient.completed');
		expect(legalesignRealtimeEvent(undefined, 'recipient.bounced').type).toBe('recipient.updated');
		expect(legalesignRealtimeEvent(undefined, 'document.somethingNew')).toMatchObject({ type: 'document.updated', name: 'document.somethingNew' });
		expect(legalesignRealtimeEvent(undefined, 'recipient.constructor').type).toBe('recipient.updated');
	});
});
