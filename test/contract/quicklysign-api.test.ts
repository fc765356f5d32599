import express from 'express';
import type { HttpClient } from '../../core/outbound/http';
import { ServiceError } from '../../core/outbound/errors';
import { ingest } from '../../core/inbound/ingest';
import { DEFAULT_TRIGGER_OPTIONS, type Registration } from '../../core/vendors/definition';
import { generateSecret } from '../../core/verify/crypto';
import { quicklysign, type QuicklysignCredentials } from '../../core/vendors/quicklysign';
import { nodeHttpClient } from '../../node-red/src/shared/node-http';
import { listen, type RunningServer } from '../../sandbox/simulators/server';
import { start, type QuicklysignSimulator } from '../../sandbox/simulators/quicklysign';

const http: HttpClient = (request) => nodeHttpClient({ ...request, timeoutMs: request.timeoutMs ?? 1500 });
const hookUrl = 'https://n8n.example.com/webhook/9/quicklysign';
let sim: QuicklysignSimulator;
let creds: QuicklysignCredentials;
let packs: string[];

beforeEach(async () => {
	sim = await start();
	creds = { clientId: sim.clientId, clientSecret: sim.clientSecret, apiKey: sim.apiKey, apiBaseUrl: sim.baseUrl };
	packs = [sim.addPack().key, sim.addPack().key, sim.addPack().key];
});
afterEach(() => sim.close());

const request = (options: Record<string, unknown> = {}, url = hookUrl, secret = generateSecret()) => ({ url, secret, options });

function expectCleanError(error: unknown, status: number | undefined, hint: RegExp) {
	expect(error).toBeInstanceOf(ServiceError);
	const message = (error as Error).message;
	expect(message).toContain('QuicklySign');
	expect(message).toContain(status === undefined ? 'no response' : `HTTP ${status}`);
	expect(message).toMatch(hint);
	expect(message).not.toContain(sim.clientSecret);
	expect(message).not.toContain(sim.apiKey);
}

describe('QuicklySign webhooks against the simulator', () => {
	it('registers one webhook per pack with the tokened callback and finds them again', async () => {
		const req = request({ documentPackKeys: packs.slice(0, 2) });
		const reg = await quicklysign.register!(http, creds, req);
		expect(reg.ids).toHaveLength(2);
		expect([...sim.state.webhooks.values()].map((w) => [w.entity_key, w.callback])).toEqual([
			[packs[0], `${hookUrl}?token=${req.secret}`],
			[packs[1], `${hookUrl}?token=${req.secret}`],
		]);
		expect(await quicklysign.exists!(http, creds, reg, req)).toBe(true);
		// Pack order does not matter.
		expect(await quicklysign.exists!(http, creds, reg, { ...req, options: { documentPackKeys: `${packs[1]}\n${packs[0]}` } })).toBe(true);
	});

	it('uses webhook_key when the API returns one', async () => {
		sim.state.useWebhookKey = true;
		const reg = await quicklysign.register!(http, creds, request({ documentPackKeys: [packs[0]] }));
		expect(sim.state.webhooks.has(reg.ids[0])).toBe(true);
	});

	it('reports a changed pack list, URL, or a webhook deleted at the vendor as not existing', async () => {
		const req = request({ documentPackKeys: packs.slice(0, 2) });
		const reg = await quicklysign.register!(http, creds, req);
		expect(await quicklysign.exists!(http, creds, reg, { ...req, options: { documentPackKeys: packs } })).toBe(false);
		expect(await quicklysign.exists!(http, creds, reg, { ...req, url: `${hookUrl}x` })).toBe(false);
		sim.state.webhooks.delete(reg.ids[1]);
		expect(await quicklysign.exists!(http, creds, reg, req)).toBe(false);
	});

	it('when pack 3 fails, packs 1–2 are deleted before the error', async () => {
		const error = await quicklysign.register!(http, creds, request({ documentPackKeys: [packs[0], packs[1], 'no-such-pack'] })).catch((e) => e);
		expectCleanError(error, 400, /document pack keys/);
		expect((error as Error).message).toContain('document pack 3 of 3');
		expect(sim.state.webhooks.size).toBe(0);
	});

	it('a 500 after the vendor created pack 2’s webhook leaves nothing', async () => {
		sim.faults.failNext(500, { method: 'POST', path: '/webhooks' }, { after: true, skip: 1 });
		const error = await quicklysign.register!(http, creds, request({ documentPackKeys: packs })).catch((e) => e);
		expectCleanError(error, 500, /internal error/);
		expect(sim.state.webhooks.size).toBe(0);
	});

	it('a timeout on pack 2 (after the vendor made it) leaves nothing', async () => {
		sim.faults.hangNext({ method: 'POST', path: '/webhooks' }, { after: true, skip: 1 });
		const error = await quicklysign.register!(http, creds, request({ documentPackKeys: packs })).catch((e) => e);
		expectCleanError(error, undefined, /could not reach QuicklySign/);
		expect(sim.state.webhooks.size).toBe(0);
	});

	it('deletes with the singular path, falls back to the plural one, and treats 404 as gone', async () => {
		const reg = await quicklysign.register!(http, creds, request({ documentPackKeys: packs }));
		sim.state.deletePaths.singular = false;
		await quicklysign.unregister!(http, creds, reg);
		expect(sim.state.webhooks.size).toBe(0);
		expect(sim.state.calls.filter((c) => c.method === 'DELETE').map((c) => `${c.path.split('/')[2]} ${c.status}`)).toEqual([
			'webhook 404', 'webhooks 200', 'webhook 404', 'webhooks 200', 'webhook 404', 'webhooks 200',
		]);
		sim.state.deletePaths.singular = true;
		await expect(quicklysign.unregister!(http, creds, reg)).resolves.toBeUndefined();
	});

	it('wrong client credentials are a 401 with a credentials hint and no secret', async () => {
		const error = await quicklysign.register!(http, { ...creds, clientSecret: 'not-the-secret' }, request({ documentPackKeys: [packs[0]] })).catch((e) => e);
		expectCleanError(error, 401, /client id, client secret and API key/);
		expect((error as Error).message).not.toContain('not-the-secret');
	});

	it('no pack keys is refused before any call unless foreign subscriptions are accepted', async () => {
		await expect(quicklysign.register!(http, creds, request({}))).rejects.toThrow(/at least one document pack key/);
		const reg = await quicklysign.register!(http, creds, request({ acceptForeignSubscriptions: true }));
		expect(reg.ids).toEqual([]);
		expect(sim.state.calls).toHaveLength(0);
	});
});

