import type { INodeProperties } from 'n8n-workflow';

/** The document record filters both Legito triggers offer (the push connection's, and the polling one's). */
export const legitoRecordFilters: INodeProperties[] = [
	{
		displayName: 'Template Suite IDs',
		name: 'templateSuites',
		type: 'string',
		default: '',
		placeholder: '512, 513',
		description: 'Limit to document records of these template suites (comma-separated IDs). Empty means all.',
	},
	{
		displayName: 'Document Record Type IDs',
		name: 'documentRecordTypes',
		type: 'string',
		default: '',
		placeholder: '2, 7',
		description: 'Limit to these document record types (comma-separated IDs). Empty means all.',
	},
];
