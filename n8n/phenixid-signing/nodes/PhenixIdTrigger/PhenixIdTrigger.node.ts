import {
	NodeConnectionTypes,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type INodeCredentialTestResult,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { DEFAULT_ORDER_PATH, phenixid, type PhenixidOptions } from '../../../../core/vendors/phenixid';
import { PHENIXID_TRIGGER, phenixidTriggerOptions } from '../../../../core/vendors/phenixid/options';
import { checkWebhookSecret } from '../../../shared/credential-checks';
import { handoverWebhookMethods } from '../../../shared/handover-webhook';
import { handleWebhook, type TriggerWiring } from '../../../shared/trigger';
import { eventsProperty, eventsSubtitle, triggerOptionsProperty } from '../../../shared/trigger-properties';

const wiring: TriggerWiring<PhenixidOptions> = {
	vendor: phenixid,
	credentialName: 'phenixIdSigningApi',
	vendorOptions: (context) => phenixidTriggerOptions(context.getNodeParameter('options', {}) as Record<string, unknown>),
};

export class PhenixIdTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PhenixID Signing Service Trigger',
		name: 'phenixIdTrigger',
		icon: { light: 'file:phenixid.svg', dark: 'file:phenixid.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: eventsSubtitle(PHENIXID_TRIGGER),
		description: 'Starts the workflow when PhenixID Signing Service reports an order event (created, signed, rejected…)',
		defaults: { name: 'PhenixID Signing Service Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'phenixIdSigningApi', required: true, testedBy: 'phenixIdSecret' }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName: PHENIXID_TRIGGER.n8nNotice,
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			eventsProperty(PHENIXID_TRIGGER),
			triggerOptionsProperty(PHENIXID_TRIGGER, [
				{
					displayName: 'Fetch Order',
					name: 'fetchOrder',
					type: 'boolean',
					default: false,
					description:
						"Whether to fetch the order from the Automation API (credential's base URL) into data.order. A failed fetch keeps the event and puts the reason in data.orderError.",
				},
				{
					displayName: 'Order Path',
					name: 'orderPath',
					type: 'string',
					default: DEFAULT_ORDER_PATH,
					description: 'Path of the order under the Automation API base URL; {ID} is replaced with the task ID',
				},
			]),
		],
	};

	webhookMethods = handoverWebhookMethods(wiring.vendor, wiring.credentialName);

	methods = {
		credentialTest: {
			async phenixIdSecret(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				return checkWebhookSecret(credential);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return handleWebhook(this, wiring);
	}
}
