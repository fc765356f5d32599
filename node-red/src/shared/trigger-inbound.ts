import type { Node } from 'node-red';
import { filesOfEvent } from '../../../core/event-files';
import type { DedupeStore } from '../../../core/dedupe';
import { handleDelivery, type InboundTrigger } from '../../../core/pipeline';
import type { PrecheckContext } from '../../../core/precheck';
import type { AnyVendorDefinition, CommonTriggerOptions } from '../../../core/vendor';
import { nodeFetchBytes } from './fetch-bytes';
import { nodeHttpClient } from './node-http';
import { statusTime, throttledStatus } from './status-time';
import type { TriggerRoute } from './routes';
import { withCatchup, type CatchupHooks } from './trigger-catchup';

export interface InboundWiring<O extends object> {
	node: Node;
	vendor: AnyVendorDefinition;
	options: CommonTriggerOptions & O;
	dedupe: DedupeStore;
	/** The secret, registration and credentials to verify with, once any registration under way is done. */
	verification(): Promise<PrecheckContext>;
	/** The trigger's catch-up, if on (see trigger-catchup.ts). */
	catchup?(): CatchupHooks | undefined;
}

/** A trigger node's route: the core pipeline, answered over HTTP, events sent as messages. */
export function inboundRoute<O extends object>(wiring: InboundWiring<O>): TriggerRoute {
	const { node, vendor, options, dedupe } = wiring;
	let delivered = 0;
	let lastType = '';
	let lastAt = 0;
	// the time shown is the last delivery's, not the time the status happens to be drawn
	const status = throttledStatus(
		(shown) => node.status(shown),
		() => ({ fill: 'green', shape: 'dot', text: `${delivered} event(s), last ${lastType} at ${statusTime(new Date(lastAt))}` }),
	);
	// Everything but the answer is the same for every delivery: built once, not per request.
	const shared: Omit<InboundTrigger<O>, 'answer'> = {
		vendor,
		options,
		verification: wiring.verification,
		http: nodeHttpClient,
		fetchBytes: nodeFetchBytes,
		dedupe,
		logger: { warn: (message) => node.warn(message), error: (message) => node.error(message) },
		emit: (events, files) => {
			for (const event of events) {
				const mine = filesOfEvent(event, files);
				node.send(mine ? { payload: event, files: mine } : { payload: event });
			}
			delivered += events.length;
			lastType = events[events.length - 1].type;
			lastAt = Date.now();
			status.changed();
		},
	};
	return {
		close: () => status.close(),
		handle: (delivery, respond) => handleDelivery(delivery, { ...withCatchup(shared, wiring.catchup), answer: respond }),
	};
}
