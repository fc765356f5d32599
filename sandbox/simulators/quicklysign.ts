import express, { type Request, type Response } from 'express';
import { randomBytes } from 'node:crypto';
import { Faults, faultMiddleware, listen, sendDelivery, type SentDelivery } from './server';

/**
 * QuicklySign API v1: access tokens, per-document-pack webhooks (create / get / list / delete on
 * both the singular and plural paths), document packs, and a sender for callbacks. Answers use the
 * {status:{status_code}, data} envelope.
 *
 * Each document's final PDF at its `serve_pdf_url` (`/v1/documents/<key>/serve_pdf`): the seed
 * (quicklysign-webhooks.txt) says on final_document_generated "each document in the pack has a
 * serve_pdf_url which can be used to download the document". It wants the access token like the
 * rest of the API; a missing or wrong token is the envelope's 401, and a document whose final PDF
 * is not generated yet is the envelope's 404. With `errorsWithHttp200`, those errors come as
 * HTTP 200 carrying the 4xx status_code (what core/vendors/quicklysign/api.ts allows for: the
 * envelope's status_code, not the HTTP status, says what happened).
 */

export interface QuicklysignWebhook {
	key: string;
	webhook_key: string | null;
	entity_key: string;
	callback: string;
	date_created: number;
	date_updated: number;
	/** The client id of the account that made it (each account sees only its own webhooks). */
	owner: string;
}

export interface QuicklysignPack {
	key: string;
	name: string;
	status: string;
	date_updated: number;
	documents: Array<{ key: string; name: string; status: string; serve_pdf_url: string }>;
}

export interface QuicklysignSimState {
	webhooks: Map<string, QuicklysignWebhook>;
	packs: Map<string, QuicklysignPack>;
	tokens: Set<string>;
	/** Which delete paths exist: real QuicklySign documents the singular one. */
	deletePaths: { singular: boolean; plural: boolean };
	/** Fill `webhook_key` (v1) instead of only `key` (v0 style, as in the docs' example). */
	useWebhookKey: boolean;
	/**
	 * Answer with a `webhook_key` that differs from `key` (callbacks still carry `key`). The docs show
	 * both fields (seeds/quicklysign-webhooks.txt) without saying they are equal; either addresses the webhook here.
	 */
	differingWebhookKey: boolean;
	calls: Array<{ method: string; path: string; status: number }>;
	deliveries: SentDelivery[];
	/** Final PDFs by document key (set by `finalize`). */
	finalPdfs: Map<string, Buffer>;
	/** Audit trail entries by pack (or child document) key, oldest first. */
	auditTrails: Map<string, Array<{ audit_entry_type: string; date_created: number; [field: string]: unknown }>>;
	/** Answer the envelope's errors with HTTP 200 (status_code 4xx in the body). */
	errorsWithHttp200: boolean;
}

export interface QuicklysignSimulator {
	url: string;
	baseUrl: string;
	clientId: string;
	clientSecret: string;
	apiKey: string;
	state: QuicklysignSimState;
	faults: Faults;
	close(): Promise<void>;
	addPack(key?: string, props?: Partial<QuicklysignPack>): QuicklysignPack;
	setPackStatus(key: string, status: string): void;
	/** Something a signer or sender did: an audit trail entry on the pack, and its date_updated moves (no callback sent). */
	audit(key: string, auditEntryType: string, fields?: Record<string, unknown>): void;
	/** Sends `callbackEvent` for a pack to every webhook on it. */
	fire(entityKey: string, callbackEvent: string): Promise<SentDelivery[]>;
	/** A second account (client id, secret, API key): its own webhooks only. */
	addAccount(): { clientId: string; clientSecret: string; apiKey: string };
	/** The pack is complete and each document's final PDF is `pdf` (what precedes final_document_generated). */
	finalize(key: string, pdf: Buffer): void;
}

const envelopeOn = (res: Response, httpStatus: number, status: number, data?: unknown, message?: string) =>
	res.status(httpStatus).json({ status: { status_code: status, ...(message ? { message } : {}) }, ...(data !== undefined ? { data } : {}) });

const envelope = (res: Response, status: number, data?: unknown, message?: string) =>
	res.status(status).json({ status: { status_code: status, ...(message ? { message } : {}) }, ...(data !== undefined ? { data } : {}) });

const newKey = (prefix: string) => `ah${prefix}${randomBytes(18).toString('base64url')}`;

