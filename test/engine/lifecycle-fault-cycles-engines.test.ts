import express from 'express';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INodeType } from 'n8n-workflow';
import { LegalesignTrigger } from '../../n8n/legalesign/nodes/LegalesignTrigger/LegalesignTrigger.node';
import { LegitoTrigger } from '../../n8n/legito/nodes/LegitoTrigger/LegitoTrigger.node';
import { QuicklySignTrigger } from '../../n8n/quicklysign/nodes/QuicklySignTrigger/QuicklySignTrigger.node';
import { N8nTriggerHarness } from '../n8n/trigger-harness';
import { helper } from '../node-red/helper';
import { audit, injectFault, LIFECYCLE_VENDORS, seeded, type LifecycleVendor, type Tally } from '../lifecycle/vendor-cases';
import { listen, type RunningServer } from '../../sandbox/simulators/server';

/**
 * Seeded fault cycles (issue 9): deploy / redeploy / settings change / account change (switching
 * the account and editing it in place) / restart / remove / disable in a real Node-RED runtime, and
 * activate / save / credential switch / restart / test runs / deactivate under the corrected n8n
 * harness, with 500s, 404s, dropped connections and "did the work, then failed" on create, list
 * and delete. After each step the faults stop, the engine's own retries run, and the vendor must
 * hold exactly one registration per active trigger, at its account, accepted by it; none for
 * removed ones or at a previous account; foreign ones untouched; the node's status true.
 *
 * LEGALHOOKS_LIFECYCLE_CYCLES (default 100) and LEGALHOOKS_LIFECYCLE_SEED change the run.
 */
const CYCLES = Number(process.env.LEGALHOOKS_LIFECYCLE_CYCLES ?? 100);
const SEED = Number(process.env.LEGALHOOKS_LIFECYCLE_SEED ?? 20261201);
const TIMEOUT = Math.max(120_000, CYCLES * 3_000);

const NODE_RED_MODULES: Record<LifecycleVendor['name'], string> = {
	legito: '../../node-red/src/legalhooks-legito',
	legalesign: '../../node-red/src/legalhooks-legalesign',
	quicklysign: '../../node-red/src/legalhooks-quicklysign',
};

/** A fresh copy of the node module: what a restarted process loads (module memory gone). */
function freshModule(name: LifecycleVendor['name']): (RED: any) => void {
	let loaded: any;
	jest.isolateModules(() => {
		loaded = require(NODE_RED_MODULES[name]);
	});
	return loaded.default ?? loaded;
}

function report(engine: string, vendor: string, tally: Tally): void {
	// The figure the issue asks for, one line per engine and vendor.
	process.stdout.write(`lifecycle: ${tally.cycles} cycles, ${tally.orphans} orphans, ${tally.duplicates} duplicates, ${tally.missing} missing (${engine}, ${vendor}, seed ${SEED})\n`);
}

interface Slot {
	id: string;
	path: string;
	state: 'absent' | 'deployed' | 'disabled';
	account: 'acct1' | 'acct2';
	settings: number;
}

