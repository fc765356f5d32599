import salesforceModule from '../../node-red/src/legalhooks-salesforce';
import slackModule from '../../node-red/src/legalhooks-slack';
import xeroModule from '../../node-red/src/legalhooks-xero';
import { helper } from '../node-red/helper';
import * as salesforceSim from '../../sandbox/simulators/salesforce';
import * as slackSim from '../../sandbox/simulators/slack';
import * as xeroSim from '../../sandbox/simulators/xero';

/** The editor's suggestion lists: admin endpoints answered from the service with the deployed account. */
describe('Node-RED: pickers for channel, organisation, object and external ID field', () => {
	let slack: slackSim.SlackSimulator;
	let sf: salesforceSim.SalesforceSimulator;
	let xero: xeroSim.XeroSimulator;
	beforeEach(async () => {
		[slack, sf, xero] = await Promise.all([slackSim.start(), salesforceSim.start(), xeroSim.start()]);
		slack.state.channels.set('C0SIMSALES1', 'sales');
		for (let i = 0; i < 250; i++) slack.state.channels.set(`C0SIMX${String(i).padStart(4, '0')}`, `z-${i}`);
		const flow = [
			{ id: 'f1', type: 'tab', label: 't' },
			{ id: 'sacct', type: 'legalhooks-slack-account', connection: 'botToken', baseUrl: slack.apiUrl },
			{ id: 'facct', type: 'legalhooks-salesforce-account', grantType: 'refresh_token', loginUrl: sf.url, apiVersion: '60.0' },
			{ id: 'xacct', type: 'legalhooks-xero-account', grantType: 'client_credentials', identityUrl: xero.identityUrl, apiUrl: xero.apiUrl },
		];
		await helper.load([slackModule as any, salesforceModule as any, xeroModule as any], flow, {
			sacct: { botToken: slackSim.SLACK_SIM_TOKEN },
			facct: { clientId: salesforceSim.SF_SIM_CLIENT_ID, clientSecret: salesforceSim.SF_SIM_CLIENT_SECRET, refreshToken: salesforceSim.SF_SIM_REFRESH_TOKEN },
			xacct: { clientId: xeroSim.XERO_SIM_CLIENT_ID, clientSecret: xeroSim.XERO_SIM_CLIENT_SECRET },
		});
	});
	afterEach(async () => {
		await helper.unload();
		await Promise.all([slack.close(), sf.close(), xero.close()]);
	});

	it('Slack channels (all pages of conversations.list)', async () => {
		const res = await helper.request().get('/legalhooks/slack/channels').query({ account: 'sacct' });
		expect(res.body.ok).toBe(true);
		expect(res.body.items).toHaveLength(252);
		expect(res.body.items.slice(0, 2)).toEqual([
			{ value: slackSim.SLACK_SIM_CHANNEL, label: '#legal-events' },
			{ value: 'C0SIMSALES1', label: '#sales' },
		]);
		expect(slack.calls('conversations.list').length).toBeGreaterThan(1);
	});

	it('Salesforce objects and an object’s External ID fields', async () => {
		const objects = await helper.request().get('/legalhooks/salesforce/objects').query({ account: 'facct' });
		expect(objects.body.items.map((o: { value: string }) => o.value)).toEqual(expect.arrayContaining(['Opportunity', 'Contract__c', 'Task']));
		const fields = await helper.request().get('/legalhooks/salesforce/external-id-fields').query({ account: 'facct', object: 'Opportunity' });
		expect(fields.body).toEqual({ ok: true, items: [{ value: 'Legalhooks_Document_Id__c', label: 'Legalhooks Document Id' }] });
	});

	it('Xero organisations; an account that is not deployed (or of another type) gets a clear 404', async () => {
		const orgs = await helper.request().get('/legalhooks/xero/organisations').query({ account: 'xacct' });
		expect(orgs.body).toEqual({ ok: true, items: [{ value: xeroSim.XERO_SIM_TENANT_ID, label: 'Demo Company (AU)' }] });
		const missing = await helper.request().get('/legalhooks/xero/organisations').query({ account: 'nope' });
		expect(missing.status).toBe(404);
		const wrongType = await helper.request().get('/legalhooks/xero/organisations').query({ account: 'sacct' });
		expect(wrongType.status).toBe(404);
	});
});
