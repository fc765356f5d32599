/*
 * The n8n template suite: every vendor package's template that uses n8n's OWN Slack, Salesforce or
 * Xero node (examples/*.json in the packed tarball), imported as it ships through n8n's public API
 * with credentials for the native nodes that point nowhere harmful, activated, sent a signed delivery.
 *
 * Slack and Xero call fixed hosts (slack.com, api.xero.com): the closed network stops the request, so
 * the proof is the execution data — the native node ran on the one item Remove Duplicates let through
 * and failed on the network; its parameters are resolved with that n8n's own expression engine
 * (lib/n8n-resolve.ts) to what it was about to send. Salesforce calls the instance URL of its token, a
 * local recorder here: the request body itself is checked. Then n8n restarts (the trigger forgets the
 * ids it has seen; Remove Duplicates keeps its history in n8n's database) and the identical delivery
 * again: an execution in which Remove Duplicates lets nothing through and the native node never runs.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { Packed } from '../lib/pack';
import { N8n, executionError, nodeOutput, type N8nEngineSpec } from '../lib/n8n';
import { installAndStart } from '../lib/n8n-installer';
import { resolveNodeParameters } from '../lib/n8n-resolve';
import { check, E2EError, freePort, log, waitFor } from '../lib/util';
import { checkAck, checkEventContract, checkNoSecretsLogged, usePublishedSchema } from '../lib/expect';
import { publicApiData } from './n8n-actions';
import type { VendorSim } from '../lib/simulators';
import type { VendorRow } from '../vendors';
import type { N8nTrigger } from './n8n';

const NATIVE = { slack: 'n8n-nodes-base.slack', salesforce: 'n8n-nodes-base.salesforce', xero: 'n8n-nodes-base.xero' } as const;
const REMOVE_DUPLICATES = 'n8n-nodes-base.removeDuplicates';
const SLACK_TOKEN = 'xoxb-e2e-template-token-not-valid-anywhere';
// only the Slack Trigger uses it; set so the credential's "no signing secret" notice is not required
const SLACK_SIGNING_SECRET = 'e2e-template-slack-signing-secret';
const SF_ACCESS_TOKEN = 'e2e-template-salesforce-access-token';
const XERO_ACCESS_TOKEN = 'e2e-template-xero-access-token';

interface Template {
	file: string;
	pkg: string;
	workflow: { name: string; nodes: any[]; connections: any };
	trigger: any;
	dedupe: any;
	native: any;
	kind: keyof typeof NATIVE;
}

interface Recorded {
	method: string;
	url: string;
	headers: http.IncomingHttpHeaders;
	body: string;
}

/** Salesforce's instance URL for the test: records each request, answers 503 (nothing is written anywhere). */
async function startRecorder(): Promise<{ url: string; requests: Recorded[]; close(): Promise<void> }> {
	const requests: Recorded[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
			res.writeHead(503, { 'content-type': 'application/json' });
			res.end(JSON.stringify([{ errorCode: 'E2E_RECORDED', message: 'recorded by the e2e, not forwarded' }]));
		});
	});
	const port = await freePort();
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
	return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The vendor packages' templates with a native destination node, read from the packed tarballs. */
function templatesIn(packed: Packed[]): Template[] {
	const out: Template[] = [];
	for (const p of packed) {
		const dir = path.join(p.dir, 'examples');
		if (!fs.existsSync(dir)) continue;
		for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.json'))) {
			const workflow = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
			const native = workflow.nodes.find((n: any) => Object.values(NATIVE).includes(n.type));
			if (!native) continue;
			const kind = (Object.keys(NATIVE) as (keyof typeof NATIVE)[]).find((k) => NATIVE[k] === native.type)!;
			const trigger = workflow.nodes.find((n: any) => n.type.startsWith(`${p.pkg.name}.`));
			const dedupe = workflow.nodes.find((n: any) => n.type === REMOVE_DUPLICATES);
			check(trigger, `${p.pkg.name} examples/${f}: no trigger of its own package`);
			check(dedupe, `${p.pkg.name} examples/${f}: no Remove Duplicates node`);
			check(dedupe.parameters.operation === 'removeItemsSeenInPreviousExecutions' && /\$json\.id\b/.test(dedupe.parameters.dedupeValue), `${p.pkg.name} examples/${f}: Remove Duplicates is not "Remove Items Processed in Previous Executions" on the event id`);
			out.push({ file: `${p.pkg.name}/examples/${f}`, pkg: p.pkg.name, workflow, trigger, dedupe, native, kind });
		}
	}
	return out;
}

const EMPTY: Record<string, unknown> = { string: '', json: '', boolean: false, number: 0, object: {} };