describe.each(['legito', 'legalesign', 'quicklysign'] as const)('Node-RED %s: seeded fault cycles', (name) => {
	let vendor: LifecycleVendor;
	let front: RunningServer;
	let red: any;
	let userDir: string;

	beforeAll(async () => {
		vendor = await LIFECYCLE_VENDORS[name]();
		const app = express();
		app.use((req, res, next) => (red ? red.httpNode(req, res, next) : next()));
		front = await listen(app);
		userDir = mkdtempSync(join(tmpdir(), 'legalhooks-cycles-'));
		helper.settings({ userDir, credentialSecret: 'cycle-test-secret' });
	});
	afterAll(async () => {
		await helper.unload();
		helper.settings({ userDir: undefined, credentialSecret: undefined });
		await front.close();
		await vendor.close();
		rmSync(userDir, { recursive: true, force: true });
	});

	it(`${CYCLES} cycles leave no orphan, duplicate or missing registration`, async () => {
		const random = seeded(SEED + name.length);
		const slots: Slot[] = [1, 2].map((n) => ({ id: `${name}-t${n}`, path: `p${n}`, state: 'absent', account: 'acct1', settings: 0 }));
		const accountOf = { acct1: 0 as 0 | 1, acct2: 1 as 0 | 1 };
		let module = freshModule(name);
		const capture = (RED: any) => {
			red = RED;
			return module(RED);
		};
		// The editor sends the credentials of an edited config node inline, which marks it changed.
		let edited: 'acct1' | 'acct2' | undefined;
		const account = (id: 'acct1' | 'acct2', label: string) => ({
			id,
			type: vendor.accountType,
			name: label,
			baseUrl: front.url,
			...(edited === id ? { credentials: { ...vendor.accounts[accountOf[id]] } } : {}),
		});
		const flows = () => [
			account('acct1', 'one'),
			account('acct2', 'two'),
			...slots
				.filter((s) => s.state !== 'absent')
				.map((s) => ({ id: s.id, type: vendor.nodeRedType, account: s.account, path: s.path, wires: [[]], ...(s.state === 'disabled' ? { d: true } : {}), ...vendor.settings[s.settings] })),
		];
		// Copies: Node-RED updates a config node's credentials object in place.
		const credentials = () => ({ acct1: { ...vendor.accounts[accountOf.acct1] }, acct2: { ...vendor.accounts[accountOf.acct2] } });
		const retry = async () => {
			const res = await helper.request().post(`/legalhooks/${name}/registrations/retry`).send({});
			expect(res.status).toBe(200);
		};

		await helper.load(capture as any, flows(), credentials());
		const tally: Tally = { cycles: 0, orphans: 0, duplicates: 0, missing: 0, problems: [] };
		for (let cycle = 0; cycle < CYCLES; cycle++) {
			const slot = slots[Math.floor(random() * slots.length)];
			const roll = random();
			let action: string;
			if (slot.state !== 'deployed') {
				slot.state = 'deployed';
				action = `deploy ${slot.id}`;
			} else if (roll < 0.15) {
				slot.state = random() < 0.5 ? 'absent' : 'disabled';
				action = `${slot.state === 'absent' ? 'remove' : 'disable'} ${slot.id}`;
			} else if (roll < 0.35) {
				slot.settings = (slot.settings + 1) % vendor.settings.length;
				action = `settings ${slot.id}`;
			} else if (roll < 0.5) {
				slot.account = slot.account === 'acct1' ? 'acct2' : 'acct1';
				action = `switch account ${slot.id}`;
			} else if (roll < 0.65) {
				const which = random() < 0.5 ? 'acct1' : 'acct2';
				accountOf[which] = accountOf[which] === 0 ? 1 : 0;
				edited = which;
				action = `edit ${which} in place`;
			} else if (roll < 0.8) {
				action = 'restart';
			} else {
				action = 'full redeploy';
			}
			const faults = random() < 0.8 ? [injectFault(vendor, random), ...(random() < 0.3 ? [injectFault(vendor, random)] : [])] : [];
			if (action === 'restart') {
				await helper.unload();
				module = freshModule(name);
				await helper.load(capture as any, flows(), credentials());
			} else {
				await helper.setFlows(flows(), action === 'full redeploy' ? 'full' : 'nodes', credentials());
			}
			edited = undefined;
			vendor.faults.clear();
			await retry();
			await retry(); // a removal whose retry was queued behind a failing one
			const step = `cycle ${cycle} (${action}; faults: ${faults.join(', ') || 'none'})`;
			const expected = new Map<string, { account: 0 | 1; parts: string[] }>();
			for (const s of slots.filter((x) => x.state === 'deployed')) {
				expected.set(`${front.url}/legalhooks/${name}/${s.path}`, { account: accountOf[s.account], parts: vendor.parts(vendor.settings[s.settings]) });
			}
			await audit(vendor, expected, `${front.url}/legalhooks/`, tally, step);
			for (const s of slots.filter((x) => x.state === 'deployed')) {
				const node = helper.getNode(s.id) as any;
				const calls = node?.status?.getCalls?.().filter((call: any) => call.thisValue === node) ?? [];
				const last = calls[calls.length - 1]?.args[0];
				if (last?.fill !== 'green') tally.problems.push(`${step}: ${s.id} shows ${JSON.stringify(last)}`);
			}
			tally.cycles += 1;
		}
		report('Node-RED', name, tally);
		const pending = await helper.request().get(`/legalhooks/${name}/registrations`);
		expect(pending.body.registrations.flatMap((r: any) => r.pending)).toEqual([]);
		expect(tally.problems.slice(0, 10)).toEqual([]);
		expect([tally.orphans, tally.duplicates, tally.missing]).toEqual([0, 0, 0]);
	}, TIMEOUT);
});

