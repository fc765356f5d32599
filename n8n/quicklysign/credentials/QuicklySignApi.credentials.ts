import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';
import { quicklysignModule } from '../../../core/vendors/quicklysign';
import { baseUrlExpression } from '../../shared/credential-facts';

export class QuicklySignApi implements ICredentialType {
	name = 'quicklySignApi';

	displayName = 'QuicklySign API';

	icon = { light: 'file:../nodes/QuicklySignTrigger/quicklysign.svg', dark: 'file:../nodes/QuicklySignTrigger/quicklysign.dark.svg' } as const;

	documentationUrl = 'https://github.com/legalhooks/legalhooks/tree/main/n8n/quicklysign#credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Production', value: 'production' },
				{ name: 'Sandbox', value: 'sandbox' },
				{ name: 'Custom API Base URL', value: 'custom' },
			],
			default: 'production',
		},
		{
			displayName: 'API Base URL',
			name: 'apiBaseUrl',
			type: 'string',
			default: '',
			placeholder: quicklysignModule.api.baseUrls.production,
			displayOptions: { show: { environment: ['custom'] } },
			required: true,
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'From your QuicklySign profile (API settings)',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Used to get an access token for fetching document packs and for this credential test',
		},
	];

	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			baseURL: baseUrlExpression(quicklysignModule.api),
			url: '/access_tokens',
			body: { client_id: '={{$credentials.clientId}}', client_secret: '={{$credentials.clientSecret}}', api_key: '={{$credentials.apiKey}}' },
			json: true,
		},
		rules: [{ type: 'responseSuccessBody', properties: { key: 'status.status_code', value: 401, message: 'QuicklySign refused the client id, client secret or API key' } }],
	};
}
