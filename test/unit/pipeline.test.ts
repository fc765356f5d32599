import { MemoryDedupeStore } from '../../core/inbound/dedupe';
import type { VendorId } from '../../core/event/normalized-event';
import type { HttpClient } from '../../core/outbound/http';
import { handleDelivery, INTERNAL_ERROR_ANSWER, UNREADABLE_PAYLOAD, type Answer, type BodyResult, type InboundDelivery, type InboundTrigger } from '../../core/inbound/pipeline';
import type { PrecheckContext } from '../../core/verify/precheck';
import { sampleSets } from '../../core/samples/sets';
import { DEFAULT_TRIGGER_OPTIONS, type AnyVendorDefinition, type ReceiveContext } from '../../core/vendors/definition';
import { vendors } from '../../core/vendors';
import { LEGITO_SAMPLE_SYSTEM_NAME } from '../../core/vendors/legito/samples';
import { QUICKLYSIGN_SAMPLE_SUBSCRIPTION } from '../../core/vendors/quicklysign/samples';

const secret = 'pipeline-secret-0123456789abcdef';
const key = 'pipeline-key';
const options = { ...DEFAULT_TRIGGER_OPTIONS };

/** How each vendor's trigger is configured for its sample deliveries. */
function contextFor(vendor: VendorId, overrides: { secret?: string | undefined; key?: string | undefined } = {}): PrecheckContext {
	const s = 'secret' in overrides ? overrides.secret : secret;
	const registration = (extra: Record<string, unknown> = {}, ids: string[] = ['1']) => (s === undefined ? undefined : { ids, url: 'https://example.test/hook', secret: s, settings: {}, extra });
	switch (vendor) {
		case 'plexus':
			return { secret: s, credentials: { secret: s } };
		case 'phenixid':
			return { secret: s, credentials: { secret: s, key: 'key' in overrides ? overrides.key : key } };
		case 'legito':
			return { registration: registration({ systemName: LEGITO_SAMPLE_SYSTEM_NAME }), credentials: {} };
		case 'legalesign':
			return { registration: registration(), credentials: {} };
		case 'quicklysign':
			return { registration: registration({}, [QUICKLYSIGN_SAMPLE_SUBSCRIPTION]), credentials: {} };
	}
}

/** Header and query mutations an attacker controls without touching the body. */
function mutations(request: { headers: Record<string, string>; query: Record<string, string> }) {
	const out: Array<{ headers: Record<string, string | string[]>; query: Record<string, unknown> }> = [request];
	for (const name of Object.keys(request.headers)) {
		const { [name]: _dropped, ...rest } = request.headers;
		out.push({ headers: rest, query: request.query });
		out.push({ headers: { ...request.headers, [name]: `${request.headers[name]}x` }, query: request.query });
		out.push({ headers: { ...request.headers, [name]: [request.headers[name], 'x'] }, query: request.query });
	}
	for (const name of Object.keys(request.query)) {
		const { [name]: _dropped, ...rest } = request.query;
		out.push({ headers: request.headers, query: rest });
		out.push({ headers: request.headers, query: { ...request.query, [name]: '' } });
		out.push({ headers: request.headers, query: { ...request.query, [name]: [`${request.query[name]}x`, request.query[name]] } });
		out.push({ headers: request.headers, query: { ...request.query, [name]: { $ne: 1 } } });
	}
	out.push({ headers: { ...request.headers, 'x-legalhooks-token': 'guess' }, query: { ...request.query, token: 'guess', key: 'guess' } });
	return out;
}

const prechecks = Object.fromEntries(Object.entries(vendors).map(([id, vendor]) => [id, vendor!.precheck!])) as Record<VendorId, NonNullable<AnyVendorDefinition['precheck']>>;

