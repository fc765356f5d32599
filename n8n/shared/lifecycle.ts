import { NodeApiError, NodeOperationError, type IHookFunctions, type JsonObject } from 'n8n-workflow';
import { missingCredentials, missingCredentialsMessage } from '../../core/lifecycle/account-check';
import { ServiceError } from '../../core/outbound/errors';
import {
	accountFingerprint,
	check,
	create,
	normalizeState,
	remove,
	retryPending,
	sweepTarget,
	type AccountRef,
	type LifecycleDeps,
	type LifecycleState,
	type LiveRegistration,
} from '../../core/lifecycle/reconcile';
import type { VendorDefinition } from '../../core/vendors/definition';
import { generateSecret } from '../../core/verify/crypto';
import { n8nHttpClient } from './http';

/** The part of a trigger's wiring the registration lifecycle needs (TriggerWiring satisfies it). */
export interface LifecycleWiring<O extends object> {
	vendor: VendorDefinition<object, O>;
	credentialName: string;
	vendorOptions?(context: IHookFunctions): O;
}

type Slot = 'production' | 'test';

/**
 * Node static data: `registrations[slot]` is the live Registration (what `webhook()` verifies
 * against); `lifecycle[slot]` holds the unfinished intent and the pending removals.
 */
interface NodeStaticData {
	registrations?: Partial<Record<Slot, LiveRegistration>>;
	lifecycle?: Partial<Record<Slot, Pick<LifecycleState, 'intent' | 'pending' | 'previous'> & { target?: string }>>;
}

function staticDataOf(context: IHookFunctions): NodeStaticData {
	return context.getWorkflowStaticData('node') as NodeStaticData;
}

function load(data: NodeStaticData, slot: Slot): LifecycleState {
	const extra = data.lifecycle?.[slot];
	return normalizeState({ registration: data.registrations?.[slot], intent: extra?.intent, pending: extra?.pending, previous: extra?.previous });
}

function save(data: NodeStaticData, slot: Slot, state: LifecycleState, target: string): void {
	data.registrations ??= {};
	data.lifecycle ??= {};
	if (state.registration) data.registrations[slot] = state.registration;
	else delete data.registrations[slot];
	// The slot keeps the URL it serves, so delete (run in mode `internal`) finds the right slot.
	data.lifecycle[slot] = JSON.parse(JSON.stringify({ target, intent: state.intent, pending: state.pending, previous: state.previous })) as LifecycleState;
}

/**
 * The slot of the webhook being handled: the one whose registration was made for this node's
 * webhook URL (n8n gives a test webhook its test URL in every method, but removes it in mode
 * `internal`), else by mode: `manual` is "Listen for test event".
 */
function slotFor(context: IHookFunctions, data: NodeStaticData, url: string): Slot {
	const refersTo = (slot: Slot) => {
		const extra = data.lifecycle?.[slot];
		return (
			extra?.target === url ||
			data.registrations?.[slot]?.target === url ||
			extra?.intent?.target === url ||
			(extra?.pending ?? []).some((entry) => (entry.intent?.target ?? entry.registration?.target) === url)
		);
	};
	for (const slot of ['test', 'production'] as const) if (refersTo(slot)) return slot;
	// n8n's default test path (N8N_ENDPOINT_WEBHOOK_TEST can rename it; the checks above come first).
	return context.getMode() === 'manual' || url.includes('/webhook-test/') ? 'test' : 'production';
}

function apiError(context: IHookFunctions, error: unknown): Error {
	if (error instanceof ServiceError) {
		return new NodeApiError(context.getNode(), { message: error.message } as JsonObject, {
			message: error.message,
			description: error.hint,
			httpCode: error.status === undefined ? undefined : String(error.status),
		});
	}
	return new NodeOperationError(context.getNode(), error as Error);
}

/** Immediate extra attempts of a failed removal in delete(): n8n ignores delete's result and offers no timer. */
const REMOVAL_ATTEMPTS = 3;

/**
 * checkExists / create / delete as thin callers of the core lifecycle. n8n's rules (see
 * test/n8n/trigger-harness.ts): a failed create's static data is discarded and delete runs on the
 * data from before it, so create also sweeps registrations pointing at this node's own webhook URL;
 * a registration remembers the credential (id + fingerprint) that made it and is never removed with
 * another account's credentials.
 */
