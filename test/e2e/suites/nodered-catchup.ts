/*
 * Node-RED catch-up (issue 23): the packed package in a real Node-RED, a Legito trigger with Catch up on
 * (the watermark in the `localfilesystem` context store), stopped; Legito events made while it is down
 * are emitted once each when it starts again, before anything else, and not again after that.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as legitoSim from '../../../sandbox/simulators/legito';
import type { Packed } from '../lib/pack';
import { NodeRed, type NodeRedEngineSpec } from '../lib/nodered';
import { check, E2EError, log, sleep, stays, waitFor } from '../lib/util';

const id = () => randomBytes(8).toString('hex');

/** What the debug node `name` printed, one entry per message. */
const printed = (nr: NodeRed, name: string) => fs.readFileSync(nr.logFile, 'utf8').split(`[debug:${name}] `).slice(1).map((chunk) => chunk.slice(0, 200));

export async function runNodeRedCatchup(spec: NodeRedEngineSpec, work: string, packed: Packed): Promise<string> {
	const dir = path.join(work, 'catchup');
	fs.mkdirSync(dir, { recursive: true });
	const nr = new NodeRed({ ...spec, label: `${spec.label} catch-up` }, dir);
	const L = (m: string) => log(`${spec.label} catch-up`, m);
	const sim = await legitoSim.start();
	try {
		nr.installPackage(packed.tarball, spec.installMode);
		const settings = path.join(nr.userDir, 'settings.js');
		// The watermark must outlive the process: a file store, written at once.
		fs.writeFileSync(settings, fs.readFileSync(settings, 'utf8').replace('module.exports = {\n', "module.exports = {\n\tcontextStorage: { default: { module: 'localfilesystem', config: { flushInterval: 1 } } },\n"));
		const tab = id();
		const account = id();
		const trigger = id();
		await nr.start();
		await nr.deploy([
			{ id: tab, type: 'tab', label: 'e2e catch-up', disabled: false, info: '' },
			{ id: account, type: 'legalhooks-legito-account', name: 'e2e Legito', baseUrl: 'http://127.0.0.1:9', credentials: { apiKey: sim.apiKey, privateKey: sim.privateKey, region: 'custom', apiBaseUrl: sim.baseUrl } },
			// Catch up at start only here: the sweep while running is an hour away.
			{ id: trigger, type: 'legalhooks-legito-trigger', z: tab, name: '', account, path: 'catchup', legitoEvents: '', catchUp: true, pollSeconds: 3600, legitoSettleSeconds: 1, x: 150, y: 60, wires: [[`${trigger}doc`, `${trigger}src`]] },
			{ id: `${trigger}doc`, type: 'debug', z: tab, name: 'cudoc', active: true, tosidebar: false, console: true, complete: 'payload.document.id', x: 400, y: 40, wires: [] },
			{ id: `${trigger}src`, type: 'debug', z: tab, name: 'cusrc', active: true, tosidebar: false, console: true, complete: 'payload.data.source', x: 400, y: 80, wires: [] },
		]);
		await waitFor('the push connection', async () => sim.state.connections.size === 1, { timeoutMs: 20_000 });
		await sleep(3000); // the catch-up at start has recorded its watermark, flushed to the file store
		await nr.stop();
		L('stopped; making three Legito events');
		const codes = ['down-0', 'down-1', 'down-2'];
		sim.happen('SignStarted', { code: codes[0] });
		sim.happen('SignCompleted', { code: codes[1] });
		sim.happen('DocumentRecordDeleted', { code: codes[2] });
		await sleep(2500); // their second has settled
		await nr.start();
		await waitFor('the three events caught up', async () => printed(nr, 'cudoc').length >= 3, { timeoutMs: 30_000 });
		await stays('no more than three', async () => printed(nr, 'cudoc').length === 3, 3000);
		const docs = printed(nr, 'cudoc');
		for (const code of codes) check(docs.filter((text) => text.includes(code)).length === 1, `${code} emitted ${docs.filter((text) => text.includes(code)).length} time(s): ${JSON.stringify(docs)}`);
		check(printed(nr, 'cusrc').every((text) => text.includes('catch-up')), `not caught up: ${JSON.stringify(printed(nr, 'cusrc'))}`);
		return `Legito trigger with Catch up, Node-RED stopped: 3 events made while down, ${docs.length} emitted at start, each once (data.source catch-up)`;
	} catch (err) {
		const msg = err instanceof E2EError ? err.message : ((err as Error).stack ?? String(err));
		throw new E2EError(`${msg}\n----- log tail (${nr.logFile}) -----\n${nr.logTail()}\n-----`);
	} finally {
		await nr.stop().catch(() => undefined);
		await sim.close().catch(() => undefined);
	}
}