/**
 * publicApiData (n8n-actions.ts), and an "if" on a hidden property that holds vacuously in the public
 * API's schema (n8n's oAuth2Api: grantType clientCredentials → the additional body properties) gets
 * what its "then" requires, empty, of whatever type the schema says: what the editor would save.
 */
async function credentialData(n8n: N8n, type: string, data: Record<string, unknown>): Promise<Record<string, unknown>> {
	const schema = await n8n.api('GET', `/credentials/schema/${type}`);
	const filled = await publicApiData(n8n, type, data);
	for (const clause of schema.allOf ?? []) {
		const hidden = Object.keys(clause.if?.properties ?? {}).some((prop) => !schema.properties?.[prop] && !(prop in filled));
		if (!hidden) continue;
		const required: string[] = [...(clause.then?.required ?? []), ...(clause.then?.allOf ?? []).flatMap((a: any) => a.required ?? [])];
		for (const req of required) {
			const t = schema.properties?.[req]?.type;
			if (!(req in filled) && t in EMPTY) filled[req] = EMPTY[t];
		}
	}
	return filled;
}

interface Case {
	t: Template;
	row: VendorRow;
	trig: N8nTrigger;
	sim?: VendorSim;
	workflowId: string;
	url: string;
	eventId?: string;
	now: Date;
}

/** The runData entry n8n stored for one node, or undefined when it never ran. */
function runOf(execution: any, node: string): any | undefined {
	let data = execution?.data;
	if (typeof data === 'string') data = JSON.parse(data);
	return data?.resultData?.runData?.[node]?.[0];
}

const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/** What the template's native node must have been about to send, from the event it got. */
function expectFields(kind: Template['kind'], event: any, sent: Record<string, any>, what: string) {
	const title = event.document.title || event.document.id;
	if (kind === 'slack') {
		const msg = text(sent.text);
		check(msg.includes(title) && msg.includes(event.document.status), `${what}: Slack text lacks the title/status: ${msg}`);
		if (event.document.url) check(msg.includes(event.document.url), `${what}: Slack text lacks the document link ${event.document.url}: ${msg}`);
		check(!msg.includes('{{'), `${what}: an unresolved expression in the Slack text: ${msg}`);
	} else if (kind === 'xero') {
		const line = sent.lineItemsUi?.lineItemsValues?.[0] ?? {};
		check(Number(line.unitAmount) === Number(event.data.contractValue) && Number(line.unitAmount) > 0, `${what}: Xero line amount ${line.unitAmount}, the contract value is ${event.data.contractValue}`);
		check(line.description === title, `${what}: Xero line description ${line.description}, expected ${title}`);
		check(sent.additionalFields?.reference === event.document.id, `${what}: Xero reference ${sent.additionalFields?.reference}, expected ${event.document.id}`);
		check(text(sent.additionalFields?.url) === text(event.document.url), `${what}: Xero url ${sent.additionalFields?.url}, expected ${event.document.url}`);
	}
}

