import type { INodeProperties, INodeType } from 'n8n-workflow';
import { LegitoApi } from '../../n8n/legito/credentials/LegitoApi.credentials';
import { EVENT_TYPES } from '../../core/event/normalized-event';
import { COMMON_TRIGGER_DEFAULTS } from '../../core/editor/trigger-settings';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_REPLAY_TOLERANCE_SECONDS, type AnyVendorDefinition } from '../../core/vendors/definition';
import { legalesign, legito, phenixid, plexus, quicklysign } from '../../core/vendors';
import { LEGITO_REGION_CHOICES } from '../../core/vendors/legito/options';
import { triggerEditorFacts } from '../../core/vendors/trigger-options';
import { LegalesignTrigger } from '../../n8n/legalesign/nodes/LegalesignTrigger/LegalesignTrigger.node';
import { LegitoTrigger } from '../../n8n/legito/nodes/LegitoTrigger/LegitoTrigger.node';
import { PhenixIdTrigger } from '../../n8n/phenixid-signing/nodes/PhenixIdTrigger/PhenixIdTrigger.node';
import { PlexusTrigger } from '../../n8n/plexus-gateway/nodes/PlexusTrigger/PlexusTrigger.node';
import { QuicklySignTrigger } from '../../n8n/quicklysign/nodes/QuicklySignTrigger/QuicklySignTrigger.node';

// n8n's trigger descriptions are built from core at module load (events, names, defaults, pick
// lists); these checks fail when a description drifts from core or brings back a hand-typed copy.
const triggers: Array<[string, INodeType, AnyVendorDefinition, string]> = [
	['Plexus', new PlexusTrigger(), plexus, 'events'],
	['PhenixID', new PhenixIdTrigger(), phenixid, 'events'],
	['Legito', new LegitoTrigger(), legito, 'legitoEvents'],
	['Legalesign', new LegalesignTrigger(), legalesign, 'events'],
	['QuicklySign', new QuicklySignTrigger(), quicklysign, 'events'],
];

const all = (properties: INodeProperties[]): INodeProperties[] =>
	properties.flatMap((p) => [p, ...(p.type === 'collection' ? all((p.options ?? []) as INodeProperties[]) : [])]);
const values = (p: INodeProperties | undefined) => ((p?.options ?? []) as Array<{ value: string }>).map((o) => o.value);

describe.each(triggers)('%s trigger description', (_name, node, vendor, eventsField) => {
	const properties = all(node.description.properties);
	const facts = triggerEditorFacts[vendor.id];
	const multi = properties.filter((p) => p.type === 'multiOptions');
	const events = node.description.properties.find((p) => p.name === eventsField);

	it('has one top-level Events field with exactly the events this vendor sends, named and described from core', () => {
		expect(events).toMatchObject({ displayName: 'Events', type: 'multiOptions', default: [] });
		expect(values(events).sort()).toEqual([...vendor.vendorEventTypes].sort());
		for (const option of events!.options as Array<{ name: string; value: string; description?: string }>) {
			const event = facts.events.find((e) => e.value === option.value)!;
			expect(option).toEqual({ name: event.name, value: event.value, description: event.description });
			expect(option.name).not.toBe(option.value);
		}
		const names = (events!.options as Array<{ name: string }>).map((o) => o.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		// no second picker of vendor events (Legito had one at the top and one under Options); Normalized
		// Types may share names with vendor events (Legalesign realtime's document.created, recipient.completed…)
		expect(multi.filter((p) => p.name !== 'eventTypes' && values(p).some((v) => vendor.vendorEventTypes.includes(v)))).toHaveLength(1);
	});

	it('shows the chosen events as the canvas subtitle, or "All events"', () => {
		expect(node.description.subtitle).toContain(`$parameter["${eventsField}"]`);
		expect(node.description.subtitle).toContain('All events');
	});

	it('offers only the normalized types this vendor produces, and the shared defaults from core/vendors/definition.ts', () => {
		const types = properties.find((p) => p.name === 'eventTypes');
		expect(values(types).sort()).toEqual([...facts.normalizedTypes].sort());
		expect(values(types).length).toBeLessThan(EVENT_TYPES.length);
		expect(properties.find((p) => p.name === 'maxBodyMb')?.default).toBe(DEFAULT_MAX_BODY_BYTES / (1024 * 1024));
		const replay = properties.find((p) => p.name === 'replayToleranceSeconds');
		if (facts.replayWindow) expect(replay?.default).toBe(DEFAULT_REPLAY_TOLERANCE_SECONDS);
		else expect(replay).toBeUndefined();
		expect(Boolean(properties.find((p) => p.name === 'dropOutOfOrder'))).toBe(facts.outOfOrder);
		// n8n's lint wants literal defaults: they must still be core's
		expect(types?.default).toEqual(COMMON_TRIGGER_DEFAULTS.eventTypes);
		expect(properties.find((p) => p.name === 'includeRaw')?.default).toBe(COMMON_TRIGGER_DEFAULTS.includeRaw);
		if (facts.outOfOrder) expect(properties.find((p) => p.name === 'dropOutOfOrder')?.default).toBe(COMMON_TRIGGER_DEFAULTS.dropOutOfOrder);
	});

	it("says Publish/Unpublish (n8n 2.x), not activate/deactivate, and points at the Production URL the panel can switch to", () => {
		const notice = properties.find((p) => p.type === 'notice')!.displayName;
		expect(notice).toBe(facts.n8nNotice);
		expect(notice).not.toMatch(/activat/i);
		expect(notice).toMatch(/publish/i);
		expect(notice).not.toMatch(/URL above/);
		if (vendor.registration === 'manual') {
			expect(notice).toContain('switch to Production URL');
			// the command as a user can paste it: our published CLI, placeholders n8n does not drop
			expect(notice).toContain(`<code>${facts.sampleCommand}</code>`);
			expect(facts.sampleCommand).toMatch(new RegExp(`^npx @legalhooks/cli send ${vendor.id} \\w+ --url WEBHOOK_URL --secret SECRET`));
		}
	});
});

describe('Legito API credential', () => {
	it('lists the regions from core and explains Quarterly', () => {
		const region = new LegitoApi().properties.find((p) => p.name === 'region')!;
		expect(values(region).sort()).toEqual(LEGITO_REGION_CHOICES.map((r) => r.value).sort());
		const quarterly = (region.options as Array<{ value: string; name: string; description?: string }>).find((o) => o.value === 'quarterly')!;
		expect(quarterly.description).toMatch(/quarterly\.legito\.com/);
		expect(quarterly.description).toMatch(/not a geographic region/);
	});
});
