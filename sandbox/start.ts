/**
 * `npm start`: a sandbox. Node-RED embedded in an express server on 127.0.0.1 with this project's
 * nodes and every example flow, each account pointed at the vendor and destination simulators
 * (sandbox/simulators/) so the whole product runs with no vendor account:
 *   - Plexus / PhenixID: `npx @legalhooks/cli send …` with the sandbox secret;
 *   - Legito / Legalesign / QuicklySign register with their simulators on deploy; `POST /sandbox/fire/…`
 *     makes a simulator send a signed delivery to what is registered;
 *   - Slack / Salesforce / Xero actions write to their simulators: `GET /sandbox/<destination>`.
 *   - The Plexus, PhenixID, Legalesign and QuicklySign triggers have Download Documents on: each
 *     vendor's simulator serves a signed PDF (`POST /sandbox/fire/plexus/executed`, `send phenixid
 *     OrderSigned`, `fire/legalesign/batch` (status 100), `fire/quicklysign/final_document_generated`),
 *     shown in the "downloaded files" debug node (msg.files) and the event's `files`.
 * At every start the sandbox's own tabs and nodes are rewritten (simulator ports change); the
 * user's own tabs, nodes and their credentials are kept, and so are the registrations of their
 * triggers. It claims its port before it writes anything: a second `npm start` on a busy port
 * ends with one line and leaves the running instance's files alone. With `--build` (what
 * `npm start` runs) it builds the packages once the port is its own.
 */
import express from 'express';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import RED from 'node-red';
import * as legalesignSim from './simulators/legalesign';
import * as legitoSim from './simulators/legito';
import { startPhenixidApi } from './simulators/phenixid';
import { samplePdf, startPlexusDocuments } from './simulators/plexus-documents';
import { phenixidSamples } from '../core/vendors/phenixid/samples';
import * as quicklysignSim from './simulators/quicklysign';
import * as salesforceSim from './simulators/salesforce';
import * as slackSim from './simulators/slack';
import * as xeroSim from './simulators/xero';
import { FIRST_TRIGGER, firstTabFirst, withEventDebug, type FlowNode } from './flows';
import { plexusSampleRelink } from './plexus-relink';
import { LEGALESIGN_DOCUMENT, sandboxRoutes } from './routes';
import { debugSidebarFirst, mergeWithUserDir, pruneSandboxRegistrations } from './user-state';

const root = path.resolve(__dirname, '..');
const port = Number(process.env.PORT || 1880);
const host = '127.0.0.1';
const publicUrl = `http://${host}:${port}`;
const userDir = process.env.LEGALHOOKS_USER_DIR || path.join(root, '.cache', 'node-red');
const SANDBOX_SECRET = 'sandbox-secret-0123456789abcdef';
const SANDBOX_KEY = 'sandbox-key';
/** The triggers whose vendor offers the signed document: the sandbox turns Download Documents on. */
const DOWNLOADING_TRIGGERS = ['legalhooks-plexus-trigger', 'legalhooks-phenixid-trigger', 'legalhooks-legalesign-trigger', 'legalhooks-quicklysign-trigger'];

async function startSimulators() {
	const pdf = samplePdf('Sandbox signed contract');
	const [legito, legalesign, quicklysign, slack, salesforce, xero, plexusDocuments, phenixid] = await Promise.all([
		legitoSim.start(),
		legalesignSim.start(),
		quicklysignSim.start(),
		slackSim.start(),
		salesforceSim.start(),
		xeroSim.start(),
		startPlexusDocuments(),
		// `npx @legalhooks/cli send phenixid OrderSigned` names a new order each time: every order is a signed one
		startPhenixidApi(undefined, { anyOrder: { state: 'SIGNED', document: pdf } }),
	]);
	const pack = quicklysign.addPack();
	// each vendor's signed document, where its download finds it
	for (const document of pack.documents) quicklysign.state.finalPdfs.set(document.key, pdf);
	legalesign.addDocument(LEGALESIGN_DOCUMENT, pdf);
	const order = phenixidSamples.OrderSigned().taskId as string;
	phenixid.orders.set(order, { id: order, state: 'SIGNED' });
	phenixid.documents.set(order, pdf);
	return { legito, legalesign, quicklysign, slack, salesforce, xero, pack, plexusDocuments, phenixid, pdf };
}
type Simulators = Awaited<ReturnType<typeof startSimulators>>;

