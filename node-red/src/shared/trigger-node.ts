import type { Node, NodeAPI, NodeDef } from 'node-red';
import { checkPublicBaseUrl, missingCredentials, missingCredentialsMessage } from '../../../core/lifecycle/account-check';
import { accountFingerprint } from '../../../core/lifecycle/reconcile';
import type { CommonTriggerOptions, Registration, VendorDefinition } from '../../../core/vendors/definition';
import { commonTriggerOptions, type CommonTriggerSettings } from '../../../core/editor/trigger-settings';
import { deliverySecrets, rotationMemoryFor } from '../../../core/verify/secret-rotation';
import type { AccountNode } from './account-node';
import { contextDedupeStore, dedupeContextKey } from './context-dedupe';
import type { NodeRedContext } from './context-store';
import { registrationHandover, type RegistrationHandover } from './registration-handover';
import { registrationStoreFor } from './registration-store';
import { registerRegistrationsAdmin } from './registrations-admin';
import { registerSampleCommandAdmin } from './sample-command-admin';
import { startRegistrationLifecycle, type RegistrationLifecycle } from './trigger-registration';
import { markNotRegistering } from './registration-process';
import { routeTable, webhookPath } from './routes';
import { inboundRoute } from './trigger-inbound';
import { forgetDeliveries, serveRecentDeliveries } from './recent-deliveries';
import { isPolling, startTriggerCatchup, watermarkContextKey, type CatchupSettings, type TriggerCatchup } from './trigger-catchup';

/** A trigger node's properties as the editor saves them: the common settings as text or values, then the vendor's. */
export interface TriggerConfig extends NodeDef, Partial<Record<keyof CommonTriggerSettings, unknown>> {
	account: string;
	path?: string;
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
	if (vendor.registration === 'api') {
		registerRegistrationsAdmin(RED, vendor as VendorDefinition<object, object>, store, warn);
		registerSampleCommandAdmin(RED, vendor as VendorDefinition<object, object>, store);
	}
	serveRecentDeliveries(RED, spec.type);

