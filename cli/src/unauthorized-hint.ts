import type { VendorId } from '../../core/event/normalized-event';
import { REGISTRATION_TOKEN_WORDS } from '../../core/samples/command';

/**
 * What a 401 most likely means, per vendor: a signature over the body (Plexus, PhenixID) fails on
 * a different secret, a token check (Legito, Legalesign, QuicklySign) fails because --secret is not
 * the random token the trigger registered — no credential field holds it. The answer's own reason
 * (short, no secret) says which check refused.
 */
export function unauthorizedHint(vendor: string, answer: string): string {
	const reason = answer.toLowerCase();
	const token = REGISTRATION_TOKEN_WORDS[vendor as VendorId];
	const unset = /every delivery is refused|is stored|not configured/.test(reason);
	if (/replay|window|too old|in the future/.test(reason)) {
		return 'The delivery’s time is outside the trigger’s replay window: the sample carries the send time, so check this machine’s clock (or the trigger’s Replay window setting).';
	}
	if (token) {
		if (unset) return `The ${vendor} trigger has no registration token yet: it makes one when it registers with ${vendor} (deploy / activate it and wait until it is registered).`;
		const where = 'Node-RED: the trigger’s dialog shows the whole command with a copy button once it has registered; the sandbox (npm start) uses `curl -X POST …/sandbox/fire/…` instead';
		if (/registration|push connection|subscription|systemname/.test(reason) && !/token/.test(reason)) {
			return `The token passed, but the delivery names another registration: give --registration-id ${vendor === 'legito' ? 'the push connection’s systemName' : 'a subscription key the trigger registered'}${vendor === 'quicklysign' ? ' and --entity-key its document pack' : ''} (${where}).`;
		}
		if (/signature|signed|certificate/.test(reason)) {
			return 'The token passed, but the account has Legalesign’s certificate and the delivery’s RSA signature does not match it: sign with the matching key (--private-key), or leave the certificate empty to check the token only.';
		}
		return `The ${vendor} trigger checks a registration token, not a credential field: --secret must be ${token} (${where}).`;
	}
	if (vendor === 'phenixid' && /key/.test(reason) && !/signature/.test(reason)) {
		return 'The trigger refused the webhook key: --key must be the key in the PhenixID account (sent as ?key=), or leave it out when the account has none.';
	}
	if (unset) {
		return `The trigger has no secret to check with: fill in the ${vendor} account’s webhook secret, deploy/save, then send again.`;
	}
	if (/header/.test(reason)) return 'The account requires additional headers (Required headers) that this sample does not send: clear them to try the sample.';
	const signature = vendor === 'plexus' ? 'HMAC-SHA512 of the body (plexus-webhook-signature)' : vendor === 'phenixid' ? 'HMAC-SHA256 of the body (X-Signature)' : 'the signature';
	return `The trigger refused the signature (${signature}): --secret must be exactly the webhook secret in its account / credential${vendor === 'phenixid' ? ', and --key its key when it has one' : ''}.`;
}