/** Every example flow, with accounts, channels and pack keys pointed at the simulators. */
function sandboxFlows(sims: Simulators): { flows: FlowNode[]; credentials: Record<string, Record<string, string>> } {
	const examplesDir = path.join(root, 'node-red', 'examples');
	const flows: FlowNode[] = [];
	const credentials: Record<string, Record<string, string>> = {};
	for (const file of fs.readdirSync(examplesDir).filter((f) => f.endsWith('.json')).sort()) {
		for (const node of JSON.parse(fs.readFileSync(path.join(examplesDir, file), 'utf8')) as FlowNode[]) {
			if (flows.some((existing) => existing.id === node.id)) continue;
			switch (node.type) {
				case 'legalhooks-plexus-account':
					credentials[node.id] = { secret: SANDBOX_SECRET, key: SANDBOX_KEY };
					break;
				case 'legalhooks-phenixid-account':
					credentials[node.id] = { secret: SANDBOX_SECRET, key: SANDBOX_KEY, apiBaseUrl: sims.phenixid.url };
					break;
				case 'legalhooks-legito-account':
					credentials[node.id] = { apiKey: sims.legito.apiKey, privateKey: sims.legito.privateKey, region: 'custom', apiBaseUrl: sims.legito.baseUrl };
					break;
				case 'legalhooks-legalesign-account':
					credentials[node.id] = { username: sims.legalesign.username, apiKey: sims.legalesign.apiKey, apiBaseUrl: sims.legalesign.baseUrl, certificate: sims.legalesign.certificate };
					break;
				case 'legalhooks-quicklysign-account':
					credentials[node.id] = { clientId: sims.quicklysign.clientId, clientSecret: sims.quicklysign.clientSecret, apiKey: sims.quicklysign.apiKey, environment: 'custom', apiBaseUrl: sims.quicklysign.baseUrl };
					break;
				case 'legalhooks-quicklysign-trigger':
					node.documentPackKeys = sims.pack.key;
					break;
				case 'legalhooks-slack-account':
					node.baseUrl = sims.slack.apiUrl;
					credentials[node.id] = { botToken: slackSim.SLACK_SIM_TOKEN };
					break;
				case 'legalhooks-slack':
					node.channel = slackSim.SLACK_SIM_CHANNEL;
					break;
				case 'legalhooks-salesforce-account':
					node.loginUrl = sims.salesforce.url;
					credentials[node.id] = { clientId: salesforceSim.SF_SIM_CLIENT_ID, clientSecret: salesforceSim.SF_SIM_CLIENT_SECRET, refreshToken: salesforceSim.SF_SIM_REFRESH_TOKEN };
					break;
				case 'legalhooks-xero-account':
					node.identityUrl = sims.xero.identityUrl;
					node.apiUrl = sims.xero.apiUrl;
					credentials[node.id] = { clientId: xeroSim.XERO_SIM_CLIENT_ID, clientSecret: xeroSim.XERO_SIM_CLIENT_SECRET };
					break;
			}
			if (DOWNLOADING_TRIGGERS.includes(node.type)) node.downloadDocuments = true;
			if (/^legalhooks-.*-account$/.test(node.type) && !/(slack|salesforce|xero)/.test(node.type)) node.baseUrl = publicUrl;
			flows.push(node);
		}
	}
	return { flows: withEventDebug(firstTabFirst(flows)), credentials };
}

const line = (text = '') => process.stdout.write(`${text}\n`);

/** Listens on the sandbox's port, or ends the process with one line saying what to do. */
async function claimPort(server: http.Server): Promise<void> {
	try {
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, host, () => {
				server.off('error', reject);
				resolve();
			});
		});
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		const why = code === 'EADDRINUSE' ? 'is in use' : code === 'EACCES' ? 'is not allowed for this user' : `cannot be used (${code ?? (error as Error).message})`;
		process.stderr.write(`port ${port} ${why}: set PORT=… to another port (e.g. PORT=${port + 1} npm start)\n`);
		process.exit(2);
	}
}

function build(): void {
	line('building the packages (about 15 s)…');
	const started = Date.now();
	execFileSync(process.execPath, [path.join(root, 'scripts', 'build.js')], { stdio: 'inherit', cwd: root });
	line(`built in ${Math.round((Date.now() - started) / 1000)} s`);
}

