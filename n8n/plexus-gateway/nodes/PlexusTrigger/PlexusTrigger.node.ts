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
import { plexus } from '../../../../core/vendors/plexus';
import { PLEXUS_TRIGGER } from '../../../../core/vendors/plexus/options';
import { checkWebhookSecret } from '../../../shared/credential-checks';
import { handoverWebhookMethods } from '../../../shared/handover-webhook';
import { handleWebhook, type TriggerWiring } from '../../../shared/trigger';
import { eventsProperty, eventsSubtitle, triggerOptionsProperty } from '../../../shared/trigger-properties';

const wiring: TriggerWiring = { vendor: plexus, credentialName: 'plexusGatewayApi' };

export class PlexusTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Plexus Gateway Trigger',
		name: 'plexusTrigger',
		icon: { light: 'file:plexus.svg', dark: 'file:plexus.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: eventsSubtitle(PLEXUS_TRIGGER),
		description: 'Starts the workflow when Plexus Gateway sends a document event (created, updated, deleted)',
		defaults: { name: 'Plexus Gateway Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'plexusGatewayApi', required: true, testedBy: 'plexusSecret' }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName: PLEXUS_TRIGGER.n8nNotice,
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			eventsProperty(PLEXUS_TRIGGER),
			triggerOptionsProperty(PLEXUS_TRIGGER),
		],
	};

	webhookMethods = handoverWebhookMethods(wiring.vendor, wiring.credentialName);

	methods = {
		credentialTest: {
			async plexusSecret(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				return checkWebhookSecret(credential);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return handleWebhook(this, wiring);
	}
}
