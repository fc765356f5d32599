/*
 * The polling suite (issue 23): the Legito and QuicklySign Polling Triggers in a real n8n, published with
 * n8n's shortest Poll Time (every minute: n8n refuses a shorter one), against the simulators. Activation
 * polls once (Start From now: records where it starts, emits nothing); events made then come out of the
 * next scheduled poll, each once, and the poll after that adds nothing. Then the Legito workflow is
 * unpublished, events are made while it is off, and published again: they are emitted once (the
 * watermark stays in the node's static data).
 */
import { randomUUID } from 'node:crypto';
import * as legitoSim from '../../../sandbox/simulators/legito';
import * as quicklysignSim from '../../../sandbox/simulators/quicklysign';
import type { Packed } from '../lib/pack';
import { N8n, executionError, nodeOutput, nodeType, type N8nEngineSpec } from '../lib/n8n';
import { installAndStart } from '../lib/n8n-installer';
import { check, log, waitFor } from '../lib/util';

export async function runN8nPolling(spec: N8nEngineSpec, work: string, packed: Packed[]): Promise<string> {
	const L = (m: string) => log(`${spec.label} polling`, m);
	const legito = packed.find((p) => p.pkg.name === '@legalhooks/n8n-nodes-legito');
	check(legito, 'no packed @legalhooks/n8n-nodes-legito');
	const quicklysign = packed.find((p) => p.pkg.name === '@legalhooks/n8n-nodes-quicklysign');
	check(quicklysign, 'no packed @legalhooks/n8n-nodes-quicklysign');
	const n8n = new N8n({ ...spec, version: `${spec.version}-polling` }, work);
	const sim = await legitoSim.start();
	const qs = await quicklysignSim.start();
	try {
		L(await installAndStart(n8n, [legito.tarball, quicklysign.tarball]));
		qs.addPack('pack-1');
		qs.addPack('pack-2');
		const qsCredential = await n8n.createCredential('e2e QuicklySign polling', 'quicklySignApi', { clientId: qs.clientId, clientSecret: qs.clientSecret, apiKey: qs.apiKey, environment: 'custom', apiBaseUrl: qs.baseUrl });
		const qsWorkflowId = await n8n.createWorkflow({
			name: 'e2e QuicklySign polling',
			nodes: [
				{
					id: randomUUID(),
					name: 'Trigger',
					type: nodeType('quicklySignPollTrigger'),
					typeVersion: 1,
					position: [0, 0],
					parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, documentPackKeys: 'pack-1, pack-2' },
					credentials: { quicklySignApi: { id: qsCredential, name: 'e2e QuicklySign polling' } },
				},
			],
			connections: {},
		});
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
		await n8n.activate(qsWorkflowId);
		await new Promise((resolve) => setTimeout(resolve, 1500)); // the activation polls have recorded their start
		const made = ['SignStarted', 'SignCompleted', 'DocumentRecordDeleted'].map((type, i) => sim.happen(type, { code: `polled-${i}` }));
		qs.audit('pack-1', 'user_signed');
		qs.setPackStatus('pack-1', 'complete');
		qs.audit('pack-2', 'user_viewed');
		const qsMade = 3;
		const itemsOf = async (id: string) => {
			const runs = await n8n.executions(id);
			for (const run of runs) check(!executionError(run), `a polling execution failed: ${executionError(run)}`);
			return runs.flatMap((run) => nodeOutput(run, 'Trigger')).map((item) => item.json ?? item);
		};
		const items = () => itemsOf(workflowId);
		await waitFor('the scheduled polls to emit the three events', async () => (await items()).length >= made.length, { timeoutMs: 150_000, intervalMs: 2000 });
		await waitFor('the QuicklySign polls to emit the three changes', async () => (await itemsOf(qsWorkflowId)).length >= qsMade, { timeoutMs: 150_000, intervalMs: 2000 });
		const reads = () => sim.state.calls.filter((c) => c.path.endsWith('/event')).length;
		const readsThen = reads();
		await waitFor('one more scheduled poll', async () => reads() > readsThen, { timeoutMs: 75_000, intervalMs: 1000 });
		await new Promise((resolve) => setTimeout(resolve, 3000));
		const emitted = await items();
		const codes = emitted.map((e) => e.document?.id).sort();
		check(JSON.stringify(codes) === JSON.stringify(['polled-0', 'polled-1', 'polled-2']), `expected each polled event once, got ${JSON.stringify(codes)}`);
		check(emitted.every((e) => e.data?.source === 'poll' && e.vendor === 'legito'), `polled items are not the normalized event with data.source "poll": ${JSON.stringify(emitted[0]).slice(0, 300)}`);
		check(sim.state.connections.size === 0, 'the polling trigger registered a push connection');
		const qsEmitted = (await itemsOf(qsWorkflowId)).map((e) => `${e.vendorEventType} ${e.document?.id} ${e.data?.source}`);
		const qsExpected = ['audit_trail_updated pack-1 poll', 'document_status_changed pack-1 poll', 'audit_trail_updated pack-2 poll'];
		check(JSON.stringify(qsEmitted) === JSON.stringify(qsExpected), `QuicklySign polled ${JSON.stringify(qsEmitted)}, expected ${JSON.stringify(qsExpected)}`);
		check(qs.state.webhooks.size === 0, 'the QuicklySign polling trigger registered a webhook');
		await n8n.deactivate(qsWorkflowId);

		// Unpublished: n8n stops polling; events made now are read when it is published again.
		await n8n.deactivate(workflowId);
		const runsBefore = (await n8n.executions(workflowId)).length;
		const whileOff = ['SignStarted', 'SignCompleted'].map((type, i) => sim.happen(type, { code: `off-${i}` }));
		await new Promise((resolve) => setTimeout(resolve, 2500)); // their second has settled
		await n8n.activate(workflowId);
		await waitFor('the events made while unpublished', async () => (await items()).length >= made.length + whileOff.length, { timeoutMs: 150_000, intervalMs: 2000 });
		const readsAfter = reads();
		await waitFor('one more scheduled poll', async () => reads() > readsAfter, { timeoutMs: 75_000, intervalMs: 1000 });
		await new Promise((resolve) => setTimeout(resolve, 3000));
		const all = (await items()).map((e) => e.document?.id).sort();
		check(JSON.stringify(all) === JSON.stringify(['off-0', 'off-1', 'polled-0', 'polled-1', 'polled-2']), `expected each event once over both publications, got ${JSON.stringify(all)}`);
		await n8n.deactivate(workflowId);
		const runs = (await n8n.executions(workflowId)).length;
		return `Polling Triggers published with Poll Times every minute: Legito 3 events made, ${emitted.length} emitted, each once, the event made before publishing not emitted (Start From now); unpublished, ${whileOff.length} made while off, ${all.length - emitted.length} emitted after publishing again (${runs - runsBefore} execution(s)), each once; QuicklySign 3 changes of 2 watched packs made, ${qsEmitted.length} emitted, each once (${((Date.now() - t0) / 1000).toFixed(0)} s)`;
	} finally {
		await n8n.stop().catch(() => undefined);
		await sim.close().catch(() => undefined);
		await qs.close().catch(() => undefined);
	}
}
