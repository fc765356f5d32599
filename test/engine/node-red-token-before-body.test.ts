import legalesignModule from '../../node-red/src/legalhooks-legalesign';
import legitoModule from '../../node-red/src/legalhooks-legito';
import quicklysignModule from '../../node-red/src/legalhooks-quicklysign';
import { capturing, collect, helper, httpNodeServer } from '../node-red/helper';
import { rawRequest } from '../node-red/runtime';
import * as legalesignSim from '../../sandbox/simulators/legalesign';
import * as legitoSim from '../../sandbox/simulators/legito';
import * as quicklysignSim from '../../sandbox/simulators/quicklysign';
import type { RunningServer } from '../../sandbox/simulators/server';
import { waitFor } from '../wait-for';

/**
 * Where the vendor's token sits in the URL or a header (Legalesign and QuicklySign `?token=`,
 * Legito `X-Legalhooks-Token`), a wrong one is refused before a byte of the body is read: the
 * request below announces 512 KB and never sends them. Then the vendor's real delivery is served.
 */
function flow(type: string, accountType: string, baseUrl: string, trigger: Record<string, unknown>) {
	return [
		{ id: 'acct', type: accountType, name: 'account', baseUrl },
		{ id: 'trig', type, account: 'acct', path: 'inbox', wires: [['out']], ...trigger },
		{ id: 'out', type: 'helper' },
	];
}

/** Headers only, announcing 512 KB that never come. */
async function headersOnly(server: RunningServer, target: string, headers: Record<string, string>) {
	const port = Number(new URL(server.url).port);
	const head = [`POST ${target} HTTP/1.1`, 'host: 127.0.0.1', 'content-type: application/json', `content-length: ${512 * 1024}`, ...Object.entries(headers).map(([n, v]) => `${n}: ${v}`)];
	const { response, socket } = rawRequest(port, `${head.join('\r\n')}\r\n\r\n`, { hold: true });
	const answer = await response;
	socket.destroy();
	return { status: answer.status, body: JSON.parse(answer.body) as unknown };
}

afterEach(async () => {
	await helper.unload();
});