	function TriggerNode(this: Node, config: TriggerConfig) {
		RED.nodes.createNode(this, config);
		const node = this;
		const account = RED.nodes.getNode(config.account) as AccountNode | null;
		const path = (config.path || node.id).replace(/^\/+|\/+$/g, '');
		const options = { ...commonOptions(config), ...(spec.vendorOptions?.(config) ?? ({} as O)) };
		let lifecycle: RegistrationLifecycle | undefined;
		let handover: RegistrationHandover | undefined;
		let ready: Promise<void> = Promise.resolve();
		let readyDone = false;

		if (!account) {
			node.status({ fill: 'red', shape: 'ring', text: 'no account configured' });
			node.error(`${vendor.displayName}: select an account configuration`);
			return;
		}
		const credentials = (account.credentials ?? {}) as Record<string, unknown>;
		const global = node.context().global as unknown as NodeRedContext;
		const storeError = (message: string) => node.warn(`${vendor.displayName}: ${message}`);
		const dedupe = contextDedupeStore(global, dedupeContextKey(vendor.id, path, accountFingerprint(vendor, credentials)), account.contextStore, storeError);
		const serveOnly = vendor.registration === 'api' && !account.registers;
		const rotation = rotationMemoryFor(`node-red:${vendor.id}:${node.id}`);
		const secretsFor = (registration: Registration | undefined) => {
			const secrets = deliverySecrets(vendor, registration, credentials, rotation, new Date());
			if (secrets.expiredNotice) node.warn(secrets.expiredNotice);
			return secrets.context;
		};
		let catchup: TriggerCatchup | undefined;
		const startCatchup = (registration: () => Registration | undefined | Promise<Registration | undefined>) =>
			(catchup = startTriggerCatchup({
				node, vendor, options, vendorOptions: spec.vendorOptions?.(config) ?? {}, settings: config as CatchupSettings, credentials, registers: account.registers,
				global, contextStore: account.contextStore, key: watermarkContextKey(vendor.id, path, accountFingerprint(vendor, credentials)), dedupe, ready, registration,
			}));
		if (isPolling(config as CatchupSettings)) {
			// Polling: no route, no webhook registration; the vendor's API is read every interval.
			// A webhook it registered before (switched from webhook mode) is removed by the janitor on this flows start.
			if (vendor.registration === 'api' && account.registers) markNotRegistering(node.id, true);
			const polling = startCatchup(() => undefined);
			node.status(polling ? { fill: 'green', shape: 'ring', text: 'polling' } : { fill: 'grey', shape: 'ring', text: account.registers ? 'cannot poll this vendor' : 'not polling (another instance registers)' });
			node.on('close', (removed: boolean, done: () => void) => {
				polling?.close();
				markNotRegistering(node.id, false);
				if (removed) void Promise.all([dedupe.forget(), polling?.forget()]);
				done();
			});
			return;
		}
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
				catchup: () => catchup,
				// At once when nothing is pending (no await per delivery); else once the registration is done.
				verification: () =>
					readyDone && !serveOnly
						? secretsFor(lifecycle?.registration())
						: (async () => {
								await ready;
								return secretsFor(serveOnly ? await handover?.read() : lifecycle?.registration());
							})(),
			}),
		);

		const missing = missingCredentials(vendor.requiredCredentials, credentials);
		const baseUrl = checkPublicBaseUrl(account.baseUrl);
		if (missing.length > 0) {
			// Every delivery would be refused: say what to fill in instead of looking ready.
			node.status({ fill: 'red', shape: 'ring', text: `account: fill in ${missing.join(', ')}` });
			node.error(`${vendor.displayName}: ${missingCredentialsMessage(vendor.displayName, missing)} (deliveries are refused until then)`);
		} else if (vendor.registration === 'manual') {
			node.status({ fill: 'green', shape: 'ring', text: `listening on /${webhookPath(vendor.id, path)}` });
		} else if (!baseUrl.ok) {
			node.status({ fill: 'red', shape: 'ring', text: baseUrl.message });
			node.error(
				`${vendor.displayName}: ${baseUrl.problem === 'invalid' ? `the account's ${baseUrl.message}` : "set the account's public base URL"} ` +
					`(how ${vendor.displayName} reaches this Node-RED, e.g. https://nodered.example.com) so the webhook can be registered`,
			);
		} else if (serveOnly) {
			// Another instance registers; this one verifies with the registration it handed over through the context store.
			handover = registrationHandover(global, account.contextStore, vendor.id, publicUrl(RED, account, vendor.id, path), credentials, storeError);
			const shared = handover;
			ready = shared.read().then((registration) => {
				node.status(registration
					? { fill: 'green', shape: 'ring', text: 'serving deliveries (another instance registers)' }
					: { fill: 'yellow', shape: 'ring', text: 'no registration handed over yet (another instance registers)' });
			});
		} else {
			const shared = registrationHandover(global, account.contextStore, vendor.id, publicUrl(RED, account, vendor.id, path), credentials, storeError);
			handover = shared;
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
				registrationChanged: (registration) => void shared.publish(registration),
			});
			ready = lifecycle.ready;
		}

		void ready.then(
			() => (readyDone = true),
			() => undefined,
		);
		startCatchup(async () => (serveOnly ? handover?.read() : lifecycle?.registration()));

		node.on('close', (removed: boolean, done: () => void) => {
			catchup?.close();
			if (removed) void catchup?.forget();
			routes.get(path)?.close?.();
			routes.delete(path);
			// A deleted or disabled trigger's seen ids and recent deliveries go with it (a redeploy keeps them).
			if (removed) {
				void dedupe.forget();
				forgetDeliveries(node.id);
			}
			if (!lifecycle) return done();
			// Node-RED waits 15 s for done(); a removal still running then goes on (and is retried if it fails).
			let finished = false;
			const finish = () => {
				if (finished) return;
				finished = true;
				done();
			};
			const cap = setTimeout(finish, removed ? 10_000 : 0);
			const registering = lifecycle;
			registering
				.close(removed)
				.then(() => (removed ? handover?.publish(undefined) : undefined))
				.catch((error: Error) => node.warn(`${vendor.displayName}: could not remove the webhook registration: ${error.message}`))
				.finally(() => {
					clearTimeout(cap);
					finish();
				});
		});
	}

	RED.nodes.registerType(spec.type, TriggerNode as any, spec.settings ? { settings: spec.settings } : undefined);
}