describe('prechecks refuse only what receive refuses, with the same status', () => {
	it('every vendor has one', () => {
		expect(Object.keys(prechecks).sort()).toEqual(['legalesign', 'legito', 'phenixid', 'plexus', 'quicklysign']);
		for (const precheck of Object.values(prechecks)) expect(typeof precheck).toBe('function');
	});

	for (const vendorId of Object.keys(prechecks) as VendorId[]) {
		it(vendorId, () => {
			const vendor = vendors[vendorId]!;
			const set = sampleSets[vendorId]!;
			let refusedEarly = 0;
			for (const overrides of [{}, { secret: undefined }, { key: undefined }, { secret: 'another-secret-0123456789abcdef' }]) {
				const context = contextFor(vendorId, overrides);
				for (const event of set.events) {
					const delivery = set.build(event, { secret, key }, { now: new Date() });
					const body = Buffer.isBuffer(delivery.body) ? delivery.body : Buffer.from(delivery.body);
					for (const request of mutations(delivery)) {
						const early = prechecks[vendorId](request, context);
						const receiveContext = { ...context, options, now: new Date() } as ReceiveContext;
						let late: ReturnType<AnyVendorDefinition['receive']> | 'threw';
						try {
							late = vendor.receive({ method: 'POST', rawBody: body, headers: request.headers, query: request.query, contentType: delivery.headers['content-type'] }, receiveContext);
						} catch {
							late = 'threw';
						}
						if (!early.ok) {
							refusedEarly++;
							expect(late).not.toBe('threw');
							expect(late).toMatchObject({ ok: false, status: early.status });
						}
					}
				}
			}
			// and the check does work: some of those were refused before any body
			expect(refusedEarly).toBeGreaterThan(0);
		});
	}

	it('a correctly configured sample delivery passes every precheck', () => {
		for (const vendorId of Object.keys(prechecks) as VendorId[]) {
			const delivery = sampleSets[vendorId]!.build(sampleSets[vendorId]!.events[0], { secret, key }, { now: new Date() });
			expect(prechecks[vendorId](delivery, contextFor(vendorId))).toEqual({ ok: true });
		}
	});
});

/** The engine's side of one delivery, recording what the pipeline did, in order. */
function engine(
	vendorId: VendorId,
	delivery: { headers: Record<string, string>; query?: Record<string, string>; body: string | Buffer; method?: string },
	hooks: Partial<InboundTrigger> = {},
	readBody?: InboundDelivery['readBody'],
) {
	const calls: string[] = [];
	const answers: Answer[] = [];
	const logs: Array<{ level: string; message: string }> = [];
	const emitted: unknown[] = [];
	const request: InboundDelivery = {
		method: delivery.method ?? 'POST',
		headers: delivery.headers,
		query: delivery.query ?? {},
		readBody: async (limit): Promise<BodyResult> => {
			calls.push(`readBody(${limit})`);
			return readBody ? readBody(limit) : { ok: true, body: Buffer.isBuffer(delivery.body) ? delivery.body : Buffer.from(delivery.body) };
		},
	};
	const http: HttpClient = async () => {
		throw new Error('no network in this test');
	};
	const trigger: InboundTrigger = {
		vendor: vendors[vendorId]!,
		options: { ...options },
		verification: async () => {
			calls.push('verification');
			return contextFor(vendorId);
		},
		http,
		dedupe: new MemoryDedupeStore(),
		logger: { warn: (message) => logs.push({ level: 'warn', message }), error: (message) => logs.push({ level: 'error', message }) },
		answer: (answer) => {
			calls.push(`answer(${answer.status})`);
			answers.push(answer);
		},
		emit: (events) => {
			calls.push('emit');
			emitted.push(...events);
		},
		...hooks,
	};
	return { calls, answers, logs, emitted, run: () => handleDelivery(request, trigger) };
}

