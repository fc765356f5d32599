import type { INodeProperties } from 'n8n-workflow';
import { missingCredentials } from '../../core/lifecycle/account-check';
import { vendors } from '../../core/vendors';
import { LegalesignApi } from '../../n8n/legalesign/credentials/LegalesignApi.credentials';
import { LegitoApi } from '../../n8n/legito/credentials/LegitoApi.credentials';
import { PhenixIdSigningApi } from '../../n8n/phenixid-signing/credentials/PhenixIdSigningApi.credentials';
import { PlexusGatewayApi } from '../../n8n/plexus-gateway/credentials/PlexusGatewayApi.credentials';
import { QuicklySignApi } from '../../n8n/quicklysign/credentials/QuicklySignApi.credentials';
import { LegitoTrigger } from '../../n8n/legito/nodes/LegitoTrigger/LegitoTrigger.node';
import legitoModule from '../../node-red/src/legalhooks-legito';
import plexusModule from '../../node-red/src/legalhooks-plexus';
import { N8nTriggerHarness } from '../n8n/trigger-harness';
import { capturing, helper, httpNodeServer, statusesOf } from '../node-red/helper';
import * as legitoSim from '../../sandbox/simulators/legito';
import { sendDelivery } from '../../sandbox/simulators/server';

/** Issue 22: a misconfigured account is named before the first delivery, in both engines. */

const lastStatus = (id: string) => statusesOf(id).pop();

