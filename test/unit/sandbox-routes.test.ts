import express from 'express';
import * as fs from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import { legalesign } from '../../core/vendors/legalesign';
import { generateSecret } from '../../core/verify/crypto';
import { nodeHttpClient } from '../../node-red/src/shared/node-http';
import { FIRST_TRIGGER, firstTabFirst, withEventDebug, type FlowNode } from '../../sandbox/flows';
import { sandboxRoutes, type SandboxSimulators } from '../../sandbox/routes';
import * as legalesignSim from '../../sandbox/simulators/legalesign';
import * as legitoSim from '../../sandbox/simulators/legito';
import * as quicklysignSim from '../../sandbox/simulators/quicklysign';
import * as salesforceSim from '../../sandbox/simulators/salesforce';
import { listen, type RunningServer } from '../../sandbox/simulators/server';
import * as slackSim from '../../sandbox/simulators/slack';
import * as xeroSim from '../../sandbox/simulators/xero';

// The sandbox's /sandbox routes (npm start) answer JSON that says what happened, with real simulators.
let sims: SandboxSimulators;
let app: express.Express;
beforeAll(async () => {
	const [legito, legalesign, quicklysign, slack, salesforce, xero] = await Promise.all([
		legitoSim.start(),
		legalesignSim.start(),
		quicklysignSim.start(),
		slackSim.start(),
		salesforceSim.start(),
		xeroSim.start(),
	]);
	sims = { legito, legalesign, quicklysign, slack, salesforce, xero, pack: quicklysign.addPack() };
	app = express().use('/sandbox', sandboxRoutes(sims));
});
afterAll(() => Promise.all([sims.legito, sims.legalesign, sims.quicklysign, sims.slack, sims.salesforce, sims.xero].map((s) => s.close())));

describe('sandbox routes', () => {
	it.each([
		['/sandbox/fire/legito/SignComplete', 'unknown Legito event type "SignComplete"', 'SignCompleted'],
		['/sandbox/fire/legalesign/signd', 'unknown Legalesign delivery "signd"', 'signed'],
		['/sandbox/fire/quicklysign/nope', 'unknown QuicklySign callback event "nope"', 'document_status_changed'],
	])('%s: 404 JSON naming the wrong name and the known ones', async (path, error, known) => {
		const response = await request(app).post(path);
		expect(response.status).toBe(404);
		expect(response.body.error).toBe(error);
		expect(response.body.known).toContain(known);
	});

	it('says why nothing was delivered instead of answering [] with 200', async () => {
		const response = await request(app).post('/sandbox/fire/legalesign/sent');
		expect(response.status).toBe(409);
		expect(response.body).toMatchObject({ delivered: 0 });
		expect(response.body.error).toMatch(/nothing was delivered — no active Legalesign subscription with Notify "sent"/);
		expect((await request(app).post('/sandbox/fire/legito/SignCompleted')).body.error).toMatch(/no enabled Legito push connection takes SignCompleted/);
	});

	it('reports each delivery and the trigger’s answer, without the token in the URL', async () => {
		const received: string[] = [];
		const receiver: RunningServer = await listen(
			express().post('/hook', express.text({ type: '*/*' }), (req, res) => {
				received.push(String(req.query.token));
				res.status(401).json({ error: 'bad token' });
			}),
		);
		const token = generateSecret();
		try {
			const credentials = { username: sims.legalesign.username, apiKey: sims.legalesign.apiKey, apiBaseUrl: sims.legalesign.baseUrl };
			await legalesign.register!(nodeHttpClient, credentials, { url: `${receiver.url}/hook`, secret: token, options: { notify: 'signed' } });
			const response = await request(app).post('/sandbox/fire/legalesign/signed');
			expect(response.status).toBe(502);
			expect(response.body).toMatchObject({ delivered: 1, deliveries: [{ to: `${receiver.url}/hook`, status: 401, answer: { error: 'bad token' } }] });
			expect(response.body.error).toMatch(/1 of 1 deliveries refused by the trigger \(HTTP 401\)/);
			expect(received).toEqual([token]);
			expect(JSON.stringify(response.body)).not.toContain(token);
		} finally {
			await receiver.close();
		}
	});

	it('fires a Legalesign realtime event to the realtime subscriptions, after the document agrees with it', async () => {
		const bodies: string[] = [];
		const receiver: RunningServer = await listen(
			express().post('/rt', express.text({ type: '*/*' }), (req, res) => {
				bodies.push(String(req.body));
				res.status(200).json({ received: true });
			}),
		);
		try {
			expect((await request(app).post('/sandbox/fire/legalesign/realtime?event=recipient.nope')).body.known).toContain('recipient.completed');
			const credentials = { username: sims.legalesign.username, apiKey: sims.legalesign.apiKey, apiBaseUrl: sims.legalesign.baseUrl };
			await legalesign.register!(nodeHttpClient, credentials, { url: `${receiver.url}/rt`, secret: generateSecret(), options: { webhookSystem: 'realtime', eventFilter: 'recipient.*' } });
			const response = await request(app).post('/sandbox/fire/legalesign/realtime?event=recipient.completed');
			expect(response.status).toBe(200);
			expect(response.body).toMatchObject({ delivered: 1 });
			expect(JSON.parse(bodies[0])).toMatchObject({ object: 'recipient', event: 'completed', data: { uuid: '6619179c-95da-4d5c-b7be-7bac0bac4088' } });
			expect(sims.legalesign.state.records.get('6619179c-95da-4d5c-b7be-7bac0bac4088')!.signers[0].status).toBe(40);
			// document.* is not taken by the recipient.* filter: nothing delivered, and the answer says so
			expect((await request(app).post('/sandbox/fire/legalesign/realtime?event=document.finalPdfCreated')).body).toMatchObject({ delivered: 0 });
		} finally {
			await receiver.close();
		}
	});

	it('answers JSON for a wrong method or an unknown route', async () => {
		const wrongMethod = await request(app).get('/sandbox/fire/legito/SignCompleted');
		expect(wrongMethod.status).toBe(405);
		expect(wrongMethod.body.error).toMatch(/use POST/);
		const unknown = await request(app).post('/sandbox/fire/docusign/x');
		expect(unknown.status).toBe(404);
		expect(unknown.type).toBe('application/json');
		expect(unknown.body.routes).toContain('GET /sandbox/xero');
	});
});

