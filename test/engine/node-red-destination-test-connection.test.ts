import slackModule from '../../node-red/src/legalhooks-slack';
import { helper } from '../node-red/helper';
import { SLACK_SIM_TOKEN, start, type SlackSimulator } from '../../sandbox/simulators/slack';

/** Issue 8 §4: a destination's "Test connection" lends the deployed token only to the deployed settings. */
describe('Node-RED: destination "Test connection" with deployed secrets', () => {
	let sim: SlackSimulator;
	let elsewhere: SlackSimulator;
	beforeEach(async () => {
		sim = await start();
		elsewhere = await start();
		await helper.load(slackModule as any, [{ id: 'acct', type: 'legalhooks-slack-account', connection: 'botToken', baseUrl: sim.apiUrl }], { acct: { botToken: SLACK_SIM_TOKEN } });
	});
	afterEach(async () => {
		await helper.unload();
		await sim.close();
		await elsewhere.close();
	});

	it('the deployed token goes to the deployed API URL only; another URL from the form needs the token typed in', async () => {
		const deployed = await helper.request().post('/legalhooks/slack/test').send({ id: 'acct', settings: { baseUrl: sim.apiUrl }, credentials: { botToken: '__PWRD__' } });
		expect(deployed.body.ok).toBe(true);
		const redirected = await helper.request().post('/legalhooks/slack/test').send({ id: 'acct', settings: { baseUrl: elsewhere.apiUrl }, credentials: { botToken: '__PWRD__' } });
		expect(redirected.body).toEqual({ ok: false, message: expect.stringMatching(/Enter botToken again to test with changed baseUrl/) });
		expect(elsewhere.calls('auth.test')).toHaveLength(0);
		const typed = await helper.request().post('/legalhooks/slack/test').send({ id: 'acct', settings: { baseUrl: elsewhere.apiUrl }, credentials: { botToken: SLACK_SIM_TOKEN } });
		expect(typed.body.ok).toBe(true);
	});
});
