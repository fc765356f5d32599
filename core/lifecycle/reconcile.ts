import { createHash } from 'node:crypto';
import type { HttpClient } from '../outbound/http';
import { PREVIOUS_SECRET_GRACE_MS } from '../verify/secret-rotation';
import { isPreviousRegistration, type PreviousRegistration, type Registration, type VendorDefinition } from '../vendors/definition';

/**
 * The one registration lifecycle, engine-agnostic: both engines keep a LifecycleState per trigger
 * (n8n in the node's static data, Node-RED in its registration store) and call reconcile / remove /
 * retryPending. The order is always: account check → exists → unregister what no longer matches →
 * (intent recorded) → register; and anything that could not be removed stays pending until the
 * vendor confirms.
 */

/** Which vendor account made a registration: the engine's account id and a fingerprint, never a secret. */
export interface AccountRef {
	/** The engine's id for the account (Node-RED config node id, n8n credential id), when known. */
	id?: string;
	/** sha256 over the credentials that identify the vendor account (never the secret ones). */
	fingerprint: string;
}

/** What we meant to create, recorded before the create is sent. */
export interface RegistrationIntent {
	/** The engine URL the vendor was asked to call (before any token is appended). */
	target: string;
	secret: string;
	options: Record<string, unknown>;
	account: AccountRef;
	at: string;
}

export type PendingReason = 'removed' | 'replaced' | 'account-changed' | 'failed-create' | 'interrupted-create' | 'stale-test';

/** A removal the vendor has not confirmed yet. */
export interface PendingRemoval {
	reason: PendingReason;
	account: AccountRef;
	/** A registration we know (ids, url): unregister it. */
	registration?: LiveRegistration;
	/** Or an intent: find what was made with it (URL + token) and unregister that. */
	intent?: RegistrationIntent;
	attempts: number;
	/** Epoch ms before which a timer retry skips it (start and deploy retry regardless). */
	nextAttemptAt: number;
	/** The last failure, worded for the user (ServiceError messages carry no secret). */
	lastError?: string;
}

/** The live registration plus where it points and which account made it. */
export type LiveRegistration = Registration & { target?: string; account?: AccountRef };

export interface LifecycleState {
	registration?: LiveRegistration;
	intent?: RegistrationIntent;
	pending: PendingRemoval[];
	/** The registration last retired, for the next one to accept until `until` (deliveries in flight). */
	previous?: PreviousRegistration;
}

export interface Desired<O> {
	/** The engine's webhook URL for this trigger. */
	target: string;
	options: O;
	account: AccountRef;
}

export interface LifecycleDeps<C, O> {
	vendor: VendorDefinition<C, O>;
	http: HttpClient;
	/** The credentials of the account the trigger uses now. */
	credentials: C;
	/** Credentials of another account, when the engine can still reach it (else the removal waits). */
	credentialsFor(account: AccountRef): C | undefined;
	/** Persists the state; called before every vendor call that creates, and after every change. */
	persist(state: LifecycleState): void | Promise<void>;
	/** False once the caller (a closed node instance) must stop: no further vendor calls or writes. */
	isCurrent?(): boolean;
	newSecret(): string;
	now?(): number;
	/**
	 * Before creating, also remove registrations at the vendor that point at the target (n8n: the
	 * webhook path belongs to this node alone, and n8n drops static data written by a failed create).
	 */
	sweepTarget?: boolean;
}

export type ReconcileOutcome =
	| { status: 'kept' | 'registered'; registration: LiveRegistration; pending: number; warning?: string }
	| { status: 'unchecked'; registration: LiveRegistration; error: Error; pending: number }
	| { status: 'failed'; error: Error; pending: number }
	| { status: 'stopped'; pending: number };

export const RETRY_BASE_MS = 5_000;
export const RETRY_MAX_MS = 10 * 60_000;
const MAX_PENDING = 50;

