import type { Node, NodeAPI, NodeDef } from 'node-red';
import { missingCredentials, type RequiredCredential } from '../../../core/lifecycle/account-check';
import { ServiceError } from '../../../core/outbound/errors';
import type { HttpClient } from '../../../core/outbound/http';
import { nodeHttpClient } from './node-http';
import { asyncRouteHandler } from './async-route-handler';
import { ownDeployedNode, testCredentials } from './test-connection';

export interface AccountNode extends Node {
	baseUrl?: string;
	/** The context store its triggers keep seen ids (and hand the registration over) in; undefined: the runtime's default store. */
	contextStore?: string;
	/** False on an instance that only serves deliveries: it never calls the vendor's register/unregister API. */
	registers: boolean;
	credentials: Record<string, unknown>;
}

interface AccountConfig extends NodeDef {
	baseUrl?: string;
	contextStore?: string;
	registers?: boolean;
}

/** The account's settings for running several instances; the editor gets them through the trigger's editor settings. */
export const ACCOUNT_INSTANCE_DEFAULTS = { contextStore: '', registers: true } as const;

export interface AccountSpec {
	type: string;
	/** Credential fields: all stored encrypted by Node-RED; password fields are never sent back to the editor. */
	credentials: Record<string, { type: 'text' | 'password' }>;
	/** The vendor's required fields: "Test connection" names the empty ones instead of calling the vendor. */
	required?: readonly RequiredCredential[];
	/** Checks the credentials against the vendor; throws a ServiceError worded for the user. */
	test?(http: HttpClient, credentials: Record<string, unknown>): Promise<string>;
}

/**
 * Registers a vendor account config node, and its "Test connection" admin endpoint: the editor
 * posts the form; password fields left as the placeholder are taken from the deployed node only
 * when the rest of the form (region, base URL, user) is the deployed one.
 */
export function registerAccountNode(RED: NodeAPI, spec: AccountSpec): void {
	// The deployed accounts' empty required fields, for the editor's deploy check (it never sees saved secrets).
	const missingById = new Map<string, string[]>();
	function Account(this: AccountNode, config: AccountConfig) {
		RED.nodes.createNode(this, config);
		this.baseUrl = config.baseUrl;
		this.contextStore = (config.contextStore ?? ACCOUNT_INSTANCE_DEFAULTS.contextStore) || undefined;
		this.registers = config.registers ?? ACCOUNT_INSTANCE_DEFAULTS.registers;
		const missing = missingCredentials(spec.required, this.credentials);
		if (missing.length > 0) missingById.set(this.id, missing);
		else missingById.delete(this.id);
		this.on('close', () => missingById.delete(this.id));
	}
	RED.nodes.registerType(spec.type, Account as any, { credentials: spec.credentials });
	RED.httpAdmin.get(`/${spec.type}/missing`, RED.auth.needsPermission(`${spec.type}.read`), (_req: any, res: any) => {
		res.json({ accounts: Object.fromEntries(missingById) });
	});

	const test = spec.test;
	if (!test) return;
	RED.httpAdmin.post(`/${spec.type}/test`, RED.auth.needsPermission(`${spec.type}.write`), asyncRouteHandler(RED, async (req: any, res: any) => {
		// Only this account type's own deployed node lends its secrets.
		const deployed = ownDeployedNode(RED, req.body?.id, spec.type)?.credentials;
		const merged = testCredentials({ fields: spec.credentials, form: (req.body?.credentials ?? {}) as Record<string, unknown>, deployed });
		if (!merged.ok) return void res.json({ ok: false, message: merged.message });
		const missing = missingCredentials(spec.required, merged.credentials);
		if (missing.length > 0) return void res.json({ ok: false, message: `Fill in the ${missing.join(', ')} first` });
		try {
			res.json({ ok: true, message: await test(nodeHttpClient, merged.credentials) });
		} catch (error) {
			const message = error instanceof ServiceError ? error.message : `Could not test the connection: ${(error as Error).message}`;
			res.json({ ok: false, message });
		}
	}));
}
