import type { NodeAPI } from 'node-red';
import { remove } from '../../../core/lifecycle/reconcile';
import type { VendorDefinition } from '../../../core/vendors/definition';
import { lifecycleDeps, type CurrentAccount } from './registration-entry';
import type { RegistrationStore } from './registration-store';

export interface Removal {
	RED: NodeAPI;
	vendor: VendorDefinition<object, object>;
	store: RegistrationStore;
	nodeId: string;
	/** The account node's type when the node is known; else the stored entry's. */
	accountType: string | undefined;
	/** The account of the instance being removed; none for the janitor. */
	current: CurrentAccount | undefined;
	warn(message: string): void;
}

/**
 * The node is gone: remove everything it made at the vendor and drop its entry; what fails stays
 * in the store (with the credentials it needs) for the janitor.
 */
export async function removeRegistrations({ RED, vendor, store, nodeId, accountType, current, warn }: Removal): Promise<void> {
	const entry = store.get(nodeId);
	if (!entry) return;
	const deps = lifecycleDeps({ RED, vendor, store, nodeId, accountType: accountType ?? entry.accountType, entry, current });
	const { pending } = await remove(deps, entry.state, current?.ref);
	if (pending === 0) {
		store.delete(nodeId);
		return;
	}
	const last = entry.state.pending.find((p) => p.lastError)?.lastError;
	warn(`${vendor.displayName}: could not remove the webhook registration yet (retried on the next start, deploy and with backoff)${last ? `: ${last}` : ''}`);
}
