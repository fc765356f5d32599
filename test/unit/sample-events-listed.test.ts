import { sampleSets } from '../../core/samples/sets';
import type { VendorId } from '../../core/event/normalized-event';
import { DEFAULT_TRIGGER_OPTIONS, type AnyVendorDefinition, type Registration } from '../../core/vendors/definition';
import { legalesign, plexus } from '../../core/vendors';
import { legalesignCallbackUrl, legalesignSettings } from '../../core/vendors/legalesign/api';
import { triggerEditorFacts } from '../../core/vendors/trigger-options';

// A user runs `npx @legalhooks/cli send plexus executed` from the trigger's notice and then looks
// for "executed" in the trigger's Events list: every sample must be there — as an event, or named
// in the name or description of the event it delivers (Plexus's `executed` is a documentUpdated
// whose status is executed).
const secret = 'a'.repeat(64);
const options = { ...DEFAULT_TRIGGER_OPTIONS, replayToleranceSeconds: 0 };
const receivers: Partial<Record<VendorId, { vendor: AnyVendorDefinition; registration?: Registration }>> = {
	plexus: { vendor: plexus },
	legalesign: {
		vendor: legalesign,
		registration: { ids: [], url: legalesignCallbackUrl('https://h.example/webhook/x', secret), secret, settings: legalesignSettings({}) },
	},
};

function deliveredTypes(vendorId: VendorId, event: string): string[] {
	const receiver = receivers[vendorId];
	if (!receiver) throw new Error(`${vendorId} sample "${event}" is not an event of the panel: add its vendor to the receivers to check what it delivers`);
	const delivery = sampleSets[vendorId]!.build(event, { secret }, { eventId: 'fresh' });
	const result = (receiver.vendor.receive as (...args: unknown[]) => { ok: boolean; events?: Array<{ vendorEventType: string }> })(
		{ method: 'POST', rawBody: Buffer.from(delivery.body), headers: delivery.headers, query: delivery.query },
		{ secret, registration: receiver.registration, credentials: {}, options, now: new Date() },
	);
	expect(result.ok).toBe(true);
	return result.events!.map((e) => e.vendorEventType);
}

const samples = Object.entries(sampleSets).flatMap(([vendor, set]) => set!.events.map((event) => [vendor as VendorId, event] as const));

it.each(samples)('%s sample %s is among the events its trigger panel lists', (vendor, sample) => {
	const listed = triggerEditorFacts[vendor].events;
	if (listed.some((event) => event.value === sample)) return;
	const delivered = deliveredTypes(vendor, sample);
	const words = listed.filter((event) => delivered.includes(event.value)).map((event) => `${event.name} ${event.description}`);
	expect(delivered.length).toBeGreaterThan(0);
	expect(words.join(' | ')).toMatch(new RegExp(`\\b${sample}\\b`, 'i'));
});
