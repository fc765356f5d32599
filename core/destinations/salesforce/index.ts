/** The Salesforce destination: settings and results (types), the record from the event (mapping), the API client, the send, the editor's pickers. */
export { SALESFORCE_SERVICE, SALESFORCE_DEFAULT_LOGIN_URL, SALESFORCE_DEFAULT_API_VERSION, type SalesforceCredentials, type SalesforceOperation, type SalesforceOptions, type SalesforceResult } from './types';
export { DEFAULT_STAGE_MAP, DEFAULT_LEAD_STATUS_MAP, DEFAULT_FIELD_MAP, DEFAULT_CREATE_FIELDS, SALESFORCE_FIELD_HELP, mapSalesforceFields, buildUpsert, buildTask } from './mapping';
export { salesforceAuthorizationServer, SalesforceClient, testSalesforceCredentials } from './client';
export { sendToSalesforce } from './send';
export { listSalesforceObjects, listSalesforceExternalIdFields } from './pickers';
