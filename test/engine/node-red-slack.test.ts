import slackModule from '../../node-red/src/legalhooks-slack';
import { collect, helper } from '../node-red/helper';
import { executedContract, signedEvent, waitFor } from '../../sandbox/simulators/destination-events';
import { SLACK_SIM_CHANNEL, SLACK_SIM_TOKEN, start, type SlackSimulator } from '../../sandbox/simulators/slack';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const catchNode = require('@node-red/nodes/core/common/25-catch.js');

describe('Node-RED: legalhooks-slack', () => {
	let sim: SlackSimulator;
	beforeEach(async () => {
		sim = await start();
	});
	afterEach(async () => {
		await helper.unload();
		await sim.close();
	});

	async function load(node: Record<string, unknown> = {}, account: Record<string, unknown> = {}, credentials: Record<string, unknown> = { botToken: SLACK_SIM_TOKEN }) {
		const flow = [
			{ id: 'f1', type: 'tab', label: 'test' },
			{ id: 'acct', type: 'legalhooks-slack-account', connection: 'botToken', baseUrl: sim.apiUrl, ...account },
			{ id: 'slack', z: 'f1', type: 'legalhooks-slack', account: 'acct', channel: SLACK_SIM_CHANNEL, blocks: true, maxAttempts: 3, wires: [['out']], ...node },
			{ id: 'out', z: 'f1', type: 'helper' },
			{ id: 'catcher', z: 'f1', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
			{ id: 'caught', z: 'f1', type: 'helper' },
		];
		await helper.load([catchNode, slackModule as any], flow, { acct: credentials });
		return { out: collect(helper.getNode('out')), caught: collect(helper.getNode('caught')), slack: helper.getNode('slack') };
	}

	it('msg.payload event → exactly one chat.postMessage; msg.result set, payload unchanged, status shown', async () => {
		const { out, slack } = await load();
		const statuses: any[] = [];
		(slack as any).on('call:status', (call: any) => statuses.push(call.args[0]));
		const event = executedContract();
		slack.receive({ payload: event });
		await waitFor(() => out.length === 1, 'output message');
		expect(sim.calls('chat.postMessage')).toHaveLength(1);
		expect(out[0].payload).toEqual(event);
		expect(out[0].result).toMatchObject({ destination: 'slack', outcome: 'posted', channel: SLACK_SIM_CHANNEL });
		expect(sim.state.messages[0].metadata?.event_payload.event_id).toBe(event.id);
		expect(statuses.at(-1)).toMatchObject({ fill: 'green', text: expect.stringMatching(/^posted /) });
	});

	it('incoming webhook account', async () => {
		const { out, slack } = await load({ channel: '' }, { connection: 'webhook' }, { webhookUrl: sim.webhookUrl });
		slack.receive({ payload: signedEvent() });
		await waitFor(() => out.length === 1, 'output message');
		expect(sim.state.webhookMessages).toHaveLength(1);
	});

	it('429 then success → one message', async () => {
		const { out, slack } = await load();
		sim.faults.rateLimit({ retryAfter: '1', path: 'chat.postMessage' });
		slack.receive({ payload: signedEvent() });
		await waitFor(() => out.length === 1, 'output message');
		expect(out[0].result.attempts).toBe(2);
		expect(sim.state.messages).toHaveLength(1);
	});

	it('500 ×3 → node.error(err, msg): a Catch node gets the message and the error', async () => {
		const { out, caught, slack } = await load();
		sim.faults.serverError({ times: 3, path: 'chat.postMessage' });
		const event = signedEvent();
		slack.receive({ payload: event, _msgid: 'm-500' });
		await waitFor(() => caught.length === 1, 'caught error');
		expect(caught[0].error.message).toMatch(/Slack chat.postMessage failed \(HTTP 500\).*gave up after 3 attempts/);
		expect(caught[0].error.source.id).toBe('slack');
		expect(caught[0].payload).toEqual(event);
		expect(out).toHaveLength(0);
		expect(sim.state.messages).toHaveLength(0);
	});

	it('a payload that is not an event is caught with the field named', async () => {
		const { caught, slack } = await load();
		slack.receive({ payload: { hello: 'world' } });
		await waitFor(() => caught.length === 1, 'caught error');
		expect(caught[0].error.message).toMatch(/not a legalhooks normalized event: id/);
		expect(sim.state.requests).toHaveLength(0);
	});

	it('test connection admin endpoint: form values, and the deployed secret when the form holds the placeholder', async () => {
		await load();
		const ok = await helper.request().post('/legalhooks/slack/test').send({ settings: { connection: 'botToken', baseUrl: sim.apiUrl }, credentials: { botToken: SLACK_SIM_TOKEN } });
		expect(ok.body).toEqual({ ok: true, message: 'Connected to Simulated Team as legalhooks.' });
		const deployed = await helper.request().post('/legalhooks/slack/test').send({ id: 'acct', settings: {}, credentials: { botToken: '__PWRD__' } });
		expect(deployed.body.ok).toBe(true);
		const bad = await helper.request().post('/legalhooks/slack/test').send({ settings: { connection: 'botToken', baseUrl: sim.apiUrl }, credentials: { botToken: 'xoxb-wrong-123' } });
		expect(bad.body).toEqual({ ok: false, message: expect.stringMatching(/invalid_auth/) });
		expect(JSON.stringify(bad.body)).not.toContain('xoxb-wrong-123');
	});

	it('what the node remembered goes with it: after a redeploy the same event is looked up in the thread, not answered from memory, and not posted twice', async () => {
		const event = signedEvent({ id: 'ev-redeploy', document: { id: 'doc-redeploy', title: 'Redeploy', status: 'completed' } });
		const first = await load({ threadPerDocument: true });
		first.slack.receive({ payload: event });
		await waitFor(() => first.out.length === 1, 'first output');
		expect(first.out[0].result.outcome).toBe('posted');
		await helper.unload(); // the node closes
		const looked = sim.calls('conversations.history').length;
		const second = await load({ threadPerDocument: true });
		second.slack.receive({ payload: event });
		await waitFor(() => second.out.length === 1, 'second output');
		expect(second.out[0].result.outcome).toBe('duplicate');
		expect(sim.calls('conversations.history').length).toBeGreaterThan(looked);
		expect(sim.state.messages).toHaveLength(1);
	});
});
