import { PRECHECK_PASSED, type Precheck } from '../../verify/precheck';
import { headerValue } from '../../verify/crypto';

export const PLEXUS_SIGNATURE_HEADER = 'plexus-webhook-signature';

/** The signature covers the body, so before reading it only: a secret is configured, a signature header is there. */
export const plexusPrecheck: Precheck = (request, context) => {
	if (!context.secret) return { ok: false, status: 401, reason: 'no Plexus webhook secret is configured; every delivery is refused' };
	if (!headerValue(request.headers, PLEXUS_SIGNATURE_HEADER)) return { ok: false, status: 401, reason: `missing or invalid ${PLEXUS_SIGNATURE_HEADER} signature` };
	return PRECHECK_PASSED;
};
