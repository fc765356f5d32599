import type { NodeAPI } from 'node-red';
import type { DeliveryOutcome } from '../../../core/inbound/outcome';

/** How many deliveries each trigger keeps for its recent-deliveries view. */
export const RECENT_DELIVERIES = 50;

/** Per trigger node id, oldest first; kept across redeploys (the node id stays), dropped when the node is removed. */
const recent = new Map<string, DeliveryOutcome[]>();

export function recordDelivery(nodeId: string, outcome: DeliveryOutcome): void {
	let list = recent.get(nodeId);
	if (!list) recent.set(nodeId, (list = []));
	list.push(outcome);
	if (list.length > RECENT_DELIVERIES) list.shift();
}

/** Newest first. Outcomes hold ids, types, statuses and reasons: no body, no secret. */
export function recentDeliveries(nodeId: string): DeliveryOutcome[] {
	return [...(recent.get(nodeId) ?? [])].reverse();
}

export function forgetDeliveries(nodeId: string): void {
	recent.delete(nodeId);
}

const served = new WeakMap<object, Set<string>>();

interface Response {
	json(body: unknown): void;
	status(code: number): { json(body: unknown): void };
}

/**
 * GET /<trigger type>/<node id>/deliveries → `{node, deliveries}`: the trigger's last deliveries,
 * newest first, for "why did my flow not run?". Behind the node type's read permission, as
 * Node-RED's own node endpoints are.
 */
export function serveRecentDeliveries(RED: NodeAPI, type: string): void {
	const app = RED.httpAdmin as unknown as object;
	const types = served.get(app) ?? new Set<string>();
	served.set(app, types);
	if (types.has(type)) return;
	types.add(type);
	RED.httpAdmin.get(`/${type}/:id/deliveries`, RED.auth.needsPermission(`${type}.read`), (req: { params: { id: string } }, res: Response) => {
		const { id } = req.params;
		const node = RED.nodes.getNode(id) as { type?: string } | null;
		if (node?.type !== type) {
			res.status(404).json({ error: `no deployed ${type} node with id ${id}: deploy the flow first` });
			return;
		}
		res.json({ node: id, keeps: RECENT_DELIVERIES, deliveries: recentDeliveries(id) });
	});
}
