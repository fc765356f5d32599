import {
	NodeConnectionTypes,
	NodeOperationError,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeCredentialTestResult,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { DEFAULT_ORDER_PATH, isOnePathSegment } from '../../../../core/vendors/phenixid/api';
import { BinaryItem, downloadToItem, executeEach } from '../../../shared/action-node';
import { checkWebhookSecret } from '../../../shared/credential-checks';
import { PHENIXID_SERVICE, phenixIdSigningApi } from './PhenixIdSigningApiRequest';

export class PhenixIdSigning implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PhenixID Signing Service',
		name: 'phenixIdSigning',
		icon: { light: 'file:phenixid.svg', dark: 'file:phenixid.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Reads an order from the PhenixID Signing Service Automation API and downloads its signed document',
		defaults: { name: 'PhenixID Signing Service' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'phenixIdSigningApi', required: true, testedBy: 'phenixIdSecret' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Order', value: 'order' }],
				default: 'order',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['order'] } },
				options: [
					{ name: 'Download Signed Document', value: 'download', action: 'Download the signed document of an order', description: 'Download the signed document as binary data' },
					{ name: 'Get', value: 'get', action: 'Get an order', description: 'Read an order’s current state' },
				],
				default: 'get',
			},
			{
				displayName: 'Task ID',
				name: 'taskId',
				type: 'string',
				required: true,
				default: '',
				description: 'The task (order) ID (a PhenixID Signing Service Trigger event has it in document.ID)',
			},
			{
				displayName: 'Put Output File in Field',
				name: 'binaryPropertyName',
				type: 'string',
				required: true,
				displayOptions: { show: { operation: ['download'] } },
				default: 'data',
				hint: 'The name of the output binary field to put the signed document in',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Order Path',
						name: 'orderPath',
						type: 'string',
						default: DEFAULT_ORDER_PATH,
						description:
							"Path of the order under the credential's API base URL; {ID} is replaced with the task ID. The signed document is read at this path plus /document.",
					},
				],
			},
		],
	};

	// The same check as the trigger's: the Automation API has no request of its own to test with.
	methods = {
		credentialTest: {
			async phenixIdSecret(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				return checkWebhookSecret(credential);
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const api = phenixIdSigningApi(this);
		return executeEach(this, async (itemIndex) => {
			const operation = this.getNodeParameter('operation', itemIndex) as string;
			const taskId = String(this.getNodeParameter('taskId', itemIndex)).trim();
			if (!isOnePathSegment(taskId)) throw new NodeOperationError(this.getNode(), 'Enter one task ID (no slashes)', { itemIndex });
			const orderPath = String((this.getNodeParameter('options', itemIndex, {}) as IDataObject).orderPath ?? '').trim() || DEFAULT_ORDER_PATH;
			if (operation === 'get') return (await api.order(itemIndex, taskId, orderPath)) as IDataObject;
			const property = this.getNodeParameter('binaryPropertyName', itemIndex) as string;
			const item = await downloadToItem(this, itemIndex, PHENIXID_SERVICE, await api.signedDocumentDownloads(itemIndex, taskId, orderPath), property);
			return new BinaryItem({ taskId, ...item.json }, item.binary);
		});
	}
}
