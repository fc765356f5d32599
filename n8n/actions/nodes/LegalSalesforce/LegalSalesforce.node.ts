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
import type { DocumentStatus } from '../../../../core/event/normalized-event';
import { jsonObjectSetting } from '../../../../core/destinations/event-input';
import {
	DEFAULT_FIELD_MAP,
	DEFAULT_LEAD_STATUS_MAP,
	DEFAULT_STAGE_MAP,
	listSalesforceExternalIdFields,
	listSalesforceObjects,
	SALESFORCE_DEFAULT_API_VERSION,
	SALESFORCE_FIELD_HELP,
	SALESFORCE_SERVICE,
	sendToSalesforce,
	type SalesforceCredentials,
	type SalesforceOperation,
} from '../../../../core/destinations/salesforce';
import { SEND_ONCE_PROPERTY, choiceSubtitle, executeDestination, n8nDeliveryContext } from '../../../shared/destination';

const json = (value: unknown) => JSON.stringify(value, null, 2);
const CREDENTIAL_TYPE = 'legalhooksSalesforceOAuth2Api';
const JWT_CREDENTIAL_TYPE = 'legalhooksSalesforceJwtApi';

/** The credential, instance and authenticated client for a picker (editor) call. */
async function pickerContext(fns: ILoadOptionsFunctions) {
	const credentialType = fns.getCurrentNodeParameter('authentication') === 'jwt' ? JWT_CREDENTIAL_TYPE : CREDENTIAL_TYPE;
	const data = await fns.getCredentials(credentialType);
	const tokenData = (data.oauthTokenData ?? {}) as { instance_url?: unknown };
	const credentials: SalesforceCredentials = {
		grantType: 'engine',
		instanceUrl: (typeof tokenData.instance_url === 'string' && tokenData.instance_url) || String(data.instanceUrl ?? '') || String(data.loginUrl ?? '') || undefined,
		apiVersion: String(data.apiVersion ?? '') || undefined,
	};
	const probeUrl = `${(credentials.instanceUrl ?? '').replace(/\/+$/, '')}/services/data/v${(credentials.apiVersion ?? SALESFORCE_DEFAULT_API_VERSION).replace(/^v/, '')}/limits`;
	return { credentials, ctx: n8nDeliveryContext(fns, 1, { credentialType, service: SALESFORCE_SERVICE, probeUrl }) };
}

function matching(items: Array<{ name: string; label: string }>, filter: string | undefined): INodeListSearchResult {
	const wanted = (filter ?? '').trim().toLowerCase();
	return {
		results: items
			.filter((i) => !wanted || i.name.toLowerCase().includes(wanted) || i.label.toLowerCase().includes(wanted))
			.map((i) => ({ name: i.label === i.name ? i.name : `${i.label} (${i.name})`, value: i.name })),
	};
}

