/* The Node-RED suite: our tarball in a real Node-RED, a flow per trigger deployed through the admin API. */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { Packed } from '../lib/pack';
import { NodeRed, type NodeRedEngineSpec } from '../lib/nodered';
import type { SlackSim, VendorSim } from '../lib/simulators';
import { check, E2EError, log, request, stays, waitFor } from '../lib/util';
import { checkAck, checkItem, checkNodeRedFiles, checkNoSecretsLogged, registrationsFor, usePublishedSchema } from '../lib/expect';
import * as fs from 'node:fs';
import type { NodeRedDestination } from '../destinations';
import { rowKey, yieldsFile, type DocumentServer, type VendorRow } from '../vendors';

const id = () => randomBytes(8).toString('hex');

/** A function node's report of msg.files, as JSON: is each data a Buffer, and its bytes. */
const REPORT_FILES = `return { payload: { files: (msg.files || []).map((f) => ({
	fileName: f.fileName,
	mimeType: f.mimeType,
	isBuffer: Buffer.isBuffer(f.data),
	dataType: typeof f.data,
	base64: Buffer.isBuffer(f.data) ? f.data.toString('base64') : null,
})) } };`;

/** Collects what a flow's `http request` node posts (msg.payload of the trigger), by path. */
async function startSink() {
	const got = new Map<string, any[]>();
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const key = (req.url ?? '/').slice(1);
			let body: any = Buffer.concat(chunks).toString('utf8');
			try {
				body = JSON.parse(body);
			} catch {
				/* keep text */
			}
			got.set(key, [...(got.get(key) ?? []), body]);
			res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const port = (server.address() as AddressInfo).port;
	return {
		url: `http://127.0.0.1:${port}`,
		got: (k: string) => got.get(k) ?? [],
		close: () => new Promise<void>((r) => server.close(() => r())),
	};
}

interface Case {
	row: VendorRow;
	sim?: VendorSim;
	/** rows with `download`: the documents the deliveries link to, Download Documents on */
	documents?: DocumentServer;
	configId: string;
	triggerId: string;
	url: string;
	messages: number;
	checks: number;
}

