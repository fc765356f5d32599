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
			displayName: 'Previous Secret',
			name: 'previousSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'For rotating the secret without losing a delivery: put the old secret here and the new one in Webhook Secret. Deliveries signed with either are accepted until Previous Secret Valid Until; change "secret" in the webHook block of the Signing Service configuration within that time. Leave empty when not rotating.',
		},
		{
			displayName: 'Previous Secret Valid Until',
			name: 'previousSecretValidUntil',
			type: 'string',
			default: '',
			placeholder: '2026-12-31T12:00:00Z',
			description:
				'When the previous secret stops being accepted (ISO 8601; without a time zone: UTC). Empty, or not a date: 24 hours after the trigger first checks a delivery with this previous secret (counted again after an n8n restart). After it, deliveries signed with the previous secret get 401 and the trigger logs so once.',
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
