import { LegalSlack } from '../../n8n/actions/nodes/LegalSlack/LegalSlack.node';
import { LegalXero } from '../../n8n/actions/nodes/LegalXero/LegalXero.node';
import { runNode } from '../n8n/execute-context';
import { executedContract } from '../../sandbox/simulators/destination-events';
import * as slackSim from '../../sandbox/simulators/slack';
import * as xeroSim from '../../sandbox/simulators/xero';

describe('n8n: legalhooks actions chain', () => {
	it('Xero then Slack: the second action takes the first one’s output, and the message quotes the invoice number', async () => {
		const [xero, slack] = await Promise.all([xeroSim.start(), slackSim.start()]);
		try {
			const event = executedContract();
			const drafted = await runNode({
				node: new LegalXero(),
				parameters: {},
				credentials: { legalhooksXeroOAuth2Api: { grantType: 'clientCredentials', clientId: xeroSim.XERO_SIM_CLIENT_ID, clientSecret: xeroSim.XERO_SIM_CLIENT_SECRET, accessTokenUrl: `${xero.identityUrl}/connect/token`, apiUrl: xero.apiUrl } },
				items: [{ json: event as any }],
			});
			const told = await runNode({
				node: new LegalSlack(),
				parameters: { channel: slackSim.SLACK_SIM_CHANNEL, text: 'Draft {{xero.invoiceNumber}} for {{document.title}}' },
				credentials: { legalhooksSlackApi: { botToken: slackSim.SLACK_SIM_TOKEN, baseUrl: slack.apiUrl } },
				items: drafted.output,
			});
			expect(slack.state.messages[0].text).toBe('Draft INV-0001 for Service Agreement for Company A');
			expect(told.output[0].json).toMatchObject({ id: event.id, xero: { invoiceNumber: 'INV-0001' }, slack: { outcome: 'posted', ts: slack.state.messages[0].ts } });
		} finally {
			await Promise.all([xero.close(), slack.close()]);
		}
	});
});
