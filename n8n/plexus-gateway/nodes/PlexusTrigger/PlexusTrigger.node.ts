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
import { checkWebhookSecret } from '../../../shared/credentialTests';
import { handoverWebhookMethods } from '../../../shared/handoverWebhook';
import { handleWebhook, type TriggerWiring } from '../../../shared/trigger';
import { eventsProperty, eventsSubtitle, triggerOptionsProperty } from '../../../shared/triggerOptions';

const wiring: TriggerWiring = { vendor: plexus, credentialName: 'plexusGatewayApi' };

export class PlexusTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Plexus Gateway Trigger',
		name: 'plexusTrigger',
		icon: { light: 'file:plexus.svg', dark: 'file:plexus.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: eventsSubtitle(),
		description: 'Starts the workflow when Plexus Gateway sends a document event (created, updated, deleted)',
		defaults: { name: 'Plexus Gateway Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'plexusGatewayApi', required: true, testedBy: 'plexusSecret' }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName: `Plexus sets up webhooks through support: send your Customer Success Manager this trigger's Production URL (Webhook URLs at the top of this panel: switch from Test URL to Production URL; it must be public HTTPS), the events you want (${PLEXUS_TRIGGER.events.map((event) => event.value).join(', ')}) and agree the secret in the credential; then publish the workflow. Every delivery is verified (HMAC-SHA512, replay window) and emitted as one normalized item; a retried delivery is emitted once. To try it without Plexus: click Listen for test event, then run ${PLEXUS_TRIGGER.sampleCommand} with the Test URL and the credential's secret.`,
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
