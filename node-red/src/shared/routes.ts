import type { NodeAPI } from 'node-red';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeError, INTERNAL_ERROR_ANSWER, type Answer, type InboundDelivery } from '../../../core/inbound/pipeline';
import { BodyBudget, DEFAULT_MAX_BUFFERED_BYTES, readRawBody } from './raw-body';

type Request = IncomingMessage & { _body?: boolean };
type Middleware = (req: Request, res: ServerResponse, next: (error?: unknown) => void) => void;

/** One deployed trigger's inbound side: runs a delivery and answers through `respond`. */
export interface TriggerRoute {
	handle(delivery: InboundDelivery, respond: (answer: Answer) => void): Promise<unknown>;
	/** The trigger is closing: stop anything pending (a status update). */
	close?(): void;
}

interface Express {
	use(handler: Middleware): void;
	once?(event: 'mount', listener: (parent: Express) => void): void;
	parent?: Express;
	_router?: { stack: Array<{ handle: unknown }> };
}

/** Per Node-RED runtime: the trigger routes of each vendor by path, and the shared body budget. */
interface RouteState {
	/** vendor id → trigger path → route */
	tables: Map<string, Map<string, TriggerRoute>>;
	/** Where our routes start as the root app sees them: httpNodeRoot + `legalhooks/`, lower case. */
	rootPrefix: string;
	budget: BodyBudget;
	logError(message: string): void;
}
const states = new WeakMap<object, RouteState>();

const PREFIX = '/legalhooks/';

export function webhookPath(vendor: string, path: string): string {
	return `legalhooks/${vendor}/${encodeURIComponent(path)}`;
}

/**
 * The path and query string of a request target, also in absolute form (`http://host:port/path`,
 * which `new URL` refuses when the port is out of range). Never throws.
 */
export function splitTarget(url: string): { pathname: string; search: string } {
	let rest = url;
	const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(rest);
	if (origin) rest = rest.slice(origin[0].length);
	const hash = rest.indexOf('#');
	if (hash >= 0) rest = rest.slice(0, hash);
	const question = rest.indexOf('?');
	const pathname = question >= 0 ? rest.slice(0, question) : rest;
	return { pathname: pathname.startsWith('/') ? pathname : `/${pathname}`, search: question >= 0 ? rest.slice(question + 1) : '' };
}

