import { NodeApiError, type IDataObject, type INodeExecutionData, type INodeProperties, type IPollFunctions, type JsonObject } from 'n8n-workflow';
// Not core/catchup's index: it names every vendor's reader, and a package ships its own vendor's only.
import { catchupOutput } from '../../core/catchup/emit';
import { pollWithStaticData, POLL_WATERMARK_KEY } from './poll-watermark';
import type { CatchupReader } from '../../core/catchup/types';
import { dedupeStoreFor, MemoryDedupeStore } from '../../core/inbound/dedupe';
import type { AnyVendorDefinition } from '../../core/vendors/definition';
import { n8nHttpClient } from './http';
import { docsLink, type TriggerEditorFacts } from '../../core/editor/trigger-settings';
import { commonOptions, triggerOptionsProperty } from './trigger-properties';

/** How one vendor's polling trigger is wired to its core reader. */
export interface PollWiring {
	vendor: AnyVendorDefinition;
	reader: CatchupReader<unknown>;
	credentialName: string;
	/** The vendor's own settings the reader and the filters use (event types, group, pack keys…). */
	vendorOptions(context: IPollFunctions): Record<string, unknown>;
	/** Adds what the trigger watches to a stored reader state (PhenixID: the listed tasks). */
	watch?(context: IPollFunctions, state: unknown, staticData: IDataObject): unknown;
}

/** "Fetch test event" reads this far back when no start date is set, and shows the newest few. */
const MANUAL_LOOKBACK_MS = 7 * 24 * 60 * 60 * 1000;
const MANUAL_EVENTS = 3;

/** Start From: now (the first poll only records where it starts) or a date-time. */
export const startFromProperties: INodeProperties[] = [
	{
		displayName: 'Start From',
		name: 'startFrom',
		type: 'options',
		options: [
			{ name: 'Now', value: 'now', description: 'The first poll records where it starts and emits nothing; later polls emit what happened since' },
			{ name: 'A Date and Time', value: 'date', description: 'The first poll emits what happened since then' },
		],
		default: 'now',
		description: 'Where the first poll starts. Later polls start where the last successful one ended.',
	},
	{
		displayName: 'Start Date',
		name: 'startDate',
		type: 'dateTime',
		default: '',
		required: true,
		displayOptions: { show: { startFrom: ['date'] } },
		description: 'Events after this date and time are emitted at the first poll',
	},
];

function startFromOf(context: IPollFunctions): string | undefined {
	if (context.getNodeParameter('startFrom', 'now') !== 'date') return undefined;
	const value = String(context.getNodeParameter('startDate', '') ?? '');
	return Number.isFinite(Date.parse(value)) ? new Date(value).toISOString() : undefined;
}

const toItems = (events: unknown[]): INodeExecutionData[] => events.map((event) => ({ json: event as IDataObject }));

/**
 * The whole `poll()` of a polling trigger. In trigger mode: reads since the watermark in the node's
 * static data (pollWithStaticData, poll-watermark.ts) and returns one item per new event, or null; a failed read
 * keeps the watermark, is logged, and returns null (the next poll after the backoff retries it).
 * "Fetch test event" (manual mode) reads a copy of the static data from the start date, or a week
 * back, and shows the newest few events without moving the watermark; a failed read throws.
 */
export async function pollTrigger(context: IPollFunctions, wiring: PollWiring): Promise<INodeExecutionData[][] | null> {
	const { vendor, reader } = wiring;
	const node = context.getNode();
	const workflow = context.getWorkflow();
	const manual = context.getMode() === 'manual';
	const raw = context.getNodeParameter('options', {}) as Record<string, unknown>;
	const vendorOptions = wiring.vendorOptions(context);
	const options = { ...commonOptions(raw, context.getNodeParameter('events', [])), ...vendorOptions };
	const credentials = (await context.getCredentials(wiring.credentialName)) as Record<string, unknown>;
	const stored = context.getWorkflowStaticData('node');
	const staticData: IDataObject = manual ? {} : stored;
	const startFrom = manual ? (startFromOf(context) ?? new Date(Date.now() - MANUAL_LOOKBACK_MS).toISOString()) : startFromOf(context);
	const read = (at?: string) =>
		pollWithStaticData(staticData, reader, { http: n8nHttpClient(context.helpers), credentials, options: vendorOptions, now: new Date() }, at);

	const fresh = staticData[POLL_WATERMARK_KEY] === undefined;
	const watch = () => {
		const record = staticData[POLL_WATERMARK_KEY] as IDataObject | undefined;
		if (wiring.watch && record && typeof record === 'object') record.state = wiring.watch(context, record.state, staticData) as IDataObject;
	};
	watch();
	let { events, run } = await read(startFrom);
	if (wiring.watch && fresh) {
		// The watched items are known only now: a second read gives their states, which with Start From now are the baseline, not news.
		watch();
		const first = await read();
		if (run.outcome !== 'started') events = [...events, ...first.events];
		if (first.run.outcome === 'failed') run = first.run;
	}

	const where = `(workflow "${workflow.name ?? ''}" ${workflow.id ?? ''}, node "${node.name}")`;
	if (run.outcome === 'failed' || run.outcome === 'unavailable') {
		const message = `${vendor.displayName} poll: ${run.message ?? 'failed'}`;
		if (manual) throw new NodeApiError(node, { message } as JsonObject, { message, description: run.message });
		context.logger.warn(`${message}${run.retryInMs ? `; next try after ${Math.ceil(run.retryInMs / 1000)} s` : ''} ${where}`, { workflowId: workflow.id, nodeName: node.name });
		return null;
	}
	if (events.length === 0) return null;
	const dedupe = manual ? new MemoryDedupeStore() : dedupeStoreFor(`n8n-poll:${workflow.id ?? ''}:${node.id ?? node.name}`);
	const all = await catchupOutput(vendor, events, options, dedupe, new Date());
	const output = manual ? all.slice(-MANUAL_EVENTS) : all;
	if (output.length === 0) return null;
	if (!manual) context.logger.info(`${vendor.displayName} poll: ${output.length} event(s) read from the API ${where}`, { workflowId: workflow.id, nodeName: node.name });
	return [toItems(output)];
}

/** The help line every polling trigger shows above its settings: what it reads, and the package README for the rest. */
export function pollNotice(vendorName: string, folder: string, reads: string): string {
	return `Polls the ${vendorName} API at the Poll Times: no webhook, no public URL. It reads ${reads}. Each event is emitted once, with data.source "poll". ${docsLink(folder, 'Polling guide')}`;
}

const NOT_FOR_POLLING = new Set(['maxBodyMb', 'replayToleranceSeconds', 'downloadDocuments', 'maxDownloadMb', 'maxDownloadTotalMb']);

/** The webhook trigger's Options less what only a delivery has (body size, replay window, downloads), plus `extra`. */
export function pollOptionsProperty(facts: TriggerEditorFacts, extra: INodeProperties[] = []): INodeProperties {
	const property = triggerOptionsProperty(facts, extra);
	return { ...property, options: (property.options as INodeProperties[]).filter((option) => !NOT_FOR_POLLING.has(option.name)) };
}
