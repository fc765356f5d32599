import { NodeConnectionTypes, type INodeType, type INodeTypeDescription, type IWebhookFunctions, type IWebhookResponseData } from 'n8n-workflow';
import { quicklysign, type QuicklysignOptions } from '../../../../core/vendors/quicklysign';
import { QUICKLYSIGN_TRIGGER, quicklysignTriggerOptions } from '../../../../core/vendors/quicklysign/options';
import { handleWebhook, webhookMethodsFor, type TriggerWiring } from '../../../shared/trigger';
import { eventsProperty, eventsSubtitle, triggerOptionsProperty } from '../../../shared/trigger-properties';

const wiring: TriggerWiring<QuicklysignOptions> = {
	vendor: quicklysign,
	credentialName: 'quicklySignApi',
	vendorOptions: (context) =>
		quicklysignTriggerOptions({
			documentPackKeys: context.getNodeParameter('documentPackKeys', ''),
			fetchDocumentPack: context.getNodeParameter('fetchDocumentPack', false),
			acceptForeignSubscriptions: context.getNodeParameter('acceptForeignSubscriptions', false),
		}),
};

export class QuicklySignTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'QuicklySign Trigger',
		name: 'quicklySignTrigger',
		icon: { light: 'file:quicklysign.svg', dark: 'file:quicklysign.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: eventsSubtitle(QUICKLYSIGN_TRIGGER),
		description: 'Starts the workflow when a QuicklySign document pack changes (status, signatories, final PDF ready)',
		defaults: { name: 'QuicklySign Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'quicklySignApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName: QUICKLYSIGN_TRIGGER.n8nNotice,
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Document Pack Keys',
				name: 'documentPackKeys',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				required: true,
				description: 'The key of each document pack to watch, separated by commas or new lines',
			},
			{
				displayName: 'Fetch Document Pack',
				name: 'fetchDocumentPack',
				type: 'boolean',
				default: false,
				description:
					'Whether to fetch the pack (GET /document_packs/{key}) into data.documentPack: adds the status (mapped to document.status), the serve_pdf_url of each document, and makes each status change a distinct event ID. A failed fetch keeps the event with data.documentPackError.',
			},
			{
				displayName: 'Accept Packs Subscribed Elsewhere',
				name: 'acceptForeignSubscriptions',
				type: 'boolean',
				default: false,
				description: 'Whether to also accept callbacks carrying this trigger\'s token for packs your own app subscribed to this URL',
			},
			eventsProperty(QUICKLYSIGN_TRIGGER),
			triggerOptionsProperty(QUICKLYSIGN_TRIGGER),
		],
	};

	webhookMethods = webhookMethodsFor(wiring);

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return handleWebhook(this, wiring);
	}
}
