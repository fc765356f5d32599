import { firstQueryValue } from '../../inbound/parse';
import { requireToken, type Precheck } from '../../verify/precheck';
import { currentSecret } from '../../verify/secret-rotation';

/** The registration token in the callback URL's `?token=`, checked before the body is read. */
export const quicklysignPrecheck: Precheck = (request, context) =>
	requireToken(firstQueryValue(request.query, 'token'), currentSecret(context), {
		missing: 'no QuicklySign registration token is stored; every delivery is refused',
		wrong: 'missing or wrong token in the callback URL',
	});
