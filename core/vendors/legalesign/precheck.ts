import { firstQueryValue } from '../../inbound';
import { requireToken, type Precheck } from '../../precheck';
import { currentSecret } from '../../secret-rotation';

/** The registration token in the callback URL's `?token=`, checked before the body is read. */
export const legalesignPrecheck: Precheck = (request, context) =>
	requireToken(firstQueryValue(request.query, 'token'), currentSecret(context), {
		missing: 'no Legalesign registration token is stored; every delivery is refused',
		wrong: 'missing or wrong token in the callback URL',
	});