/** Bounded exponential backoff: 5 s, 10 s, 20 s … at most 10 minutes. */
export function backoffMs(attempts: number, base = RETRY_BASE_MS, max = RETRY_MAX_MS): number {
	return Math.min(max, base * 2 ** Math.max(0, Math.min(attempts - 1, 20)));
}

/** The account fingerprint for a vendor's credentials (its identifying fields only). */
export function accountFingerprint(vendor: Pick<VendorDefinition<never, never>, 'id' | 'accountIdentity'>, credentials: unknown): string {
	const identity = vendor.accountIdentity?.(credentials as never) ?? {};
	const canonical = JSON.stringify([vendor.id, Object.keys(identity).sort().map((key) => [key, identity[key]])]);
	return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}

export function emptyState(): LifecycleState {
	return { pending: [] };
}

/** A state read from storage, tolerating older shapes (a bare Registration) and missing fields. */
export function normalizeState(raw: unknown): LifecycleState {
	if (!raw || typeof raw !== 'object') return emptyState();
	const value = raw as Partial<LifecycleState> & Partial<Registration>;
	if (Array.isArray(value.ids) && typeof value.secret === 'string') return { registration: value as LiveRegistration, pending: [] };
	const state: LifecycleState = { registration: value.registration, intent: value.intent, pending: Array.isArray(value.pending) ? value.pending : [] };
	if (isPreviousRegistration(value.previous)) state.previous = value.previous;
	return state;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

function requireApi<C, O>(vendor: VendorDefinition<C, O>) {
	const { register, exists, unregister } = vendor;
	if (!register || !exists || !unregister) throw new Error(`${vendor.displayName} has no registration API`);
	return { register, exists, unregister };
}

function addPending(state: LifecycleState, removal: Omit<PendingRemoval, 'attempts' | 'nextAttemptAt'>): void {
	state.pending.push({ ...removal, attempts: 0, nextAttemptAt: 0 });
	// Bounded, but only by creates that may have been made: a registration we know is never forgotten
	// (it still delivers at the vendor); of the intents, the oldest go first.
	let excess = state.pending.length - MAX_PENDING;
	for (let index = 0; excess > 0 && index < state.pending.length; ) {
		if (state.pending[index].registration) index += 1;
		else {
			state.pending.splice(index, 1);
			excess -= 1;
		}
	}
}

/** Statuses with which a vendor refuses a request without doing anything. */
const REFUSED_STATUSES = new Set([400, 401, 403, 404, 405, 422]);
/** Network errors raised before a request reached the vendor (no connection was made). */
const NOT_CONNECTED = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)\b/;

function neverConnected(error: unknown): boolean {
	for (let current: unknown = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
		const { code, message } = current as { code?: unknown; message?: unknown };
		if ((typeof code === 'string' && NOT_CONNECTED.test(code)) || (typeof message === 'string' && NOT_CONNECTED.test(message))) return true;
	}
	return false;
}

/**
 * The client a create uses, noting whether any request that can create something (POST, PUT,
 * PATCH) may have been carried out: it was answered with anything but a refusal, or it failed
 * after a connection was made (a timeout or a dropped connection may follow the vendor's work).
 */
function watchedForCreates(http: HttpClient): { http: HttpClient; mayHaveCreated(): boolean } {
	let reached = false;
	return {
		http: (request) => {
			const creates = request.method === 'POST' || request.method === 'PUT' || request.method === 'PATCH';
			const sent = http(request);
			// Registered before the caller's own handlers, so the note is taken before the caller goes on.
			sent.then(
				(response) => {
					if (creates && !REFUSED_STATUSES.has(response.status)) reached = true;
				},
				(error: unknown) => {
					if (creates && !neverConnected(error)) reached = true;
				},
			);
			return sent;
		},
		mayHaveCreated: () => reached,
	};
}

