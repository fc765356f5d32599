import type { VendorApiDefaults } from '../../core/vendors/module';

const CUSTOM_BASE_URL = '$credentials.apiBaseUrl.replace(/\\/+$/, "")';

/**
 * A credential test's `baseURL` expression from the vendor module's API defaults: the URL of the
 * chosen region or environment, else the credential's own API base URL (trailing slashes trimmed).
 */
export function baseUrlExpression(api: VendorApiDefaults): string {
	const field = api.chosenBy;
	if (!field) return `={{${CUSTOM_BASE_URL}}}`;
	const chain = Object.entries(api.baseUrls).reduceRight(
		(otherwise, [value, url]) => `$credentials.${field} === ${JSON.stringify(value)} ? ${JSON.stringify(url)} : ${otherwise}`,
		CUSTOM_BASE_URL,
	);
	return `={{${chain}}}`;
}

/** The authorization header `authenticate` sends, as an n8n expression over the credential's fields. */
export function authorizationExpression(authorization: NonNullable<VendorApiDefaults['authorization']>): Record<string, string> {
	const value = authorization.fields.map((field) => `{{$credentials.${field}}}`).join(authorization.separator);
	return { [authorization.header]: `=${authorization.scheme} ${value}` };
}
