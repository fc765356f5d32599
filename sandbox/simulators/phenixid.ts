import express from 'express';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { Faults, faultMiddleware, listen } from './server';

export interface PhenixidOrder {
	id: string;
	state: string;
	[field: string]: unknown;
}

export interface PhenixidApiSimulator {
	url: string;
	orders: Map<string, PhenixidOrder>;
	/** Each GET received, with the client certificate's subject CN when mutual TLS is on. */
	requests: Array<{ path: string; clientCn?: string }>;
	faults: Faults;
	close(): Promise<void>;
}

/**
 * PhenixID Signing Service Automation API, as far as the trigger uses it: GET /orders/{id}.
 * With `tls`, it serves HTTPS and requires a client certificate signed by `tls.ca` (mutual TLS).
 */
export async function startPhenixidApi(tls?: { key: string; cert: string; ca: string }): Promise<PhenixidApiSimulator> {
	const orders = new Map<string, PhenixidOrder>();
	const requests: PhenixidApiSimulator['requests'] = [];
	const faults = new Faults();
	const app = express();
	app.use(faultMiddleware(faults));
	app.get('/orders/:id', (req, res) => {
		const peer = (req.socket as TLSSocket).getPeerCertificate?.();
		requests.push({ path: req.path, clientCn: peer && 'subject' in peer ? String(peer.subject?.CN ?? '') : undefined });
		const order = orders.get(req.params.id);
		if (!order) {
			res.status(404).json({ message: `order ${req.params.id} not found` });
			return;
		}
		res.json(order);
	});

	if (!tls) {
		const server = await listen(app);
		return { url: server.url, orders, requests, faults, close: server.close };
	}
	const server = https.createServer({ key: tls.key, cert: tls.cert, ca: tls.ca, requestCert: true, rejectUnauthorized: true }, app);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `https://127.0.0.1:${port}`,
		orders,
		requests,
		faults,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
