import { vendorEvents } from '../../editor/trigger-settings';
import { QUICKLYSIGN_EVENT_TYPES } from './mapping';

/** QuicklySign's webhook callback events (API v1, "Webhook Callback Events" and the sample callbacks). */
export const QUICKLYSIGN_EVENTS = vendorEvents(QUICKLYSIGN_EVENT_TYPES, {
	entity_updated: ['Entity Updated', 'Data on the document pack was updated'],
	document_status_changed: ['Document Status Changed', 'The status of the document pack changed (with Fetch Document Pack: sent or completed)'],
	final_document_generated: ['Final Document Generated', 'The final PDF has been generated and can be downloaded'],
	document_updated: ['Document Updated', 'A document of the pack was updated'],
	signatory_updated: ['Signatory Updated', 'A signatory of the pack changed (viewed, signed…)'],
	audit_trail_updated: ['Audit Trail Updated', "The pack's audit trail got a new entry"],
});