describe('Node-RED: a misconfigured account is named, not shown as listening', () => {
	afterEach(async () => {
		await helper.unload();
	});

	it('a Plexus account with an empty secret: the trigger is red with what to fill in, and the editor’s deploy check learns it', async () => {
		const nodes = capturing(plexusModule as any);
		const server = await httpNodeServer(nodes.red as any);
		try {
			await helper.load(
				nodes.module as any,
				[
					{ id: 'acct', type: 'legalhooks-plexus-account', name: 'plexus' },
					{ id: 'trigger', type: 'legalhooks-plexus-trigger', account: 'acct', path: 'inbox', wires: [[]] },
				],
				{ acct: { secret: '' } },
			);
			expect(lastStatus('trigger')).toEqual({ fill: 'red', shape: 'ring', text: 'account: fill in webhook secret' });
			expect(statusesOf('trigger').some((s) => s.fill === 'green')).toBe(false);
			// Deliveries are still refused.
			expect((await sendDelivery(`${server.url}/legalhooks/plexus/inbox`, { headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(401);
			const missing = await helper.request().get('/legalhooks-plexus-account/missing');
			expect(missing.body).toEqual({ accounts: { acct: ['webhook secret'] } });
		} finally {
			await server.close();
		}
	});

	it('a Plexus account with a secret stays green and is not listed as missing anything', async () => {
		const nodes = capturing(plexusModule as any);
		await helper.load(
			nodes.module as any,
			[
				{ id: 'acct', type: 'legalhooks-plexus-account', name: 'plexus' },
				{ id: 'trigger', type: 'legalhooks-plexus-trigger', account: 'acct', path: 'inbox', wires: [[]] },
			],
			{ acct: { secret: 'a'.repeat(64) } },
		);
		expect(lastStatus('trigger')).toMatchObject({ fill: 'green' });
		expect((await helper.request().get('/legalhooks-plexus-account/missing')).body).toEqual({ accounts: {} });
	});

	describe('Legito', () => {
		let sim: legitoSim.LegitoSimulator;
		const nodes = capturing(legitoModule as any);
		beforeEach(async () => {
			sim = await legitoSim.start();
		});
		afterEach(async () => {
			await sim.close();
		});
		const load = (baseUrl: string, credentials: Record<string, unknown>) =>
			helper.load(
				nodes.module as any,
				[
					{ id: 'acct', type: 'legalhooks-legito-account', name: 'legito', baseUrl },
					{ id: 'trigger', type: 'legalhooks-legito-trigger', account: 'acct', path: 'inbox', legitoEvents: 'SignCompleted', wires: [[]] },
				],
				{ acct: credentials },
			);

		it('a public URL of "not a url" is named as invalid, not as missing', async () => {
			await load('not a url', { apiKey: sim.apiKey, privateKey: sim.privateKey, region: 'custom', apiBaseUrl: sim.baseUrl });
			expect(lastStatus('trigger')).toEqual({ fill: 'red', shape: 'ring', text: 'public base URL "not a url" is not a valid http(s) URL' });
			expect(sim.state.calls).toEqual([]);
		});

		it('an empty private key: red with what to fill in, and no call to Legito', async () => {
			await load('https://nodered.example.com', { apiKey: sim.apiKey, privateKey: '', region: 'custom', apiBaseUrl: sim.baseUrl });
			expect(lastStatus('trigger')).toEqual({ fill: 'red', shape: 'ring', text: 'account: fill in private key' });
			expect(sim.state.calls).toEqual([]);
		});

		it('"Test connection" names the empty fields before any request', async () => {
			await helper.load(nodes.module as any, [{ id: 'acct', type: 'legalhooks-legito-account', name: 'legito' }], {});
			const empty = await helper.request().post('/legalhooks-legito-account/test').send({ credentials: { apiKey: '', privateKey: '', region: 'custom', apiBaseUrl: sim.baseUrl } });
			expect(empty.body).toEqual({ ok: false, message: 'Fill in the API key, private key first' });
			const noUrl = await helper.request().post('/legalhooks-legito-account/test').send({ credentials: { apiKey: 'k', privateKey: 'p', region: 'custom', apiBaseUrl: '' } });
			expect(noUrl.body).toEqual({ ok: false, message: 'Fill in the API base URL first' });
			expect(sim.state.calls).toEqual([]);
			const filled = await helper.request().post('/legalhooks-legito-account/test').send({ credentials: { apiKey: sim.apiKey, privateKey: sim.privateKey, region: 'custom', apiBaseUrl: sim.baseUrl } });
			expect(filled.body.ok).toBe(true);
		});
	});
});

describe('n8n: the same rules at activation and in the credentials', () => {
	it('a Legito Trigger with an empty private key fails activation naming the field, without calling Legito', async () => {
		const sim = await legitoSim.start();
		const harness = await new N8nTriggerHarness(new LegitoTrigger(), {
			credentials: { legitoApi: { apiKey: sim.apiKey, privateKey: '', region: 'custom', apiBaseUrl: sim.baseUrl } },
			parameters: { legitoEvents: ['SignCompleted'] },
		}).start();
		try {
			await expect(harness.activate()).rejects.toThrow('The Legito account has no private key: fill it in');
			expect(sim.state.calls).toEqual([]);
		} finally {
			await harness.stop();
			await sim.close();
		}
	});

	// n8n runs a credential test only once the fields it marks required (among those shown) are filled.
	it.each([
		['legito', new LegitoApi(), { region: 'custom' }],
		['legalesign', new LegalesignApi(), {}],
		['quicklysign', new QuicklySignApi(), { environment: 'custom' }],
		['plexus', new PlexusGatewayApi(), {}],
		['phenixid', new PhenixIdSigningApi(), {}],
	] as const)('the %s credential marks required exactly what core requires', (vendorId, credential, shown) => {
		const properties = credential.properties as INodeProperties[];
		const fields = new Set(properties.map((p) => p.name));
		const visible = (p: INodeProperties) => Object.entries(p.displayOptions?.show ?? {}).every(([field, values]) => (values as unknown[]).includes((shown as Record<string, unknown>)[field]));
		const requiredByN8n = properties.filter((p) => p.required && visible(p)).map((p) => p.name).sort();
		const empty = Object.fromEntries(properties.map((p) => [p.name, (shown as Record<string, unknown>)[p.name] ?? '']));
		const rules = vendors[vendorId]!.requiredCredentials.filter((rule) => fields.has(rule.field));
		const requiredByCore = rules.filter((rule) => missingCredentials([rule], empty).length > 0).map((rule) => rule.field).sort();
		expect(requiredByN8n).toEqual(requiredByCore);
	});
});
