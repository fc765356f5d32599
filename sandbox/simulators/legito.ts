import express, { type Request, type Response } from 'express';
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Faults, faultMiddleware, listen, sendDelivery, type SentDelivery } from './server';

/**
 * Legito REST API v7 push connections + the Push API sender. Auth is checked the way Legito does:
 * an HS256 JWT whose iss is a known API key, signed with that key's private key, with integer
 * iat/exp no more than an hour apart and not expired. (Written independently of core's minting.)
 */

export const LEGITO_EVENT_TYPES = [
	'ApprovalActionApprove', 'ApprovalActionCanceled', 'ApprovalActionDisapprove', 'ApprovalApproved', 'ApprovalDisapproved',
	'ApprovalProcessStarted', 'ApprovalRestart', 'ConfidentialDesignated', 'ConfidentialRemoved', 'DateDelivery', 'DateExpiration',
	'DatePayment', 'DateSigning', 'DocumentDownload', 'DocumentOwnerChanged', 'DocumentRecordCreated', 'DocumentRecordCreatedMass',
	'DocumentRecordDeleted', 'DocumentRecordLocked', 'DocumentRecordRestored', 'DocumentRecordUnlocked', 'DocumentRecordUpdated',
	'DocumentSentByEmail', 'DocumentShared', 'DocumentSharingRemoved', 'DocumentVersionView', 'ExpirationDateRevised',
	'ExternalSharingActivated', 'ExternalSharingDeactivated', 'FileDeleted', 'FileDownload', 'FileUpload', 'LinkAdded',
	'NewDocumentVersion', 'SignCanceled', 'SignCompleted', 'SignStarted', 'WorkflowStatusChanged',
];
const FILE_TYPES = ['docx', 'pdf', 'pdfa', 'html', 'rtf', 'xml', 'odt', 'txt'];

export interface PushConnection {
	id: number;
	systemName: string;
	name: string;
	url: string;
	enabled: boolean;
	headers: Array<{ name: string; value: string | null; useDefaultApiUser: boolean }>;
	eventTypes: string[];
	templateSuiteAll: boolean;
	templateSuites: number[];
	documentRecordTypeAll: boolean;
	documentRecordTypes: number[];
	attachFilesUploaded: boolean;
	attachFilesGenerated: boolean;
	fileTypes: string[];
	/** The API key whose workspace owns it (Legito scopes push connections to the workspace). */
	owner: string;
}

export interface LegitoSimState {
	connections: Map<number, PushConnection>;
	/** API key → private key. */
	keys: Map<string, string>;
	/** Reject non-HTTPS push URLs as Legito does (off by default so tests can use 127.0.0.1). */
	requireHttps: boolean;
	/** Answer listings with header values hidden (null), as an API may for secrets; off by default. */
	maskHeaderValues: boolean;
	/**
	 * Create every push connection disabled, whatever the request says: "each newly created Push Connection
	 * must be enabled before use" (seeds/legito-push-api.txt, 1) Push API Settings). Off by default.
	 */
	createDisabled: boolean;
	/** Every API call, for assertions (method, path, status). */
	calls: Array<{ method: string; path: string; status: number }>;
	deliveries: SentDelivery[];
	nextId: number;
	/** The Document Timeline (`GET /event`), in the order events happened; `timeline-events` shuffles what it answers. */
	timeline: LegitoTimelineEvent[];
	/** Document records by id (`GET /document-record`). */
	records: Map<number, LegitoRecord>;
	nextEventId: number;
	/** Read timestampFrom/timestampTo as exclusive bounds (the page does not say; tests try both readings). */
	exclusiveBounds: boolean;
}

/** A Document Timeline item (Legito v7 OpenAPI, `GET /event`): no record code, the record's id only. */
export interface LegitoTimelineEvent {
	id: number;
	/** ISO 8601 with seconds and an offset, as the OpenAPI's example. */
	created: string;
	type: string;
	authorId: number;
	ip: string;
	documentRecordId: number;
	parameters: Record<string, unknown>;
	/** The API key whose workspace it belongs to (bookkeeping, not answered). */
	owner: string;
}

export interface LegitoRecord {
	id: number;
	code: string;
	name: string;
	created: string;
	lastModified: string;
	deleted: boolean;
	templateSuiteId: number;
	documentRecordTypeId: number | null;
	authorId: number;
	ownerId: number;
	workflowStage: { id: number; name: string };
	properties: unknown[];
	persons: unknown[];
	owner: string;
}

export interface LegitoFile {
	fileName: string;
	data: Buffer;
	kind?: 'uploaded' | 'generated';
}

