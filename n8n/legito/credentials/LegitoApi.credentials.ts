import type { ICredentialDataDecryptedObject, ICredentialTestRequest, ICredentialType, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';
import { mintLegitoJwt } from '../../../core/vendors/legito/api';
import { LEGITO_DEFAULT_REGION, LEGITO_REGION_CHOICES } from '../../../core/vendors/legito/options';
import { optionsFrom } from '../../shared/trigger-properties';
import { legitoModule } from '../../../core/vendors/legito';
import { baseUrlExpression } from '../../shared/credential-facts';

export class LegitoApi implements ICredentialType {
	name = 'legitoApi';

	displayName = 'Legito API';

	icon = { light: 'file:../nodes/LegitoTrigger/legito.svg', dark: 'file:../nodes/LegitoTrigger/legito.dark.svg' } as const;

	documentationUrl = 'https://github.com/legalhooks/legalhooks/tree/main/n8n/legito#credential';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Legito → My account → Settings → Developers → API: the API key (sent as the JWT issuer)',
		},
		{
			displayName: 'Private Key',
			name: 'privateKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The private key shown with the API key; it signs a short-lived HS256 token for every request and is never sent',
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: optionsFrom(LEGITO_REGION_CHOICES),
			default: LEGITO_DEFAULT_REGION,
			description: 'The Legito instance of your workspace: the host you log in to',
		},
		{
			displayName: 'API Base URL',
			name: 'apiBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://example.legito.com/api/v7',
			displayOptions: { show: { region: ['custom'] } },
			required: true,
			description: 'For a dedicated Legito instance, ending in /api/v7',
		},
	];

	/** Legito wants `Authorization: Bearer <HS256 JWT>` with iss = API key, minted per request (valid ≤ 1 hour). */
	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const token = mintLegitoJwt(String(credentials.apiKey ?? ''), String(credentials.privateKey ?? ''));
		return { ...requestOptions, headers: { ...requestOptions.headers, Authorization: `Bearer ${token}` } };
	}

	test: ICredentialTestRequest = {
		request: {
			method: 'GET',
			baseURL: baseUrlExpression(legitoModule.api),
			url: '/push-connection',
		},
	};
}