async function main(): Promise<void> {
	// The port first: nothing is written while another instance may be running on it.
	const app = express();
	const server = http.createServer(app);
	await claimPort(server);
	if (process.argv.includes('--build')) build();
	line('starting the vendor and destination simulators…');
	const sims = await startSimulators();
	fs.mkdirSync(userDir, { recursive: true });
	const sandbox = sandboxFlows(sims);
	const { flows, credentials, keptTabs } = mergeWithUserDir(userDir, sandbox.flows, sandbox.credentials);
	fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flows, null, 2));
	fs.writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify(credentials, null, 2));
	const registrations = pruneSandboxRegistrations(userDir, new Set(sandbox.flows.map((node) => node.id)));
	debugSidebarFirst(userDir);
	line('starting Node-RED…');
	RED.init(server, {
		httpAdminRoot: '/red',
		httpNodeRoot: '/',
		userDir,
		flowFile: 'flows.json',
		credentialSecret: false,
		nodesDir: [path.join(root, 'node-red')],
		uiHost: host,
		uiPort: port,
		logging: { console: { level: 'info', metrics: false, audit: false } },
		editorTheme: { tours: false, projects: { enabled: false } },
		telemetry: { enabled: false },
		diagnostics: { enabled: false },
	} as any);
	const plexusTrigger = flows.find((n) => n.id === FIRST_TRIGGER)!;
	const plexus = { documents: sims.plexusDocuments, pdf: sims.pdf, triggerUrl: `${publicUrl}/legalhooks/plexus/${plexusTrigger.path || plexusTrigger.id}`, secret: SANDBOX_SECRET };
	app.use('/sandbox', express.json(), sandboxRoutes({ ...sims, plexus }));
	app.get('/', (_req, res) => res.redirect('/red/'));
	app.use('/red', RED.httpAdmin);
	app.use(plexusSampleRelink({ documents: sims.plexusDocuments, pdf: sims.pdf, secret: SANDBOX_SECRET, port, host }));
	app.use('/', RED.httpNode);

	const started = new Promise((resolve) => RED.events.once('flows:started', resolve));
	await RED.start();
	await started;

	line(`\nlegalhooks sandbox — Node-RED editor: ${publicUrl}/red/ (${publicUrl}/ leads there)`);
	line(
		keptTabs.length
			? `Your own tabs are kept (${keptTabs.map((label) => `"${label}"`).join(', ')}); only the sandbox's example tabs are rewritten at each start.`
			: "Only the sandbox's example tabs are rewritten at each start: tabs you add are kept.",
	);
	if (registrations.dropped) line(`The sandbox's own triggers register afresh (${registrations.dropped} registration(s) from the last run were at simulators that start empty).`);
	const triggers = flows.filter((n) => /^legalhooks-.*-trigger$/.test(n.type));
	const triggerUrl = (id: string) => {
		const node = triggers.find((n) => n.id === id)!;
		return `${publicUrl}/legalhooks/${node.type.replace(/^legalhooks-|-trigger$/g, '')}/${node.path || node.id}`;
	};
	line('Webhook URLs:');
	const tabOf = (node: FlowNode) => flows.find((n) => n.id === node.z)?.label ?? '';
	for (const node of triggers) line(`  ${`${tabOf(node)}:`.padEnd(46)} ${triggerUrl(node.id)}`);
	const firstTab = tabOf(triggers.find((n) => n.id === FIRST_TRIGGER)!);
	line(`Try (the first one shows a normalized event in the editor's debug sidebar, tab "${firstTab}"):`);
	line(`  npx @legalhooks/cli send plexus executed --url ${triggerUrl(FIRST_TRIGGER)} --secret ${SANDBOX_SECRET}`);
	line(`  npx @legalhooks/cli send plexus executed --tamper --url ${triggerUrl(FIRST_TRIGGER)} --secret ${SANDBOX_SECRET}   # HTTP 401, nothing runs`);
	line(`  npx @legalhooks/cli send phenixid OrderSigned --url ${triggerUrl('lh-phenixid-trigger')} --secret ${SANDBOX_SECRET} --key ${SANDBOX_KEY}`);
	line(`  curl -X POST ${publicUrl}/sandbox/fire/legito/SignCompleted       # Legito pushes to the registered connection`);
	line(`  curl -X POST ${publicUrl}/sandbox/fire/legalesign/signed          # (or /batch, /sent, /rejected: the trigger's Notify decides who gets what)`);
	line(`  curl -X POST '${publicUrl}/sandbox/fire/legalesign/realtime?event=recipient.completed'   # a trigger with Webhook System realtime`);
	line(`  curl -X POST ${publicUrl}/sandbox/fire/quicklysign/document_status_changed`);
	line('Downloaded documents (Download Documents is on; the PDF shows in the "downloaded files" debug node):');
	line(`  curl -X POST ${publicUrl}/sandbox/fire/plexus/executed            # a fresh 15-minute link on the S3 simulator`);
	line("  the plexus commands above too: the sandbox stands in for the sample's S3 links");
	line(`  curl -X POST ${publicUrl}/sandbox/fire/quicklysign/final_document_generated`);
	line(`  curl -X POST ${publicUrl}/sandbox/fire/legalesign/batch           # its status 100 entry: the final PDF`);
	line('  the phenixid OrderSigned command above: the order\'s signed document');
	line(`  curl ${publicUrl}/sandbox/xero   (also /sandbox/slack, /sandbox/salesforce: what the actions sent)`);

	const stop = async () => {
		await RED.stop();
		server.closeAllConnections();
		server.close();
		await Promise.all([sims.legito, sims.legalesign, sims.quicklysign, sims.slack, sims.salesforce, sims.xero, sims.plexusDocuments, sims.phenixid].map((s) => s.close()));
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
