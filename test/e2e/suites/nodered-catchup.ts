/*
 * Node-RED catch-up (issue 23): the packed package in a real Node-RED, a Legito and a Legalesign trigger
 * with Catch up on (the watermarks in the `localfilesystem` context store), stopped; events made at
 * each vendor while it is down are emitted once each when it starts again, and not again after that.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as legalesignSim from '../../../sandbox/simulators/legalesign';
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
	const ls = await legalesignSim.start();
	try {
		nr.installPackage(packed.tarball, spec.installMode);
		const settings = path.join(nr.userDir, 'settings.js');
		// The watermark must outlive the process: a file store, written at once.
		fs.writeFileSync(settings, fs.readFileSync(settings, 'utf8').replace('module.exports = {\n', "module.exports = {\n\tcontextStorage: { default: { module: 'localfilesystem', config: { flushInterval: 1 } } },\n"));
		const tab = id();
		const account = id();
		const trigger = id();
		const lsAccount = id();
		const lsTrigger = id();
		await nr.start();
		await nr.deploy([
			{ id: tab, type: 'tab', label: 'e2e catch-up', disabled: false, info: '' },
			{ id: account, type: 'legalhooks-legito-account', name: 'e2e Legito', baseUrl: 'http://127.0.0.1:9', credentials: { apiKey: sim.apiKey, privateKey: sim.privateKey, region: 'custom', apiBaseUrl: sim.baseUrl } },
			// Catch up at start only here: the sweep while running is an hour away.
			{ id: trigger, type: 'legalhooks-legito-trigger', z: tab, name: '', account, path: 'catchup', legitoEvents: '', catchUp: true, pollSeconds: 3600, legitoSettleSeconds: 1, x: 150, y: 60, wires: [[`${trigger}doc`, `${trigger}src`]] },
			{ id: `${trigger}doc`, type: 'debug', z: tab, name: 'cudoc', active: true, tosidebar: false, console: true, complete: 'payload.document.id', x: 400, y: 40, wires: [] },
			{ id: `${trigger}src`, type: 'debug', z: tab, name: 'cusrc', active: true, tosidebar: false, console: true, complete: 'payload.data.source', x: 400, y: 80, wires: [] },
			{ id: lsAccount, type: 'legalhooks-legalesign-account', name: 'e2e Legalesign', baseUrl: 'http://127.0.0.1:9', credentials: { username: ls.username, apiKey: ls.apiKey, apiBaseUrl: ls.baseUrl, certificate: ls.certificate } },
			{ id: lsTrigger, type: 'legalhooks-legalesign-trigger', z: tab, name: '', account: lsAccount, path: 'catchup-ls', group: 'main', catchUp: true, pollSeconds: 3600, x: 150, y: 160, wires: [[`${lsTrigger}fmt`]] },
			{ id: `${lsTrigger}fmt`, type: 'function', z: tab, name: '', func: "msg.payload = [msg.payload.type, msg.payload.document.id, msg.payload.data.source].join('|'); return msg;", outputs: 1, x: 300, y: 160, wires: [[`${lsTrigger}dbg`]] },
			{ id: `${lsTrigger}dbg`, type: 'debug', z: tab, name: 'lsev', active: true, tosidebar: false, console: true, complete: 'payload', x: 450, y: 160, wires: [] },
		]);
		await waitFor('the push connection', async () => sim.state.connections.size === 1, { timeoutMs: 20_000 });
		await waitFor('the Legalesign subscription', async () => ls.state.subscriptions.length === 1, { timeoutMs: 20_000 });
		await sleep(3000); // the catch-up at start has recorded its watermark, flushed to the file store
		await nr.stop();
		L('stopped; making three Legito events');
		const codes = ['down-0', 'down-1', 'down-2'];
		sim.happen('SignStarted', { code: codes[0] });
		sim.happen('SignCompleted', { code: codes[1] });
		sim.happen('DocumentRecordDeleted', { code: codes[2] });
		L('making two Legalesign documents finish (a signed one is auto-archived)');
		ls.changeDocument('ls-1'); // sent
		ls.changeDocument('ls-1', { status: 30, signerStatus: 40 }); // signed
		ls.changeDocument('ls-2', { status: 50, signerStatus: 60 }); // rejected
		await sleep(2500); // their second has settled
		await nr.start();
		await waitFor('the three events caught up', async () => printed(nr, 'cudoc').length >= 3, { timeoutMs: 30_000 });
		await stays('no more than three', async () => printed(nr, 'cudoc').length === 3, 3000);
		const docs = printed(nr, 'cudoc');
		for (const code of codes) check(docs.filter((text) => text.includes(code)).length === 1, `${code} emitted ${docs.filter((text) => text.includes(code)).length} time(s): ${JSON.stringify(docs)}`);
		check(printed(nr, 'cusrc').every((text) => text.includes('catch-up')), `not caught up: ${JSON.stringify(printed(nr, 'cusrc'))}`);
		const lsEvents = () => printed(nr, 'lsev').map((text) => text.split('\n')[0].trim());
		await waitFor('the four Legalesign changes caught up', async () => lsEvents().length >= 4, { timeoutMs: 30_000 });
		await stays('no more than four', async () => lsEvents().length === 4, 3000);
		const expected = ['document.completed|ls-1|catch-up', 'document.rejected|ls-2|catch-up', 'recipient.completed|ls-1|catch-up', 'recipient.rejected|ls-2|catch-up'];
		check(JSON.stringify([...lsEvents()].sort()) === JSON.stringify(expected), `Legalesign caught up ${JSON.stringify(lsEvents())}, expected ${JSON.stringify(expected)}`);
		return `Catch up, Node-RED stopped: Legito 3 events made while down, ${docs.length} emitted at start, each once; Legalesign 2 documents finished while down (sent → signed and auto-archived; rejected), ${lsEvents().length} final document and signer statuses emitted, each once (data.source catch-up)`;
	} catch (err) {
		const msg = err instanceof E2EError ? err.message : ((err as Error).stack ?? String(err));
		throw new E2EError(`${msg}\n----- log tail (${nr.logFile}) -----\n${nr.logTail()}\n-----`);
	} finally {
		await nr.stop().catch(() => undefined);
		await sim.close().catch(() => undefined);
		await ls.close().catch(() => undefined);
	}
}
