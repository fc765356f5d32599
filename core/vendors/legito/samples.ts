import type { SampleDelivery } from '../../samples/delivery';
import { LEGITO_TOKEN_HEADER } from './api';
import type { LegitoDelivery } from './inbound';

export const LEGITO_SAMPLE_SYSTEM_NAME = 'eb892589-be50-4c24-8f68-adb67537a2d0';
const CODE = 'fQjI45UfWNDBfMiajgI8HDOmGLYZr5jIbnfNKNOb';

function record(lastModified: string, changes: Partial<LegitoDelivery['documentRecord']> = {}): LegitoDelivery['documentRecord'] {
	return {
		id: 1234567,
		code: CODE,
		name: 'Service Agreement',
		created: '2024-03-04T09:12:44+01:00',
		lastModified,
		deleted: false,
		templateSuiteId: 9876,
		documentRecordTypeId: null,
		workflowStage: { id: 24, name: 'Ready to sign' },
		ownerId: 311,
		authorId: 311,
		properties: [{ id: 15, name: 'Counterparty', type: 'text', systemName: '0364979c-c16f-470d-9c30-c60d0ec8931b', value: 'Company A' }],
		persons: [{ definition: 'First sign party', name: 'John Dow', email: 'johndow@example.com' }],
		...changes,
	};
}

/** A small, valid PDF and DOCX-like payload, so the sample's files open as what they claim to be. */
const SAMPLE_PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
const SAMPLE_DOCX = Buffer.from('PK\u0003\u0004legalhooks sample docx');

function generatedFiles(): NonNullable<LegitoDelivery['files']> {
	return {
		generated: [
			{ fileName: 'serviceagreement.docx', documentRecordId: 1234567, documentRecordCode: CODE, templateId: 9876, size: SAMPLE_DOCX.length, data: SAMPLE_DOCX.toString('base64') },
			{ fileName: 'serviceagreement.pdf', documentRecordId: 1234567, documentRecordCode: CODE, templateId: 9876, size: SAMPLE_PDF.length, data: SAMPLE_PDF.toString('base64') },
		],
	};
}

type Sample = (systemName: string, now: Date) => LegitoDelivery;

function event(eventType: string, changes: Partial<LegitoDelivery['documentRecord']> = {}, withFiles = false): Sample {
	return (systemName, now) => ({
		pushConnectionSystemName: systemName,
		eventType,
		documentRecord: record(now.toISOString(), changes),
		...(withFiles ? { files: generatedFiles() } : {}),
	});
}

/** The push message structure from the seed and the v7 PushResponse schema. */
export const legitoSamples: Record<string, Sample> = {
	DocumentRecordCreated: event('DocumentRecordCreated', { workflowStage: { id: 20, name: 'Draft' } }),
	DocumentRecordUpdated: event('DocumentRecordUpdated'),
	WorkflowStatusChanged: event('WorkflowStatusChanged'),
	SignStarted: event('SignStarted'),
	SignCompleted: event('SignCompleted', { workflowStage: { id: 30, name: 'Signed' } }, true),
	SignCanceled: event('SignCanceled'),
	ApprovalProcessStarted: event('ApprovalProcessStarted'),
	ApprovalApproved: event('ApprovalApproved'),
	DocumentRecordDeleted: event('DocumentRecordDeleted', { deleted: true }),
};

/** Builds a push message; `token` goes in our custom header. Files, when present, are base64 inside the JSON. */
export function buildLegitoDelivery(payload: LegitoDelivery, token: string, options: { tamper?: boolean } = {}): SampleDelivery {
	return {
		method: 'POST',
		headers: { 'content-type': 'application/json', [LEGITO_TOKEN_HEADER]: options.tamper ? `${token}x` : token },
		query: {},
		body: JSON.stringify(payload),
	};
}