export async function runN8nTemplates(spec: N8nEngineSpec, work: string, packed: Packed[], rows: [VendorRow, N8nTrigger][]): Promise<string> {
	const dir = path.join(work, 'templates');
	fs.mkdirSync(dir, { recursive: true });
	const n8n = new N8n({ ...spec, label: `${spec.label} templates` }, dir);
	const L = (m: string) => log(n8n.spec.label, m);
	const closers: { close(): Promise<void> }[] = [];
	usePublishedSchema(packed[0]);
	try {
		const templates = templatesIn(packed);
		for (const kind of Object.keys(NATIVE) as Template['kind'][]) check(templates.some((t) => t.kind === kind), `no vendor package template uses n8n's own ${kind} node`);
		for (const p of packed.filter((x) => !x.pkg.name.endsWith('-actions'))) check(templates.some((t) => t.pkg === p.pkg.name), `${p.pkg.name} ships no template with n8n's own Slack/Salesforce/Xero node`);

		const how = await installAndStart(n8n, packed.map((p) => p.tarball));
		L(`installed our ${packed.length} n8n tarballs (${how}); ${templates.length} templates`);

		// --- credentials for the native nodes: fake tokens; Salesforce's instance URL is the recorder ---
		const recorder = await startRecorder();
		closers.push(recorder);
		const nativeCreds: Record<string, { type: string; id: string; name: string }> = {};
		const create = async (name: string, type: string, data: Record<string, unknown>) => {
			const r = await n8n.api('POST', '/credentials', { name, type, data: await credentialData(n8n, type, data) });
			return { type, id: r.id as string, name };
		};
		nativeCreds.slack = await create('e2e Slack (n8n)', 'slackApi', { accessToken: SLACK_TOKEN, signatureSecret: SLACK_SIGNING_SECRET });
		nativeCreds.salesforce = await create('e2e Salesforce (n8n)', 'salesforceOAuth2Api', {
			environment: 'production',
			clientId: 'e2e-client',
			clientSecret: 'e2e-client-secret',
			oauthTokenData: { access_token: SF_ACCESS_TOKEN, instance_url: recorder.url, token_type: 'Bearer' },
		});
		nativeCreds.xero = await create('e2e Xero (n8n)', 'xeroOAuth2Api', {
			clientId: 'e2e-client',
			clientSecret: 'e2e-client-secret',
			oauthTokenData: { access_token: XERO_ACCESS_TOKEN, token_type: 'Bearer' },
		});

		// --- import each template as it ships: only the credentials (and a simulator's pack key) filled in ---
		const cases: Case[] = [];
		for (const t of templates) {
			const found = rows.find(([, trig]) => t.trigger.type.endsWith(`.${trig.name}`));
			check(found, `${t.file}: no e2e vendor row for ${t.trigger.type}`);
			const [row, trig] = found;
			const sim = row.simulator ? await row.simulator() : undefined;
			if (sim) closers.push(sim);
			const credName = `e2e ${row.id} (template)`;
			const credId = await n8n.createCredential(credName, row.n8n.credentialType, row.n8n.credentialData(sim));
			const simParameters = row.id === 'quicklysign' ? row.n8n.parameters?.(sim) : {};
			const nodes = t.workflow.nodes.map((node: any) => {
				if (node.name === t.trigger.name) return { ...node, parameters: { ...node.parameters, ...simParameters }, credentials: { [row.n8n.credentialType]: { id: credId, name: credName } } };
				if (node.name === t.native.name) {
					const c = nativeCreds[t.kind];
					return { ...node, credentials: { [c.type]: { id: c.id, name: c.name } } };
				}
				return node;
			});
			const workflowId = await n8n.createWorkflow({ name: t.workflow.name, nodes, connections: t.workflow.connections });
			cases.push({ t, row, trig, sim, workflowId, url: `${n8n.base}/webhook/${t.trigger.webhookId}/${trig.webhookPath}`, now: new Date() });
		}

		const executionsOf = async (c: Case, n: number, what: string) => {
			const list = await waitFor(
				`${what}: execution #${n} of ${c.t.file}`,
				async () => {
					const l = await n8n.executions(c.workflowId);
					return l.length >= n && l.every((e: any) => e.finished || e.status === 'success' || e.status === 'error' || e.stoppedAt) ? l : undefined;
				},
				{ timeoutMs: 30_000, intervalMs: 400 },
			);
			check(list.length === n, `${what}: ${c.t.file} has ${list.length} executions, expected ${n}`);
			return list.reduce((a: any, b: any) => (Number(a.id) > Number(b.id) ? a : b));
		};
		const deliverWhenLive = (c: Case, what: string) =>
			waitFor(
				`${c.t.file} webhook live ${what}`,
				async () => {
					// the same event time both times (the simulators' events carry it): the identical event
					const r = await c.row.deliver({ url: c.url, sim: c.sim }, c.row.events[0], { now: c.now });
					return r.status === 404 ? undefined : r;
				},
				{ timeoutMs: 30_000, intervalMs: 500 },
			);

		// --- 1. activate, deliver: the native node gets the event and the mapped fields ---
		const asserted: string[] = [];
		for (const c of cases) {
			await n8n.activate(c.workflowId);
			checkAck(`${c.t.file}: signed delivery`, await deliverWhenLive(c, 'after activation'));
			const before = recorder.requests.length;
			const ex = await executionsOf(c, 1, 'first delivery');
			const events = nodeOutput(ex, c.t.trigger.name);
			check(events.length === 1, `${c.t.file}: the trigger emitted ${events.length} items (${executionError(ex) ?? ex.status})`);
			const event = events[0];
			checkEventContract(event, c.t.file);
			c.eventId = event.id;
			const passed = nodeOutput(ex, c.t.dedupe.name);
			check(passed.length === 1 && passed[0].id === event.id, `${c.t.file}: Remove Duplicates let ${passed.length} items through on a new event`);
			const run = runOf(ex, c.t.native.name);
			check(run, `${c.t.file}: the execution never reached ${c.t.native.name} (${executionError(ex) ?? ex.status})`);
			// the closed network (or the recorder's 503) ends the call: an error, nothing sent anywhere
			const err = run.error ?? {};
			check(run.error, `${c.t.file}: ${c.t.native.name} succeeded — it reached a real ${c.t.kind}?`);
			const sent = await resolveNodeParameters(n8n, ex, { ...c.t.native, credentials: {} }, c.t.dedupe.name);
			expectFields(c.t.kind, event, sent, c.t.file);
			let detail = `${c.t.kind}: ${String(err.message ?? '').slice(0, 80)}`;
			if (c.t.kind !== 'salesforce') {
				// the request went to the service's own host: the closed network answers its name lookup with
				// ENOTFOUND (with a network, the service itself refuses the fake token)
				const errText = JSON.stringify(err);
				const host = c.t.kind === 'slack' ? 'slack.com' : 'api.xero.com';
				check(errText.includes(host) || /invalid_auth|not_authed|unauthori[sz]ed|"httpCode":"40[13]"/i.test(errText), `${c.t.file}: ${c.t.native.name} failed, but not on its way to ${host}: ${errText.slice(0, 400)}`);
				detail = `${c.t.kind}: ${/getaddrinfo \w+ [\w.-]+/.exec(errText)?.[0] ?? String(err.message ?? '').slice(0, 80)}, resolved ${c.t.kind === 'slack' ? 'text with title, status, link' : 'line amount = contract value, description = title, reference = document id, url'}`;
			}
			if (c.t.kind === 'salesforce') {
				await waitFor(`${c.t.file}: the Salesforce request at the recorder`, async () => recorder.requests.length > before, { timeoutMs: 10_000 });
				const req = recorder.requests[recorder.requests.length - 1];
				const ext = c.t.native.parameters.externalId;
				check(req.method === 'PATCH' && decodeURIComponent(req.url).endsWith(`/sobjects/opportunity/${ext}/${event.document.id}`), `${c.t.file}: Salesforce request ${req.method} ${req.url}`);
				check(req.headers.authorization === `Bearer ${SF_ACCESS_TOKEN}`, `${c.t.file}: Salesforce request without the credential's token`);
				const body = JSON.parse(req.body);
				const title = event.document.title || event.document.id;
				check(body.Name === title && body.StageName === 'Closed Won', `${c.t.file}: Salesforce body ${req.body}`);
				check(typeof body.CloseDate === 'string' && body.CloseDate.slice(0, 10) === String(event.occurredAt || event.receivedAt).slice(0, 10), `${c.t.file}: CloseDate ${body.CloseDate} for ${event.occurredAt}`);
				check(String(body.Description).includes(event.document.url || event.document.id) && String(body.Description).includes(event.document.status), `${c.t.file}: Description ${body.Description}`);
				detail = `salesforce: PATCH …/opportunity/${ext}/<document id> {Name, StageName, CloseDate, Description} at the recorder`;
			}
			asserted.push(`${path.basename(c.t.file)} → ${detail}`);
			L(`${c.t.file}: ${detail}`);
		}

		// --- 2. restart (the trigger forgets the ids it saw), the identical delivery: Remove Duplicates stops it ---
		L('restart n8n; the identical deliveries again');
		await n8n.stop();
		await n8n.start();
		for (const c of cases) {
			const before = recorder.requests.length;
			checkAck(`${c.t.file}: repeated delivery`, await deliverWhenLive(c, 'after restart'));
			const ex = await executionsOf(c, 2, 'repeated delivery');
			const events = nodeOutput(ex, c.t.trigger.name);
			check(events.length === 1 && events[0].id === c.eventId, `${c.t.file}: the repeated delivery emitted ${events.map((e) => e.id).join(', ') || 'nothing'}, expected the same event ${c.eventId}`);
			check(nodeOutput(ex, c.t.dedupe.name).length === 0, `${c.t.file}: Remove Duplicates let the repeated event through`);
			check(!runOf(ex, c.t.native.name), `${c.t.file}: ${c.t.native.name} ran again for the repeated event`);
			check(recorder.requests.length === before, `${c.t.file}: a second request reached the Salesforce recorder`);
		}

		for (const c of cases) {
			await n8n.deactivate(c.workflowId);
			await n8n.deleteWorkflow(c.workflowId);
		}
		checkNoSecretsLogged(fs.readFileSync(n8n.logFile, 'utf8'), [SLACK_TOKEN, SLACK_SIGNING_SECRET, SF_ACCESS_TOKEN, XERO_ACCESS_TOKEN, 'e2e-client-secret']);
		return `${how}; ${cases.length} templates imported + activated: ${asserted.join('; ')}; the identical delivery after a restart stopped by Remove Duplicates in all ${cases.length}`;
	} catch (err) {
		const msg = err instanceof E2EError ? err.message : ((err as Error).stack ?? String(err));
		throw new E2EError(`${msg}\n----- ${n8n.spec.label} log tail (${n8n.logFile}) -----\n${n8n.logTail()}\n-----`);
	} finally {
		await n8n.stop().catch(() => undefined);
		for (const s of closers) await s.close().catch(() => undefined);
	}
}