const N8N_NODES: Record<LifecycleVendor['name'], () => INodeType> = {
	legito: () => new LegitoTrigger(),
	legalesign: () => new LegalesignTrigger(),
	quicklysign: () => new QuicklySignTrigger(),
};

describe.each(['legito', 'legalesign', 'quicklysign'] as const)('n8n %s: seeded fault cycles under n8n’s rules', (name) => {
	let vendor: LifecycleVendor;
	beforeAll(async () => {
		vendor = await LIFECYCLE_VENDORS[name]();
	});
	afterAll(async () => {
		await vendor.close();
	});

	it(`${CYCLES} cycles leave no orphan, duplicate or missing registration`, async () => {
		const random = seeded(SEED + 7 * name.length);
		const params = (settings: number) => {
			const s = vendor.settings[settings];
			// n8n parameters: lists where the Node-RED node takes comma-separated text.
			if (name === 'legito') return { legitoEvents: String(s.legitoEvents).split(',') };
			if (name === 'legalesign') return { notify: s.notify, eventFilter: s.eventFilter ?? '' };
			return { ...s };
		};
		const workflows = await Promise.all(
			[0, 1].map(async (n) => ({
				settings: 0,
				account: 0 as 0 | 1,
				harness: await new N8nTriggerHarness(N8N_NODES[name](), {
					credentials: { [vendor.n8nCredential]: vendor.accounts[0] as never },
					credentialIds: { [vendor.n8nCredential]: 'cred-0' },
					parameters: params(0),
					workflowId: `wf-${name}-${n}`,
				}).start(),
			})),
		);
		const tally: Tally = { cycles: 0, orphans: 0, duplicates: 0, missing: 0, problems: [] };
		try {
			for (let cycle = 0; cycle < CYCLES; cycle++) {
				const workflow = workflows[Math.floor(random() * workflows.length)];
				const { harness } = workflow;
				const roll = random();
				const faults = random() < 0.8 ? [injectFault(vendor, random)] : [];
				let action: string;
				const attempt = async (run: () => Promise<unknown>) => {
					try {
						await run();
					} catch {
						// n8n shows the activation error; the workflow is left inactive (or queued at start-up)
					}
				};
				if (!harness.active) {
					action = 'activate';
					await attempt(() => harness.activate());
				} else if (roll < 0.15) {
					action = 'deactivate';
					await attempt(() => harness.deactivate());
				} else if (roll < 0.35) {
					workflow.settings = (workflow.settings + 1) % vendor.settings.length;
					action = 'save with a changed setting';
					await attempt(() => harness.save({ parameters: params(workflow.settings) }));
				} else if (roll < 0.55) {
					workflow.account = workflow.account === 0 ? 1 : 0;
					action = `save with the credential of account ${workflow.account}`;
					await attempt(() =>
						harness.save({ credentials: { [vendor.n8nCredential]: vendor.accounts[workflow.account] as never }, credentialIds: { [vendor.n8nCredential]: `cred-${workflow.account}` } }),
					);
				} else if (roll < 0.75) {
					action = 'restart';
					await attempt(() => harness.restart());
				} else {
					action = 'test run';
					await attempt(async () => {
						await harness.listenForTest();
						await harness.stopListening();
					});
				}
				vendor.faults.clear();
				for (const w of workflows) await attempt(() => w.harness.retryQueuedActivation());
				const step = `cycle ${cycle} (${action}; faults: ${faults.join(', ') || 'none'})`;
				const expected = new Map<string, { account: 0 | 1; parts: string[] }>();
				for (const w of workflows.filter((x) => x.harness.active)) expected.set(w.harness.url('production'), { account: w.account, parts: vendor.parts(vendor.settings[w.settings]) });
				await audit(vendor, expected, 'http://127.0.0.1:', tally, step);
				tally.cycles += 1;
			}
		} finally {
			for (const w of workflows) await w.harness.stop();
		}
		report('n8n', name, tally);
		expect(tally.problems.slice(0, 10)).toEqual([]);
		expect([tally.orphans, tally.duplicates, tally.missing]).toEqual([0, 0, 0]);
	}, TIMEOUT);
});
