import type { ICredentialsDecrypted, INodeCredentialTestResult } from 'n8n-workflow';

export const MIN_SECRET_LENGTH = 16;

/**
 * Webhook secrets cannot be checked against the vendor; this catches the usual setup mistakes
 * (empty, too short, pasted with spaces) without ever echoing the secret.
 */
export function checkWebhookSecret(credential: ICredentialsDecrypted, field = 'secret'): INodeCredentialTestResult {
	const value = credential.data?.[field];
	if (typeof value !== 'string' || value.length === 0) return { status: 'Error', message: 'The secret is empty' };
	if (value.trim() !== value) return { status: 'Error', message: 'The secret starts or ends with whitespace; paste it again' };
	if (value.length < MIN_SECRET_LENGTH) {
		return { status: 'Error', message: `The secret is shorter than ${MIN_SECRET_LENGTH} characters; use a long random value (e.g. 32 random bytes as hex)` };
	}
	return { status: 'OK', message: 'The secret is well-formed. Deliveries signed with it will be accepted.' };
}