export async function runNodeRed(
	spec: NodeRedEngineSpec,
	work: string,
	packed: Packed,
	rows: VendorRow[],
	slack: NodeRedDestination | undefined,
): Promise<string> {
	const nr = new NodeRed(spec, work);
	const closers: { close(): Promise<void> }[] = [];
	const L = (m: string) => log(spec.label, m);
	let slackSim: SlackSim | undefined;
	let slackMessages = 0;
	let filesChecked = 0;
	usePublishedSchema(packed);
	try {
		const t0 = Date.now();
		nr.installPackage(packed.tarball, spec.installMode);
		L(`installed our tarball (${spec.installMode === 'readme' ? 'README: npm install in the user dir' : "palette manager's npm install"}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
		await nr.start();
		const info = await nr.moduleInfo();
		check(info.errors.length === 0, `our node sets failed to load: ${info.errors.join('; ')}`);
		const declaredSets = Object.keys(packed.pkg['node-red'].nodes);
		check(info.sets === declaredSets.length, `Node-RED loaded ${info.sets} of our ${declaredSets.length} node sets`);
		const html = await nr.editorHtml();
		for (const t of info.types) check(html.includes(`registerType('${t}'`) || html.includes(`registerType("${t}"`), `the editor gets no definition for ${t}`);
		for (const r of rows) {
			check(info.types.includes(r.nodeRed.trigger), `${r.nodeRed.trigger} not registered (types: ${info.types.join(', ')})`);
			check(info.types.includes(r.nodeRed.config), `${r.nodeRed.config} not registered`);
		}

		const sink = await startSink();
		closers.push(sink);
		if (slack) {
			slackSim = await slack.start();
			closers.push(slackSim);
		}
		const slackCount = async () => (slackSim ? (await slackSim.messages()).length : 0);
		const expectSlack = async (what: string) => {
			if (!slackSim) return;
			slackMessages += 1;
			await waitFor(`Slack simulator message #${slackMessages} (${what})`, async () => (await slackCount()) >= slackMessages, { timeoutMs: 20_000 });
			await stays(`exactly ${slackMessages} Slack message(s) after ${what}`, async () => (await slackCount()) === slackMessages, 1000);
		};

		// --- one tab per trigger: trigger → function (payload only) → http request → sink, and → Slack ---
		const cases: Case[] = [];
		const flows: any[] = [];
		const slackConfigId = id();
		if (slack && slackSim) {
			flows.push({ id: slackConfigId, type: slack.config, ...slack.configProps(slackSim), credentials: slack.configCredentials(slackSim) });
		}
		for (const row of rows) {
			const sim = row.simulator ? await row.simulator() : undefined;
			if (sim) closers.push(sim);
			const documents = row.download ? await row.download.documents(sim) : undefined;
			if (documents) closers.push(documents);
			const tab = id();
			const c: Case = { row, sim, documents, configId: id(), triggerId: id(), url: '', messages: 0, checks: 0 };
			const fn = id();
			const httpReq = id();
			const slackNode = id();
			const filesFn = id();
			const filesReq = id();
			const configProp = row.nodeRed.configProp ?? 'account';
			flows.push(
				{ id: tab, type: 'tab', label: `e2e ${rowKey(row)}`, disabled: false, info: '' },
				{ id: c.configId, type: row.nodeRed.config, ...row.nodeRed.configProps(nr.base, sim), credentials: row.nodeRed.configCredentials(sim) },
				{
					id: c.triggerId,
					type: row.nodeRed.trigger,
					z: tab,
					name: '',
					[configProp]: c.configId,
					...(row.nodeRed.triggerProps?.(sim) ?? {}),
					...(documents ? { downloadDocuments: true } : {}),
					x: 150,
					y: 100,
					wires: [[fn, ...(slack ? [slackNode] : []), ...(documents ? [filesFn] : [])]],
				},
				{
					id: fn,
					type: 'function',
					z: tab,
					name: 'payload only',
					func: 'return { payload: msg.payload };',
					outputs: 1,
					x: 350,
					y: 100,
					wires: [[httpReq]],
				},
				{
					id: httpReq,
					type: 'http request',
					z: tab,
					name: 'to e2e sink',
					method: 'POST',
					ret: 'txt',
					paytoqs: 'ignore',
					url: `${sink.url}/${rowKey(row)}`,
					tls: '',
					persist: false,
					proxy: '',
					insecureHTTPParser: false,
					authType: '',
					senderr: false,
					headers: [],
					x: 550,
					y: 100,
					wires: [[]],
				},
			);
			if (documents) {
				flows.push(
					{ id: filesFn, type: 'function', z: tab, name: 'report msg.files', func: REPORT_FILES, outputs: 1, x: 350, y: 220, wires: [[filesReq]] },
					{ id: filesReq, type: 'http request', z: tab, name: 'to e2e sink', method: 'POST', ret: 'txt', paytoqs: 'ignore', url: `${sink.url}/${rowKey(row)}-files`, tls: '', persist: false, proxy: '', insecureHTTPParser: false, authType: '', senderr: false, headers: [], x: 550, y: 220, wires: [[]] },
				);
			}
			if (slack && slackSim) {
				flows.push({ id: slackNode, type: slack.type, z: tab, name: '', ...slack.nodeProps(slackSim), account: slackConfigId, x: 350, y: 160, wires: [[]] });
			}
			c.url = row.nodeRed.webhookUrl(nr.base, { id: c.triggerId });
			cases.push(c);
		}

		const routeUp = async (c: Case) => (await request(c.url, { method: 'GET' })).status !== 404;
		const expectRegistrations = async (c: Case, n: number, what: string) => {
			if (c.row.registration !== 'api' || !c.sim) return;
			const sim = c.sim;
			await waitFor(`${n} registration(s) for ${c.row.id} ${what}`, async () => (await registrationsFor(sim, c.url)).length === n, { timeoutMs: 30_000 });
			await stays(`${n} ${c.row.id} registration(s) ${what}`, async () => (await sim.registrations()).length === n, 1000);
			c.checks += 1;
		};
		const expectMessage = async (c: Case, eventIndex: 0 | 1, what: string) => {
			c.messages += 1;
			await waitFor(`message #${c.messages} from the ${c.row.id} trigger (${what})`, async () => sink.got(rowKey(c.row)).length >= c.messages, { timeoutMs: 20_000 });
			await stays(`exactly ${c.messages} message(s) from the ${c.row.id} trigger`, async () => sink.got(rowKey(c.row)).length === c.messages, 1000);
			checkItem(sink.got(rowKey(c.row))[c.messages - 1], c.row, eventIndex);
			if (c.documents && yieldsFile(c.row, eventIndex)) {
				const want = c.documents.expected();
				check(want && c.documents.fetches() > 0, `${c.row.id}: the trigger never fetched the document from the simulator`);
				const key = `${rowKey(c.row)}-files`;
				await waitFor(`msg.files report #${c.messages} from the ${c.row.id} flow`, async () => sink.got(key).length >= c.messages, { timeoutMs: 20_000 });
				checkNodeRedFiles(c.row, sink.got(rowKey(c.row))[c.messages - 1], sink.got(key)[c.messages - 1], want);
				filesChecked += 1;
			}
			await expectSlack(`${c.row.id} ${what}`);
			c.checks += 1;
		};
		const deliver = (c: Case, eventIndex: 0 | 1, tamper: boolean) => c.row.deliver({ url: c.url, sim: c.sim, documents: c.documents }, c.row.events[eventIndex], { tamper });
		const waitStarted = async () => {
			for (const c of cases) {
				await waitFor(`${c.row.id} route ${c.url}`, () => routeUp(c), { timeoutMs: 20_000 });
				await expectRegistrations(c, 1, 'after deploy');
			}
		};

		L(`deploy ${cases.length} flow(s)`);
		await nr.deploy(flows);
		await waitStarted();
		for (const c of cases) {
			const ok = await deliver(c, 0, false);
			checkAck(`${c.row.id}: signed delivery`, ok);
			await expectMessage(c, 0, 'delivery');
			const bad = await deliver(c, 0, true);
			check(bad.status === 401 || (bad.status === 403 && c.row.registration === 'api'), `${c.row.id}: tampered delivery → ${bad.status} ${bad.text.slice(0, 200)}, expected 401`);
			await stays(`nothing from the tampered ${c.row.id} delivery`, async () => sink.got(rowKey(c.row)).length === c.messages && (await slackCount()) === slackMessages, 1500);
			c.checks += 1;
		}

		L('full redeploy of the same flows');
		await nr.deploy(flows);
		await waitStarted();
		for (const c of cases) {
			const ok = await deliver(c, 1, false);
			checkAck(`${c.row.id}: delivery after redeploy`, ok);
			await expectMessage(c, 1, 'delivery after redeploy');
		}

		L('restart Node-RED');
		await nr.stop();
		await nr.start();
		await waitStarted();

		L('remove the trigger nodes');
		const removed = new Set(cases.map((c) => c.triggerId));
		await nr.deploy(flows.filter((n) => !removed.has(n.id)));
		for (const c of cases) {
			if (c.row.registration === 'api') await expectRegistrations(c, 0, 'after the node was removed');
			else {
				await waitFor(`${c.row.id} route gone`, async () => (await request(c.url, { method: 'GET' })).status === 404, { timeoutMs: 10_000 });
				const r = await deliver(c, 1, false);
				check(r.status === 404, `${c.row.id}: delivery after removal → ${r.status}, expected 404`);
				c.checks += 1;
			}
		}
		const secrets = cases.flatMap((c) => [...Object.values(c.row.nodeRed.configCredentials(c.sim)), c.row.secrets.secret, c.row.secrets.key]);
		if (slack && slackSim) secrets.push(...Object.values(slack.configCredentials(slackSim)));
		checkNoSecretsLogged(fs.readFileSync(nr.logFile, 'utf8'), secrets);
		const warn = slack ? '' : ' (trigger-only flows: Slack node not in the build yet)';
		return `${spec.installMode} install; ${cases.length} triggers [${cases.map((c) => rowKey(c.row)).join(', ')}], ${cases.reduce((a, c) => a + c.checks, 0)} checks, ${cases.reduce((a, c) => a + c.messages, 0)} messages, ${slackMessages} Slack messages${warn}; ${filesChecked} downloaded files checked (msg.files[0] Buffer, sha256); every item valid against the published event schema`;
	} catch (err) {
		const msg = err instanceof E2EError ? err.message : ((err as Error).stack ?? String(err));
		throw new E2EError(`${msg}\n----- ${spec.label} log tail (${nr.logFile}) -----\n${nr.logTail()}\n-----`);
	} finally {
		await nr.stop().catch(() => undefined);
		for (const s of closers) await s.close().catch(() => undefined);
	}
}
