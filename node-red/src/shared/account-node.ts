import type { Node, NodeAPI, NodeDef } from 'node-red';
import { ServiceError } from '../../../core/errors';
import type { HttpClient } from '../../../core/http';
import { nodeHttpClient } from './node-http';
import { caught } from './caught';

export interface AccountNode extends Node {
	baseUrl?: string;
	credentials: Record<string, unknown>;
}

interface AccountConfig extends NodeDef {
	baseUrl?: string;
}

export interface AccountSpec {
	type: string;
	/** Credential fields: all stored encrypted by Node-RED; password fields are never sent back to the editor. */
	credentials: Record<string, { type: 'text' | 'password' }>;
	/** Checks the credentials against the vendor; throws a ServiceError worded for the user. */
	test?(http: HttpClient, credentials: Record<string, unknown>): Promise<string>;
}

/**
 * Registers a vendor account config node, and its "Test connection" admin endpoint: the editor
 * posts the form; fields left as the password placeholder are taken from the deployed node.
 */
export function registerAccountNode(RED: NodeAPI, spec: AccountSpec): void {
	function Account(this: AccountNode, config: AccountConfig) {
		RED.nodes.createNode(this, config);
		this.baseUrl = config.baseUrl;
	}
	RED.nodes.registerType(spec.type, Account as any, { credentials: spec.credentials });

	const test = spec.test;
	if (!test) return;
	RED.httpAdmin.post(`/${spec.type}/test`, RED.auth.needsPermission(`${spec.type}.write`), caught(RED, async (req: any, res: any) => {
		const form = (req.body?.credentials ?? {}) as Record<string, unknown>;
		const deployed = (req.body?.id ? RED.nodes.getCredentials(req.body.id) : undefined) ?? {};
		const credentials: Record<string, unknown> = {};
		for (const field of Object.keys(spec.credentials)) {
			const value = form[field];
			credentials[field] = value === undefined || value === '__PWRD__' ? (deployed as Record<string, unknown>)[field] : value;
		}
		try {
			res.json({ ok: true, message: await test(nodeHttpClient, credentials) });
		} catch (error) {
			const message = error instanceof ServiceError ? error.message : `Could not test the connection: ${(error as Error).message}`;
			res.json({ ok: false, message });
		}
	}));
}
