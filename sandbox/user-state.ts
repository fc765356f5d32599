import * as fs from 'node:fs';
import * as path from 'node:path';
import { RegistrationStore } from '../node-red/src/shared/registration-store';
import type { FlowNode } from './flows';

/**
 * What `npm start` keeps of the user directory it starts on: the sandbox rewrites only its own tabs
 * and nodes (the example flows, pointed at this run's simulators); everything else in flows.json and
 * its credentials stays as the user left it.
 */

function readJson(file: string): unknown {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

export interface MergedFlows {
	flows: FlowNode[];
	credentials: Record<string, unknown>;
	/** Labels of the user's own tabs that were kept. */
	keptTabs: string[];
	/** How many of the user's nodes were kept (tabs, their nodes, config nodes, subflows). */
	keptNodes: number;
}

/**
 * The sandbox's flows plus every node of the existing flows that is not the sandbox's: not one of
 * its ids, nor on one of its tabs. Credentials (plaintext: the sandbox runs with encryption off)
 * are kept for the kept nodes.
 */
export function mergeUserFlows(existing: unknown, existingCredentials: unknown, sandbox: FlowNode[], sandboxCredentials: Record<string, unknown>): MergedFlows {
	const ours = new Set(sandbox.map((node) => node.id));
	const previous = Array.isArray(existing) ? (existing as FlowNode[]) : [];
	const kept = previous.filter((node) => node && typeof node.id === 'string' && !ours.has(node.id) && !(typeof node.z === 'string' && ours.has(node.z)));
	const credentials: Record<string, unknown> = { ...sandboxCredentials };
	const stored = existingCredentials && typeof existingCredentials === 'object' && !('$' in existingCredentials) ? (existingCredentials as Record<string, unknown>) : {};
	for (const node of kept) if (node.id in stored && !(node.id in credentials)) credentials[node.id] = stored[node.id];
	return {
		flows: [...sandbox, ...kept],
		credentials,
		keptTabs: kept.filter((node) => node.type === 'tab').map((node) => String(node.label ?? node.id)),
		keptNodes: kept.length,
	};
}

/** Reads flows.json / flows_cred.json of `userDir` and merges the sandbox's flows into them. */
export function mergeWithUserDir(userDir: string, sandbox: FlowNode[], sandboxCredentials: Record<string, unknown>): MergedFlows {
	return mergeUserFlows(readJson(path.join(userDir, 'flows.json')), readJson(path.join(userDir, 'flows_cred.json')), sandbox, sandboxCredentials);
}

/**
 * Drops the registration-store entries of the sandbox's own triggers and of triggers on its
 * accounts: what they registered lived in the previous run's simulators, which start empty. The
 * user's other entries stay. Returns how many entries were dropped and kept.
 */
export function pruneSandboxRegistrations(userDir: string, sandboxIds: Set<string>): { dropped: number; kept: number } {
	const file = path.join(userDir, '.legalhooks', 'registrations.json');
	if (!fs.existsSync(file)) return { dropped: 0, kept: 0 };
	const store = new RegistrationStore(file, () => null);
	let dropped = 0;
	let kept = 0;
	for (const [nodeId, entry] of store.list()) {
		const accounts = [entry.state.registration?.account?.id, entry.state.intent?.account.id, ...entry.state.pending.map((p) => p.account.id)];
		if (sandboxIds.has(nodeId) || accounts.some((id) => id !== undefined && sandboxIds.has(id))) {
			store.delete(nodeId);
			dropped += 1;
		} else kept += 1;
	}
	return { dropped, kept };
}

/**
 * The editor opens on the debug sidebar (Node-RED's per-user `editor.sidebar.order`, whose first tab
 * is shown first), unless the user has chosen an order of their own.
 */
export function debugSidebarFirst(userDir: string): void {
	const file = path.join(userDir, '.config.users.json');
	const users = (readJson(file) as Record<string, any> | undefined) ?? {};
	const anonymous = (users._ ??= {});
	anonymous.editor ??= {};
	anonymous.editor.sidebar ??= {};
	if (anonymous.editor.sidebar.order) return;
	anonymous.editor.sidebar.order = ['debug', 'info', 'help', 'config', 'context'];
	fs.writeFileSync(file, JSON.stringify(users, null, 4));
}
