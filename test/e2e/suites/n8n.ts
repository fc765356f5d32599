/* The n8n suite: our n8n packages' tarballs in a real n8n, every trigger through its lifecycle. */
import { randomUUID } from 'node:crypto';
import type { Packed } from '../lib/pack';
import { N8n, executionError, nodeOutput, nodeType, type N8nEngineSpec } from '../lib/n8n';
import { runPrintedCommand } from '../lib/cli';
import { checkN8nEditor } from '../lib/n8n-editor';
import { installAndStart } from '../lib/n8n-installer';
import type { SlackSim, VendorSim } from '../lib/simulators';
import { check, E2EError, jsonRequest, log, stays, waitFor } from '../lib/util';
import { checkAck, checkItem, checkN8nFile, checkNoSecretsLogged, registrationsFor, usePublishedSchema } from '../lib/expect';
import * as fs from 'node:fs';
import type { N8nDestination } from '../destinations';
import { rowKey, yieldsFile, type DocumentServer, type VendorRow } from '../vendors';

const sameWebhook = (a: string, b: string) => {
	const x = new URL(a);
	const y = new URL(b);
	return x.origin === y.origin && x.pathname === y.pathname;
};

/** The trigger's output items as n8n stored them (json and binary), main output 0 of its first run. */
function triggerItems(execution: any): { json: any; binary?: Record<string, any> }[] {
	let data = execution?.data;
	if (typeof data === 'string') data = JSON.parse(data);
	return data?.resultData?.runData?.Trigger?.[0]?.data?.main?.[0] ?? [];
}

export interface N8nTrigger {
	name: string;
	displayName: string;
	webhookPath: string;
	version: number;
	file: string;
}

interface Case {
	row: VendorRow;
	trig: N8nTrigger;
	sim?: VendorSim;
	/** rows with `download`: the documents the deliveries link to, Download Documents on */
	documents?: DocumentServer;
	workflowId: string;
	url: string;
	executions: number;
	checks: number;
}

