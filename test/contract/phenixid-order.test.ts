import type { NormalizedEvent } from '../../core/event/normalized-event';
import { fetchPhenixidOrders } from '../../core/vendors/phenixid/api';
import { nodeHttpClient } from '../../node-red/src/shared/node-http';
import { startPhenixidApi, type PhenixidApiSimulator } from '../../sandbox/simulators/phenixid';
import { makeTestPki, type TestPki } from '../../sandbox/simulators/tls';

const TASK = '07c6ad8c-d1ba-4e73-9bbf-c70a085a449c';
const event = (): NormalizedEvent => ({
	id: 'e1',
	vendor: 'phenixid',
	type: 'document.completed',
	vendorEventType: 'OrderSigned',
	occurredAt: null,
	receivedAt: new Date().toISOString(),
	document: { id: TASK, status: 'completed' },
	files: [],
	data: { taskId: TASK },
});

describe('PhenixID Automation API: Fetch order', () => {
	let api: PhenixidApiSimulator;
	beforeAll(async () => {
		api = await startPhenixidApi();
		api.orders.set(TASK, { id: TASK, state: 'SIGNED', signers: [{ name: 'Alice' }] });
	});
	afterAll(() => api.close());

	it('puts the order in data.order', async () => {
		const [enriched] = await fetchPhenixidOrders(nodeHttpClient, { secret: 's', apiBaseUrl: api.url }, [event()], { fetchOrder: true });
		expect(enriched.data.order).toEqual({ id: TASK, state: 'SIGNED', signers: [{ name: 'Alice' }] });
		expect(api.requests.at(-1)?.path).toBe(`/orders/${TASK}`);
	});

	it('keeps the event with the reason when the order is missing or the API is down', async () => {
		const [missing] = await fetchPhenixidOrders(nodeHttpClient, { secret: 's', apiBaseUrl: api.url }, [event()], { orderPath: '/orders/{id}-x' });
		expect(missing.data.orderError).toMatch(/HTTP 404/);
		api.faults.failNext(503);
		const [failing] = await fetchPhenixidOrders(nodeHttpClient, { secret: 's', apiBaseUrl: api.url }, [event()], {});
		expect(failing.data.orderError).toMatch(/HTTP 503/);
		const [down] = await fetchPhenixidOrders(nodeHttpClient, { secret: 's', apiBaseUrl: 'http://127.0.0.1:9' }, [event()], {});
		expect(down.data.orderError).toMatch(/unreachable/);
		const [unset] = await fetchPhenixidOrders(nodeHttpClient, { secret: 's' }, [event()], {});
		expect(unset.data.orderError).toMatch(/base URL/);
	});
});

describe('PhenixID Automation API over mutual TLS', () => {
	let pki: TestPki;
	let api: PhenixidApiSimulator;
	beforeAll(async () => {
		pki = makeTestPki();
		api = await startPhenixidApi({ key: pki.serverKey, cert: pki.serverCert, ca: pki.ca });
		api.orders.set(TASK, { id: TASK, state: 'SIGNED' });
	});
	afterAll(() => api.close());

	it('presents the client certificate and trusts the private server CA', async () => {
		const credentials = { secret: 's', apiBaseUrl: api.url, clientCertificate: pki.clientCert, clientKey: pki.clientKey, serverCa: pki.ca };
		const [enriched] = await fetchPhenixidOrders(nodeHttpClient, credentials, [event()], {});
		expect(enriched.data.order).toEqual({ id: TASK, state: 'SIGNED' });
		expect(api.requests.at(-1)?.clientCn).toBe('legalhooks client');
	});

	it('is refused without the client certificate, and without trusting the server CA', async () => {
		const [noClientCert] = await fetchPhenixidOrders(nodeHttpClient, { secret: 's', apiBaseUrl: api.url, serverCa: pki.ca }, [event()], {});
		expect(noClientCert.data.orderError).toBeDefined();
		expect(noClientCert.data.order).toBeUndefined();
		const [untrusted] = await fetchPhenixidOrders(
			nodeHttpClient,
			{ secret: 's', apiBaseUrl: api.url, clientCertificate: pki.clientCert, clientKey: pki.clientKey },
			[event()],
			{},
		);
		expect(untrusted.data.orderError).toMatch(/unreachable/);
	});
});
