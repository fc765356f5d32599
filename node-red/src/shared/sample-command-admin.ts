import type { NodeAPI } from 'node-red';
import { sampleCommandFor } from '../../../core/samples/command';
import type { VendorDefinition } from '../../../core/vendors/definition';
import type { RegistrationStore } from './registration-store';

const registered = new WeakMap<object, Set<string>>();

/**
 * GET /legalhooks/<vendor>/registrations/<node id>/sample-command → the `npx @legalhooks/cli send`
 * command that this trigger accepts (its registration token as --secret), for the trigger's dialog;
 * `ready: false` until it has registered.
 * It carries the token, so only users who may change the flows get it.
 */
export function registerSampleCommandAdmin(RED: NodeAPI, vendor: VendorDefinition<object, object>, store: RegistrationStore): void {
	const app = RED.httpAdmin as unknown as object;
	const done = registered.get(app) ?? new Set<string>();
	registered.set(app, done);
	if (done.has(vendor.id)) return;
	done.add(vendor.id);
	RED.httpAdmin.get(`/legalhooks/${vendor.id}/registrations/:node/sample-command`, RED.auth.needsPermission('flows.write'), (req: any, res: any) => {
		const registration = store.get(String(req.params.node))?.state.registration;
		const account = registration?.account?.id ? (RED.nodes.getNode(registration.account.id) as unknown as { credentials?: Record<string, unknown> } | null) : null;
		const sample = registration?.target
			? sampleCommandFor(vendor.id, registration.target, registration, { credentials: account?.credentials })
			: undefined;
		// Not an error for the dialog: a trigger being set up has not registered yet.
		if (!sample) return void res.json({ ready: false, message: `no ${vendor.displayName} registration yet: deploy the trigger and wait for "registered"` });
		res.json({ ready: true, ...sample });
	});
}
