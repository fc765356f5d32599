import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

export class LegalhooksSlackWebhookApi implements ICredentialType {
	name = 'legalhooksSlackWebhookApi';

	displayName = 'Legalhooks Slack Incoming Webhook API';

	icon = { light: 'file:../nodes/LegalSlack/legalSlack.svg', dark: 'file:../nodes/LegalSlack/legalSlack.dark.svg' } as const;

	documentationUrl = 'https://github.com/legalhooks/legalhooks/tree/main/n8n/actions#slack';

	properties: INodeProperties[] = [
		{
			displayName: 'Webhook URL',
			name: 'webhookUrl',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'https://hooks.slack.com/services/T…/B…/…',
			description: 'The incoming-webhook URL of your Slack app. Testing this credential posts a short test message to its channel.',
		},
	];

	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			url: '={{$credentials.webhookUrl}}',
			headers: { 'Content-Type': 'application/json' },
			body: { text: 'legalhooks: connection test' },
		},
	};
}
