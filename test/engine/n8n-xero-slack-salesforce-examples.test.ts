import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { INodeType } from 'n8n-workflow';
import { LegalSalesforce } from '../../n8n/actions/nodes/LegalSalesforce/LegalSalesforce.node';
import { LegalSlack } from '../../n8n/actions/nodes/LegalSlack/LegalSlack.node';
import { LegalXero } from '../../n8n/actions/nodes/LegalXero/LegalXero.node';
import { Legalesign } from '../../n8n/legalesign/nodes/Legalesign/Legalesign.node';
import { LegalesignTrigger } from '../../n8n/legalesign/nodes/LegalesignTrigger/LegalesignTrigger.node';
import { Legito } from '../../n8n/legito/nodes/Legito/Legito.node';
import { LegitoTrigger } from '../../n8n/legito/nodes/LegitoTrigger/LegitoTrigger.node';
import { PhenixIdSigning } from '../../n8n/phenixid-signing/nodes/PhenixIdSigning/PhenixIdSigning.node';
import { PhenixIdTrigger } from '../../n8n/phenixid-signing/nodes/PhenixIdTrigger/PhenixIdTrigger.node';
import { PlexusTrigger } from '../../n8n/plexus-gateway/nodes/PlexusTrigger/PlexusTrigger.node';
import { QuicklySign } from '../../n8n/quicklysign/nodes/QuicklySign/QuicklySign.node';
import { QuicklySignTrigger } from '../../n8n/quicklysign/nodes/QuicklySignTrigger/QuicklySignTrigger.node';
import { LegalesignPollTrigger } from '../../n8n/legalesign/nodes/LegalesignPollTrigger/LegalesignPollTrigger.node';
import { LegitoPollTrigger } from '../../n8n/legito/nodes/LegitoPollTrigger/LegitoPollTrigger.node';
import { PhenixIdPollTrigger } from '../../n8n/phenixid-signing/nodes/PhenixIdPollTrigger/PhenixIdPollTrigger.node';
import { QuicklySignPollTrigger } from '../../n8n/quicklysign/nodes/QuicklySignPollTrigger/QuicklySignPollTrigger.node';
import { CredentialStore, runNode } from '../n8n/execute-context';
import { connect } from '../n8n/oauth2';
import { executedContract, signedEvent } from '../../sandbox/simulators/destination-events';
import * as salesforceSim from '../../sandbox/simulators/salesforce';
import * as slackSim from '../../sandbox/simulators/slack';
import * as xeroSim from '../../sandbox/simulators/xero';

interface WorkflowNode {
	name: string;
	type: string;
	parameters: Record<string, any>;
	credentials?: Record<string, unknown>;
}

const ours: Record<string, INodeType> = {
	legalSlack: new LegalSlack(),
	legalSalesforce: new LegalSalesforce(),
	legalXero: new LegalXero(),
	plexusTrigger: new PlexusTrigger(),
	legalesignTrigger: new LegalesignTrigger(),
	legitoTrigger: new LegitoTrigger(),
	quicklySignTrigger: new QuicklySignTrigger(),
	phenixIdTrigger: new PhenixIdTrigger(),
	legito: new Legito(),
	legalesign: new Legalesign(),
	quicklySign: new QuicklySign(),
	phenixIdSigning: new PhenixIdSigning(),
	legitoPollTrigger: new LegitoPollTrigger(),
	legalesignPollTrigger: new LegalesignPollTrigger(),
	quicklySignPollTrigger: new QuicklySignPollTrigger(),
	phenixIdPollTrigger: new PhenixIdPollTrigger(),
};
const n8nDir = path.join(__dirname, '../../n8n');
/** Each n8n package: its name, its manifest's nodes and its example workflows (examples/*.json). */
const packages = readdirSync(n8nDir)
	.filter((dir) => existsSync(path.join(n8nDir, dir, 'package.json')))
	.map((dir) => {
		const pkg = JSON.parse(readFileSync(path.join(n8nDir, dir, 'package.json'), 'utf8'));
		const examples = readdirSync(path.join(n8nDir, dir, 'examples')).filter((f) => f.endsWith('.json')).map((f) => `${dir}/examples/${f}`);
		return { name: pkg.name as string, nodes: pkg.n8n.nodes as string[], examples };
	});
const exampleFiles = packages.flatMap((p) => p.examples);
/** Our node types by their full type name (`<package>.<node>`). */
const ourTypes = new Map<string, INodeType>(
	packages.flatMap((p) =>
		p.nodes.map((entry) => {
			const type = Object.values(ours).find((t) => entry.endsWith(`/${t.constructor.name}.node.js`));
			if (!type) throw new Error(`${entry}: not a node of this test`);
			return [`${p.name}.${type.description.name}`, type] as const;
		}),
	),
);

