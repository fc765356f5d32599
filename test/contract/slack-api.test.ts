import { sendToSlack, testSlackCredentials, type SlackCredentials } from '../../core/destinations/slack';
import { SendGuard } from '../../core/destinations/send-guard';
import { nodeHttpClient } from '../../node-red/src/shared/node-http';
import { executedContract, recordingSleep, signedEvent } from '../../sandbox/simulators/destination-events';
import { SLACK_SIM_CHANNEL, SLACK_SIM_TOKEN, start, type SlackSimulator } from '../../sandbox/simulators/slack';

describe('Slack destination against the simulator', () => {
	let sim: SlackSimulator;
	let creds: SlackCredentials;
	beforeEach(async () => {
		sim = await start();
		creds = { kind: 'botToken', botToken: SLACK_SIM_TOKEN, baseUrl: sim.apiUrl };
	});
	afterEach(() => sim.close());

	/** One node's send context: its own guard, as an engine node creates it. */
	const ctx = () => {
		const rec = recordingSleep();
		return { ...rec, ctx: { http: nodeHttpClient, sleep: rec.sleep, guard: new SendGuard() } };
	};

	it('posts one message with blocks and the event id in metadata', async () => {
		const { ctx: c } = ctx();
		const event = executedContract();
		const result = await sendToSlack(c, creds, event, { channel: SLACK_SIM_CHANNEL });
		expect(result).toMatchObject({ outcome: 'posted', channel: SLACK_SIM_CHANNEL, attempts: 1 });
		expect(sim.calls('chat.postMessage')).toHaveLength(1);
		expect(sim.calls('chat.postMessage')[0].headers.authorization).toBe(`Bearer ${SLACK_SIM_TOKEN}`);
		expect(sim.state.messages).toHaveLength(1);
		expect(sim.state.messages[0]).toMatchObject({ channel: SLACK_SIM_CHANNEL, ts: result.ts, metadata: { event_payload: { event_id: event.id, document_id: event.document.id } } });
		expect(sim.state.messages[0].blocks).toHaveLength(3);
	});

	it('429 then success: waits Retry-After and posts exactly one message', async () => {
		const { ctx: c, waits } = ctx();
		sim.faults.rateLimit({ retryAfter: '2', path: 'chat.postMessage' });
		const result = await sendToSlack(c, creds, executedContract(), { channel: SLACK_SIM_CHANNEL });
		expect(result.attempts).toBe(2);
		expect(waits).toEqual([2000]);
		expect(sim.state.messages).toHaveLength(1);
	});

	it('500 ×3: a clear error after three attempts, nothing posted', async () => {
		const { ctx: c, waits } = ctx();
		sim.faults.serverError({ times: 3, path: 'chat.postMessage' });
		await expect(sendToSlack(c, creds, executedContract(), { channel: SLACK_SIM_CHANNEL })).rejects.toThrow(/Slack chat.postMessage failed \(HTTP 500\).*gave up after 3 attempts/);
		expect(waits).toEqual([1000, 2000]);
		expect(sim.state.messages).toHaveLength(0);
	});

	it('a 500 after the message was posted does not post it twice (history checked by metadata)', async () => {
		const { ctx: c } = ctx();
		sim.faults.serverError({ path: 'chat.postMessage', after: true });
		const result = await sendToSlack(c, creds, executedContract(), { channel: SLACK_SIM_CHANNEL });
		expect(result.outcome).toBe('duplicate');
		expect(sim.state.messages).toHaveLength(1);
		expect(sim.calls('conversations.history')).toHaveLength(1);
	});

	it('a dropped connection is retried', async () => {
		const { ctx: c } = ctx();
		sim.faults.drop({ path: 'chat.postMessage' });
		const result = await sendToSlack(c, creds, executedContract(), { channel: SLACK_SIM_CHANNEL });
		expect(result.outcome).toBe('posted');
		expect(sim.state.messages).toHaveLength(1);
	});

	it('Slack errors (ok:false) are not retried and name the cause', async () => {
		const { ctx: c } = ctx();
		await expect(sendToSlack(c, creds, executedContract(), { channel: 'C0NOTTHERE9' })).rejects.toThrow(/channel_not_found — check the channel ID/);
		sim.faults.revokeToken();
		await expect(sendToSlack(c, creds, executedContract(), { channel: SLACK_SIM_CHANNEL })).rejects.toThrow(/invalid_auth — the bot token was refused/);
		expect(sim.calls('chat.postMessage')).toHaveLength(2);
	});

	it('thread per document: first event is the parent, later ones reply, a repeated event is not re-posted', async () => {
		const { ctx: c } = ctx();
		const doc = { id: 'doc-thread-1', title: 'NDA', status: 'out_for_signature' as const };
		const sent = signedEvent({ id: 'evt-1', type: 'document.sent', document: doc });
		const viewed = signedEvent({ id: 'evt-2', type: 'recipient.viewed', document: doc });
		const signed = signedEvent({ id: 'evt-3', document: { ...doc, status: 'completed' } });
		const other = signedEvent({ id: 'evt-9', document: { id: 'doc-other', status: 'created' } });
		const options = { channel: SLACK_SIM_CHANNEL, threadPerDocument: true };
		const first = await sendToSlack(c, creds, sent, options);
		await sendToSlack(c, creds, other, options);
		const second = await sendToSlack(c, creds, viewed, options);
		const third = await sendToSlack(c, creds, signed, options);
		expect(first.threadTs).toBeUndefined();
		expect(second.threadTs).toBe(first.ts);
		expect(third.threadTs).toBe(first.ts);
		const again = await sendToSlack(c, creds, viewed, options);
		expect(again).toMatchObject({ outcome: 'duplicate', ts: second.ts });
		const parentAgain = await sendToSlack(c, creds, sent, options);
		expect(parentAgain).toMatchObject({ outcome: 'duplicate', ts: first.ts });
		expect(sim.state.messages.map((m) => [m.metadata?.event_payload.event_id, m.thread_ts])).toEqual([
			['evt-1', first.ts],
			['evt-9', undefined],
			['evt-2', first.ts],
			['evt-3', first.ts],
		]);
	});

	it('incoming webhook: one POST with text and blocks; errors come back readable', async () => {
		const { ctx: c } = ctx();
		const hook: SlackCredentials = { kind: 'webhook', webhookUrl: sim.webhookUrl };
		await sendToSlack(c, hook, executedContract());
		expect(sim.state.webhookMessages).toHaveLength(1);
		expect(sim.state.webhookMessages[0].text).toContain('Service Agreement for Company A');
		const gone: SlackCredentials = { kind: 'webhook', webhookUrl: `${sim.url}/services/T0/B0/nope` };
		const error = await sendToSlack(c, gone, executedContract()).catch((e: Error) => e);
		expect(String(error)).toMatch(/HTTP 404\): no_service/);
		expect(String(error)).not.toContain('nope');
	});

	it('checks a bot token with auth.test', async () => {
		const { ctx: c } = ctx();
		await expect(testSlackCredentials(c, creds)).resolves.toMatchObject({ ok: true, team: 'Simulated Team' });
		await expect(testSlackCredentials(c, { ...creds, botToken: 'xoxb-wrong' })).rejects.toThrow(/invalid_auth/);
	});

	it('ok:false internal_error after the message was posted: looks before retrying, posts once', async () => {
		const { ctx: c } = ctx();
		const event = executedContract();
		sim.faults.postError('internal_error', { after: true });
		const result = await sendToSlack(c, creds, event, { channel: SLACK_SIM_CHANNEL });
		expect(sim.state.messages).toHaveLength(1);
		expect(sim.calls('chat.postMessage')).toHaveLength(1);
		expect(sim.calls('conversations.history')).toHaveLength(1);
		expect(result).toMatchObject({ outcome: 'duplicate', ts: sim.state.messages[0].ts });
	});

	it('ok:false fatal_error before anything was posted: looks, finds nothing, posts once', async () => {
		const { ctx: c } = ctx();
		sim.faults.postError('fatal_error');
		const result = await sendToSlack(c, creds, executedContract(), { channel: SLACK_SIM_CHANNEL });
		expect(result.outcome).toBe('posted');
		expect(sim.state.messages).toHaveLength(1);
	});

	it('thread search pages through history (limit ≤ 999 per page) to find an old document thread', async () => {
		const { ctx: c } = ctx();
		const first = signedEvent({ id: 'ev-1', document: { id: 'doc-old', title: 'Old', status: 'out_for_signature' } });
		await sendToSlack(c, creds, first, { channel: SLACK_SIM_CHANNEL, threadPerDocument: true });
		for (let i = 0; i < 1200; i++) sim.state.messages.push({ channel: SLACK_SIM_CHANNEL, ts: `1800000${String(i).padStart(4, '0')}.000100`, text: `chatter ${i}` });
		const second = signedEvent({ id: 'ev-2', document: { id: 'doc-old', title: 'Old', status: 'completed' } });
		const result = await sendToSlack(c, creds, second, { channel: SLACK_SIM_CHANNEL, threadPerDocument: true, historyLimit: 1500 });
		expect(result.threadTs).toBe(sim.state.messages[0].ts);
		const limits = sim.calls('conversations.history').map((r) => Number(r.query.limit));
		expect(Math.max(...limits)).toBeLessThanOrEqual(999);
		expect(sim.calls('conversations.history').some((r) => r.query.cursor)).toBe(true);
	});

	it('two sends of one event at once in one process → one message', async () => {
		const { ctx: c } = ctx();
		const event = executedContract();
		// the first post is slow to be confirmed (5xx after apply), the second arrives meanwhile
		sim.faults.serverError({ after: true, path: 'chat.postMessage' });
		const results = await Promise.all([sendToSlack(c, creds, event, { channel: SLACK_SIM_CHANNEL }), sendToSlack(c, creds, event, { channel: SLACK_SIM_CHANNEL })]);
		expect(sim.state.messages).toHaveLength(1);
		expect(results.map((r) => r.outcome).sort()).toEqual(['duplicate', 'duplicate']);
	});

	it('what a node remembers does not outlive it: another node checks the thread in Slack, not a memory shared by the process', async () => {
		const event = signedEvent({ id: 'ev-shared', document: { id: 'doc-shared', title: 'Shared', status: 'completed' } });
		const options = { channel: SLACK_SIM_CHANNEL, threadPerDocument: true };
		const first = ctx();
		expect((await sendToSlack(first.ctx, creds, event, options)).outcome).toBe('posted');
		first.ctx.guard.clear(); // the first node closes
		const before = sim.calls('conversations.history').length;
		const again = await sendToSlack(ctx().ctx, creds, event, options);
		expect(again.outcome).toBe('duplicate');
		expect(sim.calls('conversations.history').length).toBeGreaterThan(before);
		expect(sim.state.messages).toHaveLength(1);
		expect(first.ctx.guard.size).toBe(0);
	});
});
