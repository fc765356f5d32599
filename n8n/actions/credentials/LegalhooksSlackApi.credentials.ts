import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

export class LegalhooksSlackApi implements ICredentialType {
	name = 'legalhooksSlackApi';

	displayName = 'Legalhooks Slack Bot Token API';

	icon = { light: 'file:../nodes/LegalSlack/legalSlack.svg', dark: 'file:../nodes/LegalSlack/legalSlack.dark.svg' } as const;

	documentationUrl = 'https://github.com/legalhooks/legalhooks/tree/main/n8n/actions#slack';

	properties: INodeProperties[] = [
		{
			displayName: 'Bot Token',
			name: 'botToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'xoxb-…',
			description:
				'Bot User OAuth Token of your Slack app (scopes: chat:write; channels:history / groups:history for thread per document and duplicate checks; channels:read / groups:read for the channel list)',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://slack.com/api',
			description: 'Leave as is unless you route Slack calls through a proxy',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.botToken}}' } },
	};

	test: ICredentialTestRequest = {
		request: { method: 'POST', url: '={{$credentials.baseUrl}}/auth.test' },
		rules: [{ type: 'responseSuccessBody', properties: { key: 'ok', value: false, message: 'Slack refused the bot token (auth.test)' } }],
	};
}