export function webhookMethodsFor<O extends object>(wiring: LifecycleWiring<O>) {
	const { vendor } = wiring;
	if (!vendor.register || !vendor.exists || !vendor.unregister) throw new Error(`${vendor.displayName} has no registration API`);

	const setup = async (context: IHookFunctions, requireComplete = true) => {
		const credentials = (await context.getCredentials(wiring.credentialName)) as Record<string, unknown>;
		const missing = requireComplete ? missingCredentials(vendor.requiredCredentials, credentials) : [];
		if (missing.length > 0) {
			// Named before any vendor call: an empty key would only come back as the vendor's 401.
			const message = missingCredentialsMessage(vendor.displayName, missing);
			throw new NodeOperationError(context.getNode(), `${message[0].toUpperCase()}${message.slice(1)}`, {
				description: `Open the ${vendor.displayName} credential of this trigger and fill in: ${missing.join(', ')}`,
			});
		}
		const credentialId = context.getNode().credentials?.[wiring.credentialName]?.id ?? undefined;
		const account: AccountRef = { ...(credentialId ? { id: credentialId } : {}), fingerprint: accountFingerprint(vendor, credentials) };
		const data = staticDataOf(context);
		const url = context.getNodeWebhookUrl('default') as string;
		const slot = slotFor(context, data, url);
		const state = load(data, slot);
		const deps: LifecycleDeps<object, O> = {
			vendor,
			http: n8nHttpClient(context.helpers),
			credentials,
			credentialsFor: (other) => (other.fingerprint === account.fingerprint ? credentials : undefined),
			persist: (next) => save(data, slot, next, url),
			newSecret: generateSecret,
			sweepTarget: true,
		};
		const desired = { target: url, options: wiring.vendorOptions?.(context) ?? ({} as O), account };
		return { deps, desired, state, slot, account };
	};

	const warnAboutOtherAccounts = (context: IHookFunctions, state: LifecycleState, account: AccountRef) => {
		const elsewhere = state.pending.filter((entry) => entry.account.fingerprint !== account.fingerprint).length;
		if (elsewhere) {
			context.logger.warn(
				`${vendor.displayName}: ${elsewhere} webhook registration(s) made with another ${vendor.displayName} account could not be removed with this credential; ` +
					`they are removed when a credential for that account is used again, or remove them in ${vendor.displayName}`,
			);
		}
	};

	return {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const { deps, desired, state, account } = await setup(this);
				if (!state.registration && !state.intent && state.pending.length === 0) return false;
				const outcome = await check(deps, state, desired, { force: true });
				warnAboutOtherAccounts(this, state, account);
				if (outcome.status === 'unchecked') {
					// A refusal (bad key, no permission) is the user's to fix: show it as the activation error.
					if (outcome.error instanceof ServiceError && !outcome.error.retryable) throw apiError(this, outcome.error);
					this.logger.warn(`${vendor.displayName}: could not check the webhook registration — using the stored registration: ${outcome.error.message}`);
					return true;
				}
				if (outcome.status === 'kept' && outcome.warning) this.logger.warn(`${vendor.displayName}: ${outcome.warning}`);
				return outcome.status === 'kept';
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const { deps, desired, state } = await setup(this);
				const outcome = await create(deps, state, desired);
				if (outcome.status === 'failed') {
					// n8n discards this attempt's static data: remove what it may have left right now.
					await retryPending(deps, state, true);
					throw apiError(this, outcome.error);
				}
				if (outcome.status === 'registered' && outcome.warning) this.logger.warn(`${vendor.displayName}: ${outcome.warning}`);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const { deps, desired, state, slot, account } = await setup(this, false);
				let { pending } = await remove(deps, state, account);
				for (let attempt = 1; pending > 0 && attempt < REMOVAL_ATTEMPTS; attempt++) {
					await retryPending(deps, state, true);
					pending = state.pending.length;
				}
				// Test runs start from the saved static data, so earlier test registrations are forgotten: sweep the test URL.
				if (slot === 'test') await sweepTarget(deps, desired.target, desired.options);
				for (const entry of state.pending) {
					if (entry.account.fingerprint === account.fingerprint) {
						this.logger.warn(`${vendor.displayName}: could not remove the webhook registration (kept, retried on the next activation): ${entry.lastError ?? 'unknown error'}`);
					}
				}
				warnAboutOtherAccounts(this, state, account);
				return state.pending.length === 0;
			},
		},
	};
}