export interface LegitoSimulator {
	url: string;
	/** API base URL to put in the credential (…/api/v7). */
	baseUrl: string;
	apiKey: string;
	privateKey: string;
	state: LegitoSimState;
	faults: Faults;
	close(): Promise<void>;
	/** Pushes `eventType` to every enabled connection subscribed to it (or the given one). */
	fire(eventType: string, options?: { connectionId?: number; files?: LegitoFile[]; code?: string; lastModified?: string; name?: string }): Promise<SentDelivery[]>;
	/** A second workspace with its own API key: it sees and deletes only its own push connections. */
	addAccount(): { apiKey: string; privateKey: string };
	/**
	 * Something happens to a document record: the record changes and a Document Timeline event is
	 * written, whether or not a push connection is listening (what a trigger that was off catches up on).
	 * `at` backdates it (default now); `code` picks the record (default the one `fire` uses).
	 */
	happen(eventType: string, options?: { code?: string; at?: Date; name?: string; owner?: string }): LegitoTimelineEvent;
	/** The JSON body a push would carry, for tests that post it themselves. */
	pushBody(connection: PushConnection, eventType: string, options?: { files?: LegitoFile[]; code?: string; lastModified?: string; name?: string }): string;
}

function issuerOf(token: string): string | undefined {
	try {
		const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { iss?: unknown };
		return typeof claims.iss === 'string' ? claims.iss : undefined;
	} catch {
		return undefined;
	}
}

/** What Legito refuses a request's JWT for, or undefined when it is good (HS256, known iss, signature, integer claims, ≤ 1 h, not expired). */
export function verifyJwt(token: string, keys: Map<string, string>, nowMs = Date.now()): string | undefined {
	const parts = token.split('.');
	if (parts.length !== 3) return 'malformed';
	let header: Record<string, unknown>;
	let claims: Record<string, unknown>;
	try {
		header = JSON.parse(Buffer.from(parts[0], 'base64url').toString());
		claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString());
	} catch {
		return 'malformed';
	}
	if (header.alg !== 'HS256') return 'alg';
	const key = typeof claims.iss === 'string' ? keys.get(claims.iss) : undefined;
	if (!key) return 'iss';
	const expected = createHmac('sha256', key).update(`${parts[0]}.${parts[1]}`).digest();
	const given = Buffer.from(parts[2], 'base64url');
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'signature';
	if (!Number.isInteger(claims.iat) || !Number.isInteger(claims.exp)) return 'claims';
	const now = Math.floor(nowMs / 1000);
	if ((claims.exp as number) - (claims.iat as number) > 3600 || (claims.exp as number) < now) return 'expired';
	return undefined;
}

const intList = (value: unknown) => (Array.isArray(value) ? value.map(Number).filter((n) => Number.isInteger(n)) : []);

