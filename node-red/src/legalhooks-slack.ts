import type { NodeAPI } from 'node-red';
import { listSlackChannels, sendToSlack, testSlackCredentials, type SlackCredentials } from '../../core/destinations/slack';
import { deliveryContext, num, registerDestinationAccount, registerDestinationAction, registerPicker, str, type DestinationAccount } from './shared/destination-node';

function slackCredentials(settings: Record<string, unknown>, credentials: Record<string, string | undefined>): SlackCredentials {
	return settings.connection === 'webhook'
		? { kind: 'webhook', webhookUrl: credentials.webhookUrl }
		: { kind: 'botToken', botToken: credentials.botToken, baseUrl: str(settings.baseUrl) };
}

export = function (RED: NodeAPI) {
	registerDestinationAccount(RED, {
		type: 'legalhooks-slack-account',
		destination: 'slack',
		credentials: { botToken: { type: 'password' }, webhookUrl: { type: 'password' } },
		settings: ['connection', 'baseUrl'],
		async test(settings, credentials) {
			const result = await testSlackCredentials(deliveryContext(1), slackCredentials(settings, credentials));
			return settings.connection === 'webhook' ? 'The webhook accepted a test message.' : `Connected to ${result.team ?? 'Slack'} as ${result.user ?? 'the app'}.`;
		},
	});

	registerPicker<never>(RED, {
		path: 'slack/channels',
		permission: 'legalhooks-slack.write',
		accountType: 'legalhooks-slack-account',
		list: async (account) => (await listSlackChannels(deliveryContext(1), slackCredentials(account.config, account.credentials))).map((c) => ({ value: c.id, label: `#${c.name}` })),
	});

	registerDestinationAction<never>(RED, {
		type: 'legalhooks-slack',
		async send({ config, account, event, msg, guard }) {
			const acct = account as DestinationAccount<never>;
			const result = await sendToSlack({ ...deliveryContext(config.maxAttempts), guard }, slackCredentials(acct.config, acct.credentials), event, {
				channel: str((msg as { channel?: unknown }).channel) ?? str(config.channel),
				text: str(config.text),
				threadPerDocument: config.threadPerDocument === true,
				blocks: config.blocks !== false,
				historyLimit: num(config.historyLimit),
				// what earlier legalhooks actions added ({{xero.invoiceNumber}}, {{salesforce.id}})
				context: (msg as { legalhooks?: Record<string, unknown> }).legalhooks,
			});
			return { result: { ...result }, status: result.outcome === 'duplicate' ? 'already posted' : 'posted' };
		},
	});
};
