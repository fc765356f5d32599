import { NodeConnectionTypes, type INodeType, type INodeTypeDescription, type IWebhookFunctions, type IWebhookResponseData } from 'n8n-workflow';
import { legalesign, type LegalesignOptions } from '../../core/vendors/legalesign';
import { handleWebhook, webhookMethodsFor, type TriggerWiring } from '../shared/trigger';
import { dropOutOfOrderOption, triggerOptionsProperty } from '../shared/triggerOptions';

const wiring: TriggerWiring<LegalesignOptions> = {
	vendor: legalesign,
	credentialName: 'legalesignApi',
	vendorOptions(context) {
		return {
			notify: context.getNodeParameter('notify', 'all') as string,
			eventFilter: context.getNodeParameter('eventFilter', '') as string,
			group: context.getNodeParameter('group', '') as string,
		};
	},
};

export class LegalesignTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Legalesign Trigger',
		name: 'legalesignTrigger',
		icon: { light: 'file:../../icons/legalesign.svg', dark: 'file:../../icons/legalesign.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["notify"]}}',
		description: 'Starts the workflow on Legalesign document and signer status changes (sent, viewed, signed, rejected, PDF ready)',
		defaults: { name: 'Legalesign Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'legalesignApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName:
					'Activating subscribes this workflow\'s URL plus a secret ?token= to Legalesign (API v1 webhooks); deactivating unsubscribes it. The 6-minute batch is split into one item per status change. Add Legalesign\'s certificate to the credential to also verify each callback\'s RSA-SHA1 signature.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Notify',
				name: 'notify',
				type: 'options',
				options: [
					{ name: 'All Events (Every 6 Minutes)', value: 'all', description: 'Every document and signer status change, batched' },
					{ name: 'Upon Signing', value: 'signed' },
					{ name: 'Upon Sending', value: 'sent' },
					{ name: 'Upon Rejection', value: 'rejected' },
				],
				default: 'all',
			},
			{
				displayName: 'Event Filter',
				name: 'eventFilter',
				type: 'options',
				options: [
					{ name: 'All Document Events', value: 'document.*' },
					{ name: 'All Recipient Events', value: 'recipient.*' },
					{ name: 'Document Created', value: 'document.created' },
					{ name: 'Document Final PDF Created', value: 'document.finalPdfCreated' },
					{ name: 'Document Rejected', value: 'document.rejected' },
					{ name: 'No Filter', value: '' },
					{ name: 'Recipient Bounced', value: 'recipient.bounced' },
					{ name: 'Recipient Completed', value: 'recipient.completed' },
					{ name: 'Recipient Email Opened', value: 'recipient.emailOpened' },
					{ name: 'Recipient Rejected', value: 'recipient.rejected' },
					{ name: 'Recipient Visiting', value: 'recipient.visiting' },
				],
				default: '',
				description: 'Legalesign\'s own filter on the subscription',
			},
			{
				displayName: 'Group',
				name: 'group',
				type: 'string',
				default: '',
				description: 'Only this group\'s events (slug or ID). An API key sees every group its user administers.',
			},
			triggerOptionsProperty(legalesign.vendorEventTypes, [dropOutOfOrderOption]),
		],
	};

	webhookMethods = webhookMethodsFor(wiring);

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return handleWebhook(this, wiring);
	}
}
