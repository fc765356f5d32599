import { NodeConnectionTypes, type INodeType, type INodeTypeDescription, type IWebhookFunctions, type IWebhookResponseData } from 'n8n-workflow';
import { legalesign, type LegalesignOptions } from '../../../../core/vendors/legalesign';
import {
	LEGALESIGN_DEFAULT_NOTIFY,
	LEGALESIGN_EVENT_FILTER_CHOICES,
	LEGALESIGN_NOTIFY_CHOICES,
	LEGALESIGN_TRIGGER,
	legalesignTriggerOptions,
} from '../../../../core/vendors/legalesign/options';
import { handleWebhook, webhookMethodsFor, type TriggerWiring } from '../../../shared/trigger';
import { eventsProperty, eventsSubtitle, optionsFrom, triggerOptionsProperty } from '../../../shared/trigger-properties';

const wiring: TriggerWiring<LegalesignOptions> = {
	vendor: legalesign,
	credentialName: 'legalesignApi',
	vendorOptions: (context) =>
		legalesignTriggerOptions({
			notify: context.getNodeParameter('notify', LEGALESIGN_DEFAULT_NOTIFY),
			eventFilter: context.getNodeParameter('eventFilter', ''),
			group: context.getNodeParameter('group', ''),
		}),
};

export class LegalesignTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Legalesign Trigger',
		name: 'legalesignTrigger',
		icon: { light: 'file:legalesign.svg', dark: 'file:legalesign.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: eventsSubtitle(LEGALESIGN_TRIGGER),
		description: 'Starts the workflow on Legalesign document and signer status changes (sent, viewed, signed, rejected, PDF ready)',
		defaults: { name: 'Legalesign Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'legalesignApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName: LEGALESIGN_TRIGGER.n8nNotice,
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Notify',
				name: 'notify',
				type: 'options',
				options: optionsFrom(LEGALESIGN_NOTIFY_CHOICES),
				default: LEGALESIGN_DEFAULT_NOTIFY,
				description: 'What Legalesign calls back for: every status change in a 6-minute batch, or one callback upon an event',
			},
			{
				displayName: 'Event Filter',
				name: 'eventFilter',
				type: 'options',
				options: optionsFrom(LEGALESIGN_EVENT_FILTER_CHOICES),
				default: '',
				description: "Legalesign's own filter on the subscription",
			},
			{
				displayName: 'Group',
				name: 'group',
				type: 'string',
				default: '',
				description: 'Only this group\'s events (slug or ID). An API key sees every group its user administers.',
			},
			eventsProperty(LEGALESIGN_TRIGGER),
			triggerOptionsProperty(LEGALESIGN_TRIGGER),
		],
	};

	webhookMethods = webhookMethodsFor(wiring);

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return handleWebhook(this, wiring);
	}
}