describe('sandbox flows: the README’s first command', () => {
	const root = path.resolve(__dirname, '../..');
	const examples: FlowNode[] = fs
		.readdirSync(`${root}/node-red/examples`)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.flatMap((f) => JSON.parse(fs.readFileSync(`${root}/node-red/examples/${f}`, 'utf8')));

	it('targets the trigger whose tab opens first and whose event goes to a debug node', () => {
		const readme = fs.readFileSync(`${root}/README.md`, 'utf8');
		const first = /npx @legalhooks\/cli send plexus executed --url http:\/\/127\.0\.0\.1:1880\/legalhooks\/plexus\/([\w-]+) --secret/.exec(readme);
		const flows = withEventDebug(firstTabFirst(examples));
		const trigger = flows.find((n) => n.id === FIRST_TRIGGER)!;
		expect(first?.[1]).toBe(trigger.path);
		expect(flows[0]).toMatchObject({ type: 'tab', id: trigger.z });
		const debug = flows.find((n) => trigger.wires[0].includes(n.id) && n.type === 'debug');
		expect(debug).toMatchObject({ active: true, tosidebar: true, complete: 'payload', z: trigger.z });
		for (const t of flows.filter((n) => /^legalhooks-.*-trigger$/.test(n.type))) {
			expect(t.wires[0].some((id: string) => flows.find((n) => n.id === id)?.type === 'debug')).toBe(true);
		}
	});

	it('a trigger with Download Documents on also gets a "downloaded files" debug node on msg.files', () => {
		const downloading = examples.map((n) => (n.type === 'legalhooks-phenixid-trigger' ? { ...n, downloadDocuments: true } : n));
		const flows = withEventDebug(downloading);
		const trigger = flows.find((n) => n.type === 'legalhooks-phenixid-trigger')!;
		const wiredFrom = (node: { wires?: string[][] }) => flows.filter((n) => (node.wires?.[0] ?? []).includes(n.id));
		// the files debug node sits behind a "has files" switch
		const debugs = wiredFrom(trigger).flatMap((n) => (n.type === 'switch' ? wiredFrom(n) : [n])).filter((n) => n.type === 'debug');
		expect(debugs.map((n) => n.complete).sort()).toEqual(['files', 'payload']);
	});
});
