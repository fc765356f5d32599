import type { NodeAPI } from 'node-red';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readRawBody, type RawBodyResult } from './raw-body';

type Request = IncomingMessage & { _parsedUrl?: { pathname?: string }; _body?: boolean; legalhooksBody?: RawBodyResult; params?: Record<string, string> };
type Handler = (req: Request, res: ServerResponse & { status(code: number): any; json(body: unknown): any }) => void;

export interface TriggerRoute {
	limit: number;
	handle: Handler;
}

interface Express {
	all(path: string, handler: Handler): void;
	use(handler: (req: Request, res: ServerResponse, next: () => void) => void): void;
	parent?: Express;
	_router?: { stack: Array<{ handle: unknown }> };
}

/** Per Node-RED runtime: one dispatcher route per vendor, trigger nodes looked up by path. */
interface RouteState {
	tables: Map<string, Map<string, TriggerRoute>>;
	prefix: string;
}
const states = new WeakMap<object, RouteState>();

export function webhookPath(vendor: string, path: string): string {
	return `legalhooks/${vendor}/${encodeURIComponent(path)}`;
}

function rootApp(app: Express): Express {
	return app.parent ? rootApp(app.parent) : app;
}

function pathnameOf(req: Request): string {
	return req._parsedUrl?.pathname ?? new URL(req.url ?? '/', 'http://localhost').pathname;
}

/**
 * When the admin and node roots overlap (Node-RED's default), the admin app's JSON parser would
 * consume our bodies first. Like core `http in`, read the raw bytes of our routes at the very top
 * of the root app.
 */
function installRawBodyCapture(RED: NodeAPI, state: RouteState): void {
	const app = rootApp(RED.httpNode as unknown as Express);
	if (app === (RED.httpNode as unknown as Express) || !app._router) return;
	const capture = (req: Request, _res: ServerResponse, next: () => void) => {
		const route = lookup(state, pathnameOf(req));
		if (!route || req._body || req.method !== 'POST') return next();
		readRawBody(req, route.limit).then((body) => {
			req.legalhooksBody = body;
			req._body = true;
			next();
		});
	};
	app.use(capture);
	const stack = app._router.stack;
	const index = stack.findIndex((layer) => layer.handle === capture);
	stack.unshift(stack.splice(index, 1)[0]);
}

function lookup(state: RouteState, pathname: string): TriggerRoute | undefined {
	if (!pathname.startsWith(state.prefix)) return undefined;
	const [vendor, path] = pathname.slice(state.prefix.length).split('/');
	return state.tables.get(vendor)?.get(decodeURIComponent(path ?? ''));
}

/** The table of trigger routes of one vendor, creating its dispatcher route on first use. */
export function routeTable(RED: NodeAPI, vendor: string): Map<string, TriggerRoute> {
	let state = states.get(RED.httpNode);
	if (!state) {
		const root = ((RED.settings as unknown as { httpNodeRoot?: string }).httpNodeRoot || '/').replace(/\/?$/, '/');
		state = { tables: new Map(), prefix: `${root}legalhooks/` };
		states.set(RED.httpNode, state);
		installRawBodyCapture(RED, state);
	}
	let table = state.tables.get(vendor);
	if (!table) {
		const created = new Map<string, TriggerRoute>();
		table = created;
		state.tables.set(vendor, created);
		(RED.httpNode as unknown as Express).all(`/legalhooks/${vendor}/:path`, (req, res) => {
			const route = created.get(req.params?.path ?? '');
			if (!route) {
				res.status(404).json({ error: 'no legalhooks trigger is deployed at this path' });
				return;
			}
			route.handle(req, res);
		});
	}
	return table;
}

export async function bodyOf(req: Request, limit: number): Promise<RawBodyResult> {
	if (req.legalhooksBody) return req.legalhooksBody;
	return readRawBody(req, limit);
}
