import type { NodeAPI } from 'node-red';
import { nextRetryAt, retryPending } from '../../../core/lifecycle/reconcile';
import type { VendorDefinition } from '../../../core/vendors/definition';
import { lifecycleDeps } from './registration-entry';
import { enqueue, isNotRegistering, liveTriggers } from './registration-process';
import { removeRegistrations } from './registration-removal';
import type { RegistrationStore } from './registration-store';

interface Janitor {
	RED: NodeAPI;
	timer?: ReturnType<typeof setTimeout>;
}
/**
 * One janitor per vendor per process (its runtime and its next run), and on globalThis its
 * `flows:started` listener, so a second load of this module replaces the listener instead of
 * adding one: the entries it cleans up belong to no running node.
 */
const janitors = new Map<string, Janitor>();
const LISTENERS = Symbol.for('legalhooks.registration-janitors');

/**
 * Retries the pending removals of nodes that no longer run here (removed, disabled, or gone since
 * the last start): on every flows start (start-up and each deploy), and at their backoff time.
 */
export function startJanitor(RED: NodeAPI, vendor: VendorDefinition<object, object>, store: RegistrationStore, warn: (message: string) => void): { runNow(): Promise<void> } {
	const key = `${vendor.id}`;
	let janitor = janitors.get(key);
	janitor ??= { RED };
	janitor.RED = RED;
	janitors.set(key, janitor);
	const self = janitor;

	const runNow = async (force = true) => {
		if (self.timer) clearTimeout(self.timer);
		let due: number | undefined;
		for (const [nodeId, entry] of store.list()) {
			if (entry.vendor !== vendor.id) continue;
			// A running trigger retries its own pending removals; a deploy that did not restart it still counts.
			const running = liveTriggers.get(nodeId);
			if (running) {
				if (force && entry.state.pending.length > 0) await running.retryNow().catch(() => undefined);
				continue;
			}
			// A node switched to polling keeps its id but no longer wants its webhook.
			if (self.RED.nodes.getNode(nodeId) && !isNotRegistering(nodeId)) continue;
			await enqueue(nodeId, async () => {
				const latest = store.get(nodeId);
				if (!latest || liveTriggers.get(nodeId)) return;
				if (latest.state.registration || latest.state.intent) {
					await removeRegistrations({ RED: self.RED, vendor, store, nodeId, accountType: latest.accountType, current: undefined, warn });
					return;
				}
				const deps = lifecycleDeps({ RED: self.RED, vendor, store, nodeId, accountType: latest.accountType, entry: latest });
				await retryPending(deps, latest.state, force);
				if (latest.state.pending.length === 0) store.delete(nodeId);
			});
			const next = store.get(nodeId);
			const at = next ? nextRetryAt(next.state) : undefined;
			if (at !== undefined) due = due === undefined ? at : Math.min(due, at);
		}
		if (due !== undefined) {
			self.timer = setTimeout(() => void runNow(false).catch(() => undefined), Math.max(1000, due - Date.now()));
			self.timer.unref?.();
		}
	};
	// One listener per vendor per process, even when this module is loaded again.
	const listeners = ((globalThis as Record<symbol, unknown>)[LISTENERS] ??= new Map<string, () => void>()) as Map<string, () => void>;
	const events = RED.events as unknown as { on(event: string, listener: () => void): void; removeListener(event: string, listener: () => void): void };
	const previous = listeners.get(key);
	if (previous) events.removeListener('flows:started', previous);
	const listener = () => void runNow(true).catch(() => undefined);
	listeners.set(key, listener);
	events.on('flows:started', listener);
	return { runNow: () => runNow(true) };
}