describe('Node-RED: a wrong token is refused before the body is read', () => {
	it('Legalesign ?token=', async () => {
		const nodes = capturing(legalesignModule as any);
		const sim = await legalesignSim.start();
		const server = await httpNodeServer(nodes.red as any);
		try {
			await helper.load(nodes.module as any, flow('legalhooks-legalesign-trigger', 'legalhooks-legalesign-account', server.url, { notify: 'all' }), {
				acct: { username: sim.username, apiKey: sim.apiKey, apiBaseUrl: sim.baseUrl, certificate: sim.certificate },
			});
			await waitFor(() => sim.state.subscriptions.length === 1, 'the subscription');
			expect(await headersOnly(server, '/legalhooks/legalesign/inbox?token=wrong', {})).toEqual({ status: 401, body: { error: 'missing or wrong token in the callback URL' } });
			const received = collect(helper.getNode('out'));
			const [sent] = await sim.deliverBatch([{ value: '30', timestamp: new Date().toISOString(), resource_uri: '/api/v1/document/6619179c-95da-4d5c-b7be-7bac0bac4088/', name: 'status' }]);
			expect(sent).toMatchObject({ status: 200, body: '{"received":true}' });
			await waitFor(() => received.length === 1, 'the message');
		} finally {
			await helper.unload();
			await server.close();
			await sim.close();
		}
	});

	it('Legalesign with the right token: hostile bodies that throw in the parser are JSON answers, then serving goes on', async () => {
		const nodes = capturing(legalesignModule as any);
		const sim = await legalesignSim.start();
		const server = await httpNodeServer(nodes.red as any);
		try {
			// no certificate: Legalesign's signature is not checked, the token is all
			await helper.load(nodes.module as any, flow('legalhooks-legalesign-trigger', 'legalhooks-legalesign-account', server.url, { notify: 'all' }), {
				acct: { username: sim.username, apiKey: sim.apiKey, apiBaseUrl: sim.baseUrl },
			});
			await waitFor(() => sim.state.subscriptions.length === 1, 'the subscription');
			const url = sim.state.subscriptions[0].url;
			const batch = [{ value: 'constructor', timestamp: new Date().toISOString(), resource_uri: '/api/v1/document/6619179c-95da-4d5c-b7be-7bac0bac4088/', name: 'status' }];
			const deep = '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000);
			const received = collect(helper.getNode('out'));
			const post = (body: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
			// an unknown status value is a vendor string like any other: emitted, mapped through own properties only
			const unknown = await post(new URLSearchParams({ data: JSON.stringify(batch) }).toString());
			expect(unknown.status).toBe(200);
			await waitFor(() => received.length === 1, 'the event for the unknown status');
			expect(typeof (received[0] as any).payload.type).toBe('string');
			expect((received[0] as any).payload.vendorEventType).toBe('document.constructor');
			received.length = 0;
			const tooDeep = await post(new URLSearchParams({ json_signed: deep, event: 'signed', resource_uri: '/api/v1/document/x/' }).toString());
			expect(tooDeep.status).toBe(400);
			expect(await tooDeep.json()).toEqual({ error: expect.any(String) });
			const [sent] = await sim.deliverBatch([{ value: '30', timestamp: new Date().toISOString(), resource_uri: '/api/v1/document/6619179c-95da-4d5c-b7be-7bac0bac4088/', name: 'status' }]);
			expect(sent).toMatchObject({ status: 200, body: '{"received":true}' });
			await waitFor(() => received.length === 1, 'the message');
		} finally {
			await helper.unload();
			await server.close();
			await sim.close();
		}
	});

	it('QuicklySign ?token=', async () => {
		const nodes = capturing(quicklysignModule as any);
		const sim = await quicklysignSim.start();
		const pack = sim.addPack().key;
		const server = await httpNodeServer(nodes.red as any);
		try {
			await helper.load(nodes.module as any, flow('legalhooks-quicklysign-trigger', 'legalhooks-quicklysign-account', server.url, { documentPackKeys: pack }), {
				acct: { clientId: sim.clientId, clientSecret: sim.clientSecret, apiKey: sim.apiKey, environment: 'custom', apiBaseUrl: sim.baseUrl },
			});
			await waitFor(() => sim.state.webhooks.size === 1, 'the webhook');
			expect(await headersOnly(server, '/legalhooks/quicklysign/inbox?token=wrong', {})).toEqual({ status: 401, body: { error: 'missing or wrong token in the callback URL' } });
			const received = collect(helper.getNode('out'));
			const [sent] = await sim.fire(pack, 'entity_updated');
			expect(sent).toMatchObject({ status: 200, body: '{"received":true}' });
			await waitFor(() => received.length === 1, 'the message');
		} finally {
			await helper.unload();
			await server.close();
			await sim.close();
		}
	});

	it('Legito X-Legalhooks-Token header', async () => {
		const nodes = capturing(legitoModule as any);
		const sim = await legitoSim.start();
		const server = await httpNodeServer(nodes.red as any);
		try {
			await helper.load(nodes.module as any, flow('legalhooks-legito-trigger', 'legalhooks-legito-account', server.url, { legitoEvents: 'SignCompleted' }), {
				acct: { apiKey: sim.apiKey, privateKey: sim.privateKey, region: 'custom', apiBaseUrl: sim.baseUrl },
			});
			await waitFor(() => sim.state.connections.size === 1, 'the push connection');
			expect(await headersOnly(server, '/legalhooks/legito/inbox', { 'x-legalhooks-token': 'wrong' })).toEqual({ status: 401, body: { error: 'missing or wrong X-Legalhooks-Token header' } });
			const received = collect(helper.getNode('out'));
			const [sent] = await sim.fire('SignCompleted');
			expect(sent).toMatchObject({ status: 200, body: '{"received":true}' });
			await waitFor(() => received.length === 1, 'the message');
		} finally {
			await helper.unload();
			await server.close();
			await sim.close();
		}
	});
});
