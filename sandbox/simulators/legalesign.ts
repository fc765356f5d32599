import express from 'express';
import { createHmac, createSign, generateKeyPairSync, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Faults, faultMiddleware, listen, sendDelivery, type SentDelivery } from './server';

/**
 * Legalesign API v1 webhooks, legacy and realtime (`notify: "realtime"`, `eventFilter`, `group`, listed
 * with `notify_when: 10`): /notifications/, /subscribe/, /unsubscribe/ behind
 * `Authorization: ApiKey user:secret`, and a sender that posts form-encoded callbacks signed with
 * RSA-SHA1 by the simulator's own key (its certificate goes in the trigger's credential).
 *
 * Documents' final PDFs at `GET /pdf/{docId}/`, as the v1 OpenAPI (legalesign/Legalesign-V1-OpenAPI3,
 * legalesign-api-v1.yaml, operation getDocumentPdf) describes it: 200 with the PDF; 201 "Being
 * de-archived, available in 4 hours" (no file); 302 to "a short lived location for download, do
 * not use Legalesign authentication". The location is a presigned link on a second server (another
 * origin, as S3 is): it answers a request that still carries an Authorization header as S3 does,
 * 400 InvalidArgument "Only one auth mechanism allowed", and an expired link 403.
 */

export type LegalesignPdfDelivery = 'direct' | 'redirect' | 'archived';

export interface LegalesignDocument {
	pdf: Buffer;
	owner: string;
	delivery: LegalesignPdfDelivery;
}

const NOTIFY_WHEN: Record<string, number> = { all: 1, signed: 2, sent: 3, rejected: 4, realtime: 10 };

export interface LegalesignSubscription {
	url: string;
	notify: string;
	notify_when: number;
	event_filter: string;
	group: string;
	active: boolean;
}

export interface LegalesignSimState {
	subscriptions: LegalesignSubscription[];
	users: Map<string, string>;
	calls: Array<{ method: string; path: string; status: number }>;
	/** The bodies of `POST /unsubscribe/` (url, eventFilter, group), in order. */
	unsubscribes: Array<Record<string, unknown>>;
	deliveries: SentDelivery[];
	documents: Map<string, LegalesignDocument>;
	/** Documents as `GET /document/` lists them (status, modified, archived…), by uuid. */
	records: Map<string, LegalesignRecord>;
	/** Archive a document as soon as it is signed (status 30), as the `auto_archive` setting does. */
	autoArchive: boolean;
	/** Requests that reached the short-lived download location, with whether they carried an Authorization header. */
	storageGets: Array<{ path: string; authorization: boolean; status: number }>;
}

/** A document of the v1 API's `GET /document/` list (legalesign/Legalesign-V1-OpenAPI3, legalesign-api-v1.yaml). */
export interface LegalesignRecord {
	uuid: string;
	name: string;
	group: string;
	status: number;
	/** No offset and whole seconds: the OpenAPI names neither the timezone nor the precision (here UTC). */
	modified: string;
	created: string;
	archived: boolean;
	download_final: boolean;
	signers: Array<{ uuid: string; email: string; first_name: string; last_name: string; status: number }>;
	owner: string;
}

