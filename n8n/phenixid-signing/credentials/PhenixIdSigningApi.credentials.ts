import type { ICredentialType, INodeProperties } from 'n8n-workflow';

export class PhenixIdSigningApi implements ICredentialType {
	name = 'phenixIdSigningApi';

	displayName = 'PhenixID Signing Service API';

	icon = { light: 'file:../nodes/PhenixIdTrigger/phenixid.svg', dark: 'file:../nodes/PhenixIdTrigger/phenixid.dark.svg' } as const;

	documentationUrl = 'https://github.com/legalhooks/legalhooks/tree/main/n8n/phenixid-signing#credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Webhook Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The value of "secret" in the webHook block of the Signing Service configuration. Deliveries are verified with HMAC-SHA256 over the raw body (X-Signature header).',
		},
		{
			displayName: 'Webhook Key',
			name: 'key',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The value of "key" in the webHook block, sent as the key query parameter. Leave empty if you do not set one.',
		},
		{
			displayName: 'Automation API Base URL',
			name: 'apiBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://sign.example.org/automation',
			description:
				'Only needed for the Fetch Order option: where the Automation API of your Signing Service answers. n8n cannot present a client certificate here: for an API behind mutual TLS, leave Fetch Order off and use an HTTP Request node with an SSL Certificates credential.',
		},
	];
}
