import type { NodeAPI } from 'node-red';
import { accountFingerprint, backoffMs, nextRetryAt, reconcile, type LiveRegistration, type ReconcileOutcome } from '../../../core/lifecycle/reconcile';
import type { VendorDefinition } from '../../../core/vendors/definition';
import { lifecycleDeps, type Credentials, type CurrentAccount } from './registration-entry';
import { enqueue, liveTriggers, rememberAccount, type LiveTrigger } from './registration-process';
import { removeRegistrations } from './registration-removal';
import type { RegistrationStore } from './registration-store';

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
 * discarded and the recorded intent lets the next reconcile clean up after it. Everything it holds
 * (timer, failures, the registration it told about) is its own and goes with it.
 */
export function startRegistrationLifecycle<O extends object>(host: LifecycleHost<O>): RegistrationLifecycle {
	const { RED, vendor, store, nodeId } = host;
	// A copy: Node-RED updates a config node's credentials object in place when the account is edited.
	const credentials: Credentials = { ...host.account.credentials };
	const account: CurrentAccount = { ref: { id: host.account.id, fingerprint: accountFingerprint(vendor, credentials) }, credentials };
	rememberAccount(account.ref.fingerprint, credentials);
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
			const deps = lifecycleDeps({
				RED, vendor, store, nodeId, accountType: host.account.type, entry, current: account,
				isCurrent: () => !closed,
				persisting: (written) => setCurrent(written.registration),
			});
			let outcome: ReconcileOutcome;
			try {
				outcome = await reconcile(deps, state, { target: host.target, options: host.options, account: account.ref }, { force });
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
	const live: LiveTrigger = { vendor: vendor.id, retryNow: () => run(true) };
	liveTriggers.add(nodeId, live);
	return {
		// With a stored registration, deliveries need not wait for the check (it may queue behind a closed instance's call).
		ready: current ? Promise.resolve() : first,
		registration: () => current,
		retryNow: live.retryNow,
		async close(removed: boolean) {
			closed = true;
			if (timer) clearTimeout(timer);
			liveTriggers.remove(nodeId, live);
			if (!removed) return;
			await enqueue(nodeId, () =>
				removeRegistrations({ RED, vendor: vendor as VendorDefinition<object, object>, store, nodeId, accountType: host.account.type, current: account, warn: host.warn }),
			);
		},
	};
}
