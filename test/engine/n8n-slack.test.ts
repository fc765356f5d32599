import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { LegalSlack } from '../../n8n/actions/nodes/LegalSlack/LegalSlack.node';
import { runListSearch, runNode } from '../n8n/execute-context';
import { executedContract, signedEvent } from '../../sandbox/simulators/destination-events';
import { SLACK_SIM_CHANNEL, SLACK_SIM_TOKEN, start, type SlackSimulator } from '../../sandbox/simulators/slack';

describe('n8n: Legal Event to Slack', () => {
	let sim: SlackSimulator;
	beforeEach(async () => {
		sim = await start();
	});
	afterEach(() => sim.close());
	const credentials = () => ({
		legalhooksSlackApi: { botToken: SLACK_SIM_TOKEN, baseUrl: sim.apiUrl },
		legalhooksSlackWebhookApi: { webhookUrl: sim.webhookUrl },
	});

	it('event in → exactly one chat.postMessage, result paired with the item; expressions are evaluated', async () => {
		const event = executedContract();
		const { output, record } = await runNode({
			node: new LegalSlack(),
			parameters: { channel: '={{ "C0SIM" + "LEGAL1" }}', text: '={{ $json.document.title }} executed with {{ $json.data.counterpartyName }}' },
			credentials: credentials(),
			items: [{ json: event as any }],
		});
		expect(sim.calls('chat.postMessage')).toHaveLength(1);
		// n8n signs the calls with the credential (httpRequestWithAuthentication), the node adds no token
		expect(record.httpRequests).toEqual([]);
		expect(record.authenticatedRequests.map((r) => [r.credentialType, r.url.split('/').pop()])).toEqual([
			['legalhooksSlackApi', 'chat.postMessage'],
			['legalhooksSlackApi', 'chat.getPermalink'],
		]);
		expect(sim.calls('chat.postMessage')[0].headers.authorization).toBe(`Bearer ${SLACK_SIM_TOKEN}`);
		expect(sim.state.messages[0].text).toBe('Service Agreement for Company A executed with Company A');
		expect(output).toEqual([{ json: { ...JSON.parse(JSON.stringify(event)), slack: expect.objectContaining({ destination: 'slack', outcome: 'posted', channel: SLACK_SIM_CHANNEL, ts: sim.state.messages[0].ts, permalink: expect.stringContaining('/archives/C0SIMLEGAL1/p') }) }, pairedItem: { item: 0 } }]);
	});

	it('incoming webhook authentication; plain text uses the legalhooks placeholders', async () => {
		await runNode({ node: new LegalSlack(), parameters: { authentication: 'webhook', text: '{{document.title}} — {{statusLabel}}' }, credentials: credentials(), items: [{ json: signedEvent() as any }] });
		expect(sim.state.webhookMessages).toHaveLength(1);
		expect(sim.state.webhookMessages[0].text).toBe('Master Services Agreement — Completed');
	});

	it('429 then success → one message', async () => {
		sim.faults.rateLimit({ retryAfter: '1', path: 'chat.postMessage' });
		const { output } = await runNode({ node: new LegalSlack(), parameters: { channel: SLACK_SIM_CHANNEL }, credentials: credentials(), items: [{ json: signedEvent() as any }] });
		expect(output[0].json.slack).toMatchObject({ attempts: 2, waitedMs: [1000] });
		expect(sim.state.messages).toHaveLength(1);
	});

	it('500 ×3 → NodeApiError with the item index and Slack’s answer', async () => {
		sim.faults.serverError({ times: 3, path: 'chat.postMessage' });
		const error = await runNode({ node: new LegalSlack(), parameters: { channel: SLACK_SIM_CHANNEL, options: { maxAttempts: 3 } }, credentials: credentials(), items: [{ json: signedEvent() as any }] }).catch((e) => e);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/Slack chat.postMessage failed \(HTTP 500\)/);
		expect(error.description).toMatch(/gave up after 3 attempts/);
		expect(error.httpCode).toBe('500');
		expect(error.context.itemIndex).toBe(0);
		expect(sim.state.messages).toHaveLength(0);
	});

	it('continue-on-fail: a bad item becomes an error item, the others are sent', async () => {
		const { output } = await runNode({
			node: new LegalSlack(),
			parameters: { channel: SLACK_SIM_CHANNEL },
			credentials: credentials(),
			onError: 'continueRegularOutput',
			items: [{ json: signedEvent({ id: 'a' }) as any }, { json: { hello: 'not an event' } }, { json: signedEvent({ id: 'c' }) as any }],
		});
		expect(output.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[1].json.error).toMatch(/not a legalhooks normalized event/);
		expect((output[0].json.slack as any).outcome).toBe('posted');
		expect(sim.state.messages.map((m) => m.metadata?.event_payload.event_id)).toEqual(['a', 'c']);
	});

	it('without continue-on-fail a bad item stops with NodeOperationError for that item', async () => {
		const error = await runNode({ node: new LegalSlack(), parameters: { channel: SLACK_SIM_CHANNEL }, credentials: credentials(), items: [{ json: signedEvent() as any }, { json: {} }] }).catch((e) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.context.itemIndex).toBe(1);
	});

	it('channel picker: "From List" lists the channels (all pages), filtered by the typed text; a picked channel is used', async () => {
		sim.state.channels.set('C0SIMSALES1', 'sales');
		for (let i = 0; i < 210; i++) sim.state.channels.set(`C0SIMX${String(i).padStart(4, '0')}`, `misc-${i}`);
		const all = await runListSearch({ node: new LegalSlack(), parameters: {}, credentials: credentials(), method: 'searchChannels' });
		expect(all.result.results).toHaveLength(212);
		expect(all.record.authenticatedRequests.every((r) => r.credentialType === 'legalhooksSlackApi')).toBe(true);
		const some = await runListSearch({ node: new LegalSlack(), parameters: {}, credentials: credentials(), method: 'searchChannels', filter: '#LEG' });
		expect(some.result.results).toEqual([{ name: '#legal-events', value: SLACK_SIM_CHANNEL }]);
		await runNode({ node: new LegalSlack(), parameters: { channel: { __rl: true, mode: 'list', value: SLACK_SIM_CHANNEL, cachedResultName: '#legal-events' } }, credentials: credentials(), items: [{ json: signedEvent() as any }] });
		expect(sim.state.messages[0].channel).toBe(SLACK_SIM_CHANNEL);
	});
});
