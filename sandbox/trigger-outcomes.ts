/**
 * What a Node-RED trigger did with a delivery the sandbox made: its recent-deliveries record
 * (GET <admin>/<type>/<id>/deliveries), found through the admin API's flows. A trigger answers the
 * vendor before it de-duplicates and emits, so the record is looked for after the answer.
 */
import type { DeliveryOutcome } from '../core/inbound/outcome';
import type { SentDelivery } from './simulators/server';

interface FlowNode {
	id: string;
	type: string;
	path?: string;
}

const WAIT_MS = 2000;
const POLL_MS = 25;

async function getJson(url: string): Promise<unknown> {
	const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
	if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
	return response.json();
}

/** `/legalhooks/<vendor>/<path>` on httpNodeRoot `/` (the sandbox's) → the trigger node's type and path. */
function triggerOf(url: string): { type: string; path: string } | undefined {
	const match = /^\/legalhooks\/([a-z]+)\/([^/]+)$/.exec(new URL(url).pathname);
	return match ? { type: `legalhooks-${match[1]}-trigger`, path: decodeURIComponent(match[2]) } : undefined;
}

export interface OutcomeFinder {
	/** The outcome of `sent`, made after `sinceMs`; undefined when the trigger or its record cannot be found in time. */
	find(sent: SentDelivery, sinceMs: number): Promise<DeliveryOutcome | undefined>;
}

/** `admin`: Node-RED's admin root URL (npm start: `<origin>/red`). Records already reported are not reported again. */
export function outcomeFinder(admin: (sent: SentDelivery) => string): OutcomeFinder {
	const reported = new Set<string>();
	return {
		async find(sent, sinceMs) {
			const trigger = triggerOf(sent.url);
			if (!trigger) return undefined;
			try {
				const root = admin(sent).replace(/\/+$/, '');
				const flows = (await getJson(`${root}/flows`)) as FlowNode[];
				const node = flows.find((n) => n.type === trigger.type && (n.path || n.id) === trigger.path);
				if (!node) return undefined;
				for (const until = Date.now() + WAIT_MS; Date.now() < until; await new Promise((resolve) => setTimeout(resolve, POLL_MS))) {
					const { deliveries } = (await getJson(`${root}/${trigger.type}/${encodeURIComponent(node.id)}/deliveries`)) as { deliveries: DeliveryOutcome[] };
					// oldest first, so parallel fires each take the earliest record not yet reported
					const found = [...deliveries].reverse().find((d) => Date.parse(d.at) >= sinceMs && (d.status === sent.status || d.status === 0) && !reported.has(`${node.id} ${d.at} ${JSON.stringify(d.emitted)}`));
					if (found) {
						reported.add(`${node.id} ${found.at} ${JSON.stringify(found.emitted)}`);
						if (reported.size > 1000) reported.delete(reported.values().next().value as string);
						return found;
					}
				}
			} catch {
				// no Node-RED admin API to ask (another receiver): the answer says the outcome is unknown
			}
			return undefined;
		},
	};
}
