import express from 'express';
import type { HttpClient } from '../../core/outbound/http';
import { ServiceError } from '../../core/outbound/errors';
import { ingest } from '../../core/inbound/ingest';
import { DEFAULT_TRIGGER_OPTIONS, type Registration } from '../../core/vendors/definition';
import { generateSecret } from '../../core/verify/crypto';
import { legalesign, type LegalesignCredentials } from '../../core/vendors/legalesign';
import { LEGALESIGN_SEED_BATCH } from '../../core/vendors/legalesign/samples';
import { nodeHttpClient } from '../../node-red/src/shared/node-http';
import { listen, type RunningServer } from '../../sandbox/simulators/server';
import { start, type LegalesignSimulator } from '../../sandbox/simulators/legalesign';

const http: HttpClient = (request) => nodeHttpClient({ ...request, timeoutMs: request.timeoutMs ?? 1500 });
const hookUrl = 'https://n8n.example.com/webhook/77/legalesign';
let sim: LegalesignSimulator;
let creds: LegalesignCredentials;

beforeEach(async () => {
	sim = await start();
	creds = { username: sim.username, apiKey: sim.apiKey, apiBaseUrl: sim.baseUrl, certificate: sim.certificate };
});
afterEach(() => sim.close());

const request = (options = {}, url = hookUrl, secret = generateSecret()) => ({ url, secret, options });

function expectCleanError(error: unknown, status: number | undefined, hint: RegExp) {
	expect(error).toBeInstanceOf(ServiceError);
	const message = (error as Error).message;
	expect(message).toContain('Legalesign');
	expect(message).toContain(status === undefined ? 'no response' : `HTTP ${status}`);
	expect(message).toMatch(hint);
	expect(message).not.toContain(sim.apiKey);
}

describe('Legalesign subscribe / notifications / unsubscribe against the simulator', () => {
	it('subscribes the URL with its token and finds it again', async () => {
		const req = request({ notify: 'all', eventFilter: 'document.*' });
		const reg = await legalesign.register!(http, creds, req);
		expect(reg.url).toBe(`${hookUrl}?token=${req.secret}`);
		expect(sim.state.subscriptions).toEqual([{ url: reg.url, notify: 'all', notify_when: 1, event_filter: 'document.*', group: '', active: true }]);
		expect(await legalesign.exists!(http, creds, reg, req)).toBe(true);
	});

	it('reports a changed notify mode, URL or a removed subscription as not existing', async () => {
		const req = request({ notify: 'signed' });
		const reg = await legalesign.register!(http, creds, req);
		expect(await legalesign.exists!(http, creds, reg, { ...req, options: { notify: 'all' } })).toBe(false);
		expect(await legalesign.exists!(http, creds, reg, { ...req, url: 'https://other.example.com/x' })).toBe(false);
		sim.state.subscriptions = [];
		expect(await legalesign.exists!(http, creds, reg, req)).toBe(false);
	});

	it('unsubscribes exactly its URL, and unsubscribing twice is success', async () => {
		const mine = await legalesign.register!(http, creds, request());
		const theirs = await legalesign.register!(http, creds, request({}, 'https://elsewhere.example.com/hook'));
		await legalesign.unregister!(http, creds, mine);
		expect(sim.state.subscriptions.map((s) => s.url)).toEqual([theirs.url]);
		await expect(legalesign.unregister!(http, creds, mine)).resolves.toBeUndefined();
	});

	it('a 500 after the vendor subscribed leaves nothing subscribed', async () => {
		sim.faults.failNext(500, { path: '/subscribe/' }, { after: true });
		const error = await legalesign.register!(http, creds, request()).catch((e) => e);
		expectCleanError(error, 500, /internal error/);
		expect(sim.state.subscriptions).toEqual([]);
	});

	it('a timeout after the vendor subscribed leaves nothing subscribed', async () => {
		sim.faults.hangNext({ path: '/subscribe/' }, { after: true });
		const error = await legalesign.register!(http, creds, request()).catch((e) => e);
		expectCleanError(error, undefined, /could not reach Legalesign/);
		expect(sim.state.subscriptions).toEqual([]);
	});

	it('a wrong API key is a 401 naming the ApiKey format, without the key', async () => {
		const error = await legalesign.register!(http, { ...creds, apiKey: 'wrong-secret-value' }, request()).catch((e) => e);
		expectCleanError(error, 401, /username and key/);
		expect((error as Error).message).not.toContain('wrong-secret-value');
	});

	it('a URL Legalesign refuses is a 400 naming the URL check', async () => {
		const error = await legalesign.register!(http, creds, request({}, 'ftp://files.example.com/x')).catch((e) => e);
		expectCleanError(error, 400, /public and uses HTTPS/);
	});

	it('a wrong base URL is a 404 with a base URL hint', async () => {
		const error = await legalesign.register!(http, { ...creds, apiBaseUrl: `${sim.url}/api/v2` }, request()).catch((e) => e);
		expectCleanError(error, 404, /base URL/);
	});

	it('an unsubscribe answered 404 is success', async () => {
		sim.faults.notFoundNext({ path: '/unsubscribe/' });
		const reg: Registration = { ids: [], url: `${hookUrl}?token=x`, secret: 'x', settings: {} };
		await expect(legalesign.unregister!(http, creds, reg)).resolves.toBeUndefined();
	});
});

