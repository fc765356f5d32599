import express from 'express';
import type { HttpClient } from '../../core/outbound/http';
import { ServiceError } from '../../core/outbound/errors';
import { ingest } from '../../core/inbound/ingest';
import { DEFAULT_TRIGGER_OPTIONS, type Registration } from '../../core/vendors/definition';
import { generateSecret } from '../../core/verify/crypto';
import { legito, type LegitoCredentials } from '../../core/vendors/legito';
import { nodeHttpClient } from '../../node-red/src/shared/node-http';
import { listen, type RunningServer } from '../../sandbox/simulators/server';
import { start, type LegitoSimulator } from '../../sandbox/simulators/legito';

// Short timeouts so a hung vendor fails the call quickly.
const http: HttpClient = (request) => nodeHttpClient({ ...request, timeoutMs: request.timeoutMs ?? 1500 });

let sim: LegitoSimulator;
let creds: LegitoCredentials;
const hookUrl = 'https://n8n.example.com/webhook/1b2c/legito';

beforeEach(async () => {
	sim = await start();
	creds = { apiKey: sim.apiKey, privateKey: sim.privateKey, apiBaseUrl: sim.baseUrl };
});
afterEach(() => sim.close());

const request = (options = {}, url = hookUrl, secret = generateSecret()) => ({ url, secret, options });

function expectCleanError(error: unknown, status: number | undefined, hint: RegExp) {
	expect(error).toBeInstanceOf(ServiceError);
	const message = (error as Error).message;
	expect(message).toContain('Legito');
	expect(message).toContain(status === undefined ? 'no response' : `HTTP ${status}`);
	expect(message).toMatch(hint);
	expect(message).not.toContain(sim.privateKey);
	expect(message).not.toContain('Bearer');
}

describe('Legito register / exists / unregister against the simulator', () => {
	it('creates one enabled push connection with our token header and finds it again', async () => {
		const req = request({ legitoEventTypes: ['SignCompleted', 'SignStarted'], attachFilesGenerated: true, fileTypes: ['pdf'], templateSuites: [12] });
		const reg = await legito.register!(http, creds, req);
		expect(reg.ids).toHaveLength(1);
		const connection = sim.state.connections.get(Number(reg.ids[0]))!;
		expect(connection).toMatchObject({
			url: hookUrl,
			enabled: true,
			eventTypes: ['SignCompleted', 'SignStarted'],
			templateSuiteAll: false,
			templateSuites: [12],
			attachFilesGenerated: true,
			fileTypes: ['pdf'],
			headers: [{ name: 'X-Legalhooks-Token', value: req.secret, useDefaultApiUser: false }],
		});
		expect(reg.extra?.systemName).toBe(connection.systemName);
		expect(JSON.parse(JSON.stringify(reg))).toEqual(reg);
		expect(await legito.exists!(http, creds, reg, req)).toBe(true);
	});

	it('reports a changed setting, a changed URL, a deleted or disabled connection as not existing', async () => {
		const req = request({ legitoEventTypes: ['SignCompleted'] });
		const reg = await legito.register!(http, creds, req);
		expect(await legito.exists!(http, creds, reg, { ...req, options: { legitoEventTypes: ['SignStarted'] } })).toBe(false);
		expect(await legito.exists!(http, creds, reg, { ...req, url: `${hookUrl}-test` })).toBe(false);
		sim.state.connections.get(Number(reg.ids[0]))!.enabled = false;
		expect(await legito.exists!(http, creds, reg, req)).toBe(false);
		sim.state.connections.clear();
		expect(await legito.exists!(http, creds, reg, req)).toBe(false);
	});

	it('re-registers on a settings change without leaving the old connection (caller deletes + creates)', async () => {
		const first = await legito.register!(http, creds, request({ legitoEventTypes: ['SignCompleted'] }));
		const changed = request({ legitoEventTypes: ['SignCompleted', 'SignCanceled'] });
		if (!(await legito.exists!(http, creds, first, changed))) {
			await legito.unregister!(http, creds, first);
			await legito.register!(http, creds, changed);
		}
		expect([...sim.state.connections.values()].map((c) => c.eventTypes)).toEqual([['SignCanceled', 'SignCompleted']]);
	});

	it('unregisters, and a second unregister (404) is success', async () => {
		const reg = await legito.register!(http, creds, request());
		await legito.unregister!(http, creds, reg);
		expect(sim.state.connections.size).toBe(0);
		await expect(legito.unregister!(http, creds, reg)).resolves.toBeUndefined();
		expect(sim.state.calls.filter((c) => c.method === 'DELETE').map((c) => c.status)).toEqual([200, 404]);
	});

	it('a 500 before creating leaves nothing and names vendor, status and cause', async () => {
		sim.faults.failNext(500, { method: 'POST' });
		const error = await legito.register!(http, creds, request()).catch((e) => e);
		expectCleanError(error, 500, /internal error/);
		expect(sim.state.connections.size).toBe(0);
	});

	it('a 500 after the vendor created it: the orphan is found by URL + token and deleted', async () => {
		sim.faults.failNext(500, { method: 'POST' }, { after: true });
		const error = await legito.register!(http, creds, request()).catch((e) => e);
		expectCleanError(error, 500, /internal error/);
		expect(sim.state.connections.size).toBe(0);
	});

	it('a timeout after the vendor created it leaves nothing registered', async () => {
		sim.faults.hangNext({ method: 'POST' }, { after: true });
		const error = await legito.register!(http, creds, request()).catch((e) => e);
		expectCleanError(error, undefined, /region \/ base URL/);
		expect(sim.state.connections.size).toBe(0);
	});

	it('does not delete a connection of someone else with the same URL when cleaning up', async () => {
		const theirs = await legito.register!(http, creds, request());
		sim.faults.failNext(502, { method: 'POST' }, { after: true });
		await expect(legito.register!(http, creds, request())).rejects.toThrow('HTTP 502');
		expect([...sim.state.connections.keys()]).toEqual([Number(theirs.ids[0])]);
	});

	it('a wrong private key is a 401 with a key hint and no secret in the message', async () => {
		const error = await legito.register!(http, { ...creds, privateKey: 'wrong-private-key' }, request()).catch((e) => e);
		expectCleanError(error, 401, /API key and private key/);
		expect((error as Error).message).not.toContain('wrong-private-key');
	});

	it('a wrong region / base URL is a 404 with a region hint', async () => {
		const error = await legito.register!(http, { ...creds, apiBaseUrl: `${sim.url}/api/v6` }, request()).catch((e) => e);
		expectCleanError(error, 404, /region/);
	});

	it('a non-HTTPS URL refused by Legito says so', async () => {
		sim.state.requireHttps = true;
		const error = await legito.register!(http, creds, request({}, 'http://127.0.0.1:5678/webhook/x')).catch((e) => e);
		expectCleanError(error, 400, /not HTTPS/);
	});

	it('an unreachable host is "no response" with a reachability hint', async () => {
		await sim.close();
		const error = await legito.register!(http, creds, request()).catch((e) => e);
		expectCleanError(error, undefined, /could not reach Legito/);
	});

	it('a 404 from the vendor on delete of an unknown id is success', async () => {
		const reg: Registration = { ids: ['999999'], url: hookUrl, secret: 's', settings: {} };
		await expect(legito.unregister!(http, creds, reg)).resolves.toBeUndefined();
	});
});

