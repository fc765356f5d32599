/**
 * The n8n side of bench/legito-large: the Legito trigger in the project's n8n harness (test/n8n/, n8n's
 * webhook body rules and binary handling), activated against the Legito simulator, in its own process so
 * its RSS is the trigger's alone. Prints one JSON line with the webhook URL and the push headers, then a
 * `bench-seen` line for each execution.
 *
 * With BENCH_NODE=floor the URL is instead that of a node doing what n8n's own Webhook node does with a
 * JSON POST (the parsed body into the item, answered at once), in the same harness: what n8n's body
 * handling costs for the same delivery before any node code of ours.
 */
import type { INodeType, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { N8nTriggerHarness } from '../../test/n8n/trigger-harness';
import * as legitoSim from '../../sandbox/simulators/legito';

// with the extension: tsx would otherwise take `.node` for a native addon's
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { LegitoTrigger } = require('../../n8n/legito/nodes/LegitoTrigger/LegitoTrigger.node.ts') as typeof import('../../n8n/legito/nodes/LegitoTrigger/LegitoTrigger.node');

async function main() {
	const sim = await legitoSim.start();
	const harness = await new N8nTriggerHarness(new LegitoTrigger(), {
		credentials: { legitoApi: { apiKey: sim.apiKey, privateKey: sim.privateKey, region: 'custom', apiBaseUrl: sim.baseUrl } },
		parameters: { legitoEvents: ['SignCompleted'], attachFilesGenerated: true, fileTypes: ['pdf', 'docx'] },
		// n8n's N8N_PAYLOAD_SIZE_MAX is 16 MB by default: a 20 MB delivery needs it raised
		payloadSizeMax: Number(process.env.PAYLOAD_SIZE_MAX ?? 32 * 1024 * 1024),
	}).start();
	await harness.activate();
	const floor = process.env.BENCH_NODE === 'floor' ? await new N8nTriggerHarness(webhookNodeFloor, { credentials: {}, payloadSizeMax: Number(process.env.PAYLOAD_SIZE_MAX ?? 32 * 1024 * 1024) }).start() : undefined;
	const served = floor ?? harness;
	const connection = [...sim.state.connections.values()][0]!;
	const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Legito-Push-API' };
	for (const h of connection.headers) if (h.value !== null) headers[h.name] = h.value;
	console.log(JSON.stringify({ url: served.url(), headers, systemName: connection.systemName }));
	let seen = 0;
	setInterval(() => {
		while (seen < served.executions.length) console.log(`bench-seen ${Object.keys(served.executions[seen++]![0]?.binary ?? {}).length} binaries`);
	}, 5);
}

/** As n8n's Webhook node with a JSON POST and "respond immediately": body, headers and query into one item. */
const webhookNodeFloor = {
	description: { displayName: 'Webhook floor', name: 'webhookFloor', group: ['trigger'], version: 1, description: '', defaults: {}, inputs: [], outputs: ['main'], properties: [], webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }] },
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject();
		this.getResponseObject().status(200).json({ message: 'Workflow was started' });
		return { noWebhookResponse: true, workflowData: [[{ json: { headers: request.headers, params: {}, query: request.query, body: request.body } }]] };
	},
} as unknown as INodeType;

void main();
