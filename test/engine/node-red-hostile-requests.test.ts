import { createHmac } from 'node:crypto';
import { sampleSets } from '../../core/samples/sets';
import { rawRequest, startNodeRed, type NodeRedProcess, type RawResponse } from '../node-red/runtime';

/**
 * Issue 8 §2 against a real Node-RED process in its default layout (admin and node roots both `/`):
 * every request gets a short JSON answer with the right status, and the process keeps serving.
 */
const secret = 'hostile-plexus-secret-0123456789abcdef';
const phenixSecret = 'hostile-phenixid-secret-0123456789';
const key = 'hostile-phenixid-key';
const KB = 1024;

const flows = [
	{ id: 'tab', type: 'tab', label: 'hostile' },
	{ id: 'plexus-acct', type: 'legalhooks-plexus-account', name: 'plexus' },
	{ id: 'plexus-trig', type: 'legalhooks-plexus-trigger', z: 'tab', account: 'plexus-acct', path: 'example', wires: [['dbg']] },
	{ id: 'phenix-acct', type: 'legalhooks-phenixid-account', name: 'phenixid' },
	{ id: 'phenix-trig', type: 'legalhooks-phenixid-trigger', z: 'tab', account: 'phenix-acct', path: 'example', wires: [['dbg']] },
	{ id: 'dbg', type: 'debug', z: 'tab', name: 'emitted', active: true, tosidebar: false, console: true, complete: 'payload.type' },
];

let red: NodeRedProcess;

beforeAll(async () => {
	red = await startNodeRed({
		modules: ['legalhooks-plexus', 'legalhooks-phenixid', 'legalhooks-legito', 'legalhooks-slack'],
		flows,
		credentials: { 'plexus-acct': { secret }, 'phenix-acct': { secret: phenixSecret, key } },
		// 1 MB across all deliveries being read, so the ceiling can be reached with small bodies
		settings: { legalhooksMaxBufferedMb: 1 },
	});
}, 60_000);
afterAll(async () => {
	await red?.stop();
});

