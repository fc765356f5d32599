import express from 'express';
import { ServiceError } from '../../core/outbound/errors';
import type { HttpClient } from '../../core/outbound/http';
import { listLegalesignNotifications, legalesignRequest } from '../../core/vendors/legalesign/api';
import { listLegitoPushConnections } from '../../core/vendors/legito/api';
import { nodeHttpClient } from '../../node-red/src/shared/node-http';
import { listen, type RunningServer } from '../../sandbox/simulators/server';

// A service that quotes what it was sent in its error answers (as some APIs echo a refused key):
// the transport must keep the credential's secrets out of the error a user sees.
const http: HttpClient = (request) => nodeHttpClient({ ...request, timeoutMs: request.timeoutMs ?? 1500 });
const API_KEY = 'key-0123456789abcdef';
const PRIVATE_KEY = 'private-key-fedcba9876543210';
let server: RunningServer;
let seen: Array<{ path: string; authorization?: string }>;

beforeEach(async () => {
	seen = [];
	const app = express();
	app.use((req, res) => {
		seen.push({ path: req.path, authorization: req.headers.authorization });
		res.status(401).json({ message: `refused: ${req.headers.authorization ?? ''} (${API_KEY} / ${PRIVATE_KEY})` });
	});
	server = await listen(app);
});
afterEach(() => server.close());

async function failure(promise: Promise<unknown>): Promise<ServiceError> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e,
	);
	expect(error).toBeInstanceOf(ServiceError);
	return error as ServiceError;
}

describe('the one transport', () => {
	it('Legalesign: authenticates with ApiKey, names service, action and hint, and scrubs the key the service echoed', async () => {
		const error = await failure(listLegalesignNotifications(http, { username: 'api-user', apiKey: API_KEY, apiBaseUrl: server.url }));
		expect(seen[0]).toEqual({ path: '/notifications/', authorization: `ApiKey api-user:${API_KEY}` });
		expect(error.message).toMatch(/^Legalesign listing webhooks failed \(HTTP 401\): refused: .* — check the Legalesign API username and key/);
		expect(error.message).not.toContain(API_KEY);
		expect(error.serviceMessage).not.toContain(API_KEY);
	});

	it('Legalesign: legalesignRequest is the authenticated request other Legalesign code builds on', async () => {
		const error = await failure(legalesignRequest(http, { username: 'u', apiKey: API_KEY, apiBaseUrl: server.url }, 'reading the document', { method: 'GET', path: 'document/abc/' }));
		expect(seen[0].path).toBe('/document/abc/');
		expect(error.message).toMatch(/^Legalesign reading the document failed \(HTTP 401\)/);
		expect(error.message).not.toContain(API_KEY);
	});

	it('Legito: signs with a JWT and keeps the private key and the token out of the error', async () => {
		const error = await failure(listLegitoPushConnections(http, { apiKey: 'issuer', privateKey: PRIVATE_KEY, region: 'custom', apiBaseUrl: server.url }));
		expect(seen[0].authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
		const jwt = (seen[0].authorization as string).slice('Bearer '.length);
		expect(error.message).toMatch(/^Legito listing push connections failed \(HTTP 401\)/);
		expect(error.message).not.toContain(PRIVATE_KEY);
		expect(error.message).not.toContain(jwt);
	});

	it('a lost answer is one ServiceError with the network hint', async () => {
		await server.close();
		const error = await failure(listLegalesignNotifications(http, { username: 'u', apiKey: API_KEY, apiBaseUrl: server.url }));
		expect(error.status).toBeUndefined();
		expect(error.message).toMatch(/^Legalesign listing webhooks failed \(no response\).* — could not reach Legalesign/);
		expect(error.retryable).toBe(true);
	});
});
