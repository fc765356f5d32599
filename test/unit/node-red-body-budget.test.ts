import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BodyBudget, readRawBody } from '../../node-red/src/shared/raw-body';

describe('BodyBudget: bytes buffered across deliveries in flight', () => {
	it('a delivery alone may use its own limit; beside another, the ceiling holds', () => {
		const budget = new BodyBudget(100);
		const first = budget.lease();
		expect(first.take(150, 200)).toBe(true); // alone, within its trigger's limit of 200
		const second = budget.lease();
		expect(second.take(1, 200)).toBe(false);
		first.release();
		expect(budget.inFlight).toBe(0);
		expect(second.take(60, 200)).toBe(true);
		expect(first.take(50, 200)).toBe(false); // 60 + 50 > 100
		expect(first.take(40, 200)).toBe(true);
		first.release();
		first.release(); // twice is harmless
		second.release();
		expect(budget.inFlight).toBe(0);
	});

	it('a trigger with no limit (0) is held to the ceiling even alone', () => {
		const lease = new BodyBudget(100).lease();
		expect(lease.take(101, 0)).toBe(false);
		expect(lease.take(100, 0)).toBe(true);
	});
});

describe('readRawBody over a real socket', () => {
	let server: http.Server;
	let port = 0;
	const budget = new BodyBudget(1024);
	const results: unknown[] = [];
	beforeAll(async () => {
		server = http.createServer((req, res) => {
			const lease = budget.lease();
			void readRawBody(req, 4096, lease).then((result) => {
				results.push(result.ok ? { ok: true, size: result.body.length } : result);
				lease.release();
				res.setHeader('connection', 'close');
				res.end('done');
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		port = (server.address() as AddressInfo).port;
	});
	afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

	const send = (body: Buffer, chunked: boolean) =>
		new Promise<void>((resolve) => {
			const req = http.request({ port, host: '127.0.0.1', method: 'POST', headers: chunked ? {} : { 'content-length': String(body.length) } }, (res) => {
				res.resume();
				res.on('end', resolve);
			});
			req.on('error', () => resolve());
			if (chunked) {
				req.write(body.subarray(0, 10)); // a write before end: Node sends it chunked
				req.end(body.subarray(10));
			} else req.end(body);
		});

	it('reads a declared and a chunked body whole, and stops a body over the limit', async () => {
		results.length = 0;
		await send(Buffer.alloc(1000, 'a'), false);
		await send(Buffer.alloc(1000, 'a'), true);
		await send(Buffer.alloc(5000, 'a'), true);
		expect(results).toEqual([
			{ ok: true, size: 1000 },
			{ ok: true, size: 1000 },
			{ ok: false, status: 413, reason: 'body is over the 4096-byte limit' },
		]);
		expect(budget.inFlight).toBe(0);
	});
});
