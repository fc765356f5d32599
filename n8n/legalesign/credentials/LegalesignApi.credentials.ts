import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';
import { LEGALESIGN_DEFAULT_BASE_URL } from '../../../core/vendors/legalesign/api';
import { legalesignModule } from '../../../core/vendors/legalesign';
import { authorizationExpression, baseUrlExpression } from '../../shared/credential-facts';

export class LegalesignApi implements ICredentialType {
	name = 'legalesignApi';

	displayName = 'Legalesign API';

	icon = { light: 'file:../nodes/LegalesignTrigger/legalesign.svg', dark: 'file:../nodes/LegalesignTrigger/legalesign.dark.svg' } as const;

	documentationUrl = 'https://github.com/legalhooks/legalhooks/tree/main/n8n/legalesign#credential';

	properties: INodeProperties[] = [
		{
			displayName: 'API Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			description: 'The username part of your API key (API dashboard at logs.legalesign.com; sent as "ApiKey username:key")',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The secret part of your API key',
		},
		{
			displayName: 'API Base URL',
			name: 'apiBaseUrl',
			type: 'string',
			default: LEGALESIGN_DEFAULT_BASE_URL,
			description: 'Leave as is unless Legalesign gave you another API host',
		},
		{
			displayName: 'Callback Certificate (PEM)',
			name: 'certificate',
			type: 'string',
			typeOptions: { rows: 6, password: true },
			default: '',
			placeholder: '-----BEGIN CERTIFICATE-----',
			description:
				'Legalesign’s X.509 certificate that signs callbacks (published at https://legalesign.com/articles/esignature-api/verify-callback-data/). When set, every callback must carry a valid RSA-SHA1 signature; when empty, only the secret token in the callback URL is checked.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: authorizationExpression(legalesignModule.api.authorization) },
	};

	test: ICredentialTestRequest = {
		request: { method: 'GET', baseURL: baseUrlExpression(legalesignModule.api), url: '/notifications/' },
	};
}
