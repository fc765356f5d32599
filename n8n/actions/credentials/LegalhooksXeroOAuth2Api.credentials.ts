import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Xero through n8n's OAuth2 machinery (like n8n's own XeroOAuth2Api): "Connect" signs in with the
 * authorization code grant; n8n stores the token, refreshes it on a 401 and saves Xero's rotated
 * refresh token back to this credential. Client credentials (Xero Custom Connections) is the
 * second grant. Apps created from 2 March 2026 only get Xero's granular scopes.
 */
const SCOPES = {
	granular: 'accounting.invoices accounting.contacts',
	broad: 'accounting.transactions accounting.contacts',
};

export class LegalhooksXeroOAuth2Api implements ICredentialType {
	name = 'legalhooksXeroOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Xero OAuth2 API';

	icon = { light: 'file:../nodes/LegalXero/legalXero.svg', dark: 'file:../nodes/LegalXero/legalXero.dark.svg' } as const;

	documentationUrl = 'https://github.com/legalhooks/legalhooks/tree/main/n8n/actions#xero';

	properties: INodeProperties[] = [
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'options',
			options: [
				{ name: 'Authorization Code (Connect Button)', value: 'authorizationCode', description: 'Sign in to Xero and pick the organisation; works with every standard Xero web app' },
				{ name: 'PKCE', value: 'pkce', description: 'Authorization code with PKCE' },
				{ name: 'Client Credentials (Custom Connection)', value: 'clientCredentials', description: 'Machine-to-machine for one organisation; a paid Xero Custom Connection' },
			],
			default: 'authorizationCode',
		},
		{
			displayName: 'Scope Set',
			name: 'scopeSet',
			type: 'options',
			options: [
				{ name: 'Granular (Apps Created From 2 March 2026)', value: 'granular', description: SCOPES.granular },
				{ name: 'Broad (Older Apps)', value: 'broad', description: SCOPES.broad },
			],
			default: 'granular',
			description: 'Xero gives apps created on or after 2 March 2026 only granular scopes; older apps may still use accounting.transactions',
		},
		{ displayName: 'Authorization URL', name: 'authUrl', type: 'hidden', default: 'https://login.xero.com/identity/connect/authorize' },
		{ displayName: 'Access Token URL', name: 'accessTokenUrl', type: 'hidden', default: 'https://identity.xero.com/connect/token' },
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: `={{ ($self.grantType === "clientCredentials" ? "" : "offline_access ") + ($self.scopeSet === "broad" ? "${SCOPES.broad}" : "${SCOPES.granular}") }}`,
		},
		{ displayName: 'Auth URI Query Parameters', name: 'authQueryParameters', type: 'hidden', default: '' },
		{ displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'header' },
		{
			displayName: 'Tenant ID',
			name: 'tenantId',
			type: 'string',
			default: '',
			description: 'Xero organisation (tenant) ID; leave empty to use the only organisation the sign-in reaches',
		},
		{ displayName: 'API URL', name: 'apiUrl', type: 'string', default: 'https://api.xero.com', description: 'Leave as is unless you route Xero calls through a proxy' },
	];
}
