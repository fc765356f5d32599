import type { Node, NodeStatus } from 'node-red';
import { filesOfEvent } from '../../../core/event/files';
import type { DedupeStore } from '../../../core/inbound/dedupe';
import type { DeliveryOutcome } from '../../../core/inbound/outcome';
import { handleDelivery, type InboundTrigger } from '../../../core/inbound/pipeline';
import type { PrecheckContext } from '../../../core/verify/precheck';
import type { AnyVendorDefinition, CommonTriggerOptions } from '../../../core/vendors/definition';
import { nodeFetchBytes } from './fetch-bytes';
import { nodeHttpClient } from './node-http';
import { recordDelivery } from './recent-deliveries';
import { statusTime, throttledStatus } from './status-time';
import type { TriggerRoute } from './routes';
import { withCatchup, type CatchupHooks } from './trigger-catchup';

export interface InboundWiring<O extends object> {
	node: Node;
	vendor: AnyVendorDefinition;
	options: CommonTriggerOptions & O;
	dedupe: DedupeStore;
	/** The secret, registration and credentials to verify with, once any registration under way is done. */
	verification(): PrecheckContext | Promise<PrecheckContext>;
	/** The trigger's catch-up, if on (see trigger-catchup.ts). */
	catchup?(): CatchupHooks | undefined;
}

/** What the status says of the last delivery. */
function lastDelivery(outcome: DeliveryOutcome): string {
	switch (outcome.outcome) {
		case 'emitted':
			return outcome.emitted[outcome.emitted.length - 1].type;
		case 'repeat':
			return 'a repeat';
		case 'older':
			return 'an older update';
		case 'filtered':
			return 'filtered out';
		case 'empty':
			return 'no event';
		case 'refused':
			return `refused (HTTP ${outcome.status})`;
		case 'failed':
			return 'failed';
	}
}

/** The trigger's counts since it started: events emitted, and every delivery that emitted nothing, by why. */
class DeliveryCounts {
	events = 0;
	dropped = 0;
	filtered = 0;
	refused = 0;
	failed = 0;
	last?: DeliveryOutcome;
	lastAt = 0;

	add(outcome: DeliveryOutcome): void {
		this.events += outcome.emitted.length;
		this.dropped += outcome.repeats.length + outcome.older.length;
		this.filtered += outcome.filtered.length;
		if (outcome.outcome === 'refused') this.refused++;
		if (outcome.outcome === 'failed') this.failed++;
		this.last = outcome;
		this.lastAt = Date.now();
	}

	/** e.g. `14 event(s), 3 repeats/older dropped, last document.completed at 10:04:05`. */
	status(): NodeStatus {
		const last = this.last!;
		const parts = [
			`${this.events} event(s)`,
			this.dropped ? `${this.dropped} repeats/older dropped` : '',
			this.filtered ? `${this.filtered} filtered out` : '',
			this.refused ? `${this.refused} refused` : '',
			this.failed ? `${this.failed} failed` : '',
		].filter(Boolean);
		const fill = last.outcome === 'failed' ? 'red' : last.outcome === 'refused' ? 'yellow' : 'green';
		// the time shown is the last delivery's, not the time the status happens to be drawn
		return { fill, shape: 'dot', text: `${parts.join(', ')}, last ${lastDelivery(last)} at ${statusTime(new Date(this.lastAt))}` };
	}
}

/** A trigger node's route: the core pipeline, answered over HTTP, events sent as messages. */
export function inboundRoute<O extends object>(wiring: InboundWiring<O>): TriggerRoute {
	const { node, vendor, options, dedupe } = wiring;
	const counts = new DeliveryCounts();
	const status = throttledStatus(
		(shown) => node.status(shown),
		() => counts.status(),
	);
	// Everything but the answer is the same for every delivery: built once, not per request.
	const shared: Omit<InboundTrigger<O>, 'answer'> = {
		vendor,
		options,
		verification: wiring.verification,
		http: nodeHttpClient,
		fetchBytes: nodeFetchBytes,
		dedupe,
		logger: { warn: (message) => node.warn(message), error: (message) => node.error(message), info: (message) => node.log(message) },
		emit: (events, files) => {
			for (const event of events) {
				const mine = filesOfEvent(event, files);
				node.send(mine ? { payload: event, files: mine } : { payload: event });
			}
		},
		outcome: (outcome) => {
			counts.add(outcome);
			recordDelivery(node.id, outcome);
			status.changed();
		},
	};
	return {
		close: () => status.close(),
		handle: (delivery, respond) => handleDelivery(delivery, { ...withCatchup(shared, wiring.catchup), answer: respond }),
	};
}
