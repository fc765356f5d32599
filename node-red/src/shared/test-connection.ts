import type { NodeAPI } from 'node-red';

/** What the editor posts for a placeholder: a password field the user did not retype. */
export const PASSWORD_PLACEHOLDER = '__PWRD__';

export type TestCredentials = { ok: true; credentials: Record<string, unknown>; settings: Record<string, unknown> } | { ok: false; message: string };

const same = (a: unknown, b: unknown) => (a ?? '') === (b ?? '') || JSON.stringify(a ?? '') === JSON.stringify(b ?? '');

/**
 * The credentials and settings a "Test connection" uses. Deployed secrets (fields left as the
 * placeholder) are used only with the deployed destination: when every other field and setting in
 * the form equals the deployed one. Otherwise the form must carry the secrets itself, so an editor
 * user cannot make the server send a deployed key or token to a URL of their choosing.
 */
export function testCredentials(args: {
	fields: Record<string, { type: 'text' | 'password' }>;
	form: Record<string, unknown>;
	deployed: Record<string, unknown> | undefined;
	settingKeys?: string[];
	formSettings?: Record<string, unknown>;
	deployedSettings?: Record<string, unknown>;
}): TestCredentials {
	const deployed = args.deployed ?? {};
	const credentials: Record<string, unknown> = {};
	const borrowed: string[] = [];
	for (const [field, { type }] of Object.entries(args.fields)) {
		const value = args.form[field];
		if (type === 'password' && (value === undefined || value === PASSWORD_PLACEHOLDER)) {
			if (deployed[field] !== undefined && deployed[field] !== '') borrowed.push(field);
			credentials[field] = deployed[field];
		} else {
			credentials[field] = value === undefined ? deployed[field] : value;
		}
	}
	const settings: Record<string, unknown> = {};
	for (const key of args.settingKeys ?? []) settings[key] = args.formSettings?.[key] ?? args.deployedSettings?.[key];
	if (borrowed.length === 0) return { ok: true, credentials, settings };
	const changed = [
		...Object.entries(args.fields)
			.filter(([field, { type }]) => type === 'text' && !same(credentials[field], deployed[field]))
			.map(([field]) => field),
		...(args.settingKeys ?? []).filter((key) => !same(settings[key], args.deployedSettings?.[key])),
	];
	if (changed.length === 0) return { ok: true, credentials, settings };
	return {
		ok: false,
		message: `Enter ${borrowed.join(', ')} again to test with changed ${changed.join(', ')}: the deployed secrets are only used with the deployed settings`,
	};
}

/**
 * The deployed node `id` and its deployed credentials, when it is a running node of `type`: the
 * only node whose secrets an admin route of `type` may lend (a permission to edit one account type
 * must not reach another type's secrets, nor those of a node that is not running).
 */
export function ownDeployedNode<N extends { type?: string; config?: Record<string, unknown> }>(
	RED: NodeAPI,
	id: unknown,
	type: string,
): { node: N; credentials: Record<string, unknown> | undefined } | undefined {
	if (typeof id !== 'string' || id === '') return undefined;
	const node = RED.nodes.getNode(id) as unknown as N | null;
	if (!node || node.type !== type) return undefined;
	return { node, credentials: RED.nodes.getCredentials(id) as Record<string, unknown> | undefined };
}
