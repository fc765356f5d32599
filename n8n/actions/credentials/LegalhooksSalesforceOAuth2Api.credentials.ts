import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Salesforce through n8n's OAuth2 machinery (like n8n's own SalesforceOAuth2Api): "Connect" signs in
 * with the authorization code grant and PKCE; n8n refreshes the token on a 401 and saves a rotated
 * refresh token (connected apps with refresh-token rotation) back to this credential. Client
 * credentials (a connected app with a Run As user) is the second grant.
 */
export class LegalhooksSalesforceOAuth2Api implements ICredentialType {
	name = 'legalhooksSalesforceOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Salesforce OAuth2 API';

	icon = { light: 'file:../nodes/LegalSalesforce/legalSalesforce.svg', dark: 'file:../nodes/LegalSalesforce/legalSalesforce.dark.svg' } as const;

	documentationUrl = 'https://github.com/legalhooks/legalhooks/tree/main/n8n/actions#salesforce';

	properties: INodeProperties[] = [
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'options',
			options: [
				{ name: 'PKCE (Connect Button)', value: 'pkce', description: 'Authorization code with PKCE: sign in to Salesforce' },
				{ name: 'Authorization Code (Connect Button)', value: 'authorizationCode', description: 'Authorization code without PKCE (connected apps that do not require it)' },
				{ name: 'Client Credentials', value: 'clientCredentials', description: 'Connected app with the client credentials flow and a Run As user (needs the My Domain login URL)' },
			],
			default: 'pkce',
		},
		{
			displayName: 'Login URL',
			name: 'loginUrl',
			type: 'string',
			default: 'https://login.salesforce.com',
			description: 'https://login.salesforce.com, https://test.salesforce.com for sandboxes, or your My Domain URL (required for client credentials)',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: '={{ $self.loginUrl.replace(/\\/+$/, "") + "/services/oauth2/authorize" }}',
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: '={{ $self.loginUrl.replace(/\\/+$/, "") + "/services/oauth2/token" }}',
		},
		{ displayName: 'Scope', name: 'scope', type: 'hidden', default: '={{ $self.grantType === "clientCredentials" ? "" : "api refresh_token" }}' },
		{ displayName: 'Auth URI Query Parameters', name: 'authQueryParameters', type: 'hidden', default: '' },
		{ displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'header' },
		{ displayName: 'API Version', name: 'apiVersion', type: 'string', default: '60.0' },
	];
}
