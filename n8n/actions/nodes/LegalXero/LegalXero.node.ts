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
import { XERO_DEFAULT_API_URL, XERO_SERVICE, XeroClient, sendToXero, type XeroCredentials, type XeroOperation, type XeroOptions, type XeroState } from '../../../../core/destinations/xero';
import { SEND_ONCE_PROPERTY, choiceSubtitle, executeDestination, n8nDeliveryContext } from '../../../shared/destination';

const invoiceOps = ['createInvoice', 'createBill'];
const CREDENTIAL_TYPE = 'legalhooksXeroOAuth2Api';

export class LegalXero implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Legal Event to Xero',
		name: 'legalXero',
		icon: { light: 'file:legalXero.svg', dark: 'file:legalXero.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: choiceSubtitle('operation', { createInvoice: 'Create Draft Invoice', createBill: 'Create Draft Bill', addContactNote: 'Add Note to Contact' }),
		description:
			'Turns an executed contract event into a draft Xero invoice or bill (contact = counterparty, amount = contract value, reference = document ID), or notes it on the contact',
		defaults: { name: 'Legal Event to Xero' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: [
			{
				displayName:
					'Input: a legalhooks normalized event. Invoices and bills need data.counterpartyName and data.contractValue (data.currency optional); an event without them fails with the missing field named.',
				name: 'inputNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Organisation',
				name: 'tenant',
				type: 'resourceLocator',
				default: { mode: 'list', value: '' },
				description: 'The Xero organisation; empty uses the tenant ID of the credential, else the only organisation it reaches',
				modes: [
					{ displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod: 'searchOrganisations', searchable: true } },
					{ displayName: 'Tenant ID', name: 'id', type: 'string', placeholder: '6f2a1c0e-…' },
				],
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Create Draft Invoice', value: 'createInvoice', action: 'Create a draft sales invoice from a contract', description: 'Sales invoice (ACCREC) in DRAFT' },
					{ name: 'Create Draft Bill', value: 'createBill', action: 'Create a draft bill from a contract', description: 'Purchase bill (ACCPAY) in DRAFT' },
					{ name: 'Add Note to Contact', value: 'addContactNote', action: 'Add a contract note to a contact', description: 'History note on the counterparty contact' },
				],
				default: 'createInvoice',
			},
			{ displayName: 'Account Code', name: 'accountCode', type: 'string', default: '', placeholder: '200', description: 'Line item account code; empty leaves it to be set in Xero', displayOptions: { show: { operation: invoiceOps } } },
			{ displayName: 'Due in Days', name: 'dueInDays', type: 'number', default: 30, typeOptions: { minValue: 0 }, displayOptions: { show: { operation: invoiceOps } } },
			{
				displayName: 'Line Description',
				name: 'description',
				type: 'string',
				default: '',
				placeholder: '{{document.title}}',
				description: 'Empty uses the document title; {{path}} placeholders are filled from the event',
				displayOptions: { show: { operation: invoiceOps } },
			},
			{
				displayName: 'Contact ID',
				name: 'contactId',
				type: 'string',
				default: '',
				description: 'Empty finds the contact by the event’s data.counterpartyName',
				displayOptions: { show: { operation: ['addContactNote'] } },
			},
			{ displayName: 'Note', name: 'note', type: 'string', default: '', description: 'Empty writes title, status, who and the IDs; {{path}} placeholders are filled from the event', displayOptions: { show: { operation: ['addContactNote'] } } },
			SEND_ONCE_PROPERTY,
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{ displayName: 'Default Currency', name: 'defaultCurrency', type: 'string', default: '', placeholder: 'AUD', description: 'Used when the event has no data.currency; empty uses the organisation’s base currency' },
					{
						displayName: 'Line Amount Types',
						name: 'lineAmountTypes',
						type: 'options',
						options: [
							{ name: 'Tax Exclusive', value: 'Exclusive' },
							{ name: 'Tax Inclusive', value: 'Inclusive' },
							{ name: 'No Tax', value: 'NoTax' },
						],
						default: 'Exclusive',
					},
					{ displayName: 'Max Attempts', name: 'maxAttempts', type: 'number', default: 3, typeOptions: { minValue: 1, maxValue: 10 }, description: 'Attempts per request on rate limits, server errors and lost connections' },
					{ displayName: 'Tax Type', name: 'taxType', type: 'string', default: '', placeholder: 'OUTPUT' },
				],
			},
		],
	};

	methods = {
		listSearch: {
			async searchOrganisations(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
				const data = await this.getCredentials(CREDENTIAL_TYPE);
				const apiUrl = String(data.apiUrl ?? '') || undefined;
				const ctx = n8nDeliveryContext(this, 1, { credentialType: CREDENTIAL_TYPE, service: XERO_SERVICE, probeUrl: `${(apiUrl ?? XERO_DEFAULT_API_URL).replace(/\/+$/, '')}/connections` });
				const organisations = await new XeroClient(ctx, { grantType: 'engine', apiUrl }).connections();
				const wanted = (filter ?? '').trim().toLowerCase();
				return {
					results: organisations
						.filter((o) => !wanted || (o.tenantName ?? '').toLowerCase().includes(wanted))
						.map((o) => ({ name: o.tenantName ?? o.tenantId, value: o.tenantId })),
				};
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		let state: XeroState = {};
		return executeDestination(this, {
			name: 'xero',
			onceKey: (event, itemIndex) => `xero:${String(this.getNodeParameter('operation', itemIndex))}:${event.vendor}:${event.id}`,
			send: async (event, itemIndex) => {
				const data = await this.getCredentials(CREDENTIAL_TYPE, itemIndex);
				// n8n's OAuth2 credential signs every call (httpRequestWithAuthentication) and keeps the token.
				const credentials: XeroCredentials = {
					grantType: 'engine',
					tenantId: String(this.getNodeParameter('tenant', itemIndex, '', { extractValue: true }) ?? '').trim() || String(data.tenantId ?? '') || undefined,
					apiUrl: String(data.apiUrl ?? '') || undefined,
				};
				const operation = this.getNodeParameter('operation', itemIndex) as XeroOperation;
				const options = this.getNodeParameter('options', itemIndex, {}) as Pick<XeroOptions, 'defaultCurrency' | 'lineAmountTypes' | 'taxType'> & { maxAttempts?: number };
				const isInvoice = invoiceOps.includes(operation);
				const { result, state: next } = await sendToXero(
					n8nDeliveryContext(this, options.maxAttempts, { credentialType: CREDENTIAL_TYPE, service: XERO_SERVICE, probeUrl: `${(credentials.apiUrl ?? XERO_DEFAULT_API_URL).replace(/\/+$/, '')}/connections` }),
					credentials,
					event,
					{
						operation,
						accountCode: isInvoice ? (this.getNodeParameter('accountCode', itemIndex, '') as string) : undefined,
						dueInDays: isInvoice ? (this.getNodeParameter('dueInDays', itemIndex, 30) as number) : undefined,
						description: isInvoice ? (this.getNodeParameter('description', itemIndex, '') as string) : undefined,
						contactId: isInvoice ? undefined : (this.getNodeParameter('contactId', itemIndex, '') as string),
						note: isInvoice ? undefined : (this.getNodeParameter('note', itemIndex, '') as string),
						defaultCurrency: options.defaultCurrency,
						lineAmountTypes: options.lineAmountTypes,
						taxType: options.taxType,
					},
					state,
				);
				state = next;
				return { ...result } as unknown as IDataObject;
			},
		});
	}
}
