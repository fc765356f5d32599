import { createSign } from 'node:crypto';
import type { IAuthenticateGeneric, ICredentialDataDecryptedObject, ICredentialTestRequest, ICredentialType, IHttpRequestHelper, INodeProperties } from 'n8n-workflow';

/**
 * Salesforce's OAuth 2.0 JWT bearer flow (server-to-server, no sign-in, no refresh token): a JWT
 * signed with the private key whose certificate is on the connected app is exchanged for an access
 * token. n8n runs `preAuthentication` when the session token is empty or a request answers 401,
 * and saves the new token to the credential (the field is `expirable`).
 */
function base64url(value: string | Buffer): string {
	return Buffer.from(value).toString('base64url');
}

export class LegalhooksSalesforceJwtApi implements ICredentialType {
	name = 'legalhooksSalesforceJwtApi';

	displayName = 'Legalhooks Salesforce JWT Bearer API';

	icon = { light: 'file:../nodes/LegalSalesforce/legalSalesforce.svg', dark: 'file:../nodes/LegalSalesforce/legalSalesforce.dark.svg' } as const;

	documentationUrl = 'https://github.com/legalhooks/legalhooks/tree/main/n8n/actions#salesforce';

	properties: INodeProperties[] = [
		{
			displayName: 'Login URL',
			name: 'loginUrl',
			type: 'string',
			default: 'https://login.salesforce.com',
			description: 'https://login.salesforce.com, https://test.salesforce.com for sandboxes, or your My Domain URL; also the JWT audience',
		},
		{ displayName: 'Instance URL', name: 'instanceUrl', type: 'string', default: '', required: true, placeholder: 'https://yourorg.my.salesforce.com', description: 'Your My Domain URL' },
		{ displayName: 'Consumer Key', name: 'clientId', type: 'string', default: '', required: true, description: 'Consumer Key of the connected app (JWT issuer)' },
		{ displayName: 'Username', name: 'username', type: 'string', default: '', required: true, placeholder: 'integration@example.com', description: 'The pre-authorized user the token is for (JWT subject)' },
		{
			displayName: 'Private Key',
			name: 'privateKey',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			required: true,
			description: 'PEM private key whose certificate is uploaded to the connected app ("Use digital signatures")',
		},
		{ displayName: 'API Version', name: 'apiVersion', type: 'string', default: '60.0' },
		{ displayName: 'Session Token', name: 'sessionToken', type: 'hidden', typeOptions: { expirable: true, password: true }, default: '' },
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const login = String(credentials.loginUrl || 'https://login.salesforce.com').replace(/\/+$/, '');
		const claims = { iss: String(credentials.clientId), sub: String(credentials.username), aud: login, exp: Math.floor(Date.now() / 1000) + 180 };
		const unsigned = `${base64url(JSON.stringify({ alg: 'RS256' }))}.${base64url(JSON.stringify(claims))}`;
		const signature = createSign('RSA-SHA256').update(unsigned).sign(String(credentials.privateKey).replace(/\\n/g, '\n'));
		const response = (await this.helpers.httpRequest({
			method: 'POST',
			url: `${login}/services/oauth2/token`,
			headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
			body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: `${unsigned}.${base64url(signature)}` }).toString(),
			json: true,
		})) as { access_token?: string };
		return { sessionToken: response.access_token ?? '' };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.sessionToken}}' } },
	};

	test: ICredentialTestRequest = {
		request: { method: 'GET', url: '={{$credentials.instanceUrl.replace(/\\/+$/, "")}}/services/data/v{{$credentials.apiVersion}}/limits' },
	};
}
