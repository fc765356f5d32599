import type { NormalizedEvent } from '../../core/event/normalized-event';
import { normalizePlexus } from '../../core/vendors/plexus/inbound';
import { plexusSamples } from '../../core/vendors/plexus/samples';

/** Normalized events for the destination tests, made by the real Plexus normalizer. */
export const RECEIVED_AT = new Date('2021-11-12T09:16:00Z');

export function executedContract(): NormalizedEvent {
	return normalizePlexus(plexusSamples.executed('2021-11-12T09:15:30+00:00'), RECEIVED_AT);
}

export function createdContract(): NormalizedEvent {
	return normalizePlexus(plexusSamples.documentCreated('2021-11-11T22:39:59+00:00'), RECEIVED_AT);
}

/** A Legalesign-style "signed" event for one signer (hand-built until that vendor's samples land here). */
export function signedEvent(overrides: Partial<NormalizedEvent> = {}): NormalizedEvent {
	return {
		id: 'legalesign-doc-3f2a-signed',
		vendor: 'legalesign',
		type: 'document.completed',
		vendorEventType: 'status:40',
		occurredAt: '2024-03-01T10:00:00.000Z',
		receivedAt: '2024-03-01T10:00:02.000Z',
		document: { id: '3f2a9c1e-legalesign-doc', title: 'Master Services Agreement', status: 'completed', vendorStatus: '40', url: 'https://app.legalesign.com/document/3f2a9c1e' },
		recipient: { email: 'jane.signer@example.com', name: 'Jane Signer', status: 'signed' },
		files: [],
		data: {},
		...overrides,
	};
}

/** A sleep that records the delays asked for and returns at once. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
	const waits: number[] = [];
	return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

/** Waits until `check` returns a value (polling); fails with `what` if it never does. */
export async function waitFor<T>(check: () => T | undefined | false, what: string, timeoutMs = 15_000): Promise<T> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const value = check();
		if (value) return value;
		if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}
