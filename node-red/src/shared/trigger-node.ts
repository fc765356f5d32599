import type { Node, NodeAPI, NodeDef } from 'node-red';
import { dedupeStoreFor, forgetDedupeStore } from '../../../core/dedupe';
import type { CommonTriggerOptions, Registration, VendorDefinition } from '../../../core/vendor';
import { commonTriggerOptions } from '../../../core/trigger-options';
import type { AccountNode } from './account-node';
import { registrationStoreFor } from './registration-store';
import { registerRegistrationsAdmin } from './registrations-admin';
import { startRegistrationLifecycle, type RegistrationLifecycle } from './trigger-lifecycle';
import { routeTable, webhookPath } from './routes';
import { inboundRoute } from './trigger-inbound';

export interface TriggerConfig extends NodeDef {
	account: string;
	path?: string;
	eventTypes?: string[] | string;
	vendorEventTypes?: string[] | string;
	includeRaw?: boolean;
	replayToleranceSeconds?: number | string;
	maxBodyMb?: number | string;
	dropOutOfOrder?: boolean;
	redactRawPaths?: string;
	outputFormat?: string;
	downloadDocuments?: boolean;
	[vendorSetting: string]: unknown;
}

export interface TriggerSpec<VendorOptions extends object> {
	type: string;
	vendor: VendorDefinition<object, VendorOptions>;
	/** The vendor's own settings from the node's properties. */
	vendorOptions?(config: TriggerConfig): VendorOptions;
	/** Node settings exported to the editor (see editor-settings.ts). */
	settings?: Record<string, { value: unknown; exportable: true }>;
}

/** The common options from the node's settings, parsed by core (the same rules as in n8n). */
export function commonOptions(config: TriggerConfig): CommonTriggerOptions {
	return commonTriggerOptions(config as unknown as Record<string, unknown>);
}

/** The public URL a vendor must call for this node: the account's base URL + httpNodeRoot + our route. */
export function publicUrl(RED: NodeAPI, account: AccountNode, vendor: string, path: string): string {
	const root = ((RED.settings as unknown as { httpNodeRoot?: string }).httpNodeRoot || '/').replace(/^\/?/, '/').replace(/\/?$/, '/');
	return `${(account.baseUrl || '').replace(/\/+$/, '')}${root}${webhookPath(vendor, path)}`;
}

/**
 * Registers a vendor's trigger node type: serves its webhook route, verifies and normalizes each
 * delivery through the core, and for vendors with a registration API registers on start,
 * reconciles on redeploy/restart, and unregisters only when the node is deleted or disabled.
 */
export function registerTriggerNode<O extends object>(RED: NodeAPI, spec: TriggerSpec<O>): void {
	const { vendor } = spec;
	const routes = routeTable(RED, vendor.id);
	const warn = (message: string) => RED.log.warn(`legalhooks: ${message}`);
	const store = registrationStoreFor(RED.settings as unknown as { userDir?: string; get?(name: string): unknown }, warn);
	if (vendor.registration === 'api') registerRegistrationsAdmin(RED, vendor as VendorDefinition<object, object>, store, warn);

	function TriggerNode(this: Node, config: TriggerConfig) {
		RED.nodes.createNode(this, config);
		const node = this;
		const account = RED.nodes.getNode(config.account) as AccountNode | null;
		const path = (config.path || node.id).replace(/^\/+|\/+$/g, '');
		const options = { ...commonOptions(config), ...(spec.vendorOptions?.(config) ?? ({} as O)) };
		const dedupeScope = `node-red:${node.id}`;
		const dedupe = dedupeStoreFor(dedupeScope);
		let lifecycle: RegistrationLifecycle | undefined;
		let ready: Promise<void> = Promise.resolve();

		if (!account) {
			node.status({ fill: 'red', shape: 'ring', text: 'no account configured' });
			node.error(`${vendor.displayName}: select an account configuration`);
			return;
		}
		const credentials = (account.credentials ?? {}) as Record<string, unknown>;
		const existing = routes.get(path);
		if (existing) {
			node.status({ fill: 'red', shape: 'ring', text: `path "${path}" already in use` });
			node.error(`${vendor.displayName}: another trigger already serves the path "${path}"; give this one its own path`);
			return;
		}

		routes.set(
			path,
			inboundRoute({
				node,
				vendor,
				options,
				dedupe,
				verification: async () => {
					await ready;
					const registration: Registration | undefined = lifecycle?.registration();
					const secret = vendor.registration === 'manual' ? (credentials.secret as string | undefined) : registration?.secret;
					return { secret, registration, credentials };
				},
			}),
		);

		if (vendor.registration === 'manual') {
			node.status({ fill: 'green', shape: 'ring', text: `listening on /${webhookPath(vendor.id, path)}` });
		} else if (!/^https?:\/\//.test(account.baseUrl ?? '')) {
			node.status({ fill: 'red', shape: 'ring', text: 'no public base URL' });
			node.error(`${vendor.displayName}: set the account's public base URL (how ${vendor.displayName} reaches this Node-RED, e.g. https://nodered.example.com) so the webhook can be registered`);
		} else {
			lifecycle = startRegistrationLifecycle<O>({
				RED,
				vendor,
				store,
				nodeId: node.id,
				account: { id: account.id, type: account.type, credentials },
				target: publicUrl(RED, account, vendor.id, path),
				options: spec.vendorOptions?.(config) ?? ({} as O),
				status: (status) => node.status(status),
				error: (message) => node.error(message),
				warn: (message) => node.warn(message),
			});
			ready = lifecycle.ready;
		}

		node.on('close', (removed: boolean, done: () => void) => {
			routes.delete(path);
			if (removed) forgetDedupeStore(dedupeScope);
			if (!lifecycle) return done();
			// Node-RED waits 15 s for done(); a removal still running then goes on (and is retried if it fails).
			let finished = false;
			const finish = () => {
				if (finished) return;
				finished = true;
				done();
			};
			const cap = setTimeout(finish, removed ? 10_000 : 0);
			lifecycle
				.close(removed)
				.catch((error: Error) => node.warn(`${vendor.displayName}: could not remove the webhook registration: ${error.message}`))
				.finally(() => {
					clearTimeout(cap);
					finish();
				});
		});
	}

	RED.nodes.registerType(spec.type, TriggerNode as any, spec.settings ? { settings: spec.settings } : undefined);
}
