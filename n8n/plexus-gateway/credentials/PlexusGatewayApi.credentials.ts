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