export async function runN8n(
	spec: N8nEngineSpec,
	work: string,
	packed: Packed[],
	rows: [VendorRow, N8nTrigger][],
	slack: N8nDestination | undefined,
	cliBin?: string,
): Promise<string> {
	const n8n = new N8n(spec, work);
	const sims: { close(): Promise<void> }[] = [];
	const L = (m: string) => log(spec.label, m);
	let slackSim: SlackSim | undefined;
	let slackMessages = 0;
	let cliRuns = 0;
	const files: { checked: number; modes: Set<string> } = { checked: 0, modes: new Set() };
	usePublishedSchema(packed[0]);
	try {
		// --- install like a user (n8n started, owner set up) and prove host resolution of the peer modules ---
		const t0 = Date.now();
		const how = await installAndStart(n8n, packed.map((p) => p.tarball));
		L(`installed our ${packed.length} n8n tarballs (${how}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
		if (spec.installMode === 'installer') process.stdout.write(`${how} (${spec.label})\n`);
		const res = n8n.checkHostResolution();
		const resText = JSON.stringify(res);
		check(!res['n8n-workflow'].startsWith('UNRESOLVED'), `n8n-workflow does not resolve from our package: ${resText}`);
		check(!res['zod/v4'].startsWith('UNRESOLVED') && res['zod/v4 works'] === 'true', `zod/v4 does not resolve/work from our package: ${resText}`);
		check(res['nodes load'] === 'true', `our nodes and credentials do not load in the host: ${resText}`);
		L(`host resolution: n8n-workflow ${res['n8n-workflow version']}, zod ${res['zod version']} (zod/v4 ok)`);

		// --- every node and credential of the packages is loaded under its real name ---
		const loaded = await n8n.loadedTypes();
		const nodeCount = packed.reduce((sum, p) => sum + (p.pkg.n8n.nodes as string[]).length, 0);
		check(loaded.length >= nodeCount, `n8n loaded ${loaded.length} of our ${nodeCount} nodes: ${loaded.join(', ')}`);
		for (const [, t] of rows) check(loaded.includes(nodeType(t.name)), `${nodeType(t.name)} not loaded; loaded: ${loaded.join(', ')}`);
		const credTypes = await n8n.loadedCredentialTypes();
		for (const [r] of rows) check(credTypes.includes(r.n8n.credentialType), `credential type ${r.n8n.credentialType} not loaded`);

		// --- the editor in chromium (when installed): nodes panel, trigger panels, credential forms ---
		const commands: Record<string, string> = {};
		const editor = await checkN8nEditor(n8n, commands);
		L(editor);

		// --- destination ---
		let slackCred: { id: string; name: string } | undefined;
		if (slack) {
			slackSim = await slack.start();
			sims.push(slackSim);
			slackCred = { id: await n8n.createCredential('e2e Slack', slack.credentialType, slack.credentialData(slackSim)), name: 'e2e Slack' };
		}
		const slackCount = async () => (slackSim ? (await slackSim.messages()).length : 0);
		const expectSlack = async (what: string) => {
			if (!slackSim) return;
			slackMessages += 1;
			await waitFor(`Slack simulator message #${slackMessages} (${what})`, async () => (await slackCount()) >= slackMessages, { timeoutMs: 20_000 });
			await stays(`exactly ${slackMessages} Slack message(s) after ${what}`, async () => (await slackCount()) === slackMessages, 1000);
		};

		// --- create one workflow per trigger ---
		const cases: Case[] = [];
		for (const [row, trig] of rows) {
			const sim = row.simulator ? await row.simulator() : undefined;
			if (sim) sims.push(sim);
			const documents = row.download ? await row.download.documents(sim) : undefined;
			if (documents) sims.push(documents);
			const parameters: Record<string, any> = row.n8n.parameters?.(sim) ?? {};
			if (documents) parameters.options = { ...parameters.options, downloadDocuments: true };
			const credName = `e2e ${rowKey(row)}`;
			const credId = await n8n.createCredential(credName, row.n8n.credentialType, row.n8n.credentialData(sim));
			const webhookId = randomUUID();
			const nodes: any[] = [
				{
					id: randomUUID(),
					name: 'Trigger',
					type: nodeType(trig.name),
					typeVersion: row.n8n.typeVersion ?? trig.version,
					position: [0, 0],
					parameters,
					credentials: { [row.n8n.credentialType]: { id: credId, name: credName } },
					webhookId,
				},
			];
			let connections: any = {};
			if (slack && slackSim && slackCred) {
				nodes.push({
					id: randomUUID(),
					name: 'Slack',
					type: nodeType(slack.node),
					typeVersion: slack.typeVersion,
					position: [300, 0],
					parameters: slack.parameters(slackSim),
					credentials: { [slack.credentialType]: slackCred },
				});
				connections = { Trigger: { main: [[{ node: 'Slack', type: 'main', index: 0 }]] } };
			}
			const workflowId = await n8n.createWorkflow({ name: `e2e ${rowKey(row)}`, nodes, connections });
			cases.push({ row, trig, sim, documents, workflowId, url: `${n8n.base}/webhook/${webhookId}/${trig.webhookPath}`, executions: 0, checks: 0 });
		}

		const countExecutions = async (c: Case) => (await n8n.executions(c.workflowId)).length;
		const expectExecution = async (c: Case, eventIndex: 0 | 1) => {
			c.executions += 1;
			const list = await waitFor(
				`execution #${c.executions} of the ${c.row.id} workflow`,
				async () => {
					const l = await n8n.executions(c.workflowId);
					return l.length >= c.executions && l.every((e: any) => e.finished || e.status === 'success' || e.status === 'error' || e.stoppedAt) ? l : undefined;
				},
				{ timeoutMs: 30_000, intervalMs: 400 },
			);
			check(list.length === c.executions, `${c.row.id}: ${list.length} executions, expected ${c.executions}`);
			const latest = list.reduce((a: any, b: any) => (Number(a.id) > Number(b.id) ? a : b));
			const err = executionError(latest);
			check(!err && latest.status !== 'error', `${c.row.id}: execution ${latest.id} failed: ${err ?? latest.status}`);
			const items = nodeOutput(latest, 'Trigger');
			check(items.length === 1, `${c.row.id}: trigger emitted ${items.length} items, expected 1`);
			checkItem(items[0], c.row, eventIndex);
			if (c.documents && yieldsFile(c.row, eventIndex)) {
				const want = c.documents.expected();
				check(want && c.documents.fetches() > 0, `${c.row.id}: the trigger never fetched the document from the simulator`);
				files.modes.add(await checkN8nFile(n8n, c.row, triggerItems(latest)[0], want));
				files.checked += 1;
			}
			if (slack) {
				const out = nodeOutput(latest, 'Slack');
				check(out.length === 1, `${c.row.id}: Slack node output ${out.length} items`);
			}
			c.checks += 1;
		};
		// one more execution, from the sample a notice's command sent through the packed CLI
		const expectCliExecution = async (c: Case, printed: string, out: string) => {
			c.executions += 1;
			const list = await waitFor(
				`execution #${c.executions} of the ${c.row.id} workflow, from "${printed}"`,
				async () => {
					const l = await n8n.executions(c.workflowId);
					return l.length >= c.executions && l.every((e: any) => e.finished || e.status === 'success' || e.status === 'error' || e.stoppedAt) ? l : undefined;
				},
				{ timeoutMs: 30_000, intervalMs: 400 },
			);
			check(list.length === c.executions, `${c.row.id}: ${list.length} executions after the CLI sample, expected ${c.executions} (CLI: ${out.trim().split('\n').pop()})`);
			const latest = list.reduce((a: any, b: any) => (Number(a.id) > Number(b.id) ? a : b));
			const err = executionError(latest);
			check(!err && latest.status !== 'error', `${c.row.id}: the CLI sample's execution ${latest.id} failed: ${err ?? latest.status}`);
			const items = nodeOutput(latest, 'Trigger');
			check(items.length === 1 && items[0]?.vendor === c.row.id, `${c.row.id}: the CLI sample gave ${items.length} item(s) of vendor ${items[0]?.vendor}`);
			c.checks += 1;
		};
		const deliver = async (c: Case, eventIndex: 0 | 1, tamper: boolean) =>
			c.row.deliver({ url: c.url, sim: c.sim, documents: c.documents }, c.row.events[eventIndex], { tamper });
		const deliverWhenLive = (c: Case, eventIndex: 0 | 1, what: string) =>
			waitFor(
				`${c.row.id} webhook live ${what}`,
				async () => {
					const x = await deliver(c, eventIndex, false);
					return x.status === 404 ? undefined : x;
				},
				{ timeoutMs: 30_000, intervalMs: 500 },
			);
		const expectRegistrations = async (c: Case, n: number, what: string) => {
			if (c.row.registration !== 'api' || !c.sim) return;
			const sim = c.sim;
			await waitFor(`${n} registration(s) for ${c.row.id} ${what}`, async () => (await registrationsFor(sim, c.url)).length === n, { timeoutMs: 30_000 });
			const all = await sim.registrations();
			check(all.length === n, `${c.row.id} ${what}: simulator holds ${all.length} registrations (${all.map((r) => r.url).join(', ')}), expected ${n} pointing at ${c.url}`);
			c.checks += 1;
		};

		// --- phase A: activate → registration → delivery → tampered → deactivate ---
		for (const c of cases) {
			L(`${c.row.id}: activate`);
			await n8n.activate(c.workflowId);
			await expectRegistrations(c, 1, 'after activation');
			if (c.row.registration === 'api') await stays(`one ${c.row.id} registration`, async () => (await c.sim!.registrations()).length === 1, 1000);

			// n8n 2.x finishes activation asynchronously: retry while n8n answers 404 (our node never saw those)
			const ok = await deliverWhenLive(c, 0, 'after activation');
			checkAck(`${c.row.id}: signed delivery`, ok);
			await expectExecution(c, 0);
			await expectSlack(`${c.row.id} delivery`);

			const bad = await deliver(c, 0, true);
			check(bad.status === 401 || (bad.status === 403 && c.row.registration === 'api'), `${c.row.id}: tampered delivery → ${bad.status} ${bad.text.slice(0, 200)}, expected 401`);
			// the refusal may name what was checked ("the secret"), never a configured secret's value
			const configured = [...Object.values(c.row.n8n.credentialData(c.sim)), c.row.secrets.secret, c.row.secrets.key].filter((v): v is string => typeof v === 'string' && v.length >= 8 && !/^https?:\/\//.test(v));
			check(!configured.some((v) => bad.text.includes(v)), `${c.row.id}: 401 body holds a configured secret: ${bad.text.slice(0, 300)}`);
			await stays(`no execution from the tampered ${c.row.id} delivery`, async () => (await countExecutions(c)) === c.executions, 1500);
			if (slackSim) check((await slackCount()) === slackMessages, `${c.row.id}: Slack got a message from a tampered delivery`);
			c.checks += 1;

			// the command the trigger's notice prints, run with the packed CLI against this trigger
			const printed = commands[c.trig.name];
			if (printed && cliBin) {
				const out = runPrintedCommand(cliBin, printed, { WEBHOOK_URL: c.url, SECRET: c.row.secrets.secret, KEY: c.row.secrets.key });
				await expectCliExecution(c, printed, out);
				await expectSlack(`${c.row.id} CLI sample`);
				cliRuns += 1;
			}

			await n8n.deactivate(c.workflowId);
			if (c.row.registration === 'api') {
				// 1.x calls delete() inside the deactivate request; 2.x may finish it just after
				await expectRegistrations(c, 0, 'after deactivation');
			} else {
				// n8n 2.x removes the webhook from its router asynchronously: probe with tampered
				// deliveries (401 while live, never an execution) until n8n answers 404
				await waitFor(`${c.row.id} webhook gone after deactivation`, async () => (await deliver(c, 1, true)).status === 404, { timeoutMs: 30_000, intervalMs: 500 });
				const r = await deliver(c, 1, false);
				check(r.status === 404, `${c.row.id}: delivery to a deactivated workflow → ${r.status}, expected 404`);
				await stays(`no execution for the deactivated ${c.row.id} workflow`, async () => (await countExecutions(c)) === c.executions, 800);
			}
			c.checks += 1;
		}

		// --- phase B: reactivate all, restart n8n with them active: no second registration ---
		for (const c of cases) {
			await n8n.activate(c.workflowId);
			await expectRegistrations(c, 1, 'after re-activation');
		}
		L('restart with workflows active');
		await n8n.stop();
		await n8n.start();
		for (const c of cases) {
			// the webhook goes live shortly after the REST API: retry while n8n answers 404
			const r = await deliverWhenLive(c, 1, 'after restart');
			checkAck(`${c.row.id}: delivery after restart`, r);
			await expectExecution(c, 1);
			await expectSlack(`${c.row.id} delivery after restart`);
			await expectRegistrations(c, 1, 'after restart');
			if (c.row.registration === 'api') await stays(`still one ${c.row.id} registration after restart`, async () => (await c.sim!.registrations()).length === 1, 1500);
		}
		// --- phase C (registrations never leak): a credential change on an active workflow moves the
		// registration to the new account; a deactivation whose delete fails still ends with none ---
		for (const c of cases) {
			const sim = c.sim;
			if (c.row.registration !== 'api' || !sim?.secondAccount || !sim.registrationsOf || !sim.failRemovals) continue;
			const at = async (account: 0 | 1) => (await sim.registrationsOf!(account)).filter((r) => sameWebhook(r.url, c.url)).length;
			const credName = `e2e ${c.row.id} (second account)`;
			const credB = await n8n.createCredential(credName, c.row.n8n.credentialType, sim.secondAccount());
			const wf = await n8n.api('GET', `/workflows/${c.workflowId}`);
			const nodes = wf.nodes.map((node: any) => (node.name === 'Trigger' ? { ...node, credentials: { [c.row.n8n.credentialType]: { id: credB, name: credName } } } : node));
			L(`${c.row.id}: switch the active workflow to a credential for another account`);
			await n8n.api('PUT', `/workflows/${c.workflowId}`, { name: wf.name, nodes, connections: wf.connections, settings: { executionOrder: 'v1' } });
			await n8n.activate(c.workflowId); // 2.x publishes the saved version here; 1.x re-added it on PUT
			await waitFor(`${c.row.id}: the registration moved to the second account`, async () => (await at(1)) === 1 && (await at(0)) === 0, { timeoutMs: 30_000 });
			await stays(`${c.row.id}: nothing left at the first account`, async () => (await at(0)) === 0 && (await at(1)) === 1, 1000);
			c.checks += 1;

			L(`${c.row.id}: deactivate while the first delete fails`);
			sim.failRemovals(1);
			await n8n.deactivate(c.workflowId);
			await expectRegistrations(c, 0, 'after a deactivation whose first delete failed');

			L(`${c.row.id}: deactivate while every delete fails, then activate again`);
			await n8n.activate(c.workflowId);
			await expectRegistrations(c, 1, 'after activation');
			sim.failRemovals(3); // the node tries three times
			await n8n.deactivate(c.workflowId);
			await waitFor(`${c.row.id} inactive`, async () => (await n8n.api('GET', `/workflows/${c.workflowId}`)).active === false, { timeoutMs: 30_000 });
			await stays(`${c.row.id}: the registration whose removal failed is still there`, async () => (await at(1)) === 1, 1500);
			sim.clearFaults?.();
			await n8n.activate(c.workflowId);
			await expectRegistrations(c, 1, 'after activating again (the pending removal done, one new registration)');
			await stays(`${c.row.id}: exactly one registration`, async () => (await sim.registrations()).length === 1, 1000);
			c.checks += 1;

			// "Listen for test event" three times (the event arrives; "Stop listening"; again), then
			// Unpublish: no registration may be left for the test URL (the editor's own REST calls).
			const testUrl = c.url.replace('/webhook/', '/webhook-test/');
			const testRegistrations = async () => (await sim.registrations()).filter((r) => sameWebhook(r.url, testUrl)).length;
			const listen = async () => {
				const current = await n8n.api('GET', `/workflows/${c.workflowId}`);
				const workflowData = { id: c.workflowId, name: current.name, nodes: current.nodes, connections: current.connections, settings: current.settings ?? {} };
				const r = await jsonRequest(`${n8n.base}/rest/workflows/${c.workflowId}/run`, 'POST', { workflowData, triggerToStartFrom: { name: 'Trigger' } }, { cookie: n8n.cookie });
				check(r.status === 200, `${c.row.id}: "Listen for test event" → ${r.status} ${r.text.slice(0, 300)}`);
				await waitFor(`${c.row.id}: the test registration`, async () => (await testRegistrations()) === 1, { timeoutMs: 30_000 });
			};
			const stopListening = async () => {
				const r = await jsonRequest(`${n8n.base}/rest/test-webhook/${c.workflowId}`, 'DELETE', undefined, { cookie: n8n.cookie });
				check(r.status === 200, `${c.row.id}: "Stop listening" → ${r.status} ${r.text.slice(0, 300)}`);
			};
			L(`${c.row.id}: three test runs, then Unpublish`);
			// The first run ends with an event where the simulator can send one to the test registration
			// alone (Legito, by connection); Legalesign and QuicklySign send to every subscription.
			let run = 1;
			if (c.row.id === 'legito') {
				await listen();
				const event = await c.row.deliver({ url: testUrl, sim }, c.row.events[0], { tamper: false });
				check(event.status >= 200 && event.status < 300, `${c.row.id}: test event → ${event.status} ${event.text.slice(0, 300)}`);
				await waitFor(`${c.row.id}: the test registration removed after the event`, async () => (await testRegistrations()) === 0, { timeoutMs: 30_000 });
				run = 2;
			}
			for (; run <= 3; run++) {
				await listen();
				await stopListening();
				await waitFor(`${c.row.id}: the test registration removed after "Stop listening" (run ${run})`, async () => (await testRegistrations()) === 0, { timeoutMs: 30_000 });
			}
			check((await at(1)) === 1, `${c.row.id}: the test runs touched the production registration`);
			await n8n.deactivate(c.workflowId);
			await expectRegistrations(c, 0, 'after three test runs and Unpublish');
			await n8n.activate(c.workflowId); // the cleanup below deactivates and deletes it
			await expectRegistrations(c, 1, 'after activating again');
			c.checks += 1;
		}

		// --- cleanup through the API: deactivate + delete leaves nothing at the vendor ---
		for (const c of cases) {
			await n8n.deactivate(c.workflowId);
			await n8n.deleteWorkflow(c.workflowId);
			await expectRegistrations(c, 0, 'after deactivate + delete');
		}
		const secrets = cases.flatMap((c) => [...Object.values(c.row.n8n.credentialData(c.sim)), c.row.secrets.secret, c.row.secrets.key]);
		if (slack && slackSim) secrets.push(...Object.values(slack.credentialData(slackSim)));
		checkNoSecretsLogged(fs.readFileSync(n8n.logFile, 'utf8'), secrets);
		const warn = slack ? '' : ' (trigger-only workflows: Slack node not in the build yet)';
		const checks = cases.reduce((a, c) => a + c.checks, 0);
		return `${spec.installMode} install; ${cases.length} triggers [${cases.map((c) => rowKey(c.row)).join(', ')}], ${checks} checks, ${cases.reduce((a, c) => a + c.executions, 0)} executions, ${slackMessages} Slack messages${warn}; ${files.checked} downloaded files checked (binary data ${[...files.modes].join(', ') || '-'}); every item valid against the published event schema; zod ${res['zod version']} from host; ${cliRuns} notice command(s) run with the packed CLI; ${editor}`;
	} catch (err) {
		const msg = err instanceof E2EError ? err.message : ((err as Error).stack ?? String(err));
		throw new E2EError(`${msg}\n----- ${spec.label} log tail (${n8n.logFile}) -----\n${n8n.logTail()}\n-----`);
	} finally {
		await n8n.stop().catch(() => undefined);
		for (const s of sims) await s.close().catch(() => undefined);
	}
}
