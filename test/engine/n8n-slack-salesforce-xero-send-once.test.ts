import { LegalSalesforce } from '../../n8n/actions/nodes/LegalSalesforce/LegalSalesforce.node';
import { LegalSlack } from '../../n8n/actions/nodes/LegalSlack/LegalSlack.node';
import { CredentialStore, ProcessedStore, runNode } from '../n8n/execute-context';
import { signedEvent } from '../../sandbox/simulators/destination-events';
import * as salesforceSim from '../../sandbox/simulators/salesforce';
import * as slackSim from '../../sandbox/simulators/slack';

/**
 * "Send Each Event Once": n8n's database-backed de-duplication (helpers.checkProcessedAndRecord)
 * across executions — a vendor redelivery, a re-run, two queue-mode workers sharing one database.
 */
describe('n8n: each event is sent once per destination node', () => {
	let slack: slackSim.SlackSimulator;
	let sf: salesforceSim.SalesforceSimulator;
	beforeEach(async () => {
		[slack, sf] = await Promise.all([slackSim.start(), salesforceSim.start()]);
	});
	afterEach(() => Promise.all([slack.close(), sf.close()]));

	const slackCredentials = () => ({ legalhooksSlackApi: { botToken: slackSim.SLACK_SIM_TOKEN, baseUrl: slack.apiUrl } });
	const sfStore = () => {
		sf.state.accessTokens.add('00DSIM!seeded');
		return new CredentialStore({
			legalhooksSalesforceOAuth2Api: { loginUrl: sf.url, clientId: salesforceSim.SF_SIM_CLIENT_ID, clientSecret: salesforceSim.SF_SIM_CLIENT_SECRET, oauthTokenData: { access_token: '00DSIM!seeded', refresh_token: salesforceSim.SF_SIM_REFRESH_TOKEN, instance_url: sf.url } },
		});
	};

	it('a redelivered event (second execution) posts nothing and says so', async () => {
		const processedStore = new ProcessedStore();
		const run = () => runNode({ node: new LegalSlack(), parameters: { channel: slackSim.SLACK_SIM_CHANNEL }, credentials: slackCredentials(), processedStore, items: [{ json: signedEvent() as any }] });
		const first = await run();
		const second = await run();
		expect(slack.state.messages).toHaveLength(1);
		expect((first.output[0].json.slack as any).outcome).toBe('posted');
		expect(second.output[0].json).toMatchObject({ id: signedEvent().id, slack: { outcome: 'alreadySent', eventId: signedEvent().id } });
		// why nothing was posted, and how to send again in a test
		const hint = (second.output[0].json.slack as any).hint as string;
		expect(hint).toMatch(/^Nothing was sent to Slack: this node already sent event .+ \(Send Each Event Once/);
		expect(hint).toMatch(/npx @legalhooks\/cli send … gives every send a fresh event id\) or turn Send Each Event Once off/);
		expect(slack.calls('chat.postMessage')).toHaveLength(1);
	});

	it('a failed send is not recorded: the next execution sends it', async () => {
		const processedStore = new ProcessedStore();
		const run = () => runNode({ node: new LegalSlack(), parameters: { channel: slackSim.SLACK_SIM_CHANNEL, options: { maxAttempts: 1 } }, credentials: slackCredentials(), processedStore, items: [{ json: signedEvent() as any }] });
		slack.faults.serverError({ path: 'chat.postMessage' });
		await expect(run()).rejects.toThrow(/HTTP 500/);
		expect(processedStore.calls.map((c) => c.op)).toEqual(['check', 'remove']);
		await run();
		expect(slack.state.messages).toHaveLength(1);
	});

	it('turned off, the same event makes a second Task', async () => {
		const processedStore = new ProcessedStore();
		const credentialStore = sfStore();
		for (let i = 0; i < 2; i++) {
			await runNode({ node: new LegalSalesforce(), parameters: { operation: 'createTask', whatId: '006SIM000000000001', sendOnce: false }, credentialStore, processedStore, items: [{ json: signedEvent() as any }] });
		}
		expect(sf.records('Task')).toHaveLength(2);
		expect(processedStore.calls).toHaveLength(0);
	});

	it('two queue-mode workers running one event at once create one Salesforce Task (POST has no idempotency of its own)', async () => {
		const processedStore = new ProcessedStore();
		const credentialStore = sfStore();
		const run = () => runNode({ node: new LegalSalesforce(), parameters: { operation: 'createTask', whatId: '006SIM000000000001' }, credentialStore, processedStore, items: [{ json: signedEvent() as any }] });
		const outputs = await Promise.all([run(), run()]);
		expect(sf.records('Task')).toHaveLength(1);
		expect(outputs.map((o) => (o.output[0].json.salesforce as any).outcome === 'alreadySent' ? 'alreadySent' : 'created').sort()).toEqual(['alreadySent', 'created']);
	});

	it('the record is per destination: the same event goes to another channel node', async () => {
		const processedStore = new ProcessedStore();
		slack.state.channels.set('C0SIMOTHER1', 'other');
		for (const channel of [slackSim.SLACK_SIM_CHANNEL, 'C0SIMOTHER1']) await runNode({ node: new LegalSlack(), parameters: { channel }, credentials: slackCredentials(), processedStore, items: [{ json: signedEvent() as any }] });
		expect(slack.state.messages.map((m) => m.channel)).toEqual([slackSim.SLACK_SIM_CHANNEL, 'C0SIMOTHER1']);
	});
});
