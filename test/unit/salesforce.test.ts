import { buildTask, buildUpsert, DEFAULT_CREATE_FIELDS, DEFAULT_FIELD_MAP, mapSalesforceFields } from '../../core/destinations/salesforce';
import { EventInputError } from '../../core/destinations/event-input';
import { executedContract, signedEvent } from '../../sandbox/simulators/destination-events';

describe('Salesforce request building', () => {
	it('upserts by external ID with the default mapping (title → Name, status → StageName, value → Amount)', () => {
		const event = executedContract();
		expect(buildUpsert(event, { operation: 'upsert' })).toEqual({
			object: 'Opportunity',
			path: `/sobjects/Opportunity/Legalhooks_Document_Id__c/${event.document.id}`,
			fields: { Name: 'Service Agreement for Company A', StageName: 'Closed Won', Amount: 12500 },
		});
	});

	it('takes a user mapping, status map and extra fields; leaves empty values out', () => {
		const event = signedEvent();
		const fields = mapSalesforceFields(event, { Stage__c: '$status', Signer__c: 'recipient.email', Value__c: 'data.contractValue' }, { completed: 'Signed' }, { Source__c: 'legalhooks' });
		expect(fields).toEqual({ Stage__c: 'Signed', Signer__c: 'jane.signer@example.com', Source__c: 'legalhooks' });
		expect(() => mapSalesforceFields(event, { 'Bad Field': 'document.id' })).toThrow(EventInputError);
		expect(() => buildUpsert(signedEvent({ document: { id: 'x', status: 'deleted' } }), { operation: 'upsert', fieldMap: { StageName: '$status' } })).toThrow(/Nothing to write/);
		expect(buildUpsert(event, { operation: 'upsert', object: 'Contract__c', externalIdField: 'Doc_Id__c', externalIdValue: 'a/b' }).path).toBe('/sobjects/Contract__c/Doc_Id__c/a%2Fb');
	});

	it('maps with {{path}} placeholders like every action: one placeholder alone keeps its type, text is rendered', () => {
		const event = executedContract();
		const fields = mapSalesforceFields(event, { Amount: '{{data.contractValue}}', Stage__c: '{{ status }}', Name: '{{title}} ({{vendorLabel}})', Day__c: '{{date}}', None__c: '{{data.missing}}' }, { completed: 'Signed' });
		expect(fields).toEqual({ Amount: 12500, Stage__c: 'Signed', Name: 'Service Agreement for Company A (Plexus Gateway)', Day__c: '2021-11-12' });
		expect(Object.values({ ...DEFAULT_FIELD_MAP, ...DEFAULT_CREATE_FIELDS }).every((value) => /^\{\{\w[\w.]*\}\}$/.test(value))).toBe(true);
	});

	it('still reads the earlier forms a saved workflow or flow may hold ($status, $title, $date, a bare path)', () => {
		const event = executedContract();
		const legacy = { Name: '$title', StageName: '$status', Amount: 'data.contractValue', CloseDate: '$date' };
		const current = { Name: '{{title}}', StageName: '{{status}}', Amount: '{{data.contractValue}}', CloseDate: '{{date}}' };
		expect(mapSalesforceFields(event, legacy)).toEqual(mapSalesforceFields(event, current));
		expect(mapSalesforceFields(event, current)).toMatchObject({ StageName: 'Closed Won', Amount: 12500, CloseDate: '2021-11-12' });
	});

	it('builds a Task on a record with subject, date and a description carrying the ids', () => {
		const event = signedEvent();
		const task = buildTask(event, { operation: 'createTask', whatId: '006000000000001' });
		expect(task).toMatchObject({ Subject: 'Master Services Agreement: Completed', WhatId: '006000000000001', Status: 'Completed', ActivityDate: '2024-03-01' });
		expect(task.Description).toContain(`Event ID: ${event.id}`);
		expect(() => buildTask(event, { operation: 'createTask' })).toThrow(/WhatId/);
	});

	it("names the vendor's document page in a Task, never the expiring file URL", () => {
		const plexus = buildTask(executedContract(), { operation: 'createTask', whatId: '006000000000001' });
		expect(plexus.Description).not.toMatch(/legalgateway-local|Document: /);
		const page = 'https://emea.legito.com/US/en/document-record/detail/1234';
		const legito = buildTask(signedEvent({ vendor: 'legito', data: { detailLink: page } }), { operation: 'createTask', whatId: '006000000000001' });
		expect(legito.Description).toContain(`Document: ${page}`);
	});
});
