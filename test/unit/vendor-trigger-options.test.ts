import { commonTriggerOptions } from '../../core/editor/trigger-settings';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_REPLAY_TOLERANCE_SECONDS } from '../../core/vendors/definition';
import { legalesignTriggerOptions } from '../../core/vendors/legalesign/options';
import { legitoTriggerOptions } from '../../core/vendors/legito/options';
import { phenixidTriggerOptions } from '../../core/vendors/phenixid/options';
import { quicklysignTriggerOptions } from '../../core/vendors/quicklysign/options';
import { vendors } from '../../core/vendors';
import { triggerEditorFacts } from '../../core/vendors/trigger-options';

// Each vendor declares its trigger settings once (zod, with defaults); both engines hand over what
// they store (n8n: arrays and booleans; Node-RED: comma-separated text and checkboxes).
describe('vendor trigger settings, as either engine stores them', () => {
	it('Legito: n8n arrays and Node-RED text give the same options; file types only with generated documents', () => {
		const n8n = legitoTriggerOptions({ legitoEventTypes: ['SignCompleted'], templateSuites: '512, 513', documentRecordTypes: '', attachFilesUploaded: false, attachFilesGenerated: true, fileTypes: ['pdf'] });
		const nodeRed = legitoTriggerOptions({ legitoEventTypes: 'SignCompleted', templateSuites: '512,513', documentRecordTypes: '', attachFilesUploaded: false, attachFilesGenerated: true, fileTypes: 'pdf' });
		expect(n8n).toEqual(nodeRed);
		expect(n8n).toMatchObject({ legitoEventTypes: ['SignCompleted'], templateSuites: ['512', '513'], fileTypes: ['pdf'] });
		expect(legitoTriggerOptions({ attachFilesGenerated: false, fileTypes: 'pdf,docx' }).fileTypes).toEqual([]);
		expect(legitoTriggerOptions({})).toEqual({ legitoEventTypes: [], templateSuites: [], documentRecordTypes: [], attachFilesUploaded: false, attachFilesGenerated: false, fileTypes: [] });
	});

	it("Legalesign: notify defaults to all, and an unknown mode is all", () => {
		expect(legalesignTriggerOptions({})).toEqual({ webhookSystem: 'legacy', confirmWithApi: true, notify: 'all', eventFilter: '', group: '' });
		expect(legalesignTriggerOptions({ notify: 'sometimes', group: 'sales' })).toEqual({ webhookSystem: 'legacy', confirmWithApi: true, notify: 'all', eventFilter: '', group: 'sales' });
		expect(legalesignTriggerOptions({ notify: 'signed', eventFilter: 'document.*' })).toMatchObject({ notify: 'signed', eventFilter: 'document.*' });
	});

	it('Legalesign: a saved trigger without Webhook System is legacy; realtime only when chosen; Confirm With API off only when set off', () => {
		expect(legalesignTriggerOptions({ webhookSystem: 'realtime' })).toMatchObject({ webhookSystem: 'realtime', confirmWithApi: true });
		expect(legalesignTriggerOptions({ webhookSystem: 'Realtime' })).toMatchObject({ webhookSystem: 'legacy' });
		expect(legalesignTriggerOptions({ webhookSystem: 'realtime', confirmWithApi: false })).toMatchObject({ confirmWithApi: false });
		expect(legalesignTriggerOptions({ webhookSystem: 'realtime', confirmWithApi: 'false' })).toMatchObject({ confirmWithApi: false });
	});

	it('PhenixID and QuicklySign: defaults filled, checkboxes only on when true', () => {
		expect(phenixidTriggerOptions({})).toEqual({ fetchOrder: false, orderPath: '/orders/{id}' });
		expect(phenixidTriggerOptions({ fetchOrder: true, orderPath: '' })).toEqual({ fetchOrder: true, orderPath: '/orders/{id}' });
		expect(quicklysignTriggerOptions({ documentPackKeys: 'a,b', fetchDocumentPack: 'false' })).toEqual({ documentPackKeys: 'a,b', fetchDocumentPack: false, acceptForeignSubscriptions: false });
	});

	it.each(Object.keys(triggerEditorFacts) as Array<keyof typeof triggerEditorFacts>)('%s: an event list with words for exactly the events the vendor sends', (id) => {
		const facts = triggerEditorFacts[id];
		expect(facts.events.map((event) => event.value)).toEqual([...vendors[id]!.vendorEventTypes]);
		for (const event of facts.events) {
			expect(event.name).not.toBe(event.value);
			expect(event.description).not.toBe(event.value);
		}
		expect(new Set(facts.events.map((event) => event.name)).size).toBe(facts.events.length);
	});
});

describe('common trigger options, as either engine stores them', () => {
	it('fills the defaults from core/vendors/definition.ts: 600 s replay window, 25 MB, raw on', () => {
		expect(commonTriggerOptions({})).toEqual({
			eventTypes: [],
			vendorEventTypes: [],
			includeRaw: true,
			replayToleranceSeconds: DEFAULT_REPLAY_TOLERANCE_SECONDS,
			maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
			dropOutOfOrder: false,
			redactRawPaths: [],
			outputFormat: 'normalized',
			downloadDocuments: false,
		});
	});

	it('reads n8n arrays and Node-RED text alike, keeps names with spaces, drops unknown normalized types', () => {
		const n8n = commonTriggerOptions({ eventTypes: ['document.completed', 'nonsense'], vendorEventTypes: ['failed visit', 'signed'], includeRaw: false, replayToleranceSeconds: 0, maxBodyMb: 50, dropOutOfOrder: true });
		const nodeRed = commonTriggerOptions({ eventTypes: 'document.completed,nonsense', vendorEventTypes: 'failed visit, signed', includeRaw: false, replayToleranceSeconds: '0', maxBodyMb: '50', dropOutOfOrder: true });
		expect(n8n).toEqual(nodeRed);
		expect(n8n).toEqual({ eventTypes: ['document.completed'], vendorEventTypes: ['failed visit', 'signed'], includeRaw: false, replayToleranceSeconds: 0, maxBodyBytes: 50 * 1024 * 1024, dropOutOfOrder: true, redactRawPaths: [], outputFormat: 'normalized', downloadDocuments: false });
		// the output options: n8n stores comma text and a boolean, Node-RED the same text and a checkbox
		expect(commonTriggerOptions({ redactRawPaths: 'data.document.ownerEmail, persons.*.email', outputFormat: 'cloudevents', downloadDocuments: 'true' })).toMatchObject({
			redactRawPaths: ['data.document.ownerEmail', 'persons.*.email'],
			outputFormat: 'cloudevents',
			downloadDocuments: true,
		});
		expect(commonTriggerOptions({ replayToleranceSeconds: '', maxBodyMb: 'x' })).toMatchObject({ replayToleranceSeconds: 600, maxBodyBytes: 25 * 1024 * 1024 });
	});
});
