import slackModule from '../../node-red/src/legalhooks-slack';
import xeroModule from '../../node-red/src/legalhooks-xero';
import { collect, helper } from '../node-red/helper';
import { executedContract, waitFor } from '../../sandbox/simulators/destination-events';
import * as slackSim from '../../sandbox/simulators/slack';
import * as xeroSim from '../../sandbox/simulators/xero';

describe('Node-RED: legalhooks actions chain', () => {
	afterEach(() => helper.unload());

	it('Xero → Slack: msg.payload stays the event, msg.legalhooks gathers the results, the message quotes the invoice number', async () => {
		const [xero, slack] = await Promise.all([xeroSim.start(), slackSim.start()]);
		try {
			const flow = [
				{ id: 'f1', type: 'tab', label: 'chain' },
				{ id: 'xacct', type: 'legalhooks-xero-account', grantType: 'client_credentials', identityUrl: xero.identityUrl, apiUrl: xero.apiUrl },
				{ id: 'sacct', type: 'legalhooks-slack-account', connection: 'botToken', baseUrl: slack.apiUrl },
				{ id: 'x', z: 'f1', type: 'legalhooks-xero', account: 'xacct', operation: 'createInvoice', wires: [['s']] },
				{ id: 's', z: 'f1', type: 'legalhooks-slack', account: 'sacct', channel: slackSim.SLACK_SIM_CHANNEL, text: 'Draft {{xero.invoiceNumber}} for {{document.title}}', blocks: true, wires: [['out']] },
				{ id: 'out', z: 'f1', type: 'helper' },
			];
			await helper.load([xeroModule as any, slackModule as any], flow, {
				xacct: { clientId: xeroSim.XERO_SIM_CLIENT_ID, clientSecret: xeroSim.XERO_SIM_CLIENT_SECRET },
				sacct: { botToken: slackSim.SLACK_SIM_TOKEN },
			});
			const out = collect(helper.getNode('out'));
			const event = executedContract();
			helper.getNode('x').receive({ payload: event });
			await waitFor(() => out.length === 1, 'chained message');
			expect(slack.state.messages[0].text).toBe('Draft INV-0001 for Service Agreement for Company A');
			expect(out[0].payload).toEqual(event);
			expect(out[0].legalhooks).toMatchObject({ xero: { invoiceNumber: 'INV-0001' }, slack: { outcome: 'posted', permalink: expect.any(String) } });
		} finally {
			await Promise.all([xero.close(), slack.close()]);
		}
	});
});
