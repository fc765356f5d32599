import { EVENT_TYPE_NAMES, COMMON_TRIGGER_DEFAULTS } from '../../core/editor/trigger-settings';
import { vendors } from '../../core/vendors';
import { LEGITO_REGION_CHOICES } from '../../core/vendors/legito/options';
import { triggerEditorFacts } from '../../core/vendors/trigger-options';
import { startNodeRed, type NodeRedProcess } from '../node-red/runtime';

// The Node-RED editor gets every list, label and default from the runtime: each trigger type
// registers an exportable node setting built from core, which a real Node-RED sends to the editor
// in GET /settings (what RED.settings holds in the browser).
const TRIGGERS = ['legito', 'legalesign', 'plexus', 'quicklysign', 'phenixid'] as const;
const settingName = (vendor: string) => `legalhooks${vendor[0].toUpperCase()}${vendor.slice(1)}TriggerEditor`;

let red: NodeRedProcess;
let settings: Record<string, any>;

beforeAll(async () => {
	red = await startNodeRed({ modules: TRIGGERS.map((vendor) => `legalhooks-${vendor}`), flows: [], credentials: {} });
	const response = await fetch(`${red.base}/settings`);
	expect(response.status).toBe(200);
	settings = (await response.json()) as Record<string, any>;
}, 60_000);

afterAll(async () => {
	await red?.stop();
});

describe('Node-RED editor settings from core (GET /settings)', () => {
	it.each(TRIGGERS)('%s: the events the vendor sends, with readable names and descriptions', (vendor) => {
		const exported = settings[settingName(vendor)];
		expect(exported).toBeDefined();
		expect(exported.events.map((e: { value: string }) => e.value)).toEqual([...vendors[vendor]!.vendorEventTypes]);
		for (const event of exported.events) {
			expect(event.label).not.toBe(event.value);
			expect(event.description.length).toBeGreaterThan(10);
		}
		expect(exported.normalizedTypes).toEqual(triggerEditorFacts[vendor].normalizedTypes.map((type) => ({ value: type, label: EVENT_TYPE_NAMES[type] })));
		expect(exported.webhookPathPrefix).toBe(`legalhooks/${vendor}/`);
	});

	it('sends the shared defaults from core/vendors/definition.ts (600 s replay window, 25 MB body limit), not copies', () => {
		for (const vendor of TRIGGERS) {
			expect(settings[settingName(vendor)].defaults).toMatchObject({ replayToleranceSeconds: 600, maxBodyMb: 25, includeRaw: true, dropOutOfOrder: false });
			expect(settings[settingName(vendor)].defaults.maxBodyMb).toBe(COMMON_TRIGGER_DEFAULTS.maxBodyMb);
		}
	});

	it('sends the counts each vendor really has: Plexus 3 events, Legito 38, PhenixID 10, QuicklySign 6', () => {
		expect(settings[settingName('plexus')].events).toHaveLength(3);
		expect(settings[settingName('legito')].events).toHaveLength(38);
		expect(settings[settingName('phenixid')].events).toHaveLength(10);
		expect(settings[settingName('quicklysign')].events).toHaveLength(6);
		expect(settings[settingName('plexus')].normalizedTypes.length).toBeLessThan(18);
	});

	it('sends the vendor pick lists: Legito regions (Quarterly explained), file types, Legalesign notify modes', () => {
		const legito = settings[settingName('legito')];
		expect(legito.choices.regions.map((r: { value: string }) => r.value)).toEqual(LEGITO_REGION_CHOICES.map((r) => r.value));
		expect(legito.choices.regions.find((r: { value: string }) => r.value === 'quarterly').description).toMatch(/quarterly\.legito\.com/);
		expect(legito.choices.fileTypes.map((f: { value: string }) => f.value)).toContain('pdfa');
		expect(legito.defaults).toMatchObject({ fileTypes: 'docx,pdf', region: 'emea' });
		expect(settings[settingName('legalesign')].choices.notify.map((n: { value: string }) => n.value)).toEqual(['all', 'signed', 'sent', 'rejected']);
		expect(settings[settingName('plexus')].sampleCommand).toMatch(/^npx @legalhooks\/cli send plexus /);
		expect(settings[settingName('phenixid')].sampleCommand).toMatch(/^npx @legalhooks\/cli send phenixid /);
		expect(settings[settingName('phenixid')].defaults.orderPath).toBe('/orders/{id}');
	});
});
