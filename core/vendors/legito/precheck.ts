import { requireToken, type Precheck } from '../../verify/precheck';
import { currentSecret } from '../../verify/secret-rotation';
import { headerValue } from '../../verify/crypto';
import { LEGITO_TOKEN_HEADER } from './api';

/** The X-Legalhooks-Token header we set on the push connection, checked before the body is read. */
export const legitoPrecheck: Precheck = (request, context) =>
	requireToken(headerValue(request.headers, LEGITO_TOKEN_HEADER), currentSecret(context), {
		missing: 'no Legito registration secret is stored; every delivery is refused',
		wrong: `missing or wrong ${LEGITO_TOKEN_HEADER} header`,
	});
