import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

export class LegalhooksSalesforceOAuth2Api implements ICredentialType {
	name = 'legalhooksSalesforceOAuth2Api';

	displayName = 'Legalhooks Salesforce OAuth2 API';

	icon = { light: 'file:../nodes/LegalSalesforce/legalSalesforce.svg', dark: 'file:../nodes/LegalSalesforce/legalSalesforce.dark.svg' } as const;

	documentationUrl = 'https://github.com/legalhooks/legalhooks#salesforce';

	properties: INodeProperties[] = [
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'options',
			options: [
				{ name: 'Refresh Token', value: 'refresh_token', description: 'A refresh token issued to the connected app for an integration user' },
				{ name: 'Client Credentials', value: 'client_credentials', description: 'Connected app with the client credentials flow and a Run As user (needs the My Domain login URL)' },
			],
			default: 'refresh_token',
		},
		{
			displayName: 'Login URL',
			name: 'loginUrl',
			type: 'string',
			default: 'https://login.salesforce.com',
			description: 'https://login.salesforce.com, https://test.salesforce.com for sandboxes, or your My Domain URL (required for client credentials)',
		},
		{ displayName: 'Client ID', name: 'clientId', type: 'string', default: '', required: true, description: 'Consumer Key of the connected app' },
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Consumer Secret of the connected app',
		},
		{
			displayName: 'Refresh Token',
			name: 'refreshToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { grantType: ['refresh_token'] } },
		},
		{
			displayName: 'Instance URL',
			name: 'instanceUrl',
			type: 'string',
			default: '',
			placeholder: 'https://yourorg.my.salesforce.com',
			description: 'Optional: overrides the instance URL returned with the token',
		},
		{ displayName: 'API Version', name: 'apiVersion', type: 'string', default: '60.0' },
	];

	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			url: '={{$credentials.loginUrl.replace(/\\/+$/, "")}}/services/oauth2/token',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: {
				grant_type: '={{$credentials.grantType}}',
				client_id: '={{$credentials.clientId}}',
				client_secret: '={{$credentials.clientSecret}}',
				refresh_token: '={{$credentials.grantType === "refresh_token" ? $credentials.refreshToken : ""}}',
			},
		},
	};
}
