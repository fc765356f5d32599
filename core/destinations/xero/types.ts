import type { TokenState } from '../oauth';

export const XERO_SERVICE = 'Xero';

export const XERO_DEFAULT_IDENTITY_URL = 'https://identity.xero.com';

export const XERO_DEFAULT_API_URL = 'https://api.xero.com';

export const XERO_LOGIN_URL = 'https://login.xero.com';

/** Apps created from 2 March 2026 get only granular scopes; older apps may use accounting.transactions. */
export const XERO_GRANULAR_SCOPES = 'accounting.invoices accounting.contacts';

export interface XeroCredentials {
	/**
	 * `client_credentials`: a Xero Custom Connection; `refresh_token`: a standard app (tokens rotate);
	 * `engine`: the injected HTTP client signs every request and refreshes the token itself (n8n's
	 * OAuth2 credential), so this client sends no Authorization header and never asks for a token.
	 */
	grantType: 'client_credentials' | 'refresh_token' | 'engine';
	clientId?: string;
	clientSecret?: string;
	refreshToken?: string;
	/** Organisation (tenant) id; when empty the only connection of the token is used. */
	tenantId?: string;
	/** Scopes to request with client credentials (space separated); empty = those of the app. */
	scopes?: string;
	identityUrl?: string;
	apiUrl?: string;
}

/** What the engine keeps between calls: the token (incl. a rotated refresh token) and the tenant. */
export interface XeroState {
	token?: TokenState;
	tenantId?: string;
}

export type XeroOperation = 'createInvoice' | 'createBill' | 'addContactNote';

export interface XeroOptions {
	operation: XeroOperation;
	/** Line item account code (e.g. 200 Sales, 400 Advertising); empty leaves it to be set in Xero. */
	accountCode?: string;
	taxType?: string;
	lineAmountTypes?: 'Exclusive' | 'Inclusive' | 'NoTax';
	/** Days from the invoice date to the due date (default 30). */
	dueInDays?: number;
	/** Line item description; `{{path}}` placeholders (default the document title). */
	description?: string;
	/** Currency when the event has no data.currency (empty = the organisation's base currency). */
	defaultCurrency?: string;
	/** addContactNote: the ContactID; when empty the contact is found by data.counterpartyName. */
	contactId?: string;
	/** addContactNote: the note; `{{path}}` placeholders. */
	note?: string;
}

export interface XeroResult {
	destination: 'xero';
	operation: XeroOperation;
	tenantId: string;
	invoiceId?: string;
	invoiceNumber?: string;
	status?: string;
	contactId?: string;
	idempotencyKey: string;
	request: Record<string, unknown>;
	attempts: number;
	waitedMs: number[];
	tokenRefreshed: boolean;
}
