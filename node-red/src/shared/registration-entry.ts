import type { NodeAPI } from 'node-red';
import { accountFingerprint, type AccountRef, type LifecycleDeps, type LifecycleState } from '../../../core/lifecycle/reconcile';
import type { VendorDefinition } from '../../../core/vendors/definition';
import { generateSecret } from '../../../core/verify/crypto';
import { nodeHttpClient } from './node-http';
import { rememberedAccount } from './registration-process';
import type { RegistrationStore, StoreEntry } from './registration-store';

export type Credentials = Record<string, unknown>;

/** The account a trigger instance uses now: its identity and a copy of its credentials. */
export interface CurrentAccount {
	ref: AccountRef;
	credentials: Credentials;
}

/** The credentials of `account`, wherever this runtime still has them. */
function credentialsFinder(RED: NodeAPI, vendor: VendorDefinition<object, object>, entry: StoreEntry | undefined, current?: CurrentAccount) {
	return (account: AccountRef): Credentials | undefined => {
		if (current && account.fingerprint === current.ref.fingerprint) return current.credentials;
		const byId = account.id ? (RED.nodes.getNode(account.id) as unknown as { credentials?: Credentials } | null) : null;
		if (byId?.credentials && accountFingerprint(vendor, byId.credentials) === account.fingerprint) return { ...byId.credentials };
		if (entry?.accountType) {
			let found: Credentials | undefined;
			RED.nodes.eachNode((config: { id: string; type: string }) => {
				if (found || config.type !== entry.accountType) return;
				const credentials = (RED.nodes.getNode(config.id) as unknown as { credentials?: Credentials } | null)?.credentials;
				if (credentials && accountFingerprint(vendor, credentials) === account.fingerprint) found = { ...credentials };
			});
			if (found) return found;
		}
		return rememberedAccount(account.fingerprint) ?? entry?.accounts?.[account.fingerprint];
	};
}

/** The entry to write: the state plus, encrypted at rest, the credentials its pending removals need. */
function entryFor(vendor: VendorDefinition<object, object>, accountType: string | undefined, state: LifecycleState, find: (account: AccountRef) => Credentials | undefined): StoreEntry {
	const accounts: Record<string, Credentials> = {};
	for (const pending of state.pending) {
		const credentials = find(pending.account);
		if (credentials) accounts[pending.account.fingerprint] = credentials;
	}
	return { vendor: vendor.id, accountType, state, ...(Object.keys(accounts).length ? { accounts } : {}) };
}

export interface StoredLifecycle<O extends object> {
	RED: NodeAPI;
	vendor: VendorDefinition<object, O>;
	store: RegistrationStore;
	nodeId: string;
	/** The type of the account node, to look for an account's credentials among its kind. */
	accountType: string | undefined;
	/** The node's stored entry as read before the call. */
	entry: StoreEntry | undefined;
	/** The account of a running instance; none for the janitor. */
	current?: CurrentAccount;
	/** False once the caller (a closed instance) must stop: no more vendor calls, nothing written. */
	isCurrent?(): boolean;
	/** Sees each state just before it is written. */
	persisting?(state: LifecycleState): void;
}

/**
 * What core/lifecycle needs to work on one node's registration in this runtime: its vendor calls
 * over node:http, and every state change written to the registration store with the credentials
 * its pending removals need.
 */
export function lifecycleDeps<O extends object>(on: StoredLifecycle<O>): LifecycleDeps<object, O> {
	const vendor = on.vendor as VendorDefinition<object, object>;
	const find = credentialsFinder(on.RED, vendor, on.entry, on.current);
	const isCurrent = on.isCurrent;
	return {
		vendor: on.vendor,
		http: nodeHttpClient,
		credentials: on.current?.credentials ?? {},
		credentialsFor: find,
		...(isCurrent ? { isCurrent } : {}),
		newSecret: generateSecret,
		persist: (state) => {
			if (isCurrent && !isCurrent()) return;
			on.persisting?.(state);
			on.store.set(on.nodeId, entryFor(vendor, on.accountType, state, find));
		},
	};
}
