/*
 * n8n 2.x in queue mode (issue 13): PostgreSQL and Redis, one main process (editor, API,
 * activation; no production webhooks), two `n8n webhook` processes behind a round-robin balancer,
 * one `n8n worker`, each on its own port. For every trigger: activation on main registers once at
 * the vendor simulator; deliveries to each webhook process become one execution each, run by the
 * worker; tampered deliveries to either get 401 and no execution; a Plexus retry sent to the
 * other webhook process posts no second Slack message (Send Each Event Once, n8n's database-backed
 * de-duplication); restarting main adds no registration; deactivation removes every one.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Packed } from '../lib/pack';
import { executionError, nodeOutput, nodeType, type N8nEngineSpec } from '../lib/n8n';
import { createQueueCluster, REDIS_DB } from '../lib/n8n-queue';
import type { SlackSim, VendorSim } from '../lib/simulators';
import { check, E2EError, log, stays, waitFor } from '../lib/util';
import { checkAck, checkItem, registrationsFor } from '../lib/expect';
import type { N8nDestination } from '../destinations';
import { rowKey, type VendorRow } from '../vendors';
import type { N8nTrigger } from './n8n';

interface Case {
	row: VendorRow;
	trig: N8nTrigger;
	sim?: VendorSim;
	workflowId: string;
	url: string;
	executions: number;
}

export async function runN8nQueue(spec: N8nEngineSpec, work: string, packed: Packed[], rows: [VendorRow, N8nTrigger][], slack: N8nDestination): Promise<string> {
	const closers: { close(): Promise<void> }[] = [];
	const label = `${spec.label} queue`;
	const L = (m: string) => log(label, m);
	const cluster = await createQueueCluster(spec, path.join(work, 'queue'));
	const { lb, main, worker } = cluster;
	let slackSim: SlackSim | undefined;
	try {
		await cluster.start(packed.map((p) => p.tarball));

		slackSim = await slack.start();
		closers.push(slackSim);
		const slackCred = { id: await main.createCredential('e2e Slack', slack.credentialType, slack.credentialData(slackSim)), name: 'e2e Slack' };
		let slackMessages = 0;
		const slackCount = async () => (await slackSim!.messages()).length;

		const cases: Case[] = [];
		for (const [row, trig] of rows) {
			const sim = row.simulator ? await row.simulator() : undefined;
			if (sim) closers.push(sim);
			const credName = `e2e ${rowKey(row)}`;
			const credId = await main.createCredential(credName, row.n8n.credentialType, row.n8n.credentialData(sim));
			const webhookId = randomUUID();
			const nodes = [
				{ id: randomUUID(), name: 'Trigger', type: nodeType(trig.name), typeVersion: row.n8n.typeVersion ?? trig.version, position: [0, 0], parameters: row.n8n.parameters?.(sim) ?? {}, credentials: { [row.n8n.credentialType]: { id: credId, name: credName } }, webhookId },
				{ id: randomUUID(), name: 'Slack', type: nodeType(slack.node), typeVersion: slack.typeVersion, position: [300, 0], parameters: slack.parameters(slackSim), credentials: { [slack.credentialType]: slackCred } },
			];
			const workflowId = await main.createWorkflow({ name: `e2e queue ${rowKey(row)}`, nodes, connections: { Trigger: { main: [[{ node: 'Slack', type: 'main', index: 0 }]] } } });
			cases.push({ row, trig, sim, workflowId, url: `${lb.url}/webhook/${webhookId}/${trig.webhookPath}`, executions: 0 });
		}

		const regs = async (c: Case) => (c.sim ? (await c.sim.registrations()).length : 0);
		const expectRegistrations = async (c: Case, n: number, what: string) => {
			if (c.row.registration !== 'api' || !c.sim) return;
			const sim = c.sim;
			await waitFor(`${n} registration(s) for ${c.row.id} ${what}`, async () => (await registrationsFor(sim, c.url)).length === n, { timeoutMs: 30_000 });
			await stays(`${n} ${c.row.id} registration(s) ${what}`, async () => (await regs(c)) === n, 1500);
		};
		const deliver = (c: Case, to: 0 | 1, eventIndex: 0 | 1, tamper = false) => {
			lb.pin(to);
			return c.row.deliver({ url: c.url, sim: c.sim }, c.row.events[eventIndex], { tamper });
		};
		const expectExecution = async (c: Case, eventIndex: 0 | 1, what: string) => {
			c.executions += 1;
			const list = await waitFor(
				`${c.row.id}: execution #${c.executions} (${what})`,
				async () => {
					const l = await main.executions(c.workflowId);
					return l.length >= c.executions && l.every((e: any) => e.finished || e.stoppedAt) ? l : undefined;
				},
				{ timeoutMs: 60_000, intervalMs: 500 },
			);
			check(list.length === c.executions, `${c.row.id} ${what}: ${list.length} executions, expected ${c.executions}`);
			const latest = list.reduce((a: any, b: any) => (Number(a.id) > Number(b.id) ? a : b));
			const err = executionError(latest);
			check(!err && latest.status !== 'error', `${c.row.id} ${what}: execution ${latest.id} failed: ${err ?? latest.status}`);
			const items = nodeOutput(latest, 'Trigger');
			check(items.length === 1, `${c.row.id} ${what}: trigger emitted ${items.length} items`);
			checkItem(items[0], c.row, eventIndex);
			return nodeOutput(latest, 'Slack')[0];
		};
		const expectSlack = async (n: number, what: string) => {
			await waitFor(`${n} Slack message(s) (${what})`, async () => (await slackCount()) >= n, { timeoutMs: 20_000 });
			await stays(`exactly ${n} Slack message(s) after ${what}`, async () => (await slackCount()) === n, 1000);
		};

		let retries = 0;
		for (const c of cases) {
			L(`${c.row.id}: activate on main`);
			await main.activate(c.workflowId);
			await expectRegistrations(c, 1, 'after activation');
			// each webhook process finds the new webhook in the database: retry while it answers 404
			for (const [to, eventIndex] of [[0, 0], [1, 1]] as const) {
				const ok = await waitFor(`${c.row.id} live on webhook process ${'AB'[to]}`, async () => {
					const r = await deliver(c, to, eventIndex);
					return r.status === 404 ? undefined : r;
				}, { timeoutMs: 30_000, intervalMs: 500 });
				checkAck(`${c.row.id}: delivery to webhook process ${'AB'[to]}`, ok);
				await expectExecution(c, eventIndex, `delivery to ${'AB'[to]}`);
				slackMessages += 1;
				await expectSlack(slackMessages, `${c.row.id} delivery to ${'AB'[to]}`);
			}
			for (const to of [0, 1] as const) {
				const bad = await deliver(c, to, 0, true);
				check(bad.status === 401 || (bad.status === 403 && c.row.registration === 'api'), `${c.row.id}: tampered delivery to ${'AB'[to]} → ${bad.status} ${bad.text.slice(0, 200)}`);
			}
			await stays(`no execution from tampered ${c.row.id} deliveries`, async () => (await main.executions(c.workflowId)).length === c.executions, 1500);
			if (c.row.id === 'plexus') {
				// Plexus retries event 0 (first served by A) at B: B's trigger has not seen it
				const retry = await deliver(c, 1, 0);
				checkAck('plexus retry to B', retry);
				retries += 1;
				await stays('no Slack message from the Plexus retry', async () => (await slackCount()) === slackMessages, 2500);
				if ((await main.executions(c.workflowId)).length > c.executions) {
					const out = await expectExecution(c, 0, 'retry to B');
					check(out?.slack?.outcome === 'alreadySent', `plexus retry: Slack output ${JSON.stringify(out?.slack)}`);
				}
			}
		}

		L('restart main with the workflows active');
		const before = await Promise.all(cases.map(regs));
		await main.stop();
		await main.start();
		await main.login();
		await stays('no new registration after restarting main', async () => (await Promise.all(cases.map(regs))).every((n, i) => n === before[i]), 5000);
		for (const c of cases) {
			await main.deactivate(c.workflowId);
			await expectRegistrations(c, 0, 'after deactivation');
		}
		const left = (await Promise.all(cases.map(regs))).reduce((a, b) => a + b, 0);
		check(left === 0, `${left} registrations left after deactivation`);

		const executions = cases.reduce((a, c) => a + c.executions, 0);
		const workerRuns = (fs.readFileSync(worker.logFile, 'utf8').match(/Worker started execution/g) ?? []).length;
		check(workerRuns === executions, `the worker logged ${workerRuns} executions, the API lists ${executions}`);
		const registered = cases.filter((c) => c.row.registration === 'api').length;
		return `main + 2 webhook + 1 worker (PostgreSQL, Redis db ${REDIS_DB}); ${cases.length} triggers, ${registered} registrations (1 each, none after restarting main, 0 after deactivation); deliveries A ${lb.served[0]} / B ${lb.served[1]}; ${executions} executions all on the worker; ${slackMessages} Slack messages for ${slackMessages} events + ${retries} Plexus retry to the other process; tampered → 401, no execution`;
	} catch (err) {
		const msg = err instanceof E2EError ? err.message : ((err as Error).stack ?? String(err));
		const tails = cluster.logFiles().map((f) => `----- ${path.basename(f)} -----\n${fs.existsSync(f) ? fs.readFileSync(f, 'utf8').split('\n').slice(-25).join('\n') : ''}`);
		throw new E2EError(`${msg}\n${tails.join('\n')}\n-----`);
	} finally {
		await cluster.stop();
		for (const s of closers) await s.close().catch(() => undefined);
	}
}
