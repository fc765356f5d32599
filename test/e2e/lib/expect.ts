/* What a normalized item must look like, and registration lookups. */
import { NormalizedEventSchema } from '../../../core/event';
import type { VendorRow } from '../vendors';
import type { VendorSim } from './simulators';
import { fail } from './util';

export function checkItem(item: any, row: VendorRow, eventIndex: 0 | 1) {
	const parsed = NormalizedEventSchema.safeParse(item);
	if (!parsed.success) {
		fail(`${row.id}: item is not a NormalizedEvent: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}\n  item: ${JSON.stringify(item).slice(0, 800)}`);
	}
	const e = row.expect[eventIndex];
	const problems: string[] = [];
	if (item.vendor !== row.id) problems.push(`vendor ${item.vendor} ≠ ${row.id}`);
	if (e.type && item.type !== e.type) problems.push(`type ${item.type} ≠ ${e.type}`);
	if (e.vendorEventType && item.vendorEventType !== e.vendorEventType) problems.push(`vendorEventType ${item.vendorEventType} ≠ ${e.vendorEventType}`);
	if (e.documentId && item.document?.id !== e.documentId) problems.push(`document.id ${item.document?.id} ≠ ${e.documentId}`);
	if (item.raw === undefined) problems.push('raw missing (Include Raw Payload is on by default)');
	if (problems.length) fail(`${row.id}: normalized item wrong: ${problems.join('; ')}\n  item: ${JSON.stringify(item).slice(0, 800)}`);
}

export function withoutQuery(url: string) {
	const u = new URL(url);
	return `${u.origin}${u.pathname}`;
}

/** registrations at the simulator pointing at `url` (a token in the query is ours to add) */
export async function registrationsFor(sim: VendorSim, url: string) {
	return (await sim.registrations()).filter((r) => withoutQuery(r.url) === withoutQuery(url));
}

/** No secret we configured may appear in an engine's log (refusals are logged without them). */
export function checkNoSecretsLogged(logText: string, secrets: unknown[]) {
	const leaked = new Set<string>();
	for (const v of secrets) {
		if (typeof v !== 'string' || v.length < 12) continue;
		if (/^https?:\/\//.test(v) || /-----BEGIN (CERTIFICATE|PUBLIC KEY)/.test(v)) continue; // URLs, public material
		// PEM keys: look for their body lines, not the armour
		const probes = v.includes('-----BEGIN') ? v.split('\n').filter((l) => l.length > 40 && !l.startsWith('-----')).slice(0, 2) : [v];
		for (const probe of probes) if (logText.includes(probe)) leaked.add(v.includes('-----BEGIN') ? 'a PEM key' : `${v.slice(0, 4)}…`);
	}
	if (leaked.size) fail(`the engine log contains secrets: ${[...leaked].join(', ')}`);
}

/** The answer every vendor gets for a verified delivery, in both engines (README, "What every trigger does with a delivery"). */
export const ACK_BODY = '{"received":true}';

/** A verified delivery was answered 2xx with exactly the documented short JSON. */
export function checkAck(what: string, result: { status: number; text: string }) {
	if (result.status < 200 || result.status >= 300) fail(`${what} → ${result.status} ${result.text.slice(0, 300)}`);
	if (result.text !== ACK_BODY) fail(`${what} → ${result.status} with body ${JSON.stringify(result.text.slice(0, 300))}, expected exactly ${ACK_BODY}`);
}