describe('Legito push from the simulator to a receiver', () => {
	let receiver: RunningServer;
	const received: Array<ReturnType<typeof ingest>> = [];
	let registration: Registration | undefined;

	beforeEach(async () => {
		received.length = 0;
		const app = express();
		app.post('/hook', express.raw({ type: '*/*', limit: '60mb' }), (req, res) => {
			const result = ingest(
				legito,
				{ method: req.method, rawBody: req.body as Buffer, headers: req.headers, query: req.query as Record<string, unknown> },
				{ registration, options: { ...DEFAULT_TRIGGER_OPTIONS, maxBodyBytes: 60 * 1024 * 1024 }, now: new Date() },
			);
			received.push(result);
			res.status(result.ok ? 200 : result.status).json(result.ok ? { received: true } : { error: result.reason });
		});
		receiver = await listen(app);
	});
	afterEach(() => receiver.close());

	it('delivers a registered event with two files, and refuses a push for another connection', async () => {
		registration = await legito.register!(http, creds, request({ attachFilesGenerated: true }, `${receiver.url}/hook`));
		const pdf = Buffer.from('%PDF-1.4 body');
		const [sent] = await sim.fire('SignCompleted', { files: [{ fileName: 'a.pdf', data: pdf }, { fileName: 'b.docx', data: Buffer.from('docx'), kind: 'uploaded' }] });
		expect(sent.status).toBe(200);
		const result = received[0];
		expect(result.ok && result.events[0]).toMatchObject({ type: 'document.completed', files: [{ fileName: 'b.docx' }, { fileName: 'a.pdf', mimeType: 'application/pdf' }] });
		expect(result.ok && result.files?.[1].data.equals(pdf)).toBe(true);

		// A second push connection with the same token header but another systemName (e.g. copied in the UI).
		const copy = { ...sim.state.connections.get(Number(registration.ids[0]))!, id: 1, systemName: 'copied' };
		sim.state.connections.set(1, copy);
		const [refused] = await sim.fire('SignCompleted', { connectionId: 1 });
		expect(refused.status).toBe(401);
	});
});