/** Moves the live registration and any unfinished intent into the pending removals. */
function retire(state: LifecycleState, reason: PendingReason, nowMs: number, fallbackAccount?: AccountRef): void {
	if (state.intent) {
		addPending(state, { reason: 'interrupted-create', account: state.intent.account, intent: state.intent });
		delete state.intent;
	}
	const registration = state.registration;
	if (registration) {
		const account = registration.account ?? fallbackAccount;
		if (account) addPending(state, { reason, account, registration });
		state.previous = { ids: registration.ids, url: registration.url, secret: registration.secret, settings: registration.settings, ...(registration.extra ? { extra: registration.extra } : {}), until: new Date(nowMs + PREVIOUS_SECRET_GRACE_MS).toISOString() };
		delete state.registration;
	}
}

/**
 * Tries the pending removals (all of them when `force`, else the ones due). An entry goes only when
 * the vendor confirmed: the unregister succeeded ("already gone" counts) or a find by intent came back empty.
 */
export async function retryPending<C, O>(deps: LifecycleDeps<C, O>, state: LifecycleState, force = false): Promise<void> {
	const { unregister } = requireApi(deps.vendor);
	const now = deps.now?.() ?? Date.now();
	for (const entry of [...state.pending]) {
		if (deps.isCurrent && !deps.isCurrent()) return;
		if (!force && entry.nextAttemptAt > now) continue;
		const credentials = deps.credentialsFor(entry.account);
		if (credentials === undefined) {
			entry.lastError = 'the account that made this registration is not configured here any more';
			continue;
		}
		try {
			if (entry.registration) {
				await unregister(deps.http, credentials, entry.registration);
				await confirmGone(deps, credentials, entry.registration);
			} else if (entry.intent) {
				if (!deps.vendor.findRegistrations) throw new Error(`${deps.vendor.displayName} cannot list registrations`);
				const found = await deps.vendor.findRegistrations(deps.http, credentials, {
					url: entry.intent.target,
					secret: entry.intent.secret,
					options: entry.intent.options as O,
				});
				// Never the live registration (a vendor that masks tokens cannot tell them apart by token).
				const live = new Set(state.registration?.ids ?? []);
				for (const registration of found) if (!registration.ids.some((id) => live.has(id))) await unregister(deps.http, credentials, registration);
			}
			if (deps.isCurrent && !deps.isCurrent()) return;
			state.pending.splice(state.pending.indexOf(entry), 1);
		} catch (error) {
			if (deps.isCurrent && !deps.isCurrent()) return;
			entry.attempts += 1;
			entry.nextAttemptAt = (deps.now?.() ?? Date.now()) + backoffMs(entry.attempts);
			entry.lastError = messageOf(error);
		}
		await deps.persist(state);
	}
}

/**
 * "Already gone" (a 404 on delete) is success only when the vendor's listing agrees: a 404 from a
 * gateway or a wrong path must not make us forget a registration that still delivers.
 */
async function confirmGone<C, O>(deps: LifecycleDeps<C, O>, credentials: C, registration: LiveRegistration): Promise<void> {
	if (!deps.vendor.findRegistrations) return;
	// A registration's settings are the options it was made with (QuicklySign: its document packs).
	const found = await deps.vendor.findRegistrations(deps.http, credentials, {
		url: registration.target ?? registration.url,
		options: (registration.settings ?? {}) as O,
	});
	const ids = new Set(registration.ids);
	if (found.some((other) => other.ids.some((id) => ids.has(id)))) {
		throw new Error(`${deps.vendor.displayName} still lists the registration after removing it`);
	}
}

/** Removes registrations at the vendor that point at `target` (any token): stale ones nobody remembers. */
async function sweep<C, O>(deps: LifecycleDeps<C, O>, target: string, options: O, keep?: Registration): Promise<void> {
	const { unregister } = requireApi(deps.vendor);
	if (!deps.vendor.findRegistrations) return;
	try {
		const found = await deps.vendor.findRegistrations(deps.http, deps.credentials, { url: target, options });
		for (const registration of found) {
			if (keep && registration.url === keep.url && JSON.stringify(registration.ids) === JSON.stringify(keep.ids)) continue;
			await unregister(deps.http, deps.credentials, registration);
		}
	} catch {
		// Best effort: what could not be listed now is swept on the next create.
	}
}

