import type { DocumentStatus } from '../../event/normalized-event';

export const SALESFORCE_SERVICE = 'Salesforce';

export const SALESFORCE_DEFAULT_LOGIN_URL = 'https://login.salesforce.com';

export const SALESFORCE_DEFAULT_API_VERSION = '60.0';

export interface SalesforceCredentials {
	/**
	 * `engine`: the injected HTTP client signs every request and refreshes (and stores a rotated)
	 * token itself (n8n's OAuth2 credential); `instanceUrl` then comes from the engine's token data.
	 */
	grantType: 'refresh_token' | 'client_credentials' | 'engine';
	/** https://login.salesforce.com, https://test.salesforce.com or the My Domain URL (client credentials need My Domain). */
	loginUrl?: string;
	clientId?: string;
	clientSecret?: string;
	refreshToken?: string;
	/** Overrides the instance_url of the token response. */
	instanceUrl?: string;
	apiVersion?: string;
}

export type SalesforceOperation = 'upsert' | 'updateLeadStatus' | 'createTask';

export interface SalesforceOptions {
	operation: SalesforceOperation;
	/** upsert: sObject API name (default Opportunity). */
	object?: string;
	/** upsert: external ID field (default Legalhooks_Document_Id__c). */
	externalIdField?: string;
	/** upsert: external ID value (default the document id). */
	externalIdValue?: string;
	fieldMap?: Record<string, string>;
	statusMap?: Partial<Record<DocumentStatus, string>>;
	/** upsert: `createOrUpdate` (default) or `updateOnly` (an unknown document id creates nothing). */
	upsertMode?: 'createOrUpdate' | 'updateOnly';
	/** upsert: fields for a new record (default DEFAULT_CREATE_FIELDS); `{}` turns them off. */
	createFields?: Record<string, string>;
	/** Literal field values added to the record (override mapped ones). */
	extraFields?: Record<string, unknown>;
	/** updateLeadStatus: the Lead Id; when empty the open Lead is looked up by email. */
	leadId?: string;
	/** updateLeadStatus: email to find the Lead by (default recipient email, else actor email). */
	leadEmail?: string;
	/** createTask: related record (WhatId) and person (WhoId). */
	whatId?: string;
	whoId?: string;
	subject?: string;
	description?: string;
	taskStatus?: string;
	/** createTask: an External ID field on Task/Activity; when set the Task is upserted by event id (no duplicate on retry). */
	taskExternalIdField?: string;
}

export interface SalesforceResult {
	destination: 'salesforce';
	operation: SalesforceOperation;
	/** upsert in update-only mode: `notFound` when no record has the document id (nothing written). */
	outcome?: 'written' | 'notFound';
	object: string;
	id?: string;
	created?: boolean;
	fields: Record<string, unknown>;
	/** From the Sforce-Limit-Info header, e.g. "api-usage=25/15000". */
	apiUsage?: string;
	attempts: number;
	waitedMs: number[];
	tokenRefreshed: boolean;
}
