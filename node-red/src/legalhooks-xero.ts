import type { NodeAPI } from 'node-red';
import { XeroClient, sendToXero, testXeroCredentials, xeroAuthorizationServer, type XeroCredentials, type XeroOperation, type XeroOptions, type XeroState } from '../../core/destinations/xero';
import { deliveryContext, num, registerDestinationAccount, registerDestinationAction, registerPicker, str } from './shared/destination-node';
import { registerSignIn } from './shared/destination-signin';

function xeroCredentials(settings: Record<string, unknown>, credentials: Record<string, string | undefined>): XeroCredentials {
	return {
		grantType: settings.grantType === 'refresh_token' ? 'refresh_token' : 'client_credentials',
		clientId: credentials.clientId ?? '',
		clientSecret: credentials.clientSecret ?? '',
		refreshToken: credentials.refreshToken,
		tenantId: str(settings.tenantId),
		scopes: str(settings.scopes),
		identityUrl: str(settings.identityUrl),
		apiUrl: str(settings.apiUrl),
	};
}

export = function (RED: NodeAPI) {
	registerDestinationAccount(RED, {
		type: 'legalhooks-xero-account',
		destination: 'xero',
		credentials: { clientId: { type: 'text' }, clientSecret: { type: 'password' }, refreshToken: { type: 'password' } },
		settings: ['grantType', 'tenantId', 'scopes', 'identityUrl', 'apiUrl'],
		rotatingRefreshToken: true,
		async test(settings, credentials) {
			if (settings.grantType === 'refresh_token') {
				return 'Not tested: a refresh would rotate the refresh token stored here. Deploy and send an event to check the connection.';
			}
			const { organisations } = await testXeroCredentials(deliveryContext(1), xeroCredentials(settings, credentials));
			return `Connected to ${organisations.map((o) => `${o.tenantName ?? '?'} (${o.tenantId})`).join(', ') || 'no organisation'}.`;
		},
	});

	registerSignIn(RED, {
		type: 'legalhooks-xero-account',
		destination: 'xero',
		settings: ['identityUrl', 'scopes', 'apiUrl'],
		server: (settings) => xeroAuthorizationServer({ identityUrl: str(settings.identityUrl), scopes: str(settings.scopes) }),
		// The organisations this sign-in reaches, so the dialog can fill in the tenant.
		async describe(accessToken, settings) {
			const client = new XeroClient(deliveryContext(1), { grantType: 'client_credentials', clientId: '-', clientSecret: '-', apiUrl: str(settings.apiUrl) }, { token: { accessToken } });
			const organisations = await client.connections();
			return { organisations: organisations.map((o) => ({ tenantId: o.tenantId, tenantName: o.tenantName })) };
		},
	});

	registerPicker<XeroState>(RED, {
		path: 'xero/organisations',
		permission: 'legalhooks-xero-account.write',
		accountType: 'legalhooks-xero-account',
		async list(account) {
			const client = new XeroClient(deliveryContext(1, account.tokens), xeroCredentials(account.config, account.credentials), account.state ?? {});
			return (await client.connections()).map((o) => ({ value: o.tenantId, label: o.tenantName ?? o.tenantId }));
		},
	});

	registerDestinationAction<XeroState>(RED, {
		type: 'legalhooks-xero',
		async send({ config, account, event, msg }) {
			const credentials = xeroCredentials(account.config, account.credentials);
			const { result, state } = await sendToXero(
				deliveryContext(config.maxAttempts, account.tokens),
				credentials,
				event,
				{
					operation: (str(config.operation) ?? 'createInvoice') as XeroOperation,
					accountCode: str(config.accountCode),
					taxType: str(config.taxType),
					lineAmountTypes: (str(config.lineAmountTypes) as XeroOptions['lineAmountTypes']) ?? undefined,
					dueInDays: num(config.dueInDays),
					description: str(config.description),
					defaultCurrency: str(config.defaultCurrency),
					contactId: str((msg as Record<string, unknown>).contactId) ?? str(config.contactId),
					note: str(config.note),
				},
				account.state,
			);
			// A rotated refresh token was stored the moment it arrived (account.tokens.onRefreshed).
			account.state = state;
			const label = result.operation === 'addContactNote' ? 'note added' : `draft ${result.invoiceNumber ?? result.invoiceId ?? ''}`.trim();
			return { result: { ...result }, status: label };
		},
	});
};
