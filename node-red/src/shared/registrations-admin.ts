import type { NodeAPI } from 'node-red';
import { describePending } from '../../../core/lifecycle/reconcile';
import type { VendorDefinition } from '../../../core/vendors/definition';
import type { RegistrationStore } from './registration-store';
import { startJanitor } from './registration-janitor';
import { liveTriggers } from './registration-process';

const registered = new WeakMap<object, Set<string>>();

/** What the editor may see of one vendor's registrations: ids, targets, pending removals — never a secret. */
function listing(store: RegistrationStore, vendor: VendorDefinition<object, object>) {
	return store
		.list()
		.filter(([, entry]) => entry.vendor === vendor.id)
		.map(([nodeId, entry]) => ({
			node: nodeId,
			registered: Boolean(entry.state.registration),
			creating: Boolean(entry.state.intent),
			pending: entry.state.pending.map(describePending),
		}));
}

/**
 * GET  /legalhooks/<vendor>/registrations        → the vendor's triggers and their pending removals
 * POST /legalhooks/<vendor>/registrations/retry  → retry every pending removal and failed registration now
 */
export function registerRegistrationsAdmin(RED: NodeAPI, vendor: VendorDefinition<object, object>, store: RegistrationStore, warn: (message: string) => void): void {
	const janitor = startJanitor(RED, vendor, store, warn);
	const app = RED.httpAdmin as unknown as object;
	const done = registered.get(app) ?? new Set<string>();
	registered.set(app, done);
	if (done.has(vendor.id)) return;
	done.add(vendor.id);
	const base = `/legalhooks/${vendor.id}/registrations`;
	RED.httpAdmin.get(base, RED.auth.needsPermission('flows.read'), (_req: unknown, res: { json(body: unknown): void }) => {
		res.json({ vendor: vendor.id, registrations: listing(store, vendor) });
	});
	RED.httpAdmin.post(`${base}/retry`, RED.auth.needsPermission('flows.write'), async (_req: unknown, res: { json(body: unknown): void; status(code: number): { json(body: unknown): void } }) => {
		try {
			await janitor.runNow();
			// Then every running trigger of the vendor (after whatever each is doing).
			await Promise.all(liveTriggers.ofVendor(vendor.id).map((trigger) => trigger.retryNow().catch(() => undefined)));
			res.json({ vendor: vendor.id, registrations: listing(store, vendor) });
		} catch (error) {
			res.status(500).json({ error: `could not retry: ${(error as Error).message}` });
		}
	});
}
