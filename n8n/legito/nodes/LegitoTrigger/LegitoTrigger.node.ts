import { NodeConnectionTypes, type INodeType, type INodeTypeDescription, type IWebhookFunctions, type IWebhookResponseData } from 'n8n-workflow';
import { legito, type LegitoOptions } from '../../../../core/vendors/legito';
import { LEGITO_DEFAULT_FILE_TYPES, LEGITO_FILE_TYPE_CHOICES, LEGITO_TRIGGER, legitoTriggerOptions } from '../../../../core/vendors/legito/options';
import { handleWebhook, webhookMethodsFor, type TriggerWiring } from '../../../shared/trigger';
import { eventsProperty, eventsSubtitle, optionsFrom, triggerOptionsProperty } from '../../../shared/trigger-properties';
import { legitoRecordFilters } from './recordFilters';

const wiring: TriggerWiring<LegitoOptions> = {
	vendor: legito,
	credentialName: 'legitoApi',
	vendorOptions: (context) =>
		legitoTriggerOptions({
			legitoEventTypes: context.getNodeParameter('legitoEvents', []),
			templateSuites: context.getNodeParameter('templateSuites', ''),
			documentRecordTypes: context.getNodeParameter('documentRecordTypes', ''),
			attachFilesUploaded: context.getNodeParameter('attachFilesUploaded', false),
			attachFilesGenerated: context.getNodeParameter('attachFilesGenerated', false),
			fileTypes: context.getNodeParameter('fileTypes', []),
		}),
};

export class LegitoTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Legito Trigger',
		name: 'legitoTrigger',
		icon: { light: 'file:legito.svg', dark: 'file:legito.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: eventsSubtitle(LEGITO_TRIGGER, 'legitoEvents'),
		description: 'Starts the workflow when a Legito document record event happens (created, signed, approved…), with attached documents as binary data',
		defaults: { name: 'Legito Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'legitoApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName: LEGITO_TRIGGER.n8nNotice,
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			eventsProperty(LEGITO_TRIGGER, {
				name: 'legitoEvents',
				description: 'The events the push connection is triggered by: Legito sends only these. Empty means all events.',
			}),
			...legitoRecordFilters,
			{
				displayName: 'Attach Uploaded Files',
				name: 'attachFilesUploaded',
				type: 'boolean',
				default: false,
				description: 'Whether Legito attaches the record\'s uploaded files (emitted as binary properties file0, file1…)',
			},
			{
				displayName: 'Attach Generated Documents',
				name: 'attachFilesGenerated',
				type: 'boolean',
				default: false,
				description: 'Whether Legito attaches the generated documents (emitted as binary properties)',
			},
			{
				displayName: 'Generated Formats',
				name: 'fileTypes',
				type: 'multiOptions',
				options: optionsFrom(LEGITO_FILE_TYPE_CHOICES),
				default: [...LEGITO_DEFAULT_FILE_TYPES],
				displayOptions: { show: { attachFilesGenerated: [true] } },
			},
			triggerOptionsProperty(LEGITO_TRIGGER),
		],
	};

	webhookMethods = webhookMethodsFor(wiring);

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return handleWebhook(this, wiring);
	}
}