/** Query parameters into an object without a prototype; a repeated name gives an array. */
export function parseQuery(search: string): Record<string, unknown> {
	const query: Record<string, string | string[]> = Object.create(null);
	for (const [name, value] of new URLSearchParams(search)) {
		const seen = query[name];
		query[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
	}
	return query;
}

function decodeSegment(segment: string): string | undefined {
	if (!segment.includes('%')) return segment;
	try {
		return decodeURIComponent(segment);
	} catch {
		return undefined;
	}
}

/**
 * `unknown`: under our prefix but naming no vendor of ours. Answered on httpNode like a missing
 * trigger, but not ours to claim before the admin app (whose routes share the prefix) has run.
 */
type Match = { kind: 'none' } | { kind: 'unknown' } | { kind: 'route'; route: TriggerRoute } | { kind: 'refused'; answer: Answer };

const NOT_FOUND: Answer = { status: 404, body: { error: 'no legalhooks trigger is deployed at this path' } };

/**
 * Which of our routes a path names. Like the express routes Node-RED serves, the prefix and the
 * vendor are matched case-insensitively and a trailing slash is allowed; the trigger's path is
 * matched exactly. A path that names one of our vendors is always ours to answer.
 */
function match(state: RouteState, pathname: string, prefix: string): Match {
	if (!pathname.startsWith(prefix) && pathname.slice(0, prefix.length).toLowerCase() !== prefix) return { kind: 'none' };
	const segments = pathname.slice(prefix.length).split('/');
	if (segments.length === 3 && segments[2] === '') segments.pop();
	const table = state.tables.get(segments[0].toLowerCase());
	if (!table) return { kind: 'unknown' };
	const notFound: Match = { kind: 'refused', answer: NOT_FOUND };
	if (segments.length !== 2) return notFound;
	const path = decodeSegment(segments[1]);
	if (path === undefined) return { kind: 'refused', answer: { status: 400, body: { error: 'the path has a malformed percent-encoding' } } };
	const route = table.get(path);
	return route ? { kind: 'route', route } : notFound;
}

/**
 * Writes a short JSON answer in one `writeHead` + `end` (no header map built up by `setHeader`
 * unless other middleware set one already; Node then merges, as before); closes the connection
 * when the request body was not read to its end.
 */
function sendAnswer(req: IncomingMessage, res: ServerResponse, answer: Answer): void {
	if (res.headersSent || res.writableEnded || res.destroyed) return;
	const text = JSON.stringify(answer.body ?? null);
	const headers: Record<string, string | number> = {};
	if (answer.headers) for (const name of Object.keys(answer.headers)) headers[name.toLowerCase()] = answer.headers[name];
	headers['content-type'] = 'application/json; charset=utf-8';
	headers['content-length'] = Buffer.byteLength(text);
	if (!req.complete) headers.connection = 'close';
	res.writeHead(answer.status, headers);
	res.end(text);
}

function serve(state: RouteState, route: TriggerRoute, req: Request, res: ServerResponse, search: string): void {
	const lease = state.budget.lease();
	const respond = (answer: Answer) => sendAnswer(req, res, answer);
	const delivery: InboundDelivery = {
		method: req.method ?? 'GET',
		headers: req.headers,
		query: search === '' ? Object.create(null) : parseQuery(search),
		readBody: (limit) => readRawBody(req, limit, lease),
	};
	const failed = (error: unknown) => {
		try {
			state.logError(`legalhooks: a delivery failed: ${describeError(error)}`);
			respond(INTERNAL_ERROR_ANSWER);
		} catch {
			// nothing more to do for this request
		}
	};
	// Called at once, not from a later tick: the pipeline's checks that need no body run now.
	let handling: Promise<unknown>;
	try {
		handling = route.handle(delivery, respond);
	} catch (error) {
		handling = Promise.reject(error);
	}
	handling.then(lease.release, (error: unknown) => {
		failed(error);
		lease.release();
	});
}

/** Answers our paths on httpNode: the route's pipeline, or a JSON 404/400. Never throws. */
function dispatcher(state: RouteState): Middleware {
	return (req, res, next) => {
		try {
			const target = splitTarget(req.url ?? '/');
			const found = match(state, target.pathname, PREFIX);
			if (found.kind === 'none') return next();
			if (found.kind === 'unknown') return sendAnswer(req, res, NOT_FOUND);
			if (found.kind === 'refused') return sendAnswer(req, res, found.answer);
			serve(state, found.route, req, res, target.search);
		} catch (error) {
			state.logError(`legalhooks: a request could not be routed: ${describeError(error)}`);
			sendAnswer(req, res, INTERNAL_ERROR_ANSWER);
		}
	};
}

function rootApp(app: Express): Express {
	return app.parent ? rootApp(app.parent) : app;
}

/**
 * When the admin and node roots overlap (Node-RED's default), the admin app's body parsers run
 * before httpNode and would consume our bodies. At the top of the root app, mark our requests as
 * parsed (`req._body`, which body-parser honours) and leave the stream for the trigger to read after
 * its cheap checks. The same matcher as the dispatcher, so the two never disagree on a path.
 */
function installBodyParserGuard(httpNode: Express, state: RouteState): void {
	const install = (root: Express) => {
		if (root === httpNode || !root._router) return;
		const guard: Middleware = (req, _res, next) => {
			try {
				const { kind } = match(state, splitTarget(req.url ?? '/').pathname, state.rootPrefix);
				if (kind === 'route' || kind === 'refused') req._body = true;
			} catch {
				// Not ours to answer here; the dispatcher answers whatever reaches it.
			}
			next();
		};
		root.use(guard);
		const stack = root._router.stack;
		const index = stack.findIndex((layer) => layer.handle === guard);
		stack.unshift(stack.splice(index, 1)[0]);
	};
	if (httpNode.parent) install(rootApp(httpNode));
	else httpNode.once?.('mount', () => install(rootApp(httpNode)));
}

function stateFor(RED: NodeAPI): RouteState {
	const httpNode = RED.httpNode as unknown as Express;
	let state = states.get(httpNode);
	if (state) return state;
	const settings = RED.settings as unknown as { httpNodeRoot?: string | false; legalhooksMaxBufferedMb?: number };
	const root = (settings.httpNodeRoot || '/').replace(/^\/?/, '/').replace(/\/?$/, '/');
	const ceilingMb = Number(settings.legalhooksMaxBufferedMb);
	state = {
		tables: new Map(),
		rootPrefix: `${root}legalhooks/`.toLowerCase(),
		budget: new BodyBudget(ceilingMb > 0 ? Math.round(ceilingMb * 1024 * 1024) : DEFAULT_MAX_BUFFERED_BYTES),
		logError: (message) => RED.log.error(message),
	};
	states.set(httpNode, state);
	httpNode.use(dispatcher(state));
	installBodyParserGuard(httpNode, state);
	return state;
}

/** The table of trigger routes of one vendor (by trigger path), served from the first call on. */
export function routeTable(RED: NodeAPI, vendor: string): Map<string, TriggerRoute> {
	const state = stateFor(RED);
	const key = vendor.toLowerCase();
	let table = state.tables.get(key);
	if (!table) {
		table = new Map();
		state.tables.set(key, table);
	}
	return table;
}