function workflow(file: string): { nodes: WorkflowNode[]; connections: Record<string, unknown> } {
	return JSON.parse(readFileSync(path.join(n8nDir, file), 'utf8'));
}
const node = (wf: { nodes: WorkflowNode[] }, name: string) => wf.nodes.find((n) => n.name === name) as WorkflowNode;

describe('n8n example workflows', () => {
	it.each(packages.map((p) => [p.name, p] as const))('every node of %s appears in one of its example workflows', (_name, p) => {
		const used = new Set(p.examples.flatMap((file) => workflow(file).nodes.map((n) => n.type)));
		for (const [typeName] of [...ourTypes].filter(([typeName]) => typeName.startsWith(`${p.name}.`))) expect(used).toContain(typeName);
		expect(p.nodes.length).toBeGreaterThan(0);
	});

	it.each(exampleFiles)('%s uses node types of our packages or n8n\'s own, with their parameters and credentials', (file) => {
		const wf = workflow(file);
		for (const n of wf.nodes) {
			if (n.type.startsWith('n8n-nodes-base.')) continue;
			const type = ourTypes.get(n.type);
			expect(type).toBeDefined();
			if (!type) continue;
			const known = new Set(type.description.properties.map((p) => p.name));
			for (const key of Object.keys(n.parameters)) expect(known).toContain(key);
			for (const credential of Object.keys(n.credentials ?? {})) expect((type.description.credentials ?? []).map((c) => c.name)).toContain(credential);
		}
		for (const [from, outputs] of Object.entries(wf.connections)) {
			expect(wf.nodes.map((x) => x.name)).toContain(from);
			for (const output of (outputs as { main: Array<Array<{ node: string }>> }).main) for (const target of output) expect(wf.nodes.map((x) => x.name)).toContain(target.node);
		}
	});

	it("a vendor package's examples use only its own nodes and n8n's: it installs alone", () => {
		for (const p of packages.filter((x) => !x.name.endsWith('-actions'))) {
			for (const file of p.examples) for (const n of workflow(file).nodes) expect(n.type.startsWith(`${p.name}.`) || n.type.startsWith('n8n-nodes-base.')).toBe(true);
		}
	});

	it('Plexus → Xero + Slack: the example nodes, run on an executed contract, make one draft invoice and one message', async () => {
		const [xero, slack] = await Promise.all([xeroSim.start(), slackSim.start()]);
		try {
			const wf = workflow('actions/examples/plexus-executed-to-xero-and-slack.json');
			const event = executedContract();
			const credentialStore = new CredentialStore({
				legalhooksXeroOAuth2Api: { clientId: xeroSim.XERO_SIM_CLIENT_ID, clientSecret: xeroSim.XERO_SIM_CLIENT_SECRET, authUrl: `${xero.url}/identity/connect/authorize`, accessTokenUrl: `${xero.identityUrl}/connect/token`, apiUrl: xero.apiUrl },
			});
			await connect(credentialStore, 'legalhooksXeroOAuth2Api');
			await runNode({ node: ours.legalXero, parameters: node(wf, 'Draft Xero Invoice').parameters, credentialStore, items: [{ json: event as any }] });
			await runNode({
				node: ours.legalSlack,
				parameters: { ...node(wf, 'Tell #contracts').parameters, channel: slackSim.SLACK_SIM_CHANNEL },
				credentials: { legalhooksSlackApi: { botToken: slackSim.SLACK_SIM_TOKEN, baseUrl: slack.apiUrl } },
				items: [{ json: event as any }],
			});
			expect(xero.state.invoices).toEqual([expect.objectContaining({ Type: 'ACCREC', Status: 'DRAFT', Total: 12500 })]);
			expect(slack.state.messages).toHaveLength(1);
		} finally {
			await Promise.all([xero.close(), slack.close()]);
		}
	});

	it('Legalesign → Salesforce: the example node moves the Opportunity to Closed Won', async () => {
		const sf = await salesforceSim.start();
		try {
			const wf = workflow('actions/examples/legalesign-signed-to-salesforce.json');
			const event = signedEvent();
			sf.seed('Opportunity', { Name: 'MSA', StageName: 'Negotiation/Review', CloseDate: '2024-06-30', Legalhooks_Document_Id__c: event.document.id });
			const credentialStore = new CredentialStore({ legalhooksSalesforceOAuth2Api: { loginUrl: sf.url, clientId: salesforceSim.SF_SIM_CLIENT_ID, clientSecret: salesforceSim.SF_SIM_CLIENT_SECRET } });
			await connect(credentialStore, 'legalhooksSalesforceOAuth2Api');
			await runNode({ node: ours.legalSalesforce, parameters: node(wf, 'Opportunity Stage').parameters, credentialStore, items: [{ json: event as any }] });
			expect(sf.records('Opportunity')[0].StageName).toBe('Closed Won');
		} finally {
			await sf.close();
		}
	});
});
