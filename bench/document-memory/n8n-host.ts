/**
 * The n8n side of bench/document-memory: the Plexus trigger with Download Documents on, in the
 * project's n8n harness (test/n8n/: helpers.httpRequest as bytes, prepareBinaryData in n8n's default
 * binary mode, which holds the file as base64), in its own process so its RSS is the trigger's alone.
 * Prints one JSON line with the webhook URL, then `bench-seen <binary bytes>` per execution.
 */
import { N8nTriggerHarness } from '../../test/n8n/trigger-harness';

// with the extension: tsx would otherwise take `.node` for a native addon's
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PlexusTrigger } = require('../../n8n/plexus-gateway/nodes/PlexusTrigger/PlexusTrigger.node.ts') as typeof import('../../n8n/plexus-gateway/nodes/PlexusTrigger/PlexusTrigger.node');

async function main() {
	const harness = await new N8nTriggerHarness(new PlexusTrigger(), {
		credentials: { plexusGatewayApi: { secret: process.env.PLEXUS_SECRET ?? '' } },
		parameters: { options: { downloadDocuments: true, maxDownloadMb: 64, maxDownloadTotalMb: 128 } },
	}).start();
	await harness.activate();
	console.log(JSON.stringify({ url: harness.url() }));
	let seen = 0;
	setInterval(() => {
		while (seen < harness.executions.length) {
			const binary = harness.executions[seen++]![0]?.binary ?? {};
			console.log(`bench-seen ${Object.values(binary).map((b) => (b as { bytes?: number }).bytes ?? 0).join(',')}`);
			harness.executions[seen - 1] = []; // a finished run releases its items
		}
	}, 5);
}

void main();