describe('handleDelivery', () => {
	const signed = () => sampleSets.plexus!.build('executed', { secret }, { now: new Date() });

	it('answers {"received":true} once, then emits', async () => {
		const e = engine('plexus', signed());
		await e.run();
		expect(e.calls).toEqual(['verification', `readBody(${options.maxBodyBytes})`, 'answer(200)', 'emit']);
		expect(JSON.stringify(e.answers[0].body)).toBe('{"received":true}');
		expect(e.emitted).toHaveLength(1);
	});

	it('GET: 405 with Allow, nothing read', async () => {
		const e = engine('plexus', { ...signed(), method: 'GET' });
		await e.run();
		expect(e.calls).toEqual(['answer(405)']);
		expect(e.answers[0].headers).toEqual({ allow: 'POST' });
	});

	it('a declared Content-Length over the limit: 413 before anything else', async () => {
		const e = engine('plexus', { ...signed(), headers: { ...signed().headers, 'content-length': String(options.maxBodyBytes + 1) } });
		await e.run();
		expect(e.calls).toEqual(['answer(413)']);
		expect(e.logs).toEqual([{ level: 'warn', message: expect.stringContaining('HTTP 413') }]);
	});

	it('a wrong token in the URL: 401 and the body is never read', async () => {
		const delivery = sampleSets.legalesign!.build('signed', { secret: 'not-the-token' }, { now: new Date() });
		const e = engine('legalesign', delivery);
		await e.run();
		expect(e.calls).toEqual(['verification', 'answer(401)']);
		expect(e.answers[0].body).toEqual({ error: 'missing or wrong token in the callback URL' });
	});

	it('the engine refusing the body for lack of room: 503 with Retry-After', async () => {
		const e = engine('plexus', signed(), {}, async () => ({ ok: false, status: 503, reason: 'busy', retryAfterSeconds: 7 }));
		await e.run();
		expect(e.answers).toEqual([{ status: 503, body: { error: 'busy' }, headers: { 'retry-after': '7' } }]);
	});

	it('verification failing (credentials cannot be loaded): 500 JSON, one log line, no rejection', async () => {
		const e = engine('plexus', signed(), {
			verification: async () => {
				throw new Error('Node does not have any credentials set');
			},
		});
		await expect(e.run()).resolves.toMatchObject({ outcome: 'failed' });
		expect(e.answers).toEqual([INTERNAL_ERROR_ANSWER]);
		expect(e.logs).toEqual([{ level: 'error', message: 'Plexus Gateway delivery failed: Error: Node does not have any credentials set' }]);
	});

	it('parsing that throws (issue 20): 400 "unexpected payload shape" so the vendor stops retrying, the cause in the log', async () => {
		const e = engine('plexus', signed(), {
			vendor: {
				...vendors.plexus!,
				receive: () => {
					throw new TypeError('Cannot convert object to primitive value');
				},
			},
		});
		await expect(e.run()).resolves.toMatchObject({ outcome: 'refused', status: 400 });
		expect(e.answers).toEqual([{ status: 400, body: { error: UNREADABLE_PAYLOAD } }]);
		expect(e.logs).toEqual([{ level: 'warn', message: expect.stringContaining('TypeError: Cannot convert object to primitive value') }]);
	});

	it('emit failing after the answer: one log line, the 200 stands, no rejection', async () => {
		const e = engine('plexus', signed(), {
			emit: () => {
				throw new Error('binary data storage is full');
			},
		});
		await expect(e.run()).resolves.toMatchObject({ outcome: 'failed' });
		expect(e.answers.map((a) => a.status)).toEqual([200]);
		expect(e.logs).toEqual([{ level: 'error', message: expect.stringMatching(/answered but its follow-up failed: Error: binary data storage is full/) }]);
	});

	it('an answer that cannot be written and a logger that throws still never reject', async () => {
		const e = engine('plexus', signed(), {
			answer: () => {
				throw new Error('socket hang up');
			},
			logger: {
				warn: () => undefined,
				error: () => {
					throw new Error('log sink gone');
				},
			},
		});
		await expect(e.run()).resolves.toMatchObject({ outcome: 'failed' });
	});
});
