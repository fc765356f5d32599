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
	/** Signed documents by order id, served at /orders/{id}/document. */
	documents: Map<string, Buffer>;
	/** Each GET received, with the client certificate's subject CN when mutual TLS is on. */
	requests: Array<{ path: string; clientCn?: string }>;
	faults: Faults;
	close(): Promise<void>;
}

/**
 * PhenixID Signing Service Automation API, as far as the trigger uses it: GET /orders/{id} and
 * the signed document at GET /orders/{id}/document (our assumed path: see
 * core/vendors/phenixid/download.ts). With `tls`, it serves HTTPS and requires a client
 * certificate signed by `tls.ca`: the API has no authentication of its own, "PhenixID recommends
 * to use a load balancer or proxy in front of the API [with] mutual TLS" (Automation API page), so
 * a missing certificate is refused at the TLS handshake, as such a proxy does. A document of an
 * order not yet signed is 404 (the order exists, its signed document does not).
 */
export async function startPhenixidApi(
	tls?: { key: string; cert: string; ca: string },
	/** The sandbox's stand-in: an order it was not told about is this order (the CLI sends a fresh order id each time). */
	options: { anyOrder?: { state: string; document: Buffer } } = {},
): Promise<PhenixidApiSimulator> {
	const orders = new Map<string, PhenixidOrder>();
	const documents = new Map<string, Buffer>();
	const requests: PhenixidApiSimulator['requests'] = [];
	const faults = new Faults();
	const app = express();
	app.use(faultMiddleware(faults));
	app.get('/orders/:id', (req, res) => {
		const peer = (req.socket as TLSSocket).getPeerCertificate?.();
		requests.push({ path: req.path, clientCn: peer && 'subject' in peer ? String(peer.subject?.CN ?? '') : undefined });
		const order = orders.get(req.params.id) ?? (options.anyOrder ? { id: req.params.id, state: options.anyOrder.state } : undefined);
		if (!order) {
			res.status(404).json({ message: `order ${req.params.id} not found` });
			return;
		}
		res.json(order);
	});
	// SWF Automation API 3.0.0 `GET /api/v2/tasks/{taskId}`: one task's current state; there is no list
	// or search. The specification's task fields beyond its id are not in our sources: ASSUMPTION, the
	// task is the same object as the order here (`state` holds e.g. PENDING, ACCEPTED, SIGNED, REJECTED,
	// CANCELED, EXPIRED). A test changes `orders` to make a task move while no webhook is heard.
	app.get('/api/v2/tasks/:taskId', (req, res) => {
		const peer = (req.socket as TLSSocket).getPeerCertificate?.();
		requests.push({ path: req.path, clientCn: peer && 'subject' in peer ? String(peer.subject?.CN ?? '') : undefined });
		const task = orders.get(req.params.taskId);
		if (!task) return void res.status(404).json({ message: `task ${req.params.taskId} not found` });
		res.json(task);
	});
	app.get('/orders/:id/document', (req, res) => {
		const peer = (req.socket as TLSSocket).getPeerCertificate?.();
		requests.push({ path: req.path, clientCn: peer && 'subject' in peer ? String(peer.subject?.CN ?? '') : undefined });
		const document = documents.get(req.params.id) ?? (orders.has(req.params.id) ? undefined : options.anyOrder?.document);
		if (!document) {
			res.status(404).json({ message: orders.has(req.params.id) ? `order ${req.params.id} has no signed document` : `order ${req.params.id} not found` });
			return;
		}
		res.status(200).type('application/pdf').send(document);
	});

	if (!tls) {
		const server = await listen(app);
		return { url: server.url, orders, documents, requests, faults, close: server.close };
	}
	const server = https.createServer({ key: tls.key, cert: tls.cert, ca: tls.ca, requestCert: true, rejectUnauthorized: true }, app);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `https://127.0.0.1:${port}`,
		orders,
		documents,
		requests,
		faults,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
