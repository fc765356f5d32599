import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { sampleSets } from '../../core/samples/sets';
import legalesignModule from '../../node-red/src/legalhooks-legalesign';
import plexusModule from '../../node-red/src/legalhooks-plexus';
import salesforceModule from '../../node-red/src/legalhooks-salesforce';
import slackModule from '../../node-red/src/legalhooks-slack';
import xeroModule from '../../node-red/src/legalhooks-xero';
import { capturing, collect, helper } from '../node-red/helper';
import { waitFor } from '../../sandbox/simulators/destination-events';
import * as legalesignSim from '../../sandbox/simulators/legalesign';
import * as salesforceSim from '../../sandbox/simulators/salesforce';
import * as slackSim from '../../sandbox/simulators/slack';
import * as xeroSim from '../../sandbox/simulators/xero';

/* eslint-disable @typescript-eslint/no-require-imports */
const coreNodes = [
	require('@node-red/nodes/core/common/25-catch.js'),
	require('@node-red/nodes/core/function/10-switch.js'),
];
/* eslint-enable @typescript-eslint/no-require-imports */

type FlowNode = any;

/** The shipped example, with its debug nodes swapped for test helpers (same ids, so the wiring is the example's own). */
function example(file: string): FlowNode[] {
	const flow = JSON.parse(readFileSync(`${__dirname}/../../node-red/examples/${file}`, 'utf8')) as FlowNode[];
	return flow.map((n) => (n.type === 'debug' ? { id: n.id, z: n.z, type: 'helper' } : n));
}

describe('Node-RED examples with the destination simulators', () => {
	afterEach(async () => {
		await helper.unload();
	});

	it('Plexus executed contract → Xero draft invoice + Slack message', async () => {
		const [xero, slack] = await Promise.all([xeroSim.start(), slackSim.start()]);
		try {
			const plexus = capturing(plexusModule as any);
			const flow = example('Plexus executed contract to Xero and Slack.json').map((n) => {
				if (n.type === 'legalhooks-xero-account') return { ...n, identityUrl: xero.identityUrl, apiUrl: xero.apiUrl };
				if (n.type === 'legalhooks-slack-account') return { ...n, baseUrl: slack.apiUrl };
				if (n.type === 'legalhooks-slack') return { ...n, channel: slackSim.SLACK_SIM_CHANNEL };
				return n;
			});
			const secret = 'e1d2c3b4a5f60718293a4b5c6d7e8f90';
			await helper.load([...coreNodes, plexus.module, xeroModule, slackModule] as any, flow, {
				'lh-px2-plexus-account': { secret },
				'lh-px2-xero-account': { clientId: xeroSim.XERO_SIM_CLIENT_ID, clientSecret: xeroSim.XERO_SIM_CLIENT_SECRET },
				'lh-px2-slack-account': { botToken: slackSim.SLACK_SIM_TOKEN },
			});
			const results = collect(helper.getNode('lh-px2-done'));
			const errors = collect(helper.getNode('lh-px2-errors'));
			const delivery = sampleSets.plexus!.build('executed', { secret }, {});
			const response = await request(plexus.red().httpNode).post('/legalhooks/plexus/contracts').set(delivery.headers).send(String(delivery.body));
			expect(response.status).toBe(200);
			await waitFor(() => results.length === 2, 'both destinations');
			expect(errors).toEqual([]);
			expect(xero.state.invoices).toHaveLength(1);
			expect(xero.state.invoices[0]).toMatchObject({ Type: 'ACCREC', Status: 'DRAFT', Contact: { Name: 'Company A' }, Total: 12500, LineItems: [expect.objectContaining({ AccountCode: '200' })] });
			expect(slack.state.messages).toHaveLength(1);
			expect(slack.state.messages[0].text).toContain('Service Agreement for Company A');
			// a document without a value still gets the Slack message, and no invoice
			const created = sampleSets.plexus!.build('documentCreated', { secret }, {});
			await request(plexus.red().httpNode).post('/legalhooks/plexus/contracts').set(created.headers).send(String(created.body));
			expect(xero.state.invoices).toHaveLength(1);
		} finally {
			await Promise.all([xero.close(), slack.close()]);
		}
	});

	it('Legalesign signed → Salesforce Opportunity stage update', async () => {
		const [legalesign, salesforce] = await Promise.all([legalesignSim.start(), salesforceSim.start()]);
		const legalesignNode = capturing(legalesignModule as any);
		let server: http.Server | undefined;
		try {
			// Node-RED's httpNode must be reachable over HTTP for the simulator's callbacks.
			let baseUrl = '';
			const proxy = http.createServer((req, res) => legalesignNode.red().httpNode(req as any, res as any));
			server = proxy;
			await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
			baseUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
			const flow = example('Legalesign signed to Salesforce.json').map((n) => {
				if (n.type === 'legalhooks-legalesign-account') return { ...n, baseUrl };
				if (n.type === 'legalhooks-salesforce-account') return { ...n, loginUrl: salesforce.url };
				return n;
			});
			await helper.load([...coreNodes, legalesignNode.module, salesforceModule] as any, flow, {
				'lh-ls2-legalesign-account': { username: legalesign.username, apiKey: legalesign.apiKey, apiBaseUrl: legalesign.baseUrl, certificate: legalesign.certificate },
				'lh-ls2-sf-account': { clientId: salesforceSim.SF_SIM_CLIENT_ID, clientSecret: salesforceSim.SF_SIM_CLIENT_SECRET, refreshToken: salesforceSim.SF_SIM_REFRESH_TOKEN },
			});
			await waitFor(() => legalesign.state.subscriptions.some((s) => s.active && s.notify === 'signed'), 'the Legalesign subscription');
			const results = collect(helper.getNode('lh-ls2-done'));
			const errors = collect(helper.getNode('lh-ls2-errors'));
			const documentId = 'a1b2c3d4-0000-4000-8000-000000000042';
			const opp = salesforce.seed('Opportunity', { Name: 'MSA Acme', StageName: 'Negotiation/Review', CloseDate: '2024-06-30', Legalhooks_Document_Id__c: documentId });
			const delivered = await legalesign.deliverUpon('signed', { name: 'MSA Acme', event: 'signed', resource_uri: `/api/v1/document/${documentId}/`, uuid: documentId, tag: '', tag1: '', tag2: '', timestamp: new Date().toISOString() });
			expect(delivered.map((d) => d.status)).toEqual([200]);
			await waitFor(() => results.length + errors.length >= 1, 'the Salesforce result');
			expect(errors).toEqual([]);
			expect(salesforce.records('Opportunity')).toEqual([expect.objectContaining({ Id: opp.Id, StageName: 'Closed Won' })]);
		} finally {
			server?.close();
			await Promise.all([legalesign.close(), salesforce.close()]);
		}
	});
});
