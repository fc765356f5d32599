import { z } from 'zod/v4';
import { distinctTypes, docsLink, N8N_NO_TOKEN_NOTE, settingFlag, settingList, type Choice, type TriggerEditorFacts } from '../../editor/trigger-settings';
import type { LegitoRegion, LegitoRegistrationOptions } from './api';
import { LEGITO_EVENTS } from './events';
import { LEGITO_EVENT_TYPES, LEGITO_FILE_TYPES, legitoMapping } from './mapping';

/** What the editors show for the Legito trigger. */
export const LEGITO_TRIGGER: TriggerEditorFacts = {
	events: LEGITO_EVENTS,
	normalizedTypes: distinctTypes(LEGITO_EVENT_TYPES.map((type) => legitoMapping(type)[0])),
	// A push carries no delivery timestamp; lastModified orders updates of one record.
	replayWindow: false,
	outOfOrder: true,
	n8nNotice: `Publishing the workflow creates a Legito push connection named "legalhooks" to this trigger's Production URL (public HTTPS); unpublishing deletes it. A test run does the same for the Test URL while the panel waits for an event. ${docsLink('n8n/legito')} (a connection Legito leaves disabled, large files) ${N8N_NO_TOKEN_NOTE}`,
};

/** Formats of generated documents a push connection attaches when none are chosen (see legitoSettings). */
export const LEGITO_DEFAULT_FILE_TYPES: readonly (typeof LEGITO_FILE_TYPES)[number][] = ['docx', 'pdf'];

const FILE_TYPE_NAMES: Record<(typeof LEGITO_FILE_TYPES)[number], string> = {
	docx: 'Word (DOCX)',
	pdf: 'PDF',
	pdfa: 'PDF/A (archival PDF)',
	html: 'HTML',
	rtf: 'Rich Text (RTF)',
	xml: 'XML',
	odt: 'OpenDocument Text (ODT)',
	txt: 'Plain Text (TXT)',
};

/** The formats Legito can attach for generated documents. */
export const LEGITO_FILE_TYPE_CHOICES: Choice[] = LEGITO_FILE_TYPES.map((value) => ({ value, name: FILE_TYPE_NAMES[value] }));

/** Where the workspace lives: the host the user logs in to. `custom` takes the API base URL instead. */
export const LEGITO_REGION_CHOICES: Array<Choice & { value: LegitoRegion | 'custom' }> = [
	{ value: 'emea', name: 'EMEA', description: 'emea.legito.com (Europe, Middle East, Africa)' },
	{ value: 'us', name: 'United States', description: 'us.legito.com' },
	{ value: 'ca', name: 'Canada', description: 'ca.legito.com' },
	{ value: 'apac', name: 'APAC', description: 'apac.legito.com (Asia-Pacific)' },
	{
		value: 'quarterly',
		name: 'Quarterly (quarterly.legito.com)',
		description: 'A separate Legito instance, not a geographic region: choose it only if you log in at quarterly.legito.com',
	},
	{ value: 'custom', name: 'Custom API Base URL', description: 'A dedicated Legito instance: give its API base URL, ending in /api/v7' },
];

export const LEGITO_DEFAULT_REGION: LegitoRegion = 'emea';

/**
 * A Legito trigger's settings as either engine stores them, with the defaults; file types count only
 * when generated documents are attached.
 */
export const LegitoTriggerOptionsSchema = z
	.object({
		legitoEventTypes: settingList,
		templateSuites: settingList,
		documentRecordTypes: settingList,
		attachFilesUploaded: settingFlag,
		attachFilesGenerated: settingFlag,
		fileTypes: settingList,
	})
	.transform((options): LegitoRegistrationOptions => ({ ...options, fileTypes: options.attachFilesGenerated ? options.fileTypes : [] }));

export const legitoTriggerOptions = (raw: Record<string, unknown>): LegitoRegistrationOptions => LegitoTriggerOptionsSchema.parse(raw);
