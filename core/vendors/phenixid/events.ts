import { vendorEvents } from '../../editor/trigger-settings';
import { PHENIXID_EVENT_TYPES } from './mapping';

/** The order events PhenixID Signing Service sends as webhooks ("Event subscriptions"). */
export const PHENIXID_EVENTS = vendorEvents(PHENIXID_EVENT_TYPES, {
	OrderCreated: ['Order Created', 'A signing order was created'],
	OrderDocumentUpdated: ['Order Document Updated', "The order's document was replaced or changed"],
	OrderAccepted: ['Order Accepted', 'A signer accepted the order; signing is under way'],
	OrderSigned: ['Order Signed', 'The order was signed by everyone'],
	OrderRejected: ['Order Rejected', 'A signer rejected the order'],
	OrderCanceled: ['Order Canceled', 'The order was cancelled'],
	OrderExpired: ['Order Expired', 'The order passed its due date unsigned'],
	OrderDueDateUpdated: ['Order Due Date Updated', "The order's due date changed"],
	OrderSignersUpdated: ['Order Signers Updated', "The order's signers changed"],
	OrderDescriptionUpdated: ['Order Description Updated', "The order's description changed"],
});
