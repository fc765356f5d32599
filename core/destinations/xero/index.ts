/** The Xero destination: settings and results (types), the draft from the event (mapping), the API client, the send. */
export { XERO_SERVICE, XERO_DEFAULT_IDENTITY_URL, XERO_DEFAULT_API_URL, XERO_LOGIN_URL, XERO_GRANULAR_SCOPES, type XeroCredentials, type XeroState, type XeroOperation, type XeroOptions, type XeroResult } from './types';
export { xeroIdempotencyKey, buildXeroInvoice, buildXeroNote } from './mapping';
export { xeroAuthorizationServer, XeroClient, testXeroCredentials } from './client';
export { sendToXero } from './send';