export async function start(options: { clientId?: string; clientSecret?: string; apiKey?: string } = {}): Promise<QuicklysignSimulator> {
	const clientId = options.clientId ?? `cid_${randomBytes(6).toString('hex')}`;
	const clientSecret = options.clientSecret ?? randomBytes(20).toString('hex');
	const apiKey = options.apiKey ?? randomBytes(16).toString('hex');
	const state: QuicklysignSimState = {
		webhooks: new Map(),
		packs: new Map(),
		tokens: new Set(),
		deletePaths: { singular: true, plural: true },
		useWebhookKey: false,
		differingWebhookKey: false,
		calls: [],
		deliveries: [],
		finalPdfs: new Map(),
		errorsWithHttp200: false,
		auditTrails: new Map(),
	};
	const faults = new Faults();
	const app = express();
	app.use((req, res, next) => {
		res.on('finish', () => state.calls.push({ method: req.method, path: req.originalUrl.split('?')[0], status: res.statusCode }));
		next();
	});
	app.use(express.json());
	const api = express.Router();
	api.use(faultMiddleware(faults));

	const accounts = new Map<string, { clientSecret: string; apiKey: string }>([[clientId, { clientSecret, apiKey }]]);
	const clientOk = (id: unknown, secret: unknown) => typeof id === 'string' && accounts.get(id)?.clientSecret === secret;
	const requireClient = (req: Request, res: Response): boolean => {
		const source = req.method === 'POST' ? (req.body as Record<string, unknown>) ?? {} : req.query;
		res.locals.owner = source.client_id;
		if (clientOk(source.client_id, source.client_secret)) return true;
		envelope(res, 401, undefined, 'Invalid client_id or client_secret');
		return false;
	};
	const view = ({ owner: _owner, ...w }: QuicklysignWebhook) => ({ ...w, webhook_key: state.differingWebhookKey ? w.webhook_key : state.useWebhookKey ? w.key : null });
	const own = (res: Response, w: QuicklysignWebhook | undefined) => (w && w.owner === res.locals.owner ? w : undefined);
	const byEitherKey = (key: string) => state.webhooks.get(key) ?? [...state.webhooks.values()].find((w) => w.webhook_key === key);

	api.post('/access_tokens', (req, res) => {
		const body = (req.body ?? {}) as Record<string, unknown>;
		if (!clientOk(body.client_id, body.client_secret) || accounts.get(String(body.client_id))?.apiKey !== body.api_key) return void envelope(res, 401, undefined, 'Invalid credentials');
		const token = randomBytes(16).toString('hex');
		state.tokens.add(token);
		envelope(res, 200, { access_token: token });
	});
	api.post('/webhooks', (req, res) => {
		if (!requireClient(req, res)) return;
		const webhook = ((req.body as Record<string, unknown>).webhook ?? {}) as Record<string, unknown>;
		if (typeof webhook.callback !== 'string' || !/^https?:\/\//.test(webhook.callback)) return void envelope(res, 400, undefined, 'callback must be a URL');
		if (typeof webhook.entity_key !== 'string' || !state.packs.has(webhook.entity_key)) return void envelope(res, 400, undefined, 'entity_key does not refer to a document pack');
		const now = Date.now();
		const created: QuicklysignWebhook = { key: newKey('Sub'), webhook_key: state.differingWebhookKey ? newKey('Whk') : null, entity_key: webhook.entity_key, callback: webhook.callback, date_created: now, date_updated: now, owner: res.locals.owner as string };
		state.webhooks.set(created.key, created);
		envelope(res, 200, { webhook: view(created) });
	});
	api.get('/webhooks/:key', (req, res) => {
		if (!requireClient(req, res)) return;
		const found = own(res, byEitherKey(req.params.key));
		if (!found) return void envelope(res, 404, undefined, 'Webhook not found');
		envelope(res, 200, { webhook: view(found) });
	});
	api.get('/webhooks', (req, res) => {
		if (!requireClient(req, res)) return;
		const entity = typeof req.query.entity_key === 'string' ? req.query.entity_key : undefined;
		envelope(res, 200, { webhooks: [...state.webhooks.values()].filter((w) => w.owner === res.locals.owner && (!entity || w.entity_key === entity)).map(view) });
	});
	const remove = (path: 'singular' | 'plural') => (req: Request, res: Response) => {
		if (!state.deletePaths[path]) return void res.status(404).type('text/html').send('<h1>Not Found</h1>');
		if (!requireClient(req, res)) return;
		if (req.params.key) {
			const found = own(res, byEitherKey(req.params.key));
			if (!found || !state.webhooks.delete(found.key)) return void envelope(res, 404, undefined, 'Webhook not found');
			return void envelope(res, 200, {});
		}
		const entity = typeof req.query.entity_key === 'string' ? req.query.entity_key : undefined;
		if (!entity) return void envelope(res, 400, undefined, 'entity_key or webhook key required');
		for (const [key, w] of state.webhooks) if (w.entity_key === entity && w.owner === res.locals.owner) state.webhooks.delete(key);
		envelope(res, 200, {});
	};
	api.delete('/webhook/:key', remove('singular'));
	api.delete('/webhook', remove('singular'));
	api.delete('/webhooks/:key', remove('plural'));
	api.delete('/webhooks', remove('plural'));
	api.get('/document_packs/:key', (req, res) => {
		const auth = req.header('access_token') ?? (req.header('authorization') ?? '').replace(/^Bearer /, '');
		if (!state.tokens.has(auth)) return void envelope(res, 401, undefined, 'Invalid access token');
		const pack = state.packs.get(req.params.key);
		if (!pack) return void envelope(res, 404, undefined, 'Document pack not found');
		envelope(res, 200, { document_pack: pack });
	});
	// `GET /v1/audit_trail/<pack or child document key>?page_size=&cursor=` (QuicklySign v1 docs, "audit
	// trails"): chronological entries {audit_entry_type, date_created (ms, float)}. The page shows paging
	// by a `next` link and a cursor but not the envelope around it; ASSUMPTION: like the document_packs
	// list, `data` holds the entries and `pagination.next` the next page's URL (null on the last page).
	api.get('/audit_trail/:key', (req, res) => {
		const auth = req.header('access_token') ?? (req.header('authorization') ?? '').replace(/^Bearer /, '');
		if (!state.tokens.has(auth)) return void envelope(res, 401, undefined, 'Invalid access token');
		if (!state.packs.has(req.params.key)) return void envelope(res, 404, undefined, 'Document pack not found');
		const entries = state.auditTrails.get(req.params.key) ?? [];
		const size = Math.max(1, Math.min(Number(req.query.page_size ?? 10) || 10, 100));
		const at = typeof req.query.cursor === 'string' ? Number(Buffer.from(req.query.cursor, 'base64url').toString()) || 0 : 0;
		const end = at + size;
		const next = end < entries.length ? `${serverUrl}/v1/audit_trail/${encodeURIComponent(req.params.key)}?page_size=${size}&cursor=${Buffer.from(String(end)).toString('base64url')}` : null;
		res.status(200).json({ status: { status_code: 200 }, data: entries.slice(at, end), pagination: { next } });
	});
	api.get('/documents/:key/serve_pdf', (req, res) => {
		const fail = (status: number, message: string) => envelopeOn(res, state.errorsWithHttp200 ? 200 : status, status, undefined, message);
		const auth = req.header('access_token') ?? (req.header('authorization') ?? '').replace(/^Bearer /, '');
		if (!state.tokens.has(auth)) return void fail(401, 'Invalid access token');
		const pdf = state.finalPdfs.get(req.params.key);
		if (!pdf) return void fail(404, 'Final document not generated yet');
		res.status(200).type('application/pdf').send(pdf);
	});
	app.use('/v1', api);

	let serverUrl = '';
	const base = () => serverUrl;
	const addPack: QuicklysignSimulator['addPack'] = (key = newKey('Doc'), props = {}) => {
		const pack: QuicklysignPack = {
			key,
			name: 'Employment contract',
			status: 'setup',
			date_updated: Date.now(),
			documents: [{ key: `${key}-d1`, name: 'contract.pdf', status: 'setup', serve_pdf_url: `${base()}/v1/documents/${key}-d1/serve_pdf` }],
			...props,
		};
		state.packs.set(key, pack);
		return pack;
	};

	const server = await listen(app);
	serverUrl = server.url;
	return {
		url: server.url,
		baseUrl: `${server.url}/v1`,
		clientId,
		clientSecret,
		apiKey,
		state,
		faults,
		close: server.close,
		addPack,
		addAccount() {
			const account = { clientId: `cid_${randomBytes(6).toString('hex')}`, clientSecret: randomBytes(20).toString('hex'), apiKey: randomBytes(16).toString('hex') };
			accounts.set(account.clientId, { clientSecret: account.clientSecret, apiKey: account.apiKey });
			return account;
		},
		audit(key, auditEntryType, fields = {}) {
			const pack = state.packs.get(key);
			if (!pack) throw new Error(`no pack ${key}`);
			pack.date_updated += 1000;
			const list = state.auditTrails.get(key) ?? [];
			list.push({ audit_entry_type: auditEntryType, date_created: pack.date_updated + 0.5, ...fields });
			state.auditTrails.set(key, list);
		},
		finalize(key, pdf) {
			const pack = state.packs.get(key);
			if (!pack) throw new Error(`no pack ${key}`);
			pack.status = 'complete';
			pack.date_updated += 1000;
			for (const d of pack.documents) {
				d.status = 'complete';
				state.finalPdfs.set(d.key, pdf);
			}
		},
		setPackStatus(key, status) {
			const pack = state.packs.get(key);
			if (!pack) throw new Error(`no pack ${key}`);
			pack.status = status;
			pack.date_updated += 1000;
			for (const d of pack.documents) d.status = status;
		},
		async fire(entityKey, callbackEvent) {
			const results: SentDelivery[] = [];
			// QuicklySign calls back because the pack changed: its date_updated moves with every callback.
			const pack = state.packs.get(entityKey);
			if (pack) pack.date_updated = Math.max(Date.now(), pack.date_updated + 1);
			for (const webhook of state.webhooks.values()) {
				if (webhook.entity_key !== entityKey) continue;
				const body = JSON.stringify({ entity_type: 'Document', entity_key: entityKey, callback_event: callbackEvent, subscription_key: webhook.key });
				const sent = await sendDelivery(webhook.callback, { headers: { 'content-type': 'application/json' }, body });
				state.deliveries.push(sent);
				results.push(sent);
			}
			return results;
		},
	};
}
