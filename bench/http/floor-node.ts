/*
 * The Node-RED nodes bench/http/run.ts measures our trigger against, installed into the engine's user
 * dir as a local node. All serve their paths the way our trigger does: middleware on httpNode, and at
 * the top of the root app the same guard that keeps the admin app's body parsers off the stream.
 *
 * - the engine floor (`/legalhooks-floor/…`): reads the body and answers 200, nothing else;
 * - the bound (`/legalhooks-bound/<node's path>`, node property `mode`): the floor plus the work every
 *   delivery must do by this project's standards — HMAC-SHA512 over the raw body compared in constant
 *   time, `JSON.parse`, `node.send` of one message with the parsed body — and with `mode: 'seen'` a
 *   seen-id check in the global context (memory store), one JSON record per trigger bounded at
 *   10 000 ids as our de-duplication keeps it. No normalizing, no schema, no outcome record, no status.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PLEXUS_SIGNATURE_HEADER } from '../../core/vendors/plexus/precheck';

export const FLOOR_PATH = '/legalhooks-floor/';
export const BOUND_PATH = '/legalhooks-bound/';

const NODE_JS = `
const crypto = require('node:crypto');
const FLOOR = ${JSON.stringify(FLOOR_PATH)};
const BOUND = ${JSON.stringify(BOUND_PATH)};
const SIGNATURE = ${JSON.stringify(PLEXUS_SIGNATURE_HEADER)};
const MAX_IDS = 10000;
module.exports = function (RED) {
	const bound = new Map();
	let installed = false;
	function answer(res, status, body) {
		const text = JSON.stringify(body);
		res.statusCode = status;
		res.setHeader('content-type', 'application/json; charset=utf-8');
		res.setHeader('content-length', Buffer.byteLength(text));
		res.end(text);
	}
	function floor(req, res) {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => answer(res, 200, { received: true, bytes: Buffer.concat(chunks).length }));
	}
	function mandatory(node, req, res) {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const raw = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
			const given = Buffer.from(String(req.headers[SIGNATURE] || ''), 'hex');
			const want = crypto.createHmac('sha512', node.secret).update(raw).digest();
			if (given.length !== want.length || !crypto.timingSafeEqual(given, want)) return answer(res, 401, { error: 'bad signature' });
			let body;
			try {
				body = JSON.parse(raw.toString('utf8'));
			} catch {
				return answer(res, 400, { error: 'bad json' });
			}
			if (node.mode === 'seen') {
				if (!body || typeof body.id !== 'string') return answer(res, 400, { error: 'no id' });
				if (node.seen(body.id)) return answer(res, 200, { received: true });
			}
			answer(res, 200, { received: true });
			node.send({ payload: body });
		});
	}
	function install() {
		if (installed) return;
		installed = true;
		const httpNode = RED.httpNode;
		httpNode.use((req, res, next) => {
			if (req.method !== 'POST') return next();
			const url = String(req.url || '');
			if (url.startsWith(FLOOR)) return floor(req, res);
			if (url.startsWith(BOUND)) {
				const node = bound.get(url.slice(BOUND.length));
				if (node) return mandatory(node, req, res);
			}
			next();
		});
		const guard = (req, _res, next) => {
			const url = String(req.url || '');
			if (url.startsWith(FLOOR) || url.startsWith(BOUND)) req._body = true;
			next();
		};
		const root = (app) => (app.parent ? root(app.parent) : app);
		const put = (app) => {
			if (app === httpNode || !app._router) return;
			app.use(guard);
			const stack = app._router.stack;
			stack.unshift(stack.splice(stack.findIndex((layer) => layer.handle === guard), 1)[0]);
		};
		if (httpNode.parent) put(root(httpNode));
		else httpNode.once('mount', () => put(root(httpNode)));
	}
	RED.nodes.registerType('legalhooks-bench-floor', function (config) {
		RED.nodes.createNode(this, config);
		install();
		const node = this;
		if (!config.mode) return;
		node.mode = config.mode;
		node.secret = config.secret;
		const global = node.context().global;
		const key = 'legalhooks_bench_seen_' + config.path;
		let size = 0;
		node.seen = (id) => {
			const now = Date.now();
			const record = global.get(key) || {};
			const at = record['#' + id];
			if (at !== undefined && now - at < 86400000) return true;
			record['#' + id] = now;
			if (at === undefined && ++size > MAX_IDS + MAX_IDS / 10) {
				for (const old in record) {
					delete record[old];
					if (--size <= MAX_IDS) break;
				}
			}
			global.set(key, record);
			return false;
		};
		bound.set(config.path, node);
		node.on('close', () => bound.delete(config.path));
	});
};
`;

const NODE_HTML = `<script type="text/javascript">RED.nodes.registerType('legalhooks-bench-floor', { category: 'network', color: '#ddd', defaults: { mode: { value: '' }, path: { value: '' }, secret: { value: '' } }, inputs: 0, outputs: 1, label: 'bench floor' });</script>`;

export function installFloorNode(userDir: string) {
	const dir = path.join(userDir, 'nodes');
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'legalhooks-bench-floor.js'), NODE_JS);
	fs.writeFileSync(path.join(dir, 'legalhooks-bench-floor.html'), NODE_HTML);
}
