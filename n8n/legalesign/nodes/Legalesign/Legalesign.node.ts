import { NodeConnectionTypes, NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { BinaryItem, downloadToItem, executeEach, maskToken } from '../../../shared/action-node';
import { legalesignApi } from './LegalesignApiRequest';

const oneSegment = (value: string) => value !== '' && value !== '.' && value !== '..' && !/[/\\?#]/.test(value);

export class Legalesign implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Legalesign',
		name: 'legalesign',
		icon: { light: 'file:legalesign.svg', dark: 'file:legalesign.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Reads Legalesign documents, downloads their signed PDF, and lists or removes the account’s webhooks',
		defaults: { name: 'Legalesign' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'legalesignApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Document', value: 'document' },
					{ name: 'Webhook', value: 'webhook' },
				],
				default: 'document',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['document'] } },
				options: [
					{ name: 'Download Signed PDF', value: 'download', action: 'Download the signed PDF of a document', description: 'Download the final PDF as binary data' },
					{ name: 'Get', value: 'get', action: 'Get a document', description: 'Read a document with its signers’ statuses' },
				],
				default: 'get',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['webhook'] } },
				options: [
					{ name: 'Delete', value: 'delete', action: 'Delete a webhook', description: 'Unsubscribe a callback URL, e.g. one another tool left behind' },
					{ name: 'Get Many', value: 'getAll', action: 'Get many webhooks', description: 'List the webhooks of this API user (URL tokens hidden)' },
				],
				default: 'getAll',
			},
			{
				displayName: 'Document UUID',
				name: 'documentId',
				type: 'string',
				required: true,
				displayOptions: { show: { resource: ['document'] } },
				default: '',
				placeholder: '3a8e7f4c-5d1b-4c8e-9f0a-2b6d7e1c9a40',
				description: 'The UUID of the document (a Legalesign Trigger event has it in document.ID)',
			},
			{
				displayName: 'Put Output File in Field',
				name: 'binaryPropertyName',
				type: 'string',
				required: true,
				displayOptions: { show: { resource: ['document'], operation: ['download'] } },
				default: 'data',
				hint: 'The name of the output binary field to put the PDF in',
			},
			{
				displayName: 'Webhook URL',
				name: 'webhookUrl',
				type: 'string',
				required: true,
				displayOptions: { show: { resource: ['webhook'], operation: ['delete'] } },
				default: '',
				placeholder: 'https://n8n.example.com/webhook/…?token=***',
				description: 'The callback URL to unsubscribe, exactly as Get Many lists it (with its token hidden) or in full. Every subscription of this URL is removed.',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const api = legalesignApi(this);
		return executeEach(this, async (itemIndex) => {
			const resource = this.getNodeParameter('resource', itemIndex) as string;
			const operation = this.getNodeParameter('operation', itemIndex) as string;
			if (resource === 'document') {
				const id = String(this.getNodeParameter('documentId', itemIndex)).trim();
				if (!oneSegment(id)) throw new NodeOperationError(this.getNode(), 'Enter one document UUID', { itemIndex });
				if (operation === 'get') return (await api.document(itemIndex, id)) as IDataObject;
				const property = this.getNodeParameter('binaryPropertyName', itemIndex) as string;
				const item = await downloadToItem(this, itemIndex, 'Legalesign', await api.finalPdfDownloads(itemIndex, id), property);
				return new BinaryItem({ documentId: id, ...item.json }, item.binary);
			}
			const notifications = await api.notifications(itemIndex);
			if (operation === 'getAll') return notifications.map((n) => ({ ...n, url: typeof n.url === 'string' ? maskToken(n.url) : n.url })) as IDataObject[];
			const given = String(this.getNodeParameter('webhookUrl', itemIndex)).trim();
			const matching = notifications.filter((n) => typeof n.url === 'string' && (n.url === given || maskToken(n.url) === given));
			for (const n of matching) {
				await api.unsubscribe(itemIndex, n.url as string, n.event_filter ?? '', n.group_id === null || n.group_id === undefined ? '' : String(n.group_id));
			}
			return { url: maskToken(given), removed: matching.length };
		});
	}
}
