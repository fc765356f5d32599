import type { NodeAPI } from 'node-red';
import {
	accountFingerprint,
	backoffMs,
	nextRetryAt,
	reconcile,
	remove,
	retryPending,
	type AccountRef,
	type LifecycleDeps,
	type LifecycleState,
	type LiveRegistration,
	type ReconcileOutcome,
} from '../../../core/lifecycle';
import type { VendorDefinition } from '../../../core/vendor';
import { generateSecret } from '../../../core/verify';
import { nodeHttpClient } from './node-http';
import type { RegistrationStore, StoreEntry } from './registration-store';

type Credentials = Record<string, unknown>;
type Status = { fill: 'red' | 'green' | 'yellow' | 'blue' | 'grey'; shape: 'ring' | 'dot'; text: string };

/** What a trigger instance gives its registration lifecycle. */
export interface LifecycleHost<O extends object> {
	RED: NodeAPI;
	vendor: VendorDefinition<object, O>;
	store: RegistrationStore;
	nodeId: string;
	account: { id: string; type: string; credentials: Credentials };
	target: string;
	options: O;
	status(status: Status): void;
	error(message: string): void;
	warn(message: string): void;
	/** Called with the registration at start and whenever it changes (for instances that do not register, see registration-handover.ts). */
	registrationChanged?(registration: LiveRegistration | undefined): void;
}

export interface RegistrationLifecycle {
	/** Resolves when the first reconcile is done (deliveries wait for it). */
	ready: Promise<void>;
	registration(): LiveRegistration | undefined;
	/** Retry now, whatever the backoff says. */
	retryNow(): Promise<void>;
	close(removed: boolean): Promise<void>;
}

/** One promise chain per node id: a new instance's reconcile starts after the closed one's call ended. */
const queues = new Map<string, Promise<unknown>>();
function enqueue<T>(nodeId: string, job: () => Promise<T>): Promise<T> {
	const previous = queues.get(nodeId) ?? Promise.resolve();
	const next = previous.catch(() => undefined).then(job);
	const tail = next.catch(() => undefined);
	queues.set(nodeId, tail);
	void tail.then(() => queues.get(nodeId) === tail && queues.delete(nodeId));
	return next;
}

/** Credentials of every account a trigger used in this process, by fingerprint, for removals after an account change. */
const seenAccounts = new Map<string, Credentials>();

/** Live trigger instances by node id, so the janitor leaves their entries to them. */
const live = new Map<string, RegistrationLifecycle & { vendor: string }>();

/** Trigger nodes that run but keep no webhook (Receive: Poll the API): the janitor removes what they registered before. */
const notRegistering = new Set<string>();

/** A trigger node now runs without a webhook (`on`), or closed: its earlier registration is the janitor's to remove on the next flows start. */
export function markNotRegistering(nodeId: string, on: boolean): void {
	if (on) notRegistering.add(nodeId);
	else notRegistering.delete(nodeId);
}

