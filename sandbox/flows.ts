/** How the sandbox (npm start) arranges the example flows for a first look. */
export type FlowNode = Record<string, any>;

/** The README's first `npx @legalhooks/cli send` targets this trigger; its tab opens first in the editor. */
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
		const lowest = Math.max(...flows.filter((n) => n.z === trigger.z && typeof n.y === 'number').map((n) => n.y as number));
		const debug = (id: string, name: string, complete: string, statusVal: string, y: number) =>
			({ id, type: 'debug', z: trigger.z, name, active: true, tosidebar: true, console: false, complete, targetType: 'msg', statusVal, statusType: 'msg', x: trigger.x + 220, y, wires: [] });
		const extra: FlowNode[] = [];
		const hidden: FlowNode[] = [];
		if (!wired.some((id) => flows.find((n) => n.id === id)?.type === 'debug')) extra.push(debug(`${trigger.id}-event`, 'normalized event', 'payload', 'payload.type', lowest + 80));
		// the documents the trigger downloaded: msg.files (name, MIME type, size and the bytes), only
		// when there are some — a debug node on an absent property prints `undefined`
		if (trigger.downloadDocuments) {
			const y = lowest + 80 + 40 * extra.length;
			const files = { ...debug(`${trigger.id}-files`, 'downloaded files', 'files', 'files.length', y), x: trigger.x + 400 };
			extra.push({ id: `${trigger.id}-has-files`, type: 'switch', z: trigger.z, name: 'has files', property: 'files', propertyType: 'msg', rules: [{ t: 'nempty' }], checkall: 'true', repair: false, outputs: 1, x: trigger.x + 220, y, wires: [[files.id]] });
			hidden.push(files);
		}
		if (extra.length === 0) continue;
		added.push(...extra, ...hidden);
		trigger.wires = [[...wired, ...extra.map((n) => n.id)], ...(trigger.wires?.slice(1) ?? [])];
	}
	return [...flows, ...added];
}

