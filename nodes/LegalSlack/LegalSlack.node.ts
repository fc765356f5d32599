import { NodeConnectionTypes, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { SLACK_DEFAULT_BASE_URL, SLACK_SERVICE, sendToSlack, type SlackCredentials } from '../../core/destinations/slack';
import { SEND_ONCE_PROPERTY, executeDestination, n8nDeliveryContext } from '../shared/destination';

export class LegalSlack implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Legal Event to Slack',
		name: 'legalSlack',
		icon: { light: 'file:legalSlack.svg', dark: 'file:legalSlack.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["authentication"] === "webhook" ? "incoming webhook" : $parameter["channel"]}}',
		description: 'Posts a legalhooks document event (signed, rejected, sent…) to Slack as a readable message, optionally threaded per document',
		defaults: { name: 'Legal Event to Slack' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'legalhooksSlackApi', required: true, displayOptions: { show: { authentication: ['botToken'] } } },
			{ name: 'legalhooksSlackWebhookApi', required: true, displayOptions: { show: { authentication: ['webhook'] } } },
		],
		properties: [
			{
				displayName: 'Connect this node after a legalhooks trigger: each input item must be a normalized document event.',
				name: 'inputNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'Bot Token', value: 'botToken', description: 'Posts with chat.postMessage; supports threads and duplicate checks' },
					{ name: 'Incoming Webhook', value: 'webhook', description: 'One fixed channel; no threads' },
				],
				default: 'botToken',
			},
			{
				displayName: 'Channel ID',
				name: 'channel',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'C0123456789',
				description: 'The channel to post to (its ID; right-click the channel → View channel details). Invite the app to the channel first.',
				displayOptions: { show: { authentication: ['botToken'] } },
			},
			{
				displayName: 'Thread per Document',
				name: 'threadPerDocument',
				type: 'boolean',
				default: false,
				description:
					'Whether to post the first event of a document as a message and later events as replies in its thread (found by the document ID in the message metadata among the recent channel messages)',
				displayOptions: { show: { authentication: ['botToken'] } },
			},
			{
				displayName: 'Text',
				name: 'text',
				type: 'string',
				default: '',
				placeholder: '{{document.title}} is {{statusLabel}}',
				description:
					'Replaces the default message text. Placeholders like {{document.title}}, {{data.counterpartyName}}, {{statusLabel}} and {{vendorLabel}} are filled from the event, {{xero.invoiceNumber}} from an earlier legalhooks action; n8n expressions work too.',
			},
			SEND_ONCE_PROPERTY,
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{ displayName: 'Block Kit Layout', name: 'blocks', type: 'boolean', default: true, description: 'Whether to send the Block Kit layout (title, link, status, vendor, who, when) or the text only' },
					{ displayName: 'History Search Depth', name: 'historyLimit', type: 'number', default: 200, typeOptions: { minValue: 1, maxValue: 5000 }, description: 'How many recent channel messages to search for a document’s thread (read in pages of up to 999)' },
					{ displayName: 'Max Attempts', name: 'maxAttempts', type: 'number', default: 3, typeOptions: { minValue: 1, maxValue: 10 }, description: 'Attempts per message on rate limits, server errors and lost connections' },
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeDestination(this, {
			name: 'slack',
			onceKey: (event, itemIndex) => {
				const where = this.getNodeParameter('authentication', itemIndex) === 'webhook' ? 'webhook' : String(this.getNodeParameter('channel', itemIndex, '')).trim();
				return `slack:${where}:${event.vendor}:${event.id}`;
			},
			send: async (event, itemIndex) => {
				const authentication = this.getNodeParameter('authentication', itemIndex) as 'botToken' | 'webhook';
				const options = this.getNodeParameter('options', itemIndex, {}) as { blocks?: boolean; historyLimit?: number; maxAttempts?: number };
				let credentials: SlackCredentials;
				if (authentication === 'webhook') {
					const data = await this.getCredentials('legalhooksSlackWebhookApi', itemIndex);
					credentials = { kind: 'webhook', webhookUrl: String(data.webhookUrl ?? '') };
				} else {
					const data = await this.getCredentials('legalhooksSlackApi', itemIndex);
					// n8n adds the bot token to each call (httpRequestWithAuthentication with the credential)
					credentials = { kind: 'botToken', botToken: String(data.botToken ?? ''), baseUrl: String(data.baseUrl ?? '') || undefined, engineAuth: true };
				}
				const auth =
					credentials.kind === 'botToken'
						? { credentialType: 'legalhooksSlackApi', service: SLACK_SERVICE, probeUrl: `${(credentials.baseUrl ?? SLACK_DEFAULT_BASE_URL).replace(/\/+$/, '')}/auth.test` }
						: { credentialType: 'legalhooksSlackWebhookApi', service: SLACK_SERVICE }; // the URL is the secret; nothing to sign
				const result = await sendToSlack(n8nDeliveryContext(this, options.maxAttempts, auth), credentials, event, {
					channel: authentication === 'botToken' ? (this.getNodeParameter('channel', itemIndex) as string) : undefined,
					threadPerDocument: authentication === 'botToken' ? (this.getNodeParameter('threadPerDocument', itemIndex, false) as boolean) : false,
					text: this.getNodeParameter('text', itemIndex, '') as string,
					blocks: options.blocks,
					historyLimit: options.historyLimit,
					// what earlier legalhooks actions added to the item, for {{xero.invoiceNumber}} and the like
					context: this.getInputData()[itemIndex]?.json,
				});
				return { ...result } as unknown as IDataObject;
			},
		});
	}
}
