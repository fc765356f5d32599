import { NodeConnectionTypes, type INodeProperties, type INodeType, type INodeTypeDescription, type IWebhookFunctions, type IWebhookResponseData } from 'n8n-workflow';
import { legalesign, type LegalesignOptions } from '../../../../core/vendors/legalesign';
import {
	LEGALESIGN_CONFIRM_WITH_API_HELP,
	LEGALESIGN_DEFAULT_NOTIFY,
	LEGALESIGN_DEFAULT_WEBHOOK_SYSTEM,
	LEGALESIGN_EVENT_FILTER_CHOICES,
	LEGALESIGN_NOTIFY_CHOICES,
	LEGALESIGN_TRIGGER,
	LEGALESIGN_WEBHOOK_SYSTEM_CHOICES,
	legalesignTriggerOptions,
} from '../../../../core/vendors/legalesign/options';
import { handleWebhook, webhookMethodsFor, type TriggerWiring } from '../../../shared/trigger';
import { eventsProperty, eventsSubtitle, optionsFrom, triggerOptionsProperty } from '../../../shared/trigger-properties';

const wiring: TriggerWiring<LegalesignOptions> = {
	vendor: legalesign,
	credentialName: 'legalesignApi',
	vendorOptions: (context) =>
		legalesignTriggerOptions({
			// Version 1 (saved before realtime existed, the setting absent) stays legacy; version 2 is new and realtime.
			webhookSystem: context.getNodeParameter('webhookSystem', context.getNode().typeVersion >= 2 ? LEGALESIGN_DEFAULT_WEBHOOK_SYSTEM : 'legacy'),
			confirmWithApi: context.getNodeParameter('confirmWithApi', true),
			notify: context.getNodeParameter('notify', LEGALESIGN_DEFAULT_NOTIFY),
			eventFilter: context.getNodeParameter('eventFilter', ''),
			group: context.getNodeParameter('group', ''),
		}),
};

const WEBHOOK_SYSTEM_HELP =
	"Realtime is Legalesign's current system (more events, faster, filtered by Event Filter): choose it for a new trigger. Legacy keeps the older webhooks Legalesign calls deprecated (the 6-minute batch, or a callback upon signing, sending or rejection).";

/** The setting with its default per node version: n8n does not save a parameter left at its default. */
const webhookSystem = (versions: number[], fallback: 'realtime' | 'legacy'): INodeProperties => ({
	displayName: 'Webhook System',
	name: 'webhookSystem',
	type: 'options',
	options: optionsFrom(LEGALESIGN_WEBHOOK_SYSTEM_CHOICES),
	default: fallback,
	description: WEBHOOK_SYSTEM_HELP,
	displayOptions: { show: { '@version': versions } },
});

export class LegalesignTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Legalesign Trigger',
		name: 'legalesignTrigger',
		icon: { light: 'file:legalesign.svg', dark: 'file:legalesign.dark.svg' },
		group: ['trigger'],
		// 2: Webhook System defaults to realtime; a version-1 node (saved before) stays legacy.
		version: [1, 2],
		defaultVersion: 2,
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
			webhookSystem([1], 'legacy'),
			webhookSystem([2], LEGALESIGN_DEFAULT_WEBHOOK_SYSTEM),
			{
				displayName: 'Notify',
				name: 'notify',
				type: 'options',
				options: optionsFrom(LEGALESIGN_NOTIFY_CHOICES),
				default: LEGALESIGN_DEFAULT_NOTIFY,
				description: 'What Legalesign calls back for: every status change in a 6-minute batch, or one callback upon an event',
				displayOptions: { show: { webhookSystem: ['legacy'] } },
			},
			{
				displayName: 'Event Filter',
				name: 'eventFilter',
				type: 'options',
				options: optionsFrom(LEGALESIGN_EVENT_FILTER_CHOICES),
				default: '',
				description: "Legalesign's own filter on the subscription: which realtime events it sends (document.*, recipient.completed…)",
			},
			{
				displayName: 'Confirm With API',
				name: 'confirmWithApi',
				type: 'boolean',
				default: true,
				description: `Whether to confirm each realtime event with the API before emitting it. ${LEGALESIGN_CONFIRM_WITH_API_HELP}.`,
				displayOptions: { show: { webhookSystem: ['realtime'] } },
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