export type CheckOutcome =
	| { status: 'kept'; registration: LiveRegistration; warning?: string }
	| { status: 'unchecked'; registration: LiveRegistration; error: Error }
	| { status: 'absent' }
	| { status: 'stopped' };

/**
 * Everything before a create: an unfinished intent becomes a pending removal; a registration made
 * at another account is retired (removed there, not here); one that no longer matches is retired;
 * the pending removals are tried. `unchecked`: the existence check could not be made, the stored
 * registration stays in use.
 */
export async function check<C, O>(deps: LifecycleDeps<C, O>, state: LifecycleState, desired: Desired<O>, options: { force?: boolean } = {}): Promise<CheckOutcome> {
	const { exists } = requireApi(deps.vendor);
	const stopped = () => Boolean(deps.isCurrent && !deps.isCurrent());

	if (state.intent) {
		retireIntent(state);
		await deps.persist(state);
	}
	const live = state.registration;
	if (live && live.account && live.account.fingerprint !== desired.account.fingerprint) {
		retire(state, 'account-changed', deps.now?.() ?? Date.now());
		await deps.persist(state);
	} else if (live) {
		let matches: boolean;
		try {
			matches = await exists(deps.http, deps.credentials, live, { url: desired.target, secret: live.secret, options: desired.options });
		} catch (error) {
			if (stopped()) return { status: 'stopped' };
			await retryPending(deps, state, options.force);
			return { status: 'unchecked', registration: live, error: error as Error };
		}
		if (stopped()) return { status: 'stopped' };
		if (matches) {
			if (!live.account || live.target !== desired.target) {
				state.registration = { ...live, target: desired.target, account: live.account ?? desired.account };
				await deps.persist(state);
			}
			await retryPending(deps, state, options.force);
			return { status: 'kept', registration: state.registration!, warning: await warningFor(deps, state.registration!) };
		}
		retire(state, 'replaced', deps.now?.() ?? Date.now(), desired.account);
		await deps.persist(state);
	}
	if (stopped()) return { status: 'stopped' };
	await retryPending(deps, state, options.force);
	return stopped() ? { status: 'stopped' } : { status: 'absent' };
}

/** check, then create when nothing usable exists. */
export async function reconcile<C, O>(deps: LifecycleDeps<C, O>, state: LifecycleState, desired: Desired<O>, options: { force?: boolean } = {}): Promise<ReconcileOutcome> {
	const checked = await check(deps, state, desired, options);
	const pending = state.pending.length;
	if (checked.status === 'kept') return { ...checked, pending };
	if (checked.status === 'unchecked') return { ...checked, pending };
	if (checked.status === 'stopped') return { status: 'stopped', pending };
	return create(deps, state, desired);
}

function retireIntent(state: LifecycleState): void {
	if (!state.intent) return;
	addPending(state, { reason: 'interrupted-create', account: state.intent.account, intent: state.intent });
	delete state.intent;
}