/** The credentials of `account`, wherever this runtime still has them. */
function credentialsFinder(RED: NodeAPI, vendor: VendorDefinition<object, object>, entry: StoreEntry | undefined, current?: { ref: AccountRef; credentials: Credentials }) {
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
		return seenAccounts.get(account.fingerprint) ?? entry?.accounts?.[account.fingerprint];
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

const WARNING_RECHECK_MS = 60_000;

function describeOutcome(outcome: ReconcileOutcome): Status {
	const pending = outcome.pending ? ` · ${outcome.pending} removal(s) pending` : '';
	if ((outcome.status === 'kept' || outcome.status === 'registered') && outcome.warning) return { fill: 'yellow', shape: 'ring', text: `registered, not delivering yet — see the debug sidebar${pending}` };
	if (outcome.status === 'kept' || outcome.status === 'registered') return { fill: 'green', shape: 'dot', text: `registered${pending}` };
	if (outcome.status === 'unchecked') return { fill: 'yellow', shape: 'ring', text: `could not check — using the stored registration${pending}` };
	return { fill: 'red', shape: 'ring', text: `registration failed${pending}` };
}

/**
 * A trigger instance's registration: reconcile on start, retry with bounded backoff, remove on
 * delete/disable. A closed instance never writes status or store entries: its late answers are
 * discarded and the recorded intent lets the next reconcile clean up after it.
 */
export function startRegistrationLifecycle<O extends object>(host: LifecycleHost<O>): RegistrationLifecycle {
	const { RED, vendor, store, nodeId } = host;
	const anyVendor = vendor as VendorDefinition<object, object>;
	// A copy: Node-RED updates a config node's credentials object in place when the account is edited.
	const accountCredentials: Credentials = { ...host.account.credentials };
	const ref: AccountRef = { id: host.account.id, fingerprint: accountFingerprint(vendor, accountCredentials) };
	seenAccounts.set(ref.fingerprint, accountCredentials);
	let closed = false;
	let timer: ReturnType<typeof setTimeout> | undefined;
	let failures = 0;
	let current: LiveRegistration | undefined = store.get(nodeId)?.state.registration;
	let told = current ? JSON.stringify(current) : undefined;
	if (current) host.registrationChanged?.(current);
	const setCurrent = (registration: LiveRegistration | undefined) => {
		current = registration;
		const now = registration ? JSON.stringify(registration) : undefined;
		if (now === told) return;
		told = now;
		host.registrationChanged?.(registration);
	};

	const status = (value: Status) => !closed && host.status(value);
	const depsFor = (entry: StoreEntry | undefined): LifecycleDeps<object, O> => {
		const find = credentialsFinder(RED, anyVendor, entry, { ref, credentials: accountCredentials });
		return {
			vendor,
			http: nodeHttpClient,
			credentials: accountCredentials,
			credentialsFor: find,
			isCurrent: () => !closed,
			newSecret: generateSecret,
			persist: (state) => {
				if (closed) return;
				setCurrent(state.registration);
				store.set(nodeId, entryFor(anyVendor, host.account.type, state, find));
			},
		};
	};

	const schedule = (delay: number) => {
		if (closed) return;
		if (timer) clearTimeout(timer);
		timer = setTimeout(() => void run(false), Math.max(0, delay));
		timer.unref?.();
	};

	const run = (force: boolean) =>
		enqueue(nodeId, async () => {
			if (closed) return;
			const entry = store.get(nodeId);
			const state = entry?.state ?? { pending: [] };
			status({ fill: 'yellow', shape: 'ring', text: state.registration ? 'checking the registration…' : 'registering…' });
			let outcome: ReconcileOutcome;
			try {
				outcome = await reconcile(depsFor(entry), state, { target: host.target, options: host.options, account: ref }, { force });
			} catch (error) {
				outcome = { status: 'failed', error: error as Error, pending: state.pending.length };
			}
			if (closed || outcome.status === 'stopped') return;
			setCurrent(state.registration);
			status(describeOutcome(outcome));
			if (outcome.status === 'failed') host.error(`${vendor.displayName}: ${outcome.error.message}`);
			if (outcome.status === 'unchecked') host.warn(`${vendor.displayName}: could not check the webhook registration — using the stored registration: ${outcome.error.message}`);
			const warning = (outcome.status === 'kept' || outcome.status === 'registered') && outcome.warning;
			if (warning) host.warn(`${vendor.displayName}: ${warning}`);
			if (outcome.status === 'failed' || outcome.status === 'unchecked') {
				failures += 1;
				schedule(backoffMs(failures));
			} else {
				failures = 0;
				const due = nextRetryAt(state);
				// Checked again until the user has done what the warning asks, so the status turns green.
				const next = warning ? Math.min(due ?? Infinity, Date.now() + WARNING_RECHECK_MS) : due;
				if (next !== undefined) schedule(next - Date.now());
			}
		});

	const first = run(true).catch(() => undefined);
	const lifecycle: RegistrationLifecycle & { vendor: string } = {
		vendor: vendor.id,
		// With a stored registration, deliveries need not wait for the check (it may queue behind a closed instance's call).
		ready: current ? Promise.resolve() : first,
		registration: () => current,
		retryNow: () => run(true),
		async close(removed: boolean) {
			closed = true;
			if (timer) clearTimeout(timer);
			if (live.get(nodeId) === lifecycle) live.delete(nodeId);
			if (!removed) return;
			await enqueue(nodeId, () => removeEntry(RED, anyVendor, store, nodeId, host.account.type, { ref, credentials: accountCredentials }, host.warn));
		},
	};
	live.set(nodeId, lifecycle);
	return lifecycle;
}

/** The node is gone: remove everything it made; what fails stays in the store for the janitor. */
async function removeEntry(
	RED: NodeAPI,
	vendor: VendorDefinition<object, object>,
	store: RegistrationStore,
	nodeId: string,
	accountType: string | undefined,
	current: { ref: AccountRef; credentials: Credentials } | undefined,
	warn: (message: string) => void,
): Promise<void> {
	const entry = store.get(nodeId);
	if (!entry) return;
	const find = credentialsFinder(RED, vendor, entry, current);
	const deps: LifecycleDeps<object, object> = {
		vendor,
		http: nodeHttpClient,
		credentials: current?.credentials ?? {},
		credentialsFor: find,
		newSecret: generateSecret,
		persist: (state) => store.set(nodeId, entryFor(vendor, accountType ?? entry.accountType, state, find)),
	};
	const { pending } = await remove(deps, entry.state, current?.ref);
	if (pending === 0) {
		store.delete(nodeId);
		return;
	}
	const last = entry.state.pending.find((p) => p.lastError)?.lastError;
	warn(`${vendor.displayName}: could not remove the webhook registration yet (retried on the next start, deploy and with backoff)${last ? `: ${last}` : ''}`);
}

interface Janitor {
	RED: NodeAPI;
	timer?: ReturnType<typeof setTimeout>;
}
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
			if (live.has(nodeId)) {
				if (force && entry.state.pending.length > 0) await live.get(nodeId)!.retryNow().catch(() => undefined);
				continue;
			}
			// A node switched to polling keeps its id but no longer wants its webhook.
			if (self.RED.nodes.getNode(nodeId) && !notRegistering.has(nodeId)) continue;
			await enqueue(nodeId, async () => {
				const latest = store.get(nodeId);
				if (!latest || live.has(nodeId)) return;
				if (latest.state.registration || latest.state.intent) {
					await removeEntry(self.RED, vendor, store, nodeId, latest.accountType, undefined, warn);
					return;
				}
				const find = credentialsFinder(self.RED, vendor, latest);
				const deps: LifecycleDeps<object, object> = {
					vendor,
					http: nodeHttpClient,
					credentials: {},
					credentialsFor: find,
					newSecret: generateSecret,
					persist: (state) => store.set(nodeId, entryFor(vendor, latest.accountType, state, find)),
				};
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

/** For the admin endpoint: retry every live trigger of a vendor now (after whatever each is doing). */
export async function retryLiveNow(vendorId: string): Promise<void> {
	await Promise.all([...live.values()].filter((instance) => instance.vendor === vendorId).map((instance) => instance.retryNow().catch(() => undefined)));
}
