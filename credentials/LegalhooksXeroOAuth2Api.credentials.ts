import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

export class LegalhooksXeroOAuth2Api implements ICredentialType {
	name = 'legalhooksXeroOAuth2Api';

	displayName = 'Legalhooks Xero Custom Connection OAuth2 API';

	icon = { light: 'file:../nodes/LegalXero/legalXero.svg', dark: 'file:../nodes/LegalXero/legalXero.dark.svg' } as const;

	documentationUrl = 'https://github.com/legalhooks/legalhooks#xero';

	properties: INodeProperties[] = [
		{
			displayName:
				'Uses the OAuth2 client credentials grant of a Xero Custom Connection (machine-to-machine, one organisation). Standard Xero apps rotate their refresh token on every use, which an n8n credential cannot store back.',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		{ displayName: 'Client ID', name: 'clientId', type: 'string', default: '', required: true },
		{ displayName: 'Client Secret', name: 'clientSecret', type: 'string', typeOptions: { password: true }, default: '', required: true },
		{
			displayName: 'Tenant ID',
			name: 'tenantId',
			type: 'string',
			default: '',
			description: 'Xero organisation (tenant) ID; leave empty to use the only organisation the connection reaches',
		},
		{
			displayName: 'Scopes',
			name: 'scopes',
			type: 'string',
			default: '',
			placeholder: 'accounting.transactions accounting.contacts',
			description: 'Space-separated scopes to request; empty requests those granted to the connection',
		},
		{ displayName: 'Identity URL', name: 'identityUrl', type: 'string', default: 'https://identity.xero.com' },
		{ displayName: 'API URL', name: 'apiUrl', type: 'string', default: 'https://api.xero.com' },
	];

	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			url: '={{$credentials.identityUrl.replace(/\\/+$/, "")}}/connect/token',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			auth: { username: '={{$credentials.clientId}}', password: '={{$credentials.clientSecret}}' },
			body: { grant_type: 'client_credentials' },
		},
	};
}