function http(method: string, target: string, headers: Record<string, string>, body = ''): string {
	const lines = [`${method} ${target} HTTP/1.1`, `host: 127.0.0.1:${red.port}`, 'connection: close', ...Object.entries(headers).map(([n, v]) => `${n}: ${v}`)];
	if (body && !('transfer-encoding' in headers)) lines.push(`content-length: ${Buffer.byteLength(body)}`);
	return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

function json(response: RawResponse): unknown {
	expect(response.headers['content-type']).toMatch(/^application\/json/);
	return JSON.parse(response.body);
}

let deliveries = 0;

/** A new signed Plexus event (its own id, so it is no repeat of an earlier one). */
function signedPlexusEvent(): { headers: Record<string, string>; body: string } {
	const sample = sampleSets.plexus!.build('executed', { secret }, { now: new Date() });
	const body = JSON.stringify({ ...JSON.parse(String(sample.body)), id: `hostile-test-event-${++deliveries}` });
	return { headers: { ...sample.headers, 'plexus-webhook-signature': createHmac('sha512', secret).update(body).digest('hex') }, body };
}

/** A normal signed Plexus delivery is answered `{"received":true}` and reaches the flow. */
async function stillServes(): Promise<void> {
	const emittedBefore = (red.output().match(/\[debug:emitted\] document\.completed/g) ?? []).length;
	const delivery = signedPlexusEvent();
	const response = await fetch(`${red.base}/legalhooks/plexus/example`, { method: 'POST', headers: delivery.headers, body: delivery.body });
	expect(response.status).toBe(200);
	expect(await response.text()).toBe('{"received":true}');
	expect(red.running()).toBe(true);
	// the debug node logs each emitted event on the console; the send happens right after the answer
	for (let i = 0; i < 100 && (red.output().match(/\[debug:emitted\] document\.completed/g) ?? []).length === emittedBefore; i++) {
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
	expect((red.output().match(/\[debug:emitted\] document\.completed/g) ?? []).length).toBe(emittedBefore + 1);
}

describe('Node-RED default layout: hostile requests get a JSON answer and the process keeps serving', () => {
	it('an absolute-form request target with an out-of-range port (curl --request-target http://a:99999/…)', async () => {
		const { response } = rawRequest(red.port, http('POST', 'http://a:99999/legalhooks/plexus/example', { 'content-type': 'application/x-www-form-urlencoded' }, 'x'));
		const answer = await response;
		expect(answer.status).toBe(401);
		expect(json(answer)).toEqual({ error: 'missing or invalid plexus-webhook-signature signature' });
		await stillServes();
	});

	it('a case-variant path (/legalhooks/Plexus/example) is the same route, not a hang', async () => {
		const { response } = rawRequest(red.port, http('POST', '/legalhooks/Plexus/example', { 'content-type': 'application/x-www-form-urlencoded' }, 'x'));
		const answer = await response;
		expect(answer.status).toBe(401);
		expect(json(answer)).toEqual({ error: 'missing or invalid plexus-webhook-signature signature' });
		const signed = signedPlexusEvent();
		const emitted = () => (red.output().match(/\[debug:emitted\] document\.completed/g) ?? []).length;
		const before = emitted();
		const upper = await fetch(`${red.base}/LEGALHOOKS/PLEXUS/example/`, { method: 'POST', headers: signed.headers, body: signed.body });
		expect(upper.status).toBe(200);
		expect(await upper.text()).toBe('{"received":true}');
		// its event reaches the flow after the answer: wait for it, or stillServes would count it as its own
		for (let i = 0; i < 100 && emitted() === before; i++) await new Promise((resolve) => setTimeout(resolve, 20));
		expect(emitted()).toBe(before + 1);
		await stillServes();
	});

	it('a malformed percent-encoding (/legalhooks/plexus/%ZZ) is a JSON 400, not an HTML page', async () => {
		const { response } = rawRequest(red.port, http('POST', '/legalhooks/plexus/%ZZ', { 'content-type': 'application/json' }, '{}'));
		const answer = await response;
		expect(answer.status).toBe(400);
		expect(json(answer)).toEqual({ error: 'the path has a malformed percent-encoding' });
		await stillServes();
	});

	it('unknown trigger paths and other methods are JSON 404 / 405', async () => {
		const unknown = await rawRequest(red.port, http('POST', '/legalhooks/plexus/nothing-here', { 'content-type': 'application/json' }, '{}')).response;
		expect(unknown.status).toBe(404);
		expect(json(unknown)).toEqual({ error: 'no legalhooks trigger is deployed at this path' });
		const deep = await rawRequest(red.port, http('POST', '/legalhooks/plexus/a/b', { 'content-type': 'application/json' }, '{}')).response;
		expect(deep.status).toBe(404);
		const get = await rawRequest(red.port, http('GET', '/legalhooks/plexus/example', {})).response;
		expect(get.status).toBe(405);
		expect(get.headers.allow).toBe('POST');
		expect(json(get)).toMatchObject({ error: expect.stringMatching(/method GET not allowed/) });
		await stillServes();
	});

	it('an unknown vendor segment (/legalhooks/nope/x, /legalhooks//plexus/x) is the same JSON 404, not Express’s HTML page (issue 20)', async () => {
		for (const target of ['/legalhooks/nope/x', '/legalhooks//plexus/x', '/LegalHooks/nope/x?token=1', '/legalhooks/', '/legalhooks/%ZZ/x']) {
			const answer = await rawRequest(red.port, http('POST', target, { 'content-type': 'application/json' }, '{}')).response;
			expect({ target, status: answer.status, type: answer.headers['content-type'] }).toEqual({ target, status: 404, type: 'application/json; charset=utf-8' });
			expect(json(answer)).toEqual({ error: 'no legalhooks trigger is deployed at this path' });
		}
		await stillServes();
	});

	it('an exception inside a signed delivery (a "__proto__" key in a PhenixID body) is a JSON answer, not a dead process', async () => {
		const body = '{"__proto__":{"taskId":{"x":1}},"eventType":"OrderCompleted"}';
		const signature = createHmac('sha256', phenixSecret).update(body).digest('hex');
		const answer = await rawRequest(red.port, http('POST', `/legalhooks/phenixid/example?key=${key}`, { 'content-type': 'application/json', 'x-signature': signature }, body)).response;
		// 500 while the PhenixID parser throws on it, 400 once it refuses such keys: never a crash
		expect([400, 500]).toContain(answer.status);
		expect(json(answer)).toEqual({ error: expect.any(String) });
		await stillServes();
	});

	it('a wrong PhenixID key is refused before the body is read', async () => {
		// headers announce 512 KB and no byte of the body is ever sent: the answer cannot wait for it
		const { response, socket } = rawRequest(red.port, http('POST', '/legalhooks/phenixid/example?key=wrong', { 'content-type': 'application/json', 'x-signature': 'ab', 'content-length': String(512 * KB) }), { hold: true });
		const answer = await response;
		socket.destroy();
		expect(answer.status).toBe(401);
		expect(json(answer)).toEqual({ error: 'missing or wrong key query parameter' });
		await stillServes();
	});

	it('over the ceiling on bytes buffered across deliveries: 503 with Retry-After, then serving again', async () => {
		const signatureHeaders = { 'content-type': 'application/json', 'plexus-webhook-signature': 'bad' };
		for (const mode of ['declared', 'chunked'] as const) {
			// A slow upload that holds 900 KB of the 1 MB ceiling and never finishes...
			const openSlow = () => {
				const head = http('POST', '/legalhooks/plexus/example', { ...signatureHeaders, ...(mode === 'declared' ? { 'content-length': String(900 * KB) } : { 'transfer-encoding': 'chunked' }) });
				const slow = rawRequest(red.port, head, { hold: true });
				if (mode === 'chunked') slow.socket.write(`${(900 * KB).toString(16)}\r\n${'a'.repeat(900 * KB)}\r\n`);
				const answered: { value?: RawResponse } = {};
				void slow.response.then((response) => (answered.value = response)).catch(() => undefined);
				return { ...slow, answered };
			};
			// ...and one of 300 KB beside it: whichever of the two passes the ceiling is refused
			// (retried while the 300 KB one happens to be read completely before the slow one starts)
			const slow = openSlow();
			let refused: RawResponse | undefined;
			for (let attempt = 0; attempt < 50 && !refused; attempt++) {
				const answer = await rawRequest(red.port, http('POST', '/legalhooks/plexus/example', signatureHeaders, 'b'.repeat(300 * KB))).response;
				expect([401, 503]).toContain(answer.status);
				if (answer.status === 503) refused = answer;
				else if (slow.answered.value) {
					expect(slow.answered.value.status).toBe(503);
					refused = slow.answered.value;
				}
			}
			expect(refused?.headers['retry-after']).toBe('5');
			expect(json(refused!)).toEqual({ error: 'too many deliveries are being received at once; retry shortly' });
			// the slow client goes away: its bytes are given back
			slow.socket.destroy();
			await stillServes();
		}
	});

	it("the editor's test-connection endpoints answer a hostile body with JSON instead of stopping the process", async () => {
		// Node-RED's default settings have no adminAuth: anyone who reaches the editor port can send these
		for (const target of ['/legalhooks/slack/test', '/legalhooks-legito-account/test']) {
			const body = JSON.stringify({ id: { toString: 1 }, credentials: { botToken: { toString: 1 }, apiKey: { toString: 1 }, privateKey: { toString: 1 } }, settings: { toString: 1 } });
			const answer = await rawRequest(red.port, http('POST', target, { 'content-type': 'application/json' }, body)).response;
			expect(answer.status).toBeGreaterThanOrEqual(200);
			expect(json(answer)).toMatchObject({ ok: false });
			expect(red.running()).toBe(true);
		}
		await stillServes();
	});

	it('logged no unhandled rejection and no stack', () => {
		expect(red.running()).toBe(true);
		expect(red.output()).not.toMatch(/UnhandledPromiseRejection|Unhandled rejection|uncaughtException/i);
	});
});
