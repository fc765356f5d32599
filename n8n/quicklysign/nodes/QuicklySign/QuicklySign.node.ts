import { NodeConnectionTypes, NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { BinaryItem, downloadToItem, executeEach, maskToken } from '../../../shared/action-node';
import { quicklySignApi } from './QuicklySignApiRequest';

const oneSegment = (value: string) => value !== '' && value !== '.' && value !== '..' && !/[/\\?#]/.test(value);

export class QuicklySign implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'QuicklySign',
		name: 'quicklySign',
		icon: { light: 'file:quicklysign.svg', dark: 'file:quicklysign.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Reads QuicklySign document packs, downloads their final PDFs, and lists or deletes the account’s webhooks',
		defaults: { name: 'QuicklySign' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'quicklySignApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Document Pack', value: 'documentPack' },
					{ name: 'Webhook', value: 'webhook' },
				],
				default: 'documentPack',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['documentPack'] } },
				options: [
					{ name: 'Download Final PDFs', value: 'download', action: 'Download the final PDF files of a document pack', description: 'Download each document’s final PDF as binary data' },
					{ name: 'Get', value: 'get', action: 'Get a document pack', description: 'Read a pack’s status, documents and their PDF links' },
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
					{ name: 'Delete', value: 'delete', action: 'Delete a webhook', description: 'Remove a webhook, e.g. one another tool left behind' },
					{ name: 'Get Many', value: 'getAll', action: 'Get many webhooks', description: 'List the account’s webhooks (callback tokens hidden)' },
				],
				default: 'getAll',
			},
			{
				displayName: 'Document Pack Key',
				name: 'documentPackKey',
				type: 'string',
				required: true,
				displayOptions: { show: { resource: ['documentPack'] } },
				default: '',
				placeholder: 'ahDocx1yZ0aBcDeFgHiJkLmNoP',
				description: 'The key of the document pack (a QuicklySign Trigger event has it in document.ID)',
			},
			{
				displayName: 'Put Output Files in Field',
				name: 'binaryPropertyName',
				type: 'string',
				required: true,
				displayOptions: { show: { resource: ['documentPack'], operation: ['download'] } },
				default: 'data',
				hint: 'The first PDF goes in this binary field, further ones in data_1, data_2…',
			},
			{
				displayName: 'Document Pack Key',
				name: 'webhookPackKey',
				type: 'string',
				displayOptions: { show: { resource: ['webhook'], operation: ['getAll'] } },
				default: '',
				description: 'Only the webhooks on this document pack. Empty lists every webhook of the account.',
			},
			{
				displayName: 'Webhook Key',
				name: 'webhookKey',
				type: 'string',
				required: true,
				displayOptions: { show: { resource: ['webhook'], operation: ['delete'] } },
				default: '',
				description: 'The key of the webhook to delete (Get Many lists them). Deleting one that is already gone succeeds.',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const api = quicklySignApi(this);
		return executeEach(this, async (itemIndex) => {
			const resource = this.getNodeParameter('resource', itemIndex) as string;
			const operation = this.getNodeParameter('operation', itemIndex) as string;
			if (resource === 'documentPack') {
				const key = String(this.getNodeParameter('documentPackKey', itemIndex)).trim();
				if (!oneSegment(key)) throw new NodeOperationError(this.getNode(), 'Enter one document pack key', { itemIndex });
				if (operation === 'get') return (await api.documentPack(itemIndex, key)) as IDataObject;
				const property = this.getNodeParameter('binaryPropertyName', itemIndex) as string;
				const item = await downloadToItem(this, itemIndex, 'QuicklySign', await api.finalPdfDownloads(itemIndex, key), property);
				return new BinaryItem({ documentPackKey: key, ...item.json }, item.binary);
			}
			if (operation === 'delete') {
				const key = String(this.getNodeParameter('webhookKey', itemIndex)).trim();
				if (!oneSegment(key)) throw new NodeOperationError(this.getNode(), 'Enter one webhook key', { itemIndex });
				await api.deleteWebhook(itemIndex, key);
				return { key, deleted: true };
			}
			const packKey = String(this.getNodeParameter('webhookPackKey', itemIndex, '')).trim();
			const webhooks = await api.webhooks(itemIndex, packKey || undefined);
			return webhooks.map((w) => ({ ...w, ...(typeof w.callback === 'string' ? { callback: maskToken(w.callback) } : {}) })) as IDataObject[];
		});
	}
}
