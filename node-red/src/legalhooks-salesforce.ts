import type { NodeAPI } from 'node-red';
import type { DocumentStatus } from '../../core/event/normalized-event';
import { jsonObjectSetting } from '../../core/destinations/event-input';
import type { TokenState } from '../../core/destinations/oauth';
import {
	listSalesforceExternalIdFields,
	listSalesforceObjects,
	salesforceAuthorizationServer,
	sendToSalesforce,
	testSalesforceCredentials,
	type SalesforceCredentials,
	type SalesforceOperation,
} from '../../core/destinations/salesforce';
import { deliveryContext, registerDestinationAccount, registerDestinationAction, registerPicker, str } from './shared/destination-node';
import { registerSignIn } from './shared/destination-signin';

function salesforceCredentials(settings: Record<string, unknown>, credentials: Record<string, string | undefined>): SalesforceCredentials {
	return {
		grantType: settings.grantType === 'client_credentials' ? 'client_credentials' : 'refresh_token',
		loginUrl: str(settings.loginUrl),
		instanceUrl: str(settings.instanceUrl),
		apiVersion: str(settings.apiVersion),
		clientId: credentials.clientId ?? '',
		clientSecret: credentials.clientSecret ?? '',
		refreshToken: credentials.refreshToken,
	};
}

type StatusMap = Partial<Record<DocumentStatus, string>>;

export = function (RED: NodeAPI) {
	registerDestinationAccount(RED, {
		type: 'legalhooks-salesforce-account',
		destination: 'salesforce',
		credentials: { clientId: { type: 'text' }, clientSecret: { type: 'password' }, refreshToken: { type: 'password' } },
		settings: ['grantType', 'loginUrl', 'instanceUrl', 'apiVersion'],
		rotatingRefreshToken: true,
		async test(settings, credentials, deployed) {
			// A refresh may rotate the refresh token: only test the deployed one, through the account's
			// token keeper, which stores a rotated token at once.
			const refreshing = settings.grantType !== 'client_credentials';
			if (refreshing && (!deployed || deployed.credentials.refreshToken !== credentials.refreshToken)) {
				return 'Not tested: with refresh-token rotation a test would spend this refresh token before it is deployed. Deploy and test again, or send an event.';
			}
			const { instanceUrl } = await testSalesforceCredentials(deliveryContext(1, refreshing ? deployed?.tokens : undefined), salesforceCredentials(settings, credentials));
			return `Connected to ${instanceUrl}.`;
		},
	});

	registerSignIn(RED, { type: 'legalhooks-salesforce-account', destination: 'salesforce', settings: ['loginUrl'], server: (settings) => salesforceAuthorizationServer({ loginUrl: str(settings.loginUrl) }) });

	registerPicker<TokenState>(RED, {
		path: 'salesforce/objects',
		permission: 'legalhooks-salesforce.write',
		accountType: 'legalhooks-salesforce-account',
		list: async (account) => (await listSalesforceObjects(deliveryContext(1, account.tokens), salesforceCredentials(account.config, account.credentials))).map((o) => ({ value: o.name, label: o.label })),
	});
	registerPicker<TokenState>(RED, {
		path: 'salesforce/external-id-fields',
		permission: 'legalhooks-salesforce.write',
		accountType: 'legalhooks-salesforce-account',
		list: async (account, query) =>
			(await listSalesforceExternalIdFields(deliveryContext(1, account.tokens), salesforceCredentials(account.config, account.credentials), query.object ?? 'Opportunity')).map((f) => ({ value: f.name, label: f.label })),
	});

	registerDestinationAction<TokenState>(RED, {
		type: 'legalhooks-salesforce',
		async send({ config, account, event, msg }) {
			const operation = (str(config.operation) ?? 'upsert') as SalesforceOperation;
			const fromMsg = msg as Record<string, unknown>;
			const { result, tokenState } = await sendToSalesforce(
				deliveryContext(config.maxAttempts, account.tokens),
				salesforceCredentials(account.config, account.credentials),
				event,
				{
					operation,
					object: str(config.object),
					externalIdField: str(config.externalIdField),
					externalIdValue: str(fromMsg.externalIdValue) ?? str(config.externalIdValue),
					upsertMode: config.upsertMode === 'updateOnly' ? 'updateOnly' : 'createOrUpdate',
					fieldMap: jsonObjectSetting(config.fieldMap, 'Field mapping') as Record<string, string> | undefined,
					statusMap: (operation === 'updateLeadStatus' ? jsonObjectSetting(config.leadStatusMap, 'Lead status map') : jsonObjectSetting(config.statusMap, 'Status map')) as StatusMap | undefined,
					extraFields: jsonObjectSetting(config.extraFields, 'Extra fields'),
					leadId: str(fromMsg.leadId) ?? str(config.leadId),
					leadEmail: str(config.leadEmail),
					whatId: str(fromMsg.whatId) ?? str(config.whatId),
					whoId: str(fromMsg.whoId) ?? str(config.whoId),
					subject: str(config.subject),
					taskStatus: str(config.taskStatus),
					taskExternalIdField: str(config.taskExternalIdField),
				},
				account.state,
			);
			account.state = tokenState;
			return { result: { ...result }, status: `${result.operation} ${result.object}${result.id ? ` ${result.id}` : ''}` };
		},
	});
};
