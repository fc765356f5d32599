import express from 'express';
import legalesignModule from '../../node-red/src/legalhooks-legalesign';
import legitoModule from '../../node-red/src/legalhooks-legito';
import quicklysignModule from '../../node-red/src/legalhooks-quicklysign';
import { main as cli } from '../../cli/src/main';
import { capturing, collect, helper, statusesOf } from '../node-red/helper';
import * as legalesignSim from '../../sandbox/simulators/legalesign';
import * as legitoSim from '../../sandbox/simulators/legito';
import * as quicklysignSim from '../../sandbox/simulators/quicklysign';
import { listen, type RunningServer } from '../../sandbox/simulators/server';
import { waitFor } from '../wait-for';

/**
 * Issue 22: the CLI reaches every trigger. Legito, Legalesign and QuicklySign triggers are verified
 * with a random token they registered: the trigger's dialog gets the `npx @legalhooks/cli send` command
 * with that token (GET …/sample-command), and that command, as given, is accepted; a wrong --secret
 * gets a 401 hint that names the token, not a credential.
 */

async function run(args: string[]) {
	const out: string[] = [];
	const err: string[] = [];
	const code = await cli(args, { out: (l) => out.push(l), err: (l) => err.push(l), version: 'test' });
	return { code, out: out.join('\n'), err: err.join('\n') };
}

/** The command's words after `npx @legalhooks/cli` (the engine quotes nothing in these: URLs, hex tokens, keys). */
const argsOf = (command: string) => command.replace(/^npx @legalhooks\/cli /, '').split(/\s+/);

interface Case {
	vendor: 'legito' | 'legalesign' | 'quicklysign';
	module: any;
	start(): Promise<{ close(): Promise<void>; credentials: Record<string, unknown>; trigger: Record<string, unknown> }>;
	secretWords: RegExp;
}

const cases: Case[] = [
	{
		vendor: 'legito',
		module: legitoModule,
		secretWords: /X-Legalhooks-Token/,
		start: async () => {
			const sim = await legitoSim.start();
			return { close: sim.close, credentials: { apiKey: sim.apiKey, privateKey: sim.privateKey, region: 'custom', apiBaseUrl: sim.baseUrl }, trigger: { legitoEvents: 'SignCompleted' } };
		},
	},
	{
		vendor: 'legalesign',
		module: legalesignModule,
		secretWords: /\?token=/,
		start: async () => {
			const sim = await legalesignSim.start();
			return { close: sim.close, credentials: { username: sim.username, apiKey: sim.apiKey, apiBaseUrl: sim.baseUrl }, trigger: { notify: 'all' } };
		},
	},
	{
		vendor: 'quicklysign',
		module: quicklysignModule,
		secretWords: /\?token=/,
		start: async () => {
			const sim = await quicklysignSim.start();
			const pack = sim.addPack().key;
			return { close: sim.close, credentials: { clientId: sim.clientId, clientSecret: sim.clientSecret, apiKey: sim.apiKey, environment: 'custom', apiBaseUrl: sim.baseUrl }, trigger: { documentPackKeys: pack } };
		},
	},
];

describe.each(cases)('Node-RED $vendor trigger: the CLI command with its registration token', ({ vendor, module, start, secretWords }) => {
	const nodes = capturing(module);
	let server: RunningServer;
	let sim: Awaited<ReturnType<Case['start']>>;

	beforeEach(async () => {
		sim = await start();
		const app = express();
		app.use((req, res, next) => (nodes.red() as any).httpNode(req, res, next));
		server = await listen(app);
	});
	afterEach(async () => {
		await helper.unload();
		await server.close();
		await sim.close();
	});

	it('the dialog’s command is accepted as given; a wrong --secret gets a hint about the registration token', async () => {
		await helper.load(
			nodes.module,
			[
				{ id: 'acct', type: `legalhooks-${vendor}-account`, name: 'account', baseUrl: server.url },
				{ id: 'trigger', type: `legalhooks-${vendor}-trigger`, account: 'acct', path: 'inbox', wires: [['out']], ...sim.trigger },
				{ id: 'out', type: 'helper' },
			],
			{ acct: sim.credentials },
		);
		const before = await helper.request().get(`/legalhooks/${vendor}/registrations/trigger/sample-command`);
		await waitFor(() => statusesOf('trigger').some((s) => s.fill === 'green'), 'the registration');
		const answer = await helper.request().get(`/legalhooks/${vendor}/registrations/trigger/sample-command`);
		expect(answer.status).toBe(200);
		expect(answer.body.ready).toBe(true);
		expect(answer.body.masked).toContain('--secret <registration token>');
		expect(answer.body.masked).not.toMatch(/[0-9a-f]{64}/);
		expect(before.body.ready === false || before.body.ready === true).toBe(true); // before the first registration there is nothing to give
		const received = collect(helper.getNode('out'));
		const sent = await run(argsOf(answer.body.command));
		expect(sent).toMatchObject({ code: 0, out: expect.stringMatching(/HTTP 200/) });
		await waitFor(() => received.length > 0, 'the event');
		expect(received[0].payload.vendor).toBe(vendor);

		const wrong = await run(argsOf(answer.body.command).map((word, index, all) => (all[index - 1] === '--secret' ? 'a-credential-field' : word)));
		expect(wrong.code).toBe(1);
		expect(wrong.out).toContain('HTTP 401');
		expect(wrong.err).toMatch(/registration token, not a credential field/);
		expect(wrong.err).toMatch(secretWords);
		expect(wrong.err).not.toMatch(/may not match the one in its credential/);
	});
});

describe('the sample command before any registration', () => {
	it('a trigger that has not registered gets what to do', async () => {
		const nodes = capturing(legitoModule as any);
		await helper.load(nodes.module as any, [{ id: 'acct', type: 'legalhooks-legito-account', name: 'a' }], {});
		const answer = await helper.request().get('/legalhooks/legito/registrations/nope/sample-command');
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual({ ready: false, message: expect.stringMatching(/deploy the trigger/) });
		await helper.unload();
	});
});

describe('n8n: the trigger’s notice says what --secret is', () => {
	it.each([
		['legito', () => new (require('../../n8n/legito/nodes/LegitoTrigger/LegitoTrigger.node').LegitoTrigger)(), /registration token a CLI sample needs as --secret/],
		['legalesign', () => new (require('../../n8n/legalesign/nodes/LegalesignTrigger/LegalesignTrigger.node').LegalesignTrigger)(), /registration token a CLI sample needs as --secret/],
		['quicklysign', () => new (require('../../n8n/quicklysign/nodes/QuicklySignTrigger/QuicklySignTrigger.node').QuicklySignTrigger)(), /registration token a CLI sample needs as --secret/],
	])('%s', (_vendor, make, words) => {
		const notice = make().description.properties.find((p: { name: string }) => p.name === 'setupNotice');
		expect(notice.displayName).toMatch(words);
	});
});
