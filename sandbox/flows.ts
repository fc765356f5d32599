/** How the sandbox (npm start) arranges the example flows for a first look. */
export type FlowNode = Record<string, any>;

/** The README's first `npx legalhooks send` targets this trigger; its tab opens first in the editor. */
export const FIRST_TRIGGER = 'lh-px2-trigger';

/** The tab of FIRST_TRIGGER first: the editor opens on the first tab. */
export function firstTabFirst(flows: FlowNode[]): FlowNode[] {
	const tab = flows.find((n) => n.id === FIRST_TRIGGER)?.z;
	return [...flows.filter((n) => n.id === tab), ...flows.filter((n) => n.id !== tab)];
}

/** A debug node on every trigger's output that has none, so the debug sidebar shows each normalized event. */
export function withEventDebug(flows: FlowNode[]): FlowNode[] {
	const added: FlowNode[] = [];
	for (const trigger of flows.filter((n) => /^legalhooks-.*-trigger$/.test(n.type))) {
		const wired = (trigger.wires?.[0] ?? []) as string[];
		if (wired.some((id) => flows.find((n) => n.id === id)?.type === 'debug')) continue;
		const id = `${trigger.id}-event`;
		const lowest = Math.max(...flows.filter((n) => n.z === trigger.z && typeof n.y === 'number').map((n) => n.y as number));
		added.push({ id, type: 'debug', z: trigger.z, name: 'normalized event', active: true, tosidebar: true, console: false, complete: 'payload', targetType: 'msg', statusVal: 'payload.type', statusType: 'msg', x: trigger.x + 220, y: lowest + 80, wires: [] });
		trigger.wires = [[...wired, id], ...(trigger.wires?.slice(1) ?? [])];
	}
	return [...flows, ...added];
}