describe('Legalesign callbacks from the simulator to a receiver', () => {
	let receiver: RunningServer;
	let registration: Registration | undefined;
	let credentials: Record<string, unknown> = {};
	const results: Array<ReturnType<typeof ingest>> = [];

	beforeEach(async () => {
		results.length = 0;
		const app = express();
		app.post('/hook', express.raw({ type: '*/*' }), (req, res) => {
			const result = ingest(
				legalesign,
				{ method: req.method, rawBody: req.body as Buffer, headers: req.headers, query: req.query as Record<string, unknown> },
				{ registration, credentials, options: { ...DEFAULT_TRIGGER_OPTIONS }, now: new Date() },
			);
			results.push(result);
			res.status(result.ok ? 200 : result.status).end();
		});
		receiver = await listen(app);
	});
	afterEach(() => receiver.close());

	it('the signed batch yields one event per entry; a bad signature and a wrong token are 401', async () => {
		credentials = { certificate: sim.certificate };
		registration = await legalesign.register!(http, creds, request({ notify: 'all' }, `${receiver.url}/hook`));
		const [ok] = await sim.deliverBatch(LEGALESIGN_SEED_BATCH);
		expect(ok.status).toBe(200);
		expect(results[0].ok && results[0].events.map((e) => e.vendorEventType)).toEqual([
			'signer.5', 'signer.10', 'signer.20', 'document.20', 'signer.30', 'signer.40', 'document.30', 'document.100',
		]);
		const [bad] = await sim.deliverBatch(LEGALESIGN_SEED_BATCH, { badSignature: true });
		expect(bad.status).toBe(401);
		sim.state.subscriptions[0].url = sim.state.subscriptions[0].url.replace(/token=[0-9a-f]+/, 'token=wrong');
		const [wrongToken] = await sim.deliverBatch(LEGALESIGN_SEED_BATCH);
		expect(wrongToken.status).toBe(401);
	});

	it('an upon-signing callback is verified with X-Signed', async () => {
		credentials = { certificate: sim.certificate };
		registration = await legalesign.register!(http, creds, request({ notify: 'signed' }, `${receiver.url}/hook`));
		const fields = { name: 'Lease', event: 'signed', resource_uri: '/api/v1/document/abc/', uuid: 'abc', tag: '', tag1: '', tag2: '' };
		const [ok] = await sim.deliverUpon('signed', fields);
		expect(ok.status).toBe(200);
		expect(results[0].ok && results[0].events[0]).toMatchObject({ type: 'document.completed', document: { id: 'abc', title: 'Lease' } });
		const [bad] = await sim.deliverUpon('signed', { ...fields, uuid: 'abd' }, { badSignature: true });
		expect(bad.status).toBe(401);
	});
});
