import { readdirSync, readFileSync } from 'node:fs';
import type { INodeType } from 'n8n-workflow';
import { LegalSalesforce } from '../../nodes/LegalSalesforce/LegalSalesforce.node';
import { LegalSlack } from '../../nodes/LegalSlack/LegalSlack.node';
import { LegalXero } from '../../nodes/LegalXero/LegalXero.node';
import { LegalesignTrigger } from '../../nodes/LegalesignTrigger/LegalesignTrigger.node';
import { LegitoTrigger } from '../../nodes/LegitoTrigger/LegitoTrigger.node';
import { PhenixIdTrigger } from '../../nodes/PhenixIdTrigger/PhenixIdTrigger.node';
import { PlexusTrigger } from '../../nodes/PlexusTrigger/PlexusTrigger.node';
import { QuicklySignTrigger } from '../../nodes/QuicklySignTrigger/QuicklySignTrigger.node';
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

const PACKAGE = '@legalhooks/n8n-nodes-legalhooks.';
const ours: Record<string, INodeType> = {
	legalSlack: new LegalSlack(),
	legalSalesforce: new LegalSalesforce(),
	legalXero: new LegalXero(),
	plexusTrigger: new PlexusTrigger(),
	legalesignTrigger: new LegalesignTrigger(),
	legitoTrigger: new LegitoTrigger(),
	quicklySignTrigger: new QuicklySignTrigger(),
	phenixIdTrigger: new PhenixIdTrigger(),
};
const exampleFiles = readdirSync(`${__dirname}/../../examples/n8n`).filter((f) => f.endsWith('.json'));

function workflow(file: string): { nodes: WorkflowNode[]; connections: Record<string, unknown> } {
	return JSON.parse(readFileSync(`${__dirname}/../../examples/n8n/${file}`, 'utf8'));
}
const node = (wf: { nodes: WorkflowNode[] }, name: string) => wf.nodes.find((n) => n.name === name) as WorkflowNode;

describe('n8n example workflows', () => {
	it('every node of the package appears in an example workflow', () => {
		const used = new Set(exampleFiles.flatMap((file) => workflow(file).nodes.map((n) => n.type)));
		const manifest = JSON.parse(readFileSync(`${__dirname}/../../package.json`, 'utf8')).n8n.nodes as string[];
		for (const entry of manifest) {
			const name = Object.values(ours).find((type) => entry.endsWith(`/${type.constructor.name}.node.js`))?.description.name;
			expect(name).toBeDefined();
			expect(used).toContain(`${PACKAGE}${name}`);
		}
	});

	it.each(exampleFiles)('%s uses our node types, their parameters and credentials', (file) => {
		const wf = workflow(file);
		for (const n of wf.nodes.filter((x) => x.type.startsWith(PACKAGE))) {
			const type = ours[n.type.slice(PACKAGE.length)];
			expect(type).toBeDefined();
			const known = new Set(type.description.properties.map((p) => p.name));
			for (const key of Object.keys(n.parameters)) expect(known).toContain(key);
			for (const credential of Object.keys(n.credentials ?? {})) expect((type.description.credentials ?? []).map((c) => c.name)).toContain(credential);
		}
		for (const [from, outputs] of Object.entries(wf.connections)) {
			expect(wf.nodes.map((x) => x.name)).toContain(from);
			for (const output of (outputs as { main: Array<Array<{ node: string }>> }).main) for (const target of output) expect(wf.nodes.map((x) => x.name)).toContain(target.node);
		}
	});

	it('Plexus → Xero + Slack: the example nodes, run on an executed contract, make one draft invoice and one message', async () => {
		const [xero, slack] = await Promise.all([xeroSim.start(), slackSim.start()]);
		try {
			const wf = workflow('plexus-executed-to-xero-and-slack.json');
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
			const wf = workflow('legalesign-signed-to-salesforce.json');
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