export interface LegalesignSimulator {
	url: string;
	baseUrl: string;
	username: string;
	apiKey: string;
	/** X.509 certificate (PEM) when openssl is available, else the public key (PEM); both verify. */
	certificate: string;
	/** The RSA private key the simulator signs with. */
	privateKey: string;
	state: LegalesignSimState;
	faults: Faults;
	close(): Promise<void>;
	/** Sends the 6-minute batch to every active `all` subscription. */
	deliverBatch(entries: Array<Record<string, string>>, options?: { badSignature?: boolean; unsigned?: boolean }): Promise<SentDelivery[]>;
	/** Sends an upon-event callback to every active subscription for that notify mode. */
	deliverUpon(notify: 'signed' | 'sent' | 'rejected', fields: Record<string, string>, options?: { badSignature?: boolean }): Promise<SentDelivery[]>;
	/**
	 * Sends a realtime event (`document.finalPdfCreated`, `recipient.completed`…) about a document to
	 * every active `notify: "realtime"` subscription whose event filter and group take it. The
	 * document's state is left as it is (see `happen` for the event and the state together).
	 */
	deliverRealtime(event: string, documentUuid: string, options?: LegalesignRealtimeOptions): Promise<SentDelivery[]>;
	/** Something happens to a document and the realtime feed reports it: the state moves to agree with the event, then it is delivered. */
	happen(event: string, documentUuid: string, options?: LegalesignRealtimeOptions): Promise<SentDelivery[]>;
	sign(text: string): string;
	/** A second API user (another organisation): its own webhooks only. */
	addAccount(): { username: string; apiKey: string };
	/** The API user that owns a subscription. */
	ownerOf(subscription: LegalesignSubscription): string;
	/** A document whose final PDF GET /pdf/{id}/ serves (default: by a redirect, owned by the main API user). */
	addDocument(id: string, pdf: Buffer, options?: { delivery?: LegalesignPdfDelivery; owner?: string }): void;
	/**
	 * Something happens to a document (whether or not a webhook listens): creates it (status 10, one
	 * signer) or changes its status / a signer's status / `download_final`; `modified` moves to now.
	 */
	changeDocument(uuid: string, change?: { status?: number; signerStatus?: number; downloadFinal?: boolean; group?: string; name?: string; owner?: string; at?: Date }): LegalesignRecord;
	/** The URL of the second server (the redirect's storage). */
	storageUrl: string;
}

/**
 * How a realtime delivery is shaped. The body is not published (VENDORS.md, Legalesign realtime):
 * - `flat` (default): `{version, eventId, timestamp, object, event, groupId, data: {uuid, name, recipient?}}`,
 *   the document id at `data.uuid` as the REST docs say ("filter for 'document' and 'finalPdfCreated'");
 * - `graphql`: GraphQL's lifecycle envelope `{version "1.0", eventId, timestamp, level, event
 *   "documentFinalPdfCreated", category, groupId, userId, data{…}}`, ids as `documentId`/`recipientId`;
 * - `form`: the flat JSON as the form field `data` (a reading the pages do not rule out).
 */
export type LegalesignRealtimeShape = 'flat' | 'graphql' | 'form';

export interface LegalesignRealtimeOptions {
	shape?: LegalesignRealtimeShape;
	/** The recipient a recipient event is about (default: the document's first signer). */
	signerUuid?: string;
	/** Legalesign's eventId (default: a fresh UUID per event, the same for every subscription it goes to). */
	eventId?: string;
}

/** Realtime events that change a document's or signer's REST status, and to what (DocumentStatusEnum / SignerStatusEnum). */
const REALTIME_EFFECTS: Record<string, { status?: number; signerStatus?: number; downloadFinal?: boolean }> = {
	'document.rejected': { status: 50 },
	'document.finalPdfCreated': { status: 30, downloadFinal: true },
	'recipient.completed': { signerStatus: 40 },
	'recipient.rejected': { signerStatus: 60 },
	'recipient.emailOpened': { signerStatus: 15 },
	'recipient.visiting': { signerStatus: 20 },
};

/** OpenAPI WebhookEventFilterEnum. */
const REALTIME_FILTERS = ['', 'document.*', 'document.created', 'document.rejected', 'document.finalPdfCreated', 'recipient.*', 'recipient.completed', 'recipient.rejected', 'recipient.emailOpened', 'recipient.visiting', 'recipient.bounced'];

/** The subscription's `eventFilter` takes the event: '' = every event, `document.*`, or the exact name. */
function filterTakes(filter: string, event: string): boolean {
	if (filter === '') return true;
	if (filter.endsWith('.*')) return event.startsWith(filter.slice(0, -1));
	return filter === event;
}

const STORAGE_KEY = 'simulated-legalesign-storage-key';
const STORAGE_LINK_SECONDS = 60;

function s3Error(code: string, message: string): string {
	return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}