describe('QuicklySign document pack fetch', () => {
	it('adds the pack, maps its status, refines a status change and puts date_updated in the id', async () => {
		const req = request({ documentPackKeys: [packs[0]] });
		const reg = await quicklysign.register!(http, creds, req);
		sim.setPackStatus(packs[0], 'awaiting_signatures');
		const body = JSON.stringify({ entity_type: 'Document', entity_key: packs[0], callback_event: 'document_status_changed', subscription_key: reg.ids[0] });
		const received = quicklysign.receive(
			{ method: 'POST', rawBody: Buffer.from(body), headers: {}, query: { token: req.secret } },
			{ registration: reg, options: { ...DEFAULT_TRIGGER_OPTIONS }, now: new Date() },
		);
		if (!received.ok) throw new Error(received.reason);
		const [sent] = await quicklysign.enrich!(http, creds, received.events, { fetchDocumentPack: true });
		expect(sent).toMatchObject({
			type: 'document.sent',
			document: { id: packs[0], status: 'out_for_signature', vendorStatus: 'awaiting_signatures', title: 'Employment contract' },
			data: { documentPack: { key: packs[0], status: 'awaiting_signatures' }, documentUrls: [expect.stringContaining('serve_pdf')] },
		});
		sim.setPackStatus(packs[0], 'complete');
		const [completed] = await quicklysign.enrich!(http, creds, received.events, { fetchDocumentPack: true });
		expect(completed).toMatchObject({ type: 'document.completed', document: { status: 'completed' } });
		expect(completed.id).not.toBe(sent.id);
		expect(received.events[0].id).not.toBe(sent.id);
	});

	it('keeps the event with documentPackError when the fetch fails, without secrets', async () => {
		const event = quicklysign.receive(
			{ method: 'POST', rawBody: Buffer.from(JSON.stringify({ entity_key: packs[0], callback_event: 'entity_updated', subscription_key: 'k' })), headers: {}, query: { token: 't' } },
			{ registration: { ids: ['k'], url: '', secret: 't', settings: {} }, options: { ...DEFAULT_TRIGGER_OPTIONS }, now: new Date() },
		);
		if (!event.ok) throw new Error(event.reason);
		const [out] = await quicklysign.enrich!(http, { ...creds, apiKey: 'bad-api-key' }, event.events, { fetchDocumentPack: true });
		expect(out.data.documentPackError).toMatch(/QuicklySign getting an access token failed \(HTTP 401\)/);
		expect(String(out.data.documentPackError)).not.toContain('bad-api-key');
	});
});

describe('QuicklySign callbacks from the simulator to a receiver', () => {
	let receiver: RunningServer;
	let registration: Registration | undefined;
	const statuses: number[] = [];

	beforeEach(async () => {
		statuses.length = 0;
		const app = express();
		app.post('/hook', express.raw({ type: '*/*' }), (req, res) => {
			const result = ingest(
				quicklysign,
				{ method: req.method, rawBody: req.body as Buffer, headers: req.headers, query: req.query as Record<string, unknown> },
				{ registration, options: { ...DEFAULT_TRIGGER_OPTIONS }, now: new Date() },
			);
			statuses.push(result.ok ? 200 : result.status);
			res.status(result.ok ? 200 : result.status).end();
		});
		receiver = await listen(app);
	});
	afterEach(() => receiver.close());

	it('accepts callbacks for our subscriptions and refuses one subscribed elsewhere to our URL', async () => {
		registration = await quicklysign.register!(http, creds, request({ documentPackKeys: [packs[0]] }, `${receiver.url}/hook`));
		expect((await sim.fire(packs[0], 'final_document_generated')).map((d) => d.status)).toEqual([200]);
		// Someone subscribes pack 2 with our tokened URL: its subscription key is not ours.
		await http({ method: 'POST', url: `${sim.baseUrl}/webhooks`, body: { client_id: sim.clientId, client_secret: sim.clientSecret, webhook: { entity_key: packs[1], callback: registration.url } } });
		expect((await sim.fire(packs[1], 'entity_updated')).map((d) => d.status)).toEqual([401]);
	});
});
