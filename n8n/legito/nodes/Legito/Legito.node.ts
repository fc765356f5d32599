import { NodeConnectionTypes, NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { executeEach } from '../../../shared/action-node';
import { legitoApi, withoutHeaderValues } from './LegitoApiRequest';

export class Legito implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Legito',
		name: 'legito',
		icon: { light: 'file:legito.svg', dark: 'file:legito.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Reads Legito document records and lists or deletes the workspace’s Push API connections',
		defaults: { name: 'Legito' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'legitoApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Document Record', value: 'documentRecord' },
					{ name: 'Push Connection', value: 'pushConnection' },
				],
				default: 'documentRecord',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['documentRecord'] } },
				options: [{ name: 'Get', value: 'get', action: 'Get a document record', description: 'Read a document record’s current state' }],
				default: 'get',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['pushConnection'] } },
				options: [
					{ name: 'Delete', value: 'delete', action: 'Delete a push connection', description: 'Remove a push connection, e.g. one another tool left behind' },
					{ name: 'Get Many', value: 'getAll', action: 'Get many push connections', description: 'List the workspace’s push connections (header values hidden)' },
				],
				default: 'getAll',
			},
			{
				displayName: 'Find By',
				name: 'findBy',
				type: 'options',
				displayOptions: { show: { resource: ['documentRecord'], operation: ['get'] } },
				options: [
					{ name: 'ID', value: 'id', description: 'The record’s number, as in events’ documentRecord.ID' },
					{ name: 'Code', value: 'code', description: 'The record’s code, as in events’ document.ID' },
				],
				default: 'code',
			},
			{
				displayName: 'Document Record Code',
				name: 'documentRecordCode',
				type: 'string',
				required: true,
				displayOptions: { show: { resource: ['documentRecord'], operation: ['get'], findBy: ['code'] } },
				default: '',
				placeholder: 'yDWFbU2Ly1b4Vd1n7tGE0mrvyQqUBoRMQEJq8QjE',
				description: 'The code of the document record (a Legito Trigger event has it in document.ID)',
			},
			{
				displayName: 'Document Record ID',
				name: 'documentRecordId',
				type: 'string',
				required: true,
				displayOptions: { show: { resource: ['documentRecord'], operation: ['get'], findBy: ['id'] } },
				default: '',
				placeholder: '11000',
				description: 'The numeric ID of the document record',
			},
			{
				displayName: 'Push Connection ID',
				name: 'pushConnectionId',
				type: 'string',
				required: true,
				displayOptions: { show: { resource: ['pushConnection'], operation: ['delete'] } },
				default: '',
				placeholder: '4636',
				description: 'The ID of the push connection to delete (Get Many lists them). Deleting one that is already gone succeeds.',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const api = legitoApi(this);
		return executeEach(this, async (itemIndex) => {
			const resource = this.getNodeParameter('resource', itemIndex) as string;
			const operation = this.getNodeParameter('operation', itemIndex) as string;
			if (resource === 'documentRecord') {
				const findBy = this.getNodeParameter('findBy', itemIndex) as 'id' | 'code';
				const value = String(this.getNodeParameter(findBy === 'id' ? 'documentRecordId' : 'documentRecordCode', itemIndex)).trim();
				if (findBy === 'id' && !/^\d+$/.test(value)) throw new NodeOperationError(this.getNode(), `"${value.slice(0, 40)}" is not a document record ID (a number)`, { itemIndex });
				if (!value || value.includes('|')) throw new NodeOperationError(this.getNode(), 'Enter one document record code', { itemIndex });
				const [record] = await api.documentRecords(itemIndex, findBy, value);
				if (!record) throw new NodeOperationError(this.getNode(), `Legito has no document record with ${findBy === 'id' ? 'ID' : 'code'} ${value.slice(0, 60)} in this workspace`, { itemIndex });
				return record as IDataObject;
			}
			if (operation === 'delete') {
				const id = String(this.getNodeParameter('pushConnectionId', itemIndex)).trim();
				if (!/^\d+$/.test(id)) throw new NodeOperationError(this.getNode(), `"${id.slice(0, 40)}" is not a push connection ID (a number)`, { itemIndex });
				await api.deletePushConnection(itemIndex, id);
				return { id, deleted: true };
			}
			return (await api.pushConnections(itemIndex)).map(withoutHeaderValues) as IDataObject[];
		});
	}
}
