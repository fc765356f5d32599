/*
 * What every trigger's registration shares in one Node-RED process. Process-wide because a node id
 * outlives its instances: a redeploy closes one instance and starts the next, whose calls must wait
 * for the closed one's; the janitor works on node ids that no running instance holds; and after an
 * account is edited, its old credentials are needed to remove what they registered. Nothing here
 * belongs to one instance: each entry is dropped when its last call ends or its instance closes,
 * except the credentials by account (one small record per account used since start).
 */

type Credentials = Record<string, unknown>;

/** One promise chain per node id: a new instance's reconcile starts after the closed one's call ended. */
const queues = new Map<string, Promise<unknown>>();

export function enqueue<T>(nodeId: string, job: () => Promise<T>): Promise<T> {
	const previous = queues.get(nodeId) ?? Promise.resolve();
	const next = previous.catch(() => undefined).then(job);
	const tail = next.catch(() => undefined);
	queues.set(nodeId, tail);
	void tail.then(() => queues.get(nodeId) === tail && queues.delete(nodeId));
	return next;
}

/** Credentials of every account a trigger used in this process, by fingerprint, for removals after an account change. */
const seenAccounts = new Map<string, Credentials>();

export function rememberAccount(fingerprint: string, credentials: Credentials): void {
	seenAccounts.set(fingerprint, credentials);
}

export function rememberedAccount(fingerprint: string): Credentials | undefined {
	return seenAccounts.get(fingerprint);
}

/** A running trigger's registration, as the janitor and the admin retry see it. */
export interface LiveTrigger {
	vendor: string;
	/** Retry now, whatever the backoff says. */
	retryNow(): Promise<void>;
}

/** Running trigger instances by node id, so the janitor leaves their entries to them. */
const live = new Map<string, LiveTrigger>();

export const liveTriggers = {
	add(nodeId: string, trigger: LiveTrigger): void {
		live.set(nodeId, trigger);
	},
	/** Only `trigger`'s own entry: a newer instance of the same node may have taken the id. */
	remove(nodeId: string, trigger: LiveTrigger): void {
		if (live.get(nodeId) === trigger) live.delete(nodeId);
	},
	get(nodeId: string): LiveTrigger | undefined {
		return live.get(nodeId);
	},
	ofVendor(vendorId: string): LiveTrigger[] {
		return [...live.values()].filter((trigger) => trigger.vendor === vendorId);
	},
};

/** Trigger nodes that run but keep no webhook (Receive: Poll the API): the janitor removes what they registered before. */
const notRegistering = new Set<string>();

/** A trigger node now runs without a webhook (`on`), or closed: its earlier registration is the janitor's to remove on the next flows start. */
export function markNotRegistering(nodeId: string, on: boolean): void {
	if (on) notRegistering.add(nodeId);
	else notRegistering.delete(nodeId);
}

export function isNotRegistering(nodeId: string): boolean {
	return notRegistering.has(nodeId);
}
