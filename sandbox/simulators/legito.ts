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

function verifyJwt(token: string, keys: Map<string, string>): string | undefined {
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
	const now = Math.floor(Date.now() / 1000);
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

	const server = await listen(app);
	return {
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