export async function start(options: { apiKey?: string; privateKey?: string; requireHttps?: boolean } = {}): Promise<LegitoSimulator> {
	const apiKey = options.apiKey ?? randomUUID();
	const privateKey = options.privateKey ?? randomBytes(24).toString('hex');
	const state: LegitoSimState = {
		connections: new Map(),
		keys: new Map([[apiKey, privateKey]]),
		requireHttps: options.requireHttps ?? false,
		maskHeaderValues: false,
		createDisabled: false,
		calls: [],
		deliveries: [],
		nextId: 4636,
		timeline: [],
		records: new Map(),
		nextEventId: 90001,
		exclusiveBounds: false,
	};
	const faults = new Faults();
	const app = express();
	app.use((req, res, next) => {
		res.on('finish', () => state.calls.push({ method: req.method, path: req.originalUrl.split('?')[0], status: res.statusCode }));
		next();
	});
	app.use(express.json({ limit: '1mb' }));
	const api = express.Router();
	api.use(faultMiddleware(faults));
	api.use((req, res, next) => {
		const auth = req.header('authorization') ?? '';
		const problem = auth.startsWith('Bearer ') ? verifyJwt(auth.slice(7), state.keys) : 'missing';
		if (problem) return void res.status(401).json({ code: 401, message: 'Unauthorized' });
		res.locals.owner = issuerOf(auth.slice(7));
		next();
	});
	// The owner field is the simulator's bookkeeping; Legito's answers do not carry it.
	const view = ({ owner: _owner, ...connection }: PushConnection) => connection;
	const listed = (c: PushConnection) => (state.maskHeaderValues ? { ...view(c), headers: c.headers.map((h) => ({ ...h, value: null })) } : view(c));
	api.get('/push-connection', (_req, res) => res.json([...state.connections.values()].filter((c) => c.owner === res.locals.owner).map(listed)));
	api.post('/push-connection', (req: Request, res: Response) => {
		const body = (req.body ?? {}) as Record<string, unknown>;
		const fail = (message: string) => res.status(400).json({ code: 400, message });
		if (typeof body.name !== 'string' || !body.name) return fail('name is required');
		if (typeof body.url !== 'string') return fail('url is required');
		let url: URL;
		try {
			url = new URL(body.url);
		} catch {
			return fail('url is not valid');
		}
		if (state.requireHttps && url.protocol !== 'https:') return fail('URL to webhook must use SSL');
		const eventTypes = Array.isArray(body.eventTypes) ? (body.eventTypes as string[]) : [];
		if (eventTypes.some((t) => !LEGITO_EVENT_TYPES.includes(t))) return fail('unknown event type');
		const fileTypes = Array.isArray(body.fileTypes) ? (body.fileTypes as string[]) : ['docx', 'pdf'];
		if (fileTypes.some((t) => !FILE_TYPES.includes(t))) return fail('unknown file type');
		const headers = Array.isArray(body.headers) ? (body.headers as PushConnection['headers']) : [];
		const connection: PushConnection = {
			id: state.nextId++,
			systemName: randomUUID(),
			name: body.name,
			url: body.url,
			enabled: body.enabled === true && !state.createDisabled,
			headers: headers.map((h) => ({ name: String(h.name), value: h.value ?? null, useDefaultApiUser: Boolean(h.useDefaultApiUser) })),
			eventTypes,
			templateSuiteAll: body.templateSuiteAll !== false,
			templateSuites: intList(body.templateSuites),
			documentRecordTypeAll: body.documentRecordTypeAll !== false,
			documentRecordTypes: intList(body.documentRecordTypes),
			attachFilesUploaded: body.attachFilesUploaded === true,
			attachFilesGenerated: body.attachFilesGenerated === true,
			fileTypes,
			owner: res.locals.owner as string,
		};
		state.connections.set(connection.id, connection);
		return res.status(200).json(view(connection));
	});
	api.delete('/push-connection/:id', (req, res) => {
		const id = Number(req.params.id);
		if (state.connections.get(id)?.owner !== res.locals.owner || !state.connections.delete(id)) return void res.status(404).json({ code: 404, message: 'Push Connection not found' });
		res.json({ code: '200', status: 'OK' });
	});
	// Document Timeline, Legito v7 OpenAPI `GET /event` (Atractapp/legito-api-testing, legito-swagger.json):
	// timestampFrom/timestampTo integers, limit 1–1000 (default 1000), offset. The page states neither the
	// unit, the bounds' inclusiveness nor the order: here Unix seconds, both bounds inclusive, and the
	// answer deliberately NOT in time order (a client must not rely on one).
	api.get('/event', (req, res) => {
		const int = (name: string) => (req.query[name] === undefined ? undefined : Number(req.query[name]));
		const from = int('timestampFrom');
		const to = int('timestampTo');
		const limit = int('limit') ?? 1000;
		const offset = int('offset') ?? 0;
		if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return void res.status(400).json({ code: 400, message: 'limit must be between 1 and 1000' });
		if ((from !== undefined && !Number.isInteger(from)) || (to !== undefined && !Number.isInteger(to)) || !Number.isInteger(offset) || offset < 0) {
			return void res.status(400).json({ code: 400, message: 'timestampFrom, timestampTo and offset must be integers' });
		}
		const seconds = (e: LegitoTimelineEvent) => Math.floor(Date.parse(e.created) / 1000);
		const after = (e: LegitoTimelineEvent) => from === undefined || (state.exclusiveBounds ? seconds(e) > from : seconds(e) >= from);
		const before = (e: LegitoTimelineEvent) => to === undefined || (state.exclusiveBounds ? seconds(e) < to : seconds(e) <= to);
		const matching = state.timeline.filter((e) => e.owner === res.locals.owner && after(e) && before(e));
		// Unsorted: odd ids first, then even ones, each newest first.
		const shuffled = [...matching.filter((e) => e.id % 2 === 1).reverse(), ...matching.filter((e) => e.id % 2 === 0).reverse()];
		res.json(shuffled.slice(offset, offset + limit).map(({ owner: _owner, ...e }) => e));
	});
	// `GET /document-record?id=a|b` (pipe-separated ids; also code, limit, offset): the records' current state.
	api.get('/document-record', (req, res) => {
		const ids = typeof req.query.id === 'string' ? req.query.id.split('|').map(Number) : undefined;
		const codes = typeof req.query.code === 'string' ? req.query.code.split('|') : undefined;
		const limit = req.query.limit === undefined ? 100 : Number(req.query.limit);
		const offset = req.query.offset === undefined ? 0 : Number(req.query.offset);
		const records = [...state.records.values()].filter((r) => r.owner === res.locals.owner && (!ids || ids.includes(r.id)) && (!codes || codes.includes(r.code)));
		res.json(records.slice(offset, offset + limit).map(({ owner: _owner, ...r }) => r));
	});
	app.use('/api/v7', api);

	const pushBody: LegitoSimulator['pushBody'] = (connection, eventType, opts = {}) => {
		const code = opts.code ?? 'yDWFbU2Ly1b4Vd1n7tGE0mrvyQqUBoRMQEJq8QjE';
		const files = opts.files ?? [];
		const item = (f: LegitoFile) => ({
			fileName: f.fileName,
			documentRecordId: 11000,
			documentRecordCode: code,
			...(f.kind === 'uploaded' ? {} : { templateId: 17086 }),
			size: f.data.length,
			data: f.data.toString('base64'),
		});
		const payload: Record<string, unknown> = {
			pushConnectionSystemName: connection.systemName,
			eventType,
			documentRecord: {
				id: 11000,
				code,
				deleted: eventType === 'DocumentRecordDeleted',
				created: '2024-06-27T07:56:02+02:00',
				lastModified: opts.lastModified ?? new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00'),
				templateSuiteId: 512,
				documentRecordTypeId: null,
				name: opts.name ?? 'Purchase Agreement',
				authorId: 7,
				ownerId: 7,
				workflowStage: { id: 24, name: 'Ready to sign' },
				properties: [],
				persons: [{ definition: 'First sign party', name: 'John Dow', email: 'johndow@example.com' }],
			},
		};
		if (files.length) {
			payload.files = {
				uploaded: files.filter((f) => f.kind === 'uploaded').map(item),
				generated: files.filter((f) => f.kind !== 'uploaded').map(item),
			};
		}
		return JSON.stringify(payload);
	};

	const isoSeconds = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
	const DEFAULT_CODE = 'yDWFbU2Ly1b4Vd1n7tGE0mrvyQqUBoRMQEJq8QjE';
	const recordFor = (code: string, owner: string, at: string, name?: string): LegitoRecord => {
		let record = [...state.records.values()].find((r) => r.code === code && r.owner === owner);
		if (!record) {
			record = {
				id: code === DEFAULT_CODE ? 11000 : 11000 + state.records.size + 1,
				code,
				name: name ?? 'Purchase Agreement',
				created: at,
				lastModified: at,
				deleted: false,
				templateSuiteId: 512,
				documentRecordTypeId: null,
				authorId: 7,
				ownerId: 7,
				workflowStage: { id: 24, name: 'Ready to sign' },
				properties: [],
				persons: [{ definition: 'First sign party', name: 'John Dow', email: 'johndow@example.com' }],
				owner,
			};
			state.records.set(record.id, record);
		}
		return record;
	};
	const happen: LegitoSimulator['happen'] = (eventType, opts = {}) => {
		const at = isoSeconds(opts.at ?? new Date());
		const owner = opts.owner ?? apiKey;
		const record = recordFor(opts.code ?? DEFAULT_CODE, owner, at, opts.name);
		record.lastModified = at;
		if (opts.name) record.name = opts.name;
		if (eventType === 'DocumentRecordDeleted') record.deleted = true;
		const event: LegitoTimelineEvent = { id: state.nextEventId++, created: at, type: eventType, authorId: 7, ip: '203.0.113.7', documentRecordId: record.id, parameters: { ownerId: 7 }, owner };
		state.timeline.push(event);
		return event;
	};

	const server = await listen(app);
	return {
		happen,
		url: server.url,
		baseUrl: `${server.url}/api/v7`,
		apiKey,
		privateKey,
		state,
		faults,
		close: server.close,
		pushBody,
		addAccount() {
			const account = { apiKey: randomUUID(), privateKey: randomBytes(24).toString('hex') };
			state.keys.set(account.apiKey, account.privateKey);
			return account;
		},
		async fire(eventType, opts = {}) {
			// What is pushed also happened: the same second is the record's lastModified and the timeline event's created.
			const happened = happen(eventType, { code: opts.code, name: opts.name, at: opts.lastModified && Number.isFinite(Date.parse(opts.lastModified)) ? new Date(opts.lastModified) : undefined });
			opts = { ...opts, lastModified: opts.lastModified ?? happened.created };
			const targets = [...state.connections.values()].filter((c) =>
				opts.connectionId !== undefined ? c.id === opts.connectionId : c.enabled && (c.eventTypes.length === 0 || c.eventTypes.includes(eventType)),
			);
			const results: SentDelivery[] = [];
			for (const connection of targets) {
				const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Legito-Push-API' };
				for (const h of connection.headers) if (h.value !== null) headers[h.name] = h.value;
				const sent = await sendDelivery(connection.url, { headers, body: pushBody(connection, eventType, opts) });
				state.deliveries.push(sent);
				results.push(sent);
			}
			return results;
		},
	};
}