/** The short-lived download location: presigned links, no other authentication allowed. */
async function startStorage(state: LegalesignSimState) {
	const files = new Map<string, Buffer>();
	const app = express();
	const sign = (path: string, expires: string) => createHmac('sha256', STORAGE_KEY).update(`${path}\n${expires}`).digest('hex');
	app.get('/final/:file', (req, res) => {
		const record = (status: number) => state.storageGets.push({ path: req.path, authorization: req.header('authorization') !== undefined, status });
		res.type('application/xml');
		if (req.header('authorization') !== undefined) {
			record(400);
			return void res.status(400).send(s3Error('InvalidArgument', 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified'));
		}
		const expires = String(req.query['X-Amz-Expires-At'] ?? '');
		if (String(req.query['X-Amz-Signature'] ?? '') !== sign(req.path, expires)) {
			record(403);
			return void res.status(403).send(s3Error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.'));
		}
		if (Date.now() > Number(expires)) {
			record(403);
			return void res.status(403).send(s3Error('AccessDenied', 'Request has expired'));
		}
		const file = files.get(req.path);
		record(file ? 200 : 404);
		if (!file) return void res.status(404).send(s3Error('NoSuchKey', 'The specified key does not exist.'));
		res.status(200).type('application/pdf').send(file);
	});
	const server = await listen(app);
	return {
		url: server.url,
		close: server.close,
		link(id: string, pdf: Buffer): string {
			const path = `/final/${encodeURIComponent(id)}.pdf`;
			files.set(path, pdf);
			const expires = String(Date.now() + STORAGE_LINK_SECONDS * 1000);
			return `${server.url}${path}?X-Amz-Expires-At=${expires}&X-Amz-Signature=${sign(path, expires)}`;
		},
	};
}

function makeKeyAndCertificate(): { privateKey: string; certificate: string } {
	const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
	const dir = mkdtempSync(join(tmpdir(), 'legalesign-sim-'));
	try {
		writeFileSync(join(dir, 'key.pem'), keyPem);
		execFileSync('openssl', ['req', '-new', '-x509', '-key', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2', '-subj', '/O=Legalesign Simulator/CN=legalesign.test'], { stdio: 'ignore' });
		return { privateKey: keyPem, certificate: readFileSync(join(dir, 'cert.pem'), 'utf8') };
	} catch {
		return { privateKey: keyPem, certificate: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

let cachedKeys: { privateKey: string; certificate: string } | undefined;

export async function start(options: { username?: string; apiKey?: string } = {}): Promise<LegalesignSimulator> {
	const username = options.username ?? 'apiuser';
	const apiKey = options.apiKey ?? randomBytes(20).toString('hex');
	cachedKeys ??= makeKeyAndCertificate();
	const { privateKey, certificate } = cachedKeys;
	const state: LegalesignSimState = { subscriptions: [], users: new Map([[username, apiKey]]), calls: [], unsubscribes: [], deliveries: [], documents: new Map(), storageGets: [], records: new Map(), autoArchive: true };
	const storage = await startStorage(state);
	const faults = new Faults();
	// Which API user (organisation) owns each subscription: each sees and removes only its own.
	const owners = new WeakMap<LegalesignSubscription, string>();
	const ownedBy = (s: LegalesignSubscription, owner: unknown) => (owners.get(s) ?? username) === owner;
	const app = express();
	app.use((req, res, next) => {
		res.on('finish', () => state.calls.push({ method: req.method, path: req.originalUrl.split('?')[0], status: res.statusCode }));
		next();
	});
	app.use(express.json());
	const api = express.Router();
	api.use(faultMiddleware(faults));
	api.use((req, res, next) => {
		const match = /^ApiKey ([^:]+):(.+)$/.exec(req.header('authorization') ?? '');
		const expected = match ? state.users.get(match[1]) : undefined;
		const given = match ? Buffer.from(match[2]) : Buffer.alloc(0);
		if (!expected || given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected))) {
			return void res.status(401).end(); // Tastypie answers 401 with an empty body
		}
		res.locals.owner = match![1];
		next();
	});
	api.get('/notifications/', (_req, res) => {
		res.json(state.subscriptions.filter((s) => ownedBy(s, res.locals.owner)).map((s) => ({ active: s.active, notify_when: s.notify_when, url: s.url, group_id: s.group && /^\d+$/.test(s.group) ? Number(s.group) : null, event_filter: s.event_filter })));
	});
	api.post('/subscribe/', (req, res) => {
		const body = (req.body ?? {}) as Record<string, unknown>;
		if (typeof body.url !== 'string' || !/^(http|https):\/\//.test(body.url)) return void res.status(400).json({ error: 'url is not valid' });
		if (typeof body.notify !== 'string' || !(body.notify in NOTIFY_WHEN)) return void res.status(400).json({ error: 'notify must be all, signed, sent, rejected or realtime' });
		// OpenAPI CallbackCreatePost: `eventFilter` is a WebhookEventFilterEnum value.
		if (body.eventFilter !== undefined && !REALTIME_FILTERS.includes(String(body.eventFilter))) return void res.status(400).json({ error: 'eventFilter is not one of the documented values' });
		const subscription: LegalesignSubscription = {
			url: body.url,
			notify: body.notify,
			notify_when: NOTIFY_WHEN[body.notify],
			event_filter: typeof body.eventFilter === 'string' ? body.eventFilter : '',
			group: body.group === undefined ? '' : String(body.group),
			active: true,
		};
		owners.set(subscription, res.locals.owner as string);
		state.subscriptions.push(subscription);
		res.status(201).end();
	});
	api.post('/unsubscribe/', (req, res) => {
		const body = (req.body ?? {}) as Record<string, unknown>;
		state.unsubscribes.push({ ...body });
		if (typeof body.url !== 'string' || !/^(http|https):\/\//.test(body.url)) return void res.status(400).json({ error: 'url is not valid' });
		state.subscriptions = state.subscriptions.filter(
			(s) =>
				!(ownedBy(s, res.locals.owner) && s.url === body.url && (body.eventFilter === undefined || s.event_filter === body.eventFilter) && (body.group === undefined || s.group === String(body.group))),
		);
		res.status(200).json({ status: 'ok' });
	});
	api.get('/pdf/:docId/', (req, res) => {
		const document = state.documents.get(req.params.docId);
		// Another organisation's document is not found, as Tastypie answers an object outside the user's scope.
		if (!document || document.owner !== res.locals.owner) return void res.status(404).end();
		if (document.delivery === 'archived') return void res.status(201).end();
		if (document.delivery === 'redirect') return void res.redirect(302, storage.link(req.params.docId, document.pdf));
		res.status(200).type('application/pdf').send(document.pdf);
	});
	// `GET /document/` (OpenAPI operation listDocuments; Legalesign's API FAQ recipe
	// `/api/v1/document/?group=your-group&nosigners=1&limit=500&modified_gt=[datetime of last query]`):
	// group required; without `archived=all` only unarchived documents are listed (the documented
	// default), and `auto_archive` archives a document soon after it is signed; Tastypie paging with
	// limit/offset and `meta{limit,next,offset,previous,total_count}`. Order: by uuid here (not by
	// modified: the page states none). `modified_gt` compares whole seconds, timezone-less (UTC).
	const view = (record: LegalesignRecord, withSigners: boolean) => {
		const { owner: _owner, signers, ...rest } = record;
		return {
			...rest,
			resource_uri: `/api/v1/document/${record.uuid}/`,
			group: `/api/v1/group/${record.group}/`,
			...(withSigners ? { signers: signers.map((s) => [s.first_name, s.last_name, s.email, `/api/v1/signer/${s.uuid}/`, s.status]) } : {}),
		};
	};
	api.get('/document/', (req, res) => {
		const q = (name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string) : undefined);
		const group = q('group');
		if (!group) return void res.status(400).json({ error: 'group is required' });
		const limit = Math.min(Number(q('limit') ?? 20), 1000);
		const offset = Number(q('offset') ?? 0);
		const archived = q('archived');
		const modifiedGt = q('modified_gt');
		const gt = modifiedGt === undefined ? undefined : Date.parse(/Z|[+-]\d{2}:?\d{2}$/.test(modifiedGt) ? modifiedGt : `${modifiedGt}Z`);
		if (gt !== undefined && !Number.isFinite(gt)) return void res.status(400).json({ error: 'modified_gt is not a date-time' });
		if (!Number.isInteger(limit) || limit < 1 || !Number.isInteger(offset) || offset < 0) return void res.status(400).json({ error: 'limit and offset must be integers' });
		const all = [...state.records.values()]
			.filter((r) => r.owner === res.locals.owner && (r.group === group || `/api/v1/group/${r.group}/` === group))
			.filter((r) => (archived === 'all' ? true : archived === 'true' || archived === '1' ? r.archived : !r.archived))
			.filter((r) => gt === undefined || Math.floor(Date.parse(`${r.modified}Z`) / 1000) > Math.floor(gt / 1000))
			.sort((a, b) => (a.uuid < b.uuid ? -1 : 1));
		const page = all.slice(offset, offset + limit);
		const link = (at: number) => {
			const params = new URLSearchParams(req.query as Record<string, string>);
			params.set('offset', String(at));
			params.set('limit', String(limit));
			return `/api/v1/document/?${params.toString()}`;
		};
		res.json({
			meta: { limit, next: offset + limit < all.length ? link(offset + limit) : null, offset, previous: offset > 0 ? link(Math.max(0, offset - limit)) : null, total_count: all.length },
			objects: page.map((r) => view(r, q('nosigners') !== '1' && q('nosigners') !== 'true')),
		});
	});
	// `GET /document/{docId}/` (operation getDocument): the document with `signer_objects[].status`.
	api.get('/document/:docId/', (req, res) => {
		const record = state.records.get(req.params.docId);
		if (!record || record.owner !== res.locals.owner) return void res.status(404).end();
		res.json({
			...view(record, false),
			signer_objects: record.signers.map((s) => ({ uuid: s.uuid, resource_uri: `/api/v1/signer/${s.uuid}/`, email: s.email, first_name: s.first_name, last_name: s.last_name, status: s.status })),
		});
	});
	app.use('/api/v1', api);

	const sign = (text: string) => createSign('RSA-SHA1').update(text).sign(privateKey, 'base64');
	const form = (fields: Array<[string, string]>) => new URLSearchParams(fields).toString();
	const send = async (targets: LegalesignSubscription[], build: () => { headers: Record<string, string>; body: string }) => {
		const results: SentDelivery[] = [];
		for (const target of targets) {
			const { headers, body } = build();
			const sent = await sendDelivery(target.url, { headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });
			state.deliveries.push(sent);
			results.push(sent);
		}
		return results;
	};

	const realtimeBody = (event: string, record: LegalesignRecord | undefined, documentUuid: string, options: LegalesignRealtimeOptions, eventId: string) => {
		const dot = event.indexOf('.');
		const object = event.slice(0, dot);
		const name = event.slice(dot + 1);
		const signer = object === 'recipient' ? (record?.signers.find((s) => s.uuid === options.signerUuid) ?? record?.signers[0]) : undefined;
		const timestamp = new Date().toISOString();
		if (options.shape === 'graphql') {
			const body = {
				version: '1.0',
				eventId,
				timestamp,
				level: 'INFO',
				event: `${object}${name[0].toUpperCase()}${name.slice(1)}`,
				category: object,
				groupId: record?.group ?? '',
				userId: record?.owner ?? username,
				data: { documentId: documentUuid, ...(signer ? { recipientId: signer.uuid, email: signer.email } : {}), name: record?.name },
			};
			return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
		}
		const flat = {
			version: '1.0',
			eventId,
			timestamp,
			object,
			event: name,
			groupId: record?.group ?? '',
			data: { uuid: documentUuid, name: record?.name, ...(signer ? { recipient: { uuid: signer.uuid, email: signer.email } } : {}) },
		};
		if (options.shape === 'form') return { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form([['data', JSON.stringify(flat)]]) };
		return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(flat) };
	};
	const deliverRealtime = async (event: string, documentUuid: string, options: LegalesignRealtimeOptions = {}) => {
		const record = state.records.get(documentUuid);
		const owner = record?.owner ?? username;
		// Which subscriptions hear it: realtime ones of the document's owner whose filter takes the event
		// and whose group (when set) is the document's (a group given by slug or resource URI).
		const targets = state.subscriptions.filter(
			(s) =>
				s.active &&
				s.notify === 'realtime' &&
				(owners.get(s) ?? username) === owner &&
				filterTakes(s.event_filter, event) &&
				(!s.group || !record || s.group === record.group || s.group === `/api/v1/group/${record.group}/`),
		);
		const eventId = options.eventId ?? randomUUID();
		const results: SentDelivery[] = [];
		for (const target of targets) {
			const { headers, body } = realtimeBody(event, record, documentUuid, options, eventId);
			const sent = await sendDelivery(target.url, { headers, body });
			state.deliveries.push(sent);
			results.push(sent);
		}
		return results;
	};

	const server = await listen(app);
	const simulator: LegalesignSimulator = {
		url: server.url,
		baseUrl: `${server.url}/api/v1`,
		username,
		apiKey,
		certificate,
		privateKey,
		state,
		faults,
		close: async () => {
			await storage.close();
			await server.close();
		},
		storageUrl: storage.url,
		changeDocument(uuid, change = {}) {
			const at = (change.at ?? new Date()).toISOString().replace(/\.\d{3}Z$/, '');
			let record = state.records.get(uuid);
			if (!record) {
				record = {
					uuid,
					name: change.name ?? 'Employment contract',
					group: change.group ?? 'main',
					status: 10,
					modified: at,
					created: at,
					archived: false,
					download_final: false,
					signers: [{ uuid: `${uuid}-s1`, email: 'signer@example.com', first_name: 'Sam', last_name: 'Signer', status: 10 }],
					owner: change.owner ?? username,
				};
				state.records.set(uuid, record);
			}
			if (change.status !== undefined) record.status = change.status;
			if (change.signerStatus !== undefined) record.signers[0].status = change.signerStatus;
			if (change.downloadFinal !== undefined) record.download_final = change.downloadFinal;
			if (state.autoArchive && record.status === 30) record.archived = true;
			record.modified = at;
			return record;
		},
		addDocument(id, pdf, opts = {}) {
			state.documents.set(id, { pdf, owner: opts.owner ?? username, delivery: opts.delivery ?? 'redirect' });
		},
		deliverRealtime,
		happen(event, documentUuid, options = {}) {
			const effect = REALTIME_EFFECTS[event] ?? {};
			const record = simulator.changeDocument(documentUuid, { status: effect.status, downloadFinal: effect.downloadFinal });
			const signer = record.signers.find((s) => s.uuid === options.signerUuid) ?? record.signers[0];
			if (effect.signerStatus !== undefined && signer) signer.status = effect.signerStatus;
			return deliverRealtime(event, documentUuid, options);
		},
		sign,
		ownerOf: (subscription) => owners.get(subscription) ?? username,
		addAccount() {
			const account = { username: `apiuser${state.users.size + 1}`, apiKey: randomBytes(20).toString('hex') };
			state.users.set(account.username, account.apiKey);
			return account;
		},
		deliverBatch(entries, opts = {}) {
			const data = JSON.stringify(entries);
			const signed = opts.unsigned ? '' : sign(opts.badSignature ? `${data} ` : data);
			return send(state.subscriptions.filter((s) => s.active && s.notify === 'all'), () => ({ headers: {}, body: form([['data', data], ['signed', signed]]) }));
		},
		deliverUpon(notify, fields, opts = {}) {
			const jsonSigned = JSON.stringify(fields);
			const signature = sign(opts.badSignature ? `${jsonSigned} ` : jsonSigned);
			return send(state.subscriptions.filter((s) => s.active && s.notify === notify), () => ({
				headers: { 'x-signed': signature },
				body: form([...Object.entries(fields), ['json_signed', jsonSigned]]),
			}));
		},
	};
	return simulator;
}
