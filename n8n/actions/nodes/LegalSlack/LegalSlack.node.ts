import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
	type INodeExecutionData,
	type INodeListSearchResult,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { SLACK_DEFAULT_BASE_URL, SLACK_SERVICE, listSlackChannels, sendToSlack, type SlackCredentials } from '../../../../core/destinations/slack';
import { SendGuard } from '../../../../core/destinations/send-guard';
import { SEND_ONCE_PROPERTY, executeDestination, n8nDeliveryContext } from '../../../shared/destination';

export class LegalSlack implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Legal Event to Slack',
		name: 'legalSlack',
		icon: { light: 'file:legalSlack.svg', dark: 'file:legalSlack.dark.svg' },
		group: ['output'],
		version: 1,
		// $parameter["channel"] gives the channel ID alone; the name picked from the list is kept beside it
		subtitle: '={{$parameter["authentication"] === "webhook" ? "Post via incoming webhook" : "Post to " + ((JSON.parse(JSON.stringify($parameter)).channel || {}).cachedResultName || "a channel")}}',
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
				displayName: 'Channel',
				name: 'channel',
				type: 'resourceLocator',
				default: { mode: 'list', value: '' },
				required: true,
				description: 'The channel to post to. Invite the app to the channel first. The list needs the channels:read (and groups:read) scope.',
				modes: [
					{ displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod: 'searchChannels', searchable: true } },
					{
						displayName: 'ID',
						name: 'id',
						type: 'string',
						placeholder: 'C0123456789',
						validation: [{ type: 'regex', properties: { regex: '[CGD][A-Z0-9]{6,}', errorMessage: 'Not a Slack channel ID (C…, G… or D…)' } }],
					},
				],
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

	methods = {
		listSearch: {
			async searchChannels(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
				const data = await this.getCredentials('legalhooksSlackApi');
				const baseUrl = String(data.baseUrl ?? '') || undefined;
				const ctx = n8nDeliveryContext(this, 1, { credentialType: 'legalhooksSlackApi', service: SLACK_SERVICE });
				const channels = await listSlackChannels(ctx, { kind: 'botToken', botToken: String(data.botToken ?? ''), baseUrl, engineAuth: true });
				const wanted = (filter ?? '').trim().replace(/^#/, '').toLowerCase();
				return { results: channels.filter((c) => !wanted || c.name.toLowerCase().includes(wanted)).map((c) => ({ name: `#${c.name}`, value: c.id })) };
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// This run's locks and recent posts; across runs and workers "Send Each Event Once" records in n8n's database.
		const guard = new SendGuard();
		return executeDestination(this, {
			name: 'slack',
			onceKey: (event, itemIndex) => {
				const where = this.getNodeParameter('authentication', itemIndex) === 'webhook' ? 'webhook' : String(this.getNodeParameter('channel', itemIndex, '', { extractValue: true })).trim();
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
				const result = await sendToSlack({ ...n8nDeliveryContext(this, options.maxAttempts, auth), guard }, credentials, event, {
					channel: authentication === 'botToken' ? (this.getNodeParameter('channel', itemIndex, '', { extractValue: true }) as string) : undefined,
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