export class LegalSalesforce implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Legal Event to Salesforce',
		name: 'legalSalesforce',
		icon: { light: 'file:legalSalesforce.svg', dark: 'file:legalSalesforce.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: choiceSubtitle('operation', { upsert: 'Create or Update', updateLeadStatus: 'Update Lead Status', createTask: 'Create Task' }),
		description: 'Maps a legalhooks document event onto Salesforce: upsert the record keyed by the document ID, move a Lead status, or log a Task',
		defaults: { name: 'Legal Event to Salesforce' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: CREDENTIAL_TYPE, required: true, displayOptions: { show: { authentication: ['oAuth2'] } } },
			{ name: JWT_CREDENTIAL_TYPE, required: true, displayOptions: { show: { authentication: ['jwt'] } } },
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
					{ name: 'OAuth2 (Connect or Client Credentials)', value: 'oAuth2' },
					{ name: 'JWT Bearer (Server to Server)', value: 'jwt' },
				],
				default: 'oAuth2',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Create or Update', value: 'upsert', action: 'Create or update a record keyed by the document ID', description: 'Create a new record, or update the current one if it already exists (upsert)' },
					{ name: 'Update Lead Status', value: 'updateLeadStatus', action: 'Update a lead status from the document status', description: 'Set a Lead’s Status from the document status' },
					{ name: 'Create Task', value: 'createTask', action: 'Log the event as a task on a record', description: 'Log the event as a Task on a record (WhatId) and/or person (WhoId)' },
				],
				default: 'upsert',
			},
			{
				displayName: 'When No Record Has the Document ID',
				name: 'upsertMode',
				type: 'options',
				options: [
					{ name: 'Create It', value: 'createOrUpdate', description: 'Upsert; a new record gets Name (title), StageName (status, else Prospecting) and CloseDate (event day) when the mapping leaves them out' },
					{ name: 'Do Nothing (Update Only)', value: 'updateOnly', description: 'Only update an existing record; the output says notFound otherwise' },
				],
				default: 'createOrUpdate',
				displayOptions: { show: { operation: ['upsert'] } },
			},
			{
				displayName: 'Object',
				name: 'object',
				type: 'resourceLocator',
				default: { mode: 'name', value: 'Opportunity' },
				description: 'The sObject whose External ID field holds the document ID, e.g. Opportunity or Contract__c',
				modes: [
					{ displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod: 'searchObjects', searchable: true } },
					{ displayName: 'API Name', name: 'name', type: 'string', placeholder: 'Opportunity' },
				],
				displayOptions: { show: { operation: ['upsert'] } },
			},
			{
				displayName: 'External ID Field',
				name: 'externalIdField',
				type: 'resourceLocator',
				default: { mode: 'name', value: 'Legalhooks_Document_Id__c' },
				description: SALESFORCE_FIELD_HELP.externalIdField,
				modes: [
					{ displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod: 'searchExternalIdFields', searchable: true } },
					{ displayName: 'API Name', name: 'name', type: 'string', placeholder: 'Legalhooks_Document_Id__c' },
				],
				displayOptions: { show: { operation: ['upsert'] } },
			},
			{ displayName: 'External ID Value', name: 'externalIdValue', type: 'string', default: '', description: 'Leave empty to use the event’s document ID', displayOptions: { show: { operation: ['upsert'] } } },
			{
				displayName: 'Field Mapping (JSON)',
				name: 'fieldMap',
				type: 'json',
				default: json(DEFAULT_FIELD_MAP),
				description: SALESFORCE_FIELD_HELP.fieldMap,
				displayOptions: { show: { operation: ['upsert'] } },
			},
			{
				displayName: 'Status Map (JSON)',
				name: 'statusMap',
				type: 'json',
				default: json(DEFAULT_STAGE_MAP),
				description: SALESFORCE_FIELD_HELP.statusMap,
				displayOptions: { show: { operation: ['upsert'] } },
			},
			{
				displayName: 'Lead Status Map (JSON)',
				name: 'leadStatusMap',
				type: 'json',
				default: json(DEFAULT_LEAD_STATUS_MAP),
				description: 'Canonical document status → Lead Status value. An unmapped status is an error for the item.',
				displayOptions: { show: { operation: ['updateLeadStatus'] } },
			},
			{ displayName: 'Lead ID', name: 'leadId', type: 'string', default: '', description: 'Leave empty to find the open Lead by email', displayOptions: { show: { operation: ['updateLeadStatus'] } } },
			{ displayName: 'Lead Email', name: 'leadEmail', type: 'string', default: '', placeholder: 'name@email.com', description: 'Email to find the Lead by; empty uses the event’s recipient email, then the actor email', displayOptions: { show: { operation: ['updateLeadStatus'] } } },
			{ displayName: 'Related To ID (WhatId)', name: 'whatId', type: 'string', default: '', description: 'Record the Task belongs to, e.g. an Opportunity or Account ID', displayOptions: { show: { operation: ['createTask'] } } },
			{ displayName: 'Name ID (WhoId)', name: 'whoId', type: 'string', default: '', description: 'Contact or Lead the Task is about', displayOptions: { show: { operation: ['createTask'] } } },
			{ displayName: 'Subject', name: 'subject', type: 'string', default: '', placeholder: '{{document.title}}: {{statusLabel}}', description: 'Empty uses the document title and status; {{path}} placeholders are filled from the event', displayOptions: { show: { operation: ['createTask'] } } },
			{ displayName: 'Task Status', name: 'taskStatus', type: 'string', default: 'Completed', displayOptions: { show: { operation: ['createTask'] } } },
			{
				displayName: 'Task External ID Field',
				name: 'taskExternalIdField',
				type: 'string',
				default: '',
				placeholder: 'Legalhooks_Event_Id__c',
				description: 'Optional External ID field on Activity: when set the Task is upserted by event ID, so a retried event never makes a second Task',
				displayOptions: { show: { operation: ['createTask'] } },
			},
			{
				displayName: 'Extra Fields',
				name: 'extraFields',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Field',
				default: {},
				description: 'Literal field values to write as well (override mapped ones), e.g. CloseDate when upserting creates Opportunities',
				options: [
					{
						displayName: 'Field',
						name: 'field',
						values: [
							{ displayName: 'Field Name', name: 'name', type: 'string', default: '', placeholder: 'CloseDate' },
							{ displayName: 'Value', name: 'value', type: 'string', default: '' },
						],
					},
				],
			},
			SEND_ONCE_PROPERTY,
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{ displayName: 'Max Attempts', name: 'maxAttempts', type: 'number', default: 3, typeOptions: { minValue: 1, maxValue: 10 }, description: 'Attempts per request on rate limits, server errors and lost connections' },
				],
			},
		],
	};

	methods = {
		listSearch: {
			async searchObjects(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
				const { ctx, credentials } = await pickerContext(this);
				return matching(await listSalesforceObjects(ctx, credentials), filter);
			},
			async searchExternalIdFields(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
				const { ctx, credentials } = await pickerContext(this);
				const object = String(this.getCurrentNodeParameter('object', { extractValue: true }) ?? '') || 'Opportunity';
				return matching(await listSalesforceExternalIdFields(ctx, credentials, object), filter);
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeDestination(this, {
			name: 'salesforce',
			onceKey: (event, itemIndex) => {
				const operation = String(this.getNodeParameter('operation', itemIndex));
				const object = operation === 'upsert' ? String(this.getNodeParameter('object', itemIndex, '', { extractValue: true })) : operation === 'createTask' ? 'Task' : 'Lead';
				return `salesforce:${operation}:${object}:${event.vendor}:${event.id}`;
			},
			send: async (event, itemIndex) => {
				const credentialType = this.getNodeParameter('authentication', itemIndex, 'oAuth2') === 'jwt' ? JWT_CREDENTIAL_TYPE : CREDENTIAL_TYPE;
				const data = await this.getCredentials(credentialType, itemIndex);
				// n8n's OAuth2 credential signs every call (httpRequestWithAuthentication) and keeps the token;
				// the instance comes with the token. Before a client-credentials credential has its first
				// token the My Domain login URL is the instance.
				const tokenData = (data.oauthTokenData ?? {}) as { instance_url?: unknown };
				const credentials: SalesforceCredentials = {
					grantType: 'engine',
					instanceUrl: (typeof tokenData.instance_url === 'string' && tokenData.instance_url) || String(data.instanceUrl ?? '') || String(data.loginUrl ?? '') || undefined,
					apiVersion: String(data.apiVersion ?? '') || undefined,
				};
				const operation = this.getNodeParameter('operation', itemIndex) as SalesforceOperation;
				const param = (name: string, fallback: unknown = '') => this.getNodeParameter(name, itemIndex, fallback, { extractValue: true });
				const extra = (param('extraFields', {}) as { field?: Array<{ name: string; value: unknown }> }).field ?? [];
				const options = param('options', {}) as { maxAttempts?: number };
				const { result } = await sendToSalesforce(
					n8nDeliveryContext(this, options.maxAttempts, {
						credentialType,
						service: SALESFORCE_SERVICE,
						probeUrl: `${(credentials.instanceUrl ?? '').replace(/\/+$/, '')}/services/data/v${(credentials.apiVersion ?? SALESFORCE_DEFAULT_API_VERSION).replace(/^v/, '')}/limits`,
					}),
					credentials,
					event,
					{
						operation,
						object: operation === 'upsert' ? (param('object') as string) : undefined,
						externalIdField: operation === 'upsert' ? (param('externalIdField') as string) : undefined,
						externalIdValue: operation === 'upsert' ? (param('externalIdValue') as string) : undefined,
					upsertMode: operation === 'upsert' ? (param('upsertMode', 'createOrUpdate') as 'createOrUpdate' | 'updateOnly') : undefined,
						fieldMap: operation === 'upsert' ? (jsonObjectSetting(param('fieldMap'), 'Field Mapping') as Record<string, string> | undefined) : undefined,
						statusMap:
							operation === 'upsert'
								? (jsonObjectSetting(param('statusMap'), 'Status Map') as Partial<Record<DocumentStatus, string>> | undefined)
								: operation === 'updateLeadStatus'
									? (jsonObjectSetting(param('leadStatusMap'), 'Lead Status Map') as Partial<Record<DocumentStatus, string>> | undefined)
									: undefined,
						extraFields: extra.length ? Object.fromEntries(extra.filter((f) => f.name).map((f) => [f.name, f.value])) : undefined,
						leadId: operation === 'updateLeadStatus' ? (param('leadId') as string) : undefined,
						leadEmail: operation === 'updateLeadStatus' ? (param('leadEmail') as string) : undefined,
						whatId: operation === 'createTask' ? (param('whatId') as string) : undefined,
						whoId: operation === 'createTask' ? (param('whoId') as string) : undefined,
						subject: operation === 'createTask' ? (param('subject') as string) : undefined,
						taskStatus: operation === 'createTask' ? (param('taskStatus') as string) : undefined,
						taskExternalIdField: operation === 'createTask' ? (param('taskExternalIdField') as string) : undefined,
					},
				);
				return { ...result } as unknown as IDataObject;
			},
		});
	}
}
