import { vendorEvents } from '../../editor/trigger-settings';
import { LEGALESIGN_REALTIME_EVENT_TYPES } from './realtime-mapping';

type RealtimeEventType = (typeof LEGALESIGN_REALTIME_EVENT_TYPES)[number];

/** Legalesign's realtime events as vendorEventType carries them (the event filter enum's names). */
export const LEGALESIGN_REALTIME_EVENTS = vendorEvents(LEGALESIGN_REALTIME_EVENT_TYPES as readonly RealtimeEventType[], {
	'document.created': ['Document Created', 'Realtime: a document was created'],
	'document.rejected': ['Document Rejected (Realtime)', 'Realtime: the document was rejected'],
	'document.finalPdfCreated': ['Final PDF Created', 'Realtime: the final PDF is ready to download'],
	'recipient.completed': ['Recipient Completed', 'Realtime: a recipient signed / completed'],
	'recipient.rejected': ['Recipient Rejected', 'Realtime: a recipient rejected the document'],
	'recipient.emailOpened': ['Recipient Opened the Email', 'Realtime: a recipient opened the email'],
	'recipient.visiting': ['Recipient Visiting', 'Realtime: a recipient is visiting the document'],
	'recipient.sentEmail': ['Recipient Sent', 'Realtime: the document was sent to a recipient (GraphQL recipientSentEmail)'],
	'recipient.bounced': ['Recipient Bounced', "Realtime: the email to a recipient bounced"],
});
