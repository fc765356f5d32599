/*
 * The polling suite (issue 23): the Legito Polling Trigger in a real n8n, published with n8n's shortest
 * Poll Time (every minute: n8n refuses a shorter one), against the Legito simulator. Activation polls once
 * (Start From now: records where it starts, emits nothing); events made then come out of the next
 * scheduled poll, each once, and the poll after that adds nothing.
 */
import { randomUUID } from 'node:crypto';
import * as legitoSim from '../../../sandbox/simulators/legito';
import type { Packed } from '../lib/pack';
import { N8n, executionError, nodeOutput, nodeType, type N8nEngineSpec } from '../lib/n8n';
import { installAndStart } from '../lib/n8n-installer';
import { check, log, waitFor } from '../lib/util';

export async function runN8nPolling(spec: N8nEngineSpec, work: string, packed: Packed[]): Promise<string> {
	const L = (m: string) => log(`${spec.label} polling`, m);
	const legito = packed.find((p) => p.pkg.name === '@legalhooks/n8n-nodes-legito');
	check(legito, 'no packed @legalhooks/n8n-nodes-legito');
	const n8n = new N8n({ ...spec, version: `${spec.version}-polling` }, work);
	const sim = await legitoSim.start();
	try {
		L(await installAndStart(n8n, [legito.tarball]));
		const credential = await n8n.createCredential('e2e Legito polling', 'legitoApi', { apiKey: sim.apiKey, privateKey: sim.privateKey, region: 'custom', apiBaseUrl: sim.baseUrl });
		// Seconds before publishing: Legito's timeline has whole seconds, and the starting second itself is read.
		sim.happen('SignCompleted', { code: 'before-activation', at: new Date(Date.now() - 5000) });
		const workflowId = await n8n.createWorkflow({
			name: 'e2e Legito polling',
			nodes: [
				{
					id: randomUUID(),
					name: 'Trigger',
					type: nodeType('legitoPollTrigger'),
					typeVersion: 1,
					position: [0, 0],
					parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, options: { settleSeconds: 1 } },
					credentials: { legitoApi: { id: credential, name: 'e2e Legito polling' } },
				},
			],
			connections: {},
		});
		const t0 = Date.now();
		await n8n.activate(workflowId);
		await new Promise((resolve) => setTimeout(resolve, 1500)); // the activation poll has recorded its start
		const made = ['SignStarted', 'SignCompleted', 'DocumentRecordDeleted'].map((type, i) => sim.happen(type, { code: `polled-${i}` }));
		const items = async () => {
			const runs = await n8n.executions(workflowId);
			for (const run of runs) check(!executionError(run), `a polling execution failed: ${executionError(run)}`);
			return runs.flatMap((run) => nodeOutput(run, 'Trigger')).map((item) => item.json ?? item);
		};
		await waitFor('the scheduled polls to emit the three events', async () => (await items()).length >= made.length, { timeoutMs: 150_000, intervalMs: 2000 });
		const reads = () => sim.state.calls.filter((c) => c.path.endsWith('/event')).length;
		const readsThen = reads();
		await waitFor('one more scheduled poll', async () => reads() > readsThen, { timeoutMs: 75_000, intervalMs: 1000 });
		await new Promise((resolve) => setTimeout(resolve, 3000));
		const emitted = await items();
		const codes = emitted.map((e) => e.document?.id).sort();
		check(JSON.stringify(codes) === JSON.stringify(['polled-0', 'polled-1', 'polled-2']), `expected each polled event once, got ${JSON.stringify(codes)}`);
		check(emitted.every((e) => e.data?.source === 'poll' && e.vendor === 'legito'), `polled items are not the normalized event with data.source "poll": ${JSON.stringify(emitted[0]).slice(0, 300)}`);
		check(sim.state.connections.size === 0, 'the polling trigger registered a push connection');
		await n8n.deactivate(workflowId);
		const runs = (await n8n.executions(workflowId)).length;
		return `Legito Polling Trigger, published with Poll Times every minute: 3 events made, ${emitted.length} emitted over ${runs} execution(s) and ${reads()} timeline reads, each once; the event made before publishing not emitted (Start From now) (${((Date.now() - t0) / 1000).toFixed(0)} s)`;
	} finally {
		await n8n.stop().catch(() => undefined);
		await sim.close().catch(() => undefined);
	}
}
