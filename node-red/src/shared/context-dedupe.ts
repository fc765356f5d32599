import { createHash } from 'node:crypto';
import { asDedupeRecord, recordIsOlderThanLatest, recordSeen, type DedupeStore, type MemoryDedupeOptions } from '../../../core/inbound/dedupe';
import { contextValue, type NodeRedContext } from './context-store';

/**
 * The global-context key of a trigger's seen ids: vendor, webhook path and account identity, not
 * the node id, so it survives a redeploy or a copied node, and two instances running the same flow
 * (same path, same account) share it when their context store is shared.
 */
export function dedupeContextKey(vendor: string, path: string, accountFingerprint: string): string {
	const digest = createHash('sha256').update(JSON.stringify(['legalhooks-seen', vendor, path, accountFingerprint])).digest('hex').slice(0, 32);
	return `legalhooks_seen_${vendor}_${digest}`;
}

/**
 * A trigger's seen ids and newest occurrence per document, kept as one JSON value in a Node-RED
 * context store (bounded like MemoryDedupeStore: 24 h, 10 000 entries each). Synchronous with a
 * synchronous store; with a store that fails, events go through (a retry may pass, none is lost).
 */
export function contextDedupeStore(context: NodeRedContext, key: string, storeName: string | undefined, onError: (message: string) => void, options: MemoryDedupeOptions = {}): DedupeStore & { forget(): Promise<void> } {
	const value = contextValue(context, key, storeName, onError);
	return {
		seen: (id, nowMs) =>
			value.update((stored) => {
				const record = asDedupeRecord(stored);
				const seen = recordSeen(record, id, nowMs, options);
				return { answer: seen, write: seen ? undefined : record };
			}, false),
		isOlderThanLatest: (documentKey, atMs, nowMs) =>
			value.update((stored) => {
				const record = asDedupeRecord(stored);
				const older = recordIsOlderThanLatest(record, documentKey, atMs, nowMs, options);
				return { answer: older, write: older ? undefined : record };
			}, false),
		forget: () => value.write(undefined),
	};
}
