import type { ICredentialType, INodeProperties } from 'n8n-workflow';

export class PlexusGatewayApi implements ICredentialType {
	name = 'plexusGatewayApi';

	displayName = 'Plexus Gateway Webhook API';

	icon = { light: 'file:../nodes/PlexusTrigger/plexus.svg', dark: 'file:../nodes/PlexusTrigger/plexus.dark.svg' } as const;

	documentationUrl = 'https://github.com/legalhooks/legalhooks/tree/main/n8n/plexus-gateway#credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Webhook Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The secret token of the webhook subscription. Plexus support gives you one, or you choose your own (32 random bytes as hex) and hand it to them with the webhook URL. Deliveries are verified with HMAC-SHA512 over the raw body.',
		},
		{
			displayName: 'Previous Secret',
			name: 'previousSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'For rotating the secret without losing a delivery: put the old secret here and the new one in Webhook Secret. Deliveries signed with either are accepted until Previous Secret Valid Until; ask Plexus support to switch the webhook to the new secret within that time. Leave empty when not rotating.',
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
			displayName: 'Required Headers',
			name: 'requiredHeaders',
			type: 'string',
			typeOptions: { password: true, rows: 3 },
			default: '',
			placeholder: 'X-Plexus-Tenant: acme',
			description:
				'Optional second factor: the additional headers Plexus support adds to your webhook, one "Name: value" per line. A delivery without every one of them (compared in constant time) is refused with 401.',
		},
	];
}
