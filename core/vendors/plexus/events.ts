import { vendorEvents } from '../../editor/trigger-settings';
import { PLEXUS_EVENT_TYPES } from './mapping';

/** The three document events Plexus Gateway sends (developer docs, "Document event types"). */
export const PLEXUS_EVENTS = vendorEvents(PLEXUS_EVENT_TYPES, {
	documentCreated: ['Document Created', 'A document was created in Plexus'],
	documentUpdated: [
		'Document Updated',
		'A document changed; its status refines the normalized type: executed → completed, awaitingSignature → sent, signatureRejected → rejected, approved…',
	],
	documentDeleted: ['Document Deleted', 'A document was deleted'],
});
