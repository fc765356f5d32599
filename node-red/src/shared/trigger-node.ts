import type { Node, NodeAPI, NodeDef } from 'node-red';
import { dedupeStoreFor, forgetDedupeStore } from '../../../core/dedupe';
import { EVENT_TYPES, type EventType } from '../../../core/event';
import { DEFAULT_TRIGGER_OPTIONS, type CommonTriggerOptions, type Registration, type VendorDefinition } from '../../../core/vendor';
import { generateSecret } from '../../../core/verify';
import type { AccountNode } from './account-node';
import { nodeHttpClient } from './node-http';
import { registrationStoreFor } from './registration-store';
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
}

const MB = 1024 * 1024;

function list(value: string[] | string | undefined): string[] {
	if (Array.isArray(value)) return value.filter(Boolean);
	return (value ?? '')
		.split(',')
		.map((part) => part.trim())
		.filter(Boolean);
}

function numberOr(value: unknown, fallback: number): number {
	const number = typeof value === 'number' ? value : Number(value);
	return value === '' || value === undefined || !Number.isFinite(number) ? fallback : number;
}

export function commonOptions(config: TriggerConfig): CommonTriggerOptions {
	return {
		eventTypes: list(config.eventTypes).filter((t): t is EventType => (EVENT_TYPES as readonly string[]).includes(t)),
		vendorEventTypes: list(config.vendorEventTypes),
		includeRaw: config.includeRaw ?? DEFAULT_TRIGGER_OPTIONS.includeRaw,
		replayToleranceSeconds: numberOr(config.replayToleranceSeconds, DEFAULT_TRIGGER_OPTIONS.replayToleranceSeconds),
		maxBodyBytes: Math.round(numberOr(config.maxBodyMb, DEFAULT_TRIGGER_OPTIONS.maxBodyBytes / MB) * MB),
		dropOutOfOrder: Boolean(config.dropOutOfOrder),
		redactRawPaths: list(config.redactRawPaths),
		outputFormat: config.outputFormat === 'cloudevents' ? 'cloudevents' : 'normalized',
		downloadDocuments: Boolean(config.downloadDocuments),
	};
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
	const store = registrationStoreFor((RED.settings as unknown as { userDir?: string }).userDir);

	function TriggerNode(this: Node, config: TriggerConfig) {
		RED.nodes.createNode(this, config);
		const node = this;
		const account = RED.nodes.getNode(config.account) as AccountNode | null;
		const path = (config.path || node.id).replace(/^\/+|\/+$/g, '');
		const options = { ...commonOptions(config), ...(spec.vendorOptions?.(config) ?? ({} as O)) };
		const dedupeScope = `node-red:${node.id}`;
		const dedupe = dedupeStoreFor(dedupeScope);
		let registration: Registration | undefined = vendor.registration === 'api' ? store.get(node.id) : undefined;
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
					const secret = vendor.registration === 'manual' ? (credentials.secret as string | undefined) : registration?.secret;
					return { secret, registration, credentials };
				},
			}),
		);

		if (vendor.registration === 'manual') {
			node.status({ fill: 'green', shape: 'ring', text: `listening on /${webhookPath(vendor.id, path)}` });
		} else {
			ready = reconcile();
		}

		async function reconcile(): Promise<void> {
			const { register, exists, unregister } = vendor;
			if (!register || !exists || !unregister || !account) return;
			if (!/^https?:\/\//.test(account.baseUrl ?? '')) {
				node.status({ fill: 'red', shape: 'ring', text: 'no public base URL' });
				node.error(`${vendor.displayName}: set the account's public base URL (how ${vendor.displayName} reaches this Node-RED, e.g. https://nodered.example.com) so the webhook can be registered`);
				return;
			}
			const url = publicUrl(RED, account, vendor.id, path);
			const vendorOptions = spec.vendorOptions?.(config) ?? ({} as O);
			node.status({ fill: 'yellow', shape: 'ring', text: 'registering…' });
			try {
				if (registration && (await exists(nodeHttpClient, credentials, registration, { url, secret: registration.secret, options: vendorOptions }))) {
					node.status({ fill: 'green', shape: 'dot', text: 'registered' });
					return;
				}
				if (registration) {
					await unregister(nodeHttpClient, credentials, registration);
					registration = undefined;
					store.delete(node.id);
				}
				registration = await register(nodeHttpClient, credentials, { url, secret: generateSecret(), options: vendorOptions });
				store.set(node.id, registration);
				node.status({ fill: 'green', shape: 'dot', text: 'registered' });
			} catch (error) {
				node.status({ fill: 'red', shape: 'ring', text: 'registration failed' });
				node.error((error as Error).message);
			}
		}

		node.on('close', (removed: boolean, done: () => void) => {
			routes.delete(path);
			if (!removed) return done();
			forgetDedupeStore(dedupeScope);
			if (vendor.registration !== 'api' || !vendor.unregister) return done();
			ready
				.then(async () => {
					if (!registration) return;
					await vendor.unregister!(nodeHttpClient, credentials, registration);
					store.delete(node.id);
				})
				.catch((error: Error) => node.warn(`${vendor.displayName}: could not remove the webhook registration: ${error.message}`))
				.finally(done);
		});
	}

	RED.nodes.registerType(spec.type, TriggerNode as any);
}