/** Records the intent, then creates. On failure the intent stays pending until a find confirms nothing is left. */
export async function create<C, O>(deps: LifecycleDeps<C, O>, state: LifecycleState, desired: Desired<O>): Promise<ReconcileOutcome> {
	const { register } = requireApi(deps.vendor);
	if (deps.isCurrent && !deps.isCurrent()) return { status: 'stopped', pending: state.pending.length };
	if (deps.sweepTarget) await sweep(deps, desired.target, desired.options);
	const intent: RegistrationIntent = {
		target: desired.target,
		secret: deps.newSecret(),
		options: desired.options as Record<string, unknown>,
		account: desired.account,
		at: new Date(deps.now?.() ?? Date.now()).toISOString(),
	};
	state.intent = intent;
	await deps.persist(state);
	let registration: Registration;
	const watched = watchedForCreates(deps.http);
	try {
		registration = await register(watched.http, deps.credentials, { url: desired.target, secret: intent.secret, options: desired.options });
	} catch (error) {
		if (deps.isCurrent && !deps.isCurrent()) return { status: 'stopped', pending: state.pending.length };
		// Only what may exist at the vendor waits for removal: a vendor that could not be reached has nothing.
		if (watched.mayHaveCreated()) addPending(state, { reason: 'failed-create', account: intent.account, intent });
		delete state.intent;
		await deps.persist(state);
		return { status: 'failed', error: error as Error, pending: state.pending.length };
	}
	if (deps.isCurrent && !deps.isCurrent()) return { status: 'stopped', pending: state.pending.length };
	state.registration = { ...registration, ...carriedSecret(state, registration, deps.now?.() ?? Date.now()), target: desired.target, account: desired.account };
	delete state.intent;
	delete state.previous;
	await deps.persist(state);
	return { status: 'registered', registration: state.registration, pending: state.pending.length, warning: await warningFor(deps, state.registration) };
}

/** The retired registration's secret, for a new registration to accept until its time is up. */
function carriedSecret(state: LifecycleState, registration: Registration, nowMs: number): Pick<Registration, 'previous'> {
	const previous = state.previous;
	if (!previous || previous.secret === registration.secret || !(Date.parse(previous.until) > nowMs)) return {};
	return { previous };
}

/** The vendor's word on a registration that exists but may not deliver; a failed check is no warning. */
async function warningFor<C, O>(deps: LifecycleDeps<C, O>, registration: LiveRegistration): Promise<string | undefined> {
	if (!deps.vendor.registrationWarning) return undefined;
	try {
		return await deps.vendor.registrationWarning(deps.http, deps.credentials, registration);
	} catch {
		return undefined;
	}
}

/** The trigger is gone: everything it made becomes a pending removal, tried now; failures stay pending. */
export async function remove<C, O>(deps: LifecycleDeps<C, O>, state: LifecycleState, fallbackAccount?: AccountRef): Promise<{ pending: number }> {
	retire(state, 'removed', deps.now?.() ?? Date.now(), fallbackAccount);
	await deps.persist(state);
	await retryPending(deps, state, true);
	return { pending: state.pending.length };
}

/** Removes every registration pointing at `target` except `keep` (n8n's test URL, whose static data n8n never saves). */
export async function sweepTarget<C, O>(deps: LifecycleDeps<C, O>, target: string, options: O, keep?: Registration): Promise<void> {
	await sweep(deps, target, options, keep);
}

/** The earliest time a pending removal is due, for the engine's retry timer. */
export function nextRetryAt(state: LifecycleState): number | undefined {
	const times = state.pending.map((entry) => entry.nextAttemptAt);
	return times.length ? Math.min(...times) : undefined;
}

/** What the editor may see of a pending removal: never a secret or a tokened URL. */
export function describePending(entry: PendingRemoval): Record<string, unknown> {
	const target = entry.intent?.target ?? entry.registration?.target ?? entry.registration?.url ?? '';
	let origin = '';
	try {
		origin = target ? new URL(target).origin + new URL(target).pathname : '';
	} catch {
		origin = '';
	}
	return {
		reason: entry.reason,
		account: entry.account.id ?? null,
		accountFingerprint: entry.account.fingerprint.slice(0, 12),
		target: origin,
		ids: entry.registration?.ids.map((id) => (id.includes('token=') ? id.replace(/token=[^&]*/, 'token=…') : id)) ?? [],
		attempts: entry.attempts,
		nextAttemptAt: entry.nextAttemptAt ? new Date(entry.nextAttemptAt).toISOString() : null,
		lastError: entry.lastError ?? null,
	};
}
