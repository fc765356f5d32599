import { firstQueryValue } from '../../inbound/parse';
import { PRECHECK_PASSED, type Precheck } from '../../verify/precheck';
import { headerValue, verifyToken } from '../../verify/crypto';

export const PHENIXID_SIGNATURE_HEADER = 'x-signature';

/**
 * Before the body is read: the `?key=` from PhenixID's webHook block (when the credential has one),
 * that a secret is configured, and that an X-Signature header is there at all.
 */
export const phenixidPrecheck: Precheck = (request, context) => {
	const expectedKey = typeof context.credentials?.key === 'string' ? context.credentials.key : '';
	if (expectedKey && !verifyToken(firstQueryValue(request.query, 'key'), expectedKey)) {
		return { ok: false, status: 401, reason: 'missing or wrong key query parameter' };
	}
	if (!context.secret) return { ok: false, status: 401, reason: 'no PhenixID webhook secret is configured; every delivery is refused' };
	if (!headerValue(request.headers, PHENIXID_SIGNATURE_HEADER)) return { ok: false, status: 401, reason: 'missing X-Signature header' };
	return PRECHECK_PASSED;
};
