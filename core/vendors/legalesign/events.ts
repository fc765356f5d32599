import { vendorEvents } from '../../editor/trigger-settings';
import { LEGALESIGN_EVENT_TYPES } from './mapping';

type LegalesignEventType = (typeof LEGALESIGN_EVENT_TYPES)[number];

/**
 * Legalesign's events as vendorEventType carries them: `document.<code>` and `signer.<code>` entries
 * of the 6-minute batch (the legacy webhooks' status code tables), and the upon-event names.
 */
export const LEGALESIGN_EVENTS = vendorEvents(LEGALESIGN_EVENT_TYPES as readonly LegalesignEventType[], {
	'document.10': ['Document Sent', 'Batch: the document was sent (status 10)'],
	'document.20': ['Document Fields Completed', 'Batch: the document fields were completed (status 20)'],
	'document.30': ['Document Complete', 'Batch: every signer signed (status 30)'],
	'document.40': ['Document Removed Before Signing', 'Batch: the document was removed before signing (status 40)'],
	'document.50': ['Document Rejected', 'Batch: the document was rejected (status 50)'],
	'document.100': ['Final PDF Ready', 'Batch: the final PDF is ready to download (status 100)'],
	'signer.4': ['Signer Unsent', 'Batch: a signer is not sent yet (signer status 4)'],
	'signer.5': ['Signer Scheduled', "Batch: a signer's email is scheduled (signer status 5)"],
	'signer.10': ['Signer Sent', 'Batch: the document was sent to a signer (signer status 10)'],
	'signer.15': ['Signer Opened the Email', 'Batch: a signer opened the email (signer status 15)'],
	'signer.20': ['Signer Visited', 'Batch: a signer visited the document (signer status 20)'],
	'signer.30': ['Signer Completed Fields', "Batch: a signer completed the fields (signer status 30)"],
	'signer.35': ['Signer Completed Fields but Signature', 'Batch: a signer completed every field except the signature (signer status 35)'],
	'signer.39': ['Witness to Sign', 'Batch: a witness is to sign (signer status 39)'],
	'signer.40': ['Signer Signed', 'Batch: a signer signed (signer status 40)'],
	'signer.50': ['Signer Downloaded', 'Batch: a signer downloaded the document (signer status 50)'],
	'signer.60': ['Signer Rejected', 'Batch: a signer rejected the document (signer status 60)'],
	signed: ['Upon Signing', 'Upon-event callback: the document was signed'],
	sent: ['Upon Sending', 'Upon-event callback: the document was sent'],
	rejected: ['Upon Rejection', 'Upon-event callback: the document was rejected (the CLI sends it as uponRejected; its rejected sample is a batch)'],
	'failed visit': ['Upon a Failed Visit', 'Upon-event callback: a signer failed to open the document'],
});
