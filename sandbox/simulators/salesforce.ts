import { createHash, createVerify } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { listen } from './server';
import { DestinationFaults, bearer, type RecordedRequest } from './destination-faults';

/**
 * Salesforce simulator: OAuth2 token endpoint (refresh_token and client_credentials grants) and
 * the REST API under /services/data/vXX.X: sobject upsert by external ID, update by Id, create,
 * a minimal SOQL query (Lead by Email), limits. Errors are Salesforce's array of
 * {message, errorCode, fields}; every data response carries Sforce-Limit-Info.
 */
export type SfRecord = Record<string, unknown> & { Id: string };

export interface SalesforceSimState {
	clients: Map<string, string>;
	refreshTokens: Set<string>;
	accessTokens: Set<string>;
	tokensIssued: Array<{ grantType: string; accessToken: string }>;
	/** object → Id → record */
	records: Map<string, Map<string, SfRecord>>;
	/** object → external ID fields */
	externalIdFields: Map<string, string[]>;
	/** Fields required when a record of the object is created. */
	requiredOnCreate: Map<string, string[]>;
	/** Restricted picklists: object.field → allowed values. */
	picklists: Map<string, string[]>;
	/**
	 * Refresh-token rotation of the connected app: each refresh returns a new refresh token and the
	 * old one stops working (Salesforce Help, "Configure Refresh Token Rotation" for connected apps
	 * and external client apps).
	 */
	rotateRefreshTokens: boolean;
	/** Authorization codes issued by the sign-in page and not yet exchanged. */
	codes: Map<string, { clientId: string; redirectUri: string; challenge?: string }>;
	/**
	 * JWT bearer flow: connected apps with a certificate (consumer key → public key PEM) and the users
	 * pre-authorized for them. The assertion is RS256 with iss = consumer key, sub = username, aud = the
	 * login URL and an exp no more than 3 minutes ahead (Salesforce Help, "OAuth 2.0 JWT Bearer Flow for
	 * Server-to-Server Integration"); no refresh token is issued.
	 */
	jwtApps: Map<string, string>;
	jwtUsers: Set<string>;
	apiUsage: number;
	apiLimit: number;
	requests: RecordedRequest[];
}

export interface SalesforceSimulator {
	url: string;
	close(): Promise<void>;
	state: SalesforceSimState;
	faults: DestinationFaults & { expireTokens(): void; requestLimitExceeded(times?: number, kind?: 'daily' | 'concurrent'): void };
	/** Records of an object, in creation order. */
	records(object: string): SfRecord[];
	seed(object: string, fields: Record<string, unknown>): SfRecord;
	/** REST data requests (not the token endpoint). */
	dataRequests(): RecordedRequest[];
}

export const SF_SIM_CLIENT_ID = 'sim-connected-app';
export const SF_SIM_CLIENT_SECRET = 'sim-connected-app-secret';
export const SF_SIM_REFRESH_TOKEN = '5Aep861sim-refresh-token';

const ID_PREFIX: Record<string, string> = { Opportunity: '006', Lead: '00Q', Task: '00T', Account: '001', Contact: '003' };

export async function start(): Promise<SalesforceSimulator> {
	const state: SalesforceSimState = {
		clients: new Map([[SF_SIM_CLIENT_ID, SF_SIM_CLIENT_SECRET]]),
		refreshTokens: new Set([SF_SIM_REFRESH_TOKEN]),
		accessTokens: new Set(),
		tokensIssued: [],
		records: new Map(),
		externalIdFields: new Map([
			['Opportunity', ['Legalhooks_Document_Id__c']],
			['Contract__c', ['Legalhooks_Document_Id__c']],
			['Task', ['Legalhooks_Event_Id__c']],
		]),
		requiredOnCreate: new Map([
			['Opportunity', ['Name', 'StageName', 'CloseDate']],
			['Task', []],
			['Lead', ['LastName', 'Company']],
		]),
		picklists: new Map([
			['Opportunity.StageName', ['Prospecting', 'Qualification', 'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost']],
			['Lead.Status', ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted']],
		]),
		rotateRefreshTokens: false,
		codes: new Map(),
		jwtApps: new Map(),
		jwtUsers: new Set(),
		apiUsage: 0,
		apiLimit: 15000,
		requests: [],
	};
	let counter = 0;
	let baseUrl = '';
	const isToken = (path: string) => path.startsWith('/services/oauth2/');
	const faults = Object.assign(new DestinationFaults(isToken), {
		expireTokens() {
			state.accessTokens.clear();
		},
		/**
		 * Salesforce answers no 429. REQUEST_LIMIT_EXCEEDED (HTTP 403) has two meanings: the org's
		 * rolling 24-hour allocation ("TotalRequests Limit exceeded.") and the concurrent long-running
		 * request limit, 25 requests of 20 s or more at once ("ConcurrentPerOrgLongTxn Limit exceeded.")
		 * (Salesforce Developer Limits and Allocations Quick Reference, "API Request Limits and Allocations").
		 */
		requestLimitExceeded(times = 1, kind: 'daily' | 'concurrent' = 'daily') {
			const message = kind === 'daily' ? 'TotalRequests Limit exceeded.' : 'ConcurrentPerOrgLongTxn Limit exceeded.';
			faults.respond(403, [{ message, errorCode: 'REQUEST_LIMIT_EXCEEDED' }], {
				times,
				headers: { 'Sforce-Limit-Info': `api-usage=${kind === 'daily' ? state.apiLimit : state.apiUsage}/${state.apiLimit}` },
			});
		},
	});
	faults.rateLimit = () => {
		throw new Error('Salesforce answers no 429; use faults.requestLimitExceeded(times, "concurrent" | "daily")');
	};
	const table = (object: string) => {
		let t = state.records.get(object);
		if (!t) state.records.set(object, (t = new Map()));
		return t;
	};
	const newId = (object: string) => `${ID_PREFIX[object] ?? 'a0X'}SIM${String(++counter).padStart(12, '0')}`;
	const errors = (res: Response, status: number, errorCode: string, message: string, fields: string[] = []) => res.status(status).json([{ message, errorCode, fields }]);

	const validate = (object: string, fields: Record<string, unknown>, res: Response): boolean => {
		for (const [field, value] of Object.entries(fields)) {
			if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(field)) {
				errors(res, 400, 'INVALID_FIELD', `No such column '${field}' on sobject of type ${object}`, [field]);
				return false;
			}
			const allowed = state.picklists.get(`${object}.${field}`);
			if (allowed && !allowed.includes(String(value))) {
				errors(res, 400, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${field}: bad value for restricted picklist field: ${String(value)}`, [field]);
				return false;
			}
		}
		return true;
	};
	const create = (object: string, fields: Record<string, unknown>, res: Response): SfRecord | undefined => {
		const missing = (state.requiredOnCreate.get(object) ?? []).filter((f) => fields[f] === undefined || fields[f] === '');
		if (missing.length) {
			errors(res, 400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
			return undefined;
		}
		const record: SfRecord = { ...fields, Id: newId(object) };
		table(object).set(record.Id, record);
		return record;
	};

	const app = express();
	app.use(express.json({ limit: '1mb' }));
	app.use(express.urlencoded({ extended: false }));
	app.use(faults.middleware(state.requests));

	// The sign-in page of the web server flow (/services/oauth2/authorize), PKCE optional.
	app.get('/services/oauth2/authorize', (req, res) => {
		const q = req.query as Record<string, string>;
		if (!q.client_id || !state.clients.has(q.client_id)) return res.status(400).send('error=invalid_client_id');
		const back = new URL(q.redirect_uri);
		if (q.state) back.searchParams.set('state', q.state);
		if (q.response_type !== 'code') back.searchParams.set('error', 'unsupported_response_type');
		else {
			const code = `aPrxSIMcode${++counter}`;
			state.codes.set(code, { clientId: q.client_id, redirectUri: q.redirect_uri, challenge: q.code_challenge });
			back.searchParams.set('code', code);
		}
		return res.redirect(302, back.toString());
	});

	const jwtBearer = (assertion: string): { error: string } | { user: string } => {
		const [head, claims, signature] = String(assertion ?? '').split('.');
		if (!head || !claims || !signature) return { error: 'invalid assertion' };
		let payload: Record<string, unknown>;
		try {
			payload = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8'));
			if (JSON.parse(Buffer.from(head, 'base64url').toString('utf8')).alg !== 'RS256') return { error: 'invalid assertion' };
		} catch {
			return { error: 'invalid assertion' };
		}
		const key = state.jwtApps.get(String(payload.iss));
		if (!key) return { error: 'invalid_client_id' };
		if (!createVerify('RSA-SHA256').update(`${head}.${claims}`).verify(key, Buffer.from(signature, 'base64url'))) return { error: 'invalid signature' };
		if (payload.aud !== baseUrl) return { error: 'audience is invalid' };
		const now = Math.floor(Date.now() / 1000);
		if (typeof payload.exp !== 'number' || payload.exp < now || payload.exp > now + 180) return { error: 'expired authorization code' };
		if (!state.jwtUsers.has(String(payload.sub))) return { error: "user hasn't approved this consumer" };
		return { user: String(payload.sub) };
	};

	app.post('/services/oauth2/token', (req, res) => {
		const body = req.body as Record<string, string>;
		if (body.grant_type === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
			const checked = jwtBearer(body.assertion);
			if ('error' in checked) return res.status(400).json({ error: 'invalid_grant', error_description: checked.error });
			const accessToken = `00DSIM!jwt${++counter}`;
			state.accessTokens.add(accessToken);
			state.tokensIssued.push({ grantType: body.grant_type, accessToken });
			return res.json({ access_token: accessToken, instance_url: baseUrl, id: `${baseUrl}/id/00DSIM/005SIM`, token_type: 'Bearer', scope: 'api' });
		}
		// The client may authenticate in the body or with HTTP Basic (n8n's OAuth2 credentials use the header).
		const header = req.headers.authorization ?? '';
		const [basicId, basicSecret] = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8').split(':') : [];
		const clientId = basicId ?? body.client_id;
		const clientSecret = basicId ? basicSecret : body.client_secret;
		if (!clientId || state.clients.get(clientId) !== clientSecret) {
			return res.status(400).json({ error: 'invalid_client', error_description: 'invalid client credentials' });
		}
		let refreshToken: string | undefined;
		if (body.grant_type === 'authorization_code') {
			const code = state.codes.get(body.code);
			state.codes.delete(body.code);
			if (!code || code.clientId !== clientId || code.redirectUri !== body.redirect_uri) return res.status(400).json({ error: 'invalid_grant', error_description: 'invalid authorization code' });
			if (code.challenge && createHash('sha256').update(String(body.code_verifier ?? '')).digest('base64url') !== code.challenge) {
				return res.status(400).json({ error: 'invalid_grant', error_description: 'invalid code verifier' });
			}
			refreshToken = `5Aep861sim-refresh-${++counter}`;
			state.refreshTokens.add(refreshToken);
		} else if (body.grant_type === 'refresh_token') {
			if (!state.refreshTokens.has(body.refresh_token)) return res.status(400).json({ error: 'invalid_grant', error_description: 'expired access/refresh token' });
			if (state.rotateRefreshTokens) {
				state.refreshTokens.delete(body.refresh_token);
				refreshToken = `5Aep861sim-refresh-${++counter}`;
				state.refreshTokens.add(refreshToken);
			}
		} else if (body.grant_type !== 'client_credentials') {
			return res.status(400).json({ error: 'unsupported_grant_type', error_description: 'grant type not supported' });
		}
		const accessToken = `00DSIM!tok${++counter}`;
		state.accessTokens.add(accessToken);
		state.tokensIssued.push({ grantType: body.grant_type, accessToken });
		return res.json({
			access_token: accessToken,
			...(refreshToken ? { refresh_token: refreshToken } : {}),
			instance_url: baseUrl,
			id: `${baseUrl}/id/00DSIM/005SIM`,
			token_type: 'Bearer',
			issued_at: String(Date.now()),
			signature: 'sim',
		});
	});

	const data = express.Router();
	data.use((req, res, next) => {
		state.apiUsage += 1;
		res.set('Sforce-Limit-Info', `api-usage=${state.apiUsage}/${state.apiLimit}`);
		const token = bearer(req);
		if (!token || !state.accessTokens.has(token)) return errors(res, 401, 'INVALID_SESSION_ID', 'Session expired or invalid');
		return next();
	});

	// describeGlobal and describe: the objects the org has, and an object's fields (externalId marks External ID fields).
	const objects = () => [...new Set([...state.records.keys(), ...state.externalIdFields.keys(), ...state.requiredOnCreate.keys()])];
	data.get('/sobjects', (_req, res) => {
		res.json({ encoding: 'UTF-8', maxBatchSize: 200, sobjects: objects().map((name) => ({ name, label: name.replace(/__c$/, ''), updateable: true, createable: true, custom: name.endsWith('__c') })) });
	});
	data.get('/sobjects/:object/describe', (req, res) => {
		const { object } = req.params;
		if (!objects().includes(object)) return errors(res, 404, 'NOT_FOUND', `The requested resource does not exist`);
		const external = state.externalIdFields.get(object) ?? [];
		const fields = [{ name: 'Id', label: 'Record ID', externalId: false }, ...(state.requiredOnCreate.get(object) ?? []).map((name) => ({ name, label: name, externalId: false })), ...external.map((name) => ({ name, label: name.replace(/__c$/, '').replace(/_/g, ' '), externalId: true }))];
		return res.json({ name: object, fields });
	});

	data.get('/limits', (_req, res) => {
		res.json({ DailyApiRequests: { Max: state.apiLimit, Remaining: state.apiLimit - state.apiUsage } });
	});

	data.get('/query', (req, res) => {
		const q = String(req.query.q ?? '');
		const match = /^SELECT Id FROM (\w+) WHERE Email = '((?:[^'\\]|\\.)*)'( AND IsConverted = false)?/i.exec(q);
		if (!match) return errors(res, 400, 'MALFORMED_QUERY', 'the simulator understands only SELECT Id FROM <Object> WHERE Email = ...');
		const email = match[2].replace(/\\(.)/g, '$1');
		const records = [...table(match[1]).values()].filter((r) => r.Email === email && (!match[3] || r.IsConverted !== true));
		const limit = /LIMIT (\d+)/i.exec(q);
		const page = records.slice(0, limit ? Number(limit[1]) : undefined);
		return res.json({ totalSize: page.length, done: true, records: page.map((r) => ({ attributes: { type: match[1] }, Id: r.Id })) });
	});

	data.get('/sobjects/:object/:field/:value', (req, res) => {
		const { object, field, value } = req.params;
		if (!(state.externalIdFields.get(object) ?? []).includes(field)) return errors(res, 404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${field}`);
		const matches = [...table(object).values()].filter((r) => String(r[field]) === value);
		if (matches.length === 0) return errors(res, 404, 'NOT_FOUND', 'The requested resource does not exist');
		if (matches.length > 1) return res.status(300).json(matches.map((r) => `/services/data/v60.0/sobjects/${object}/${r.Id}`));
		return res.json({ attributes: { type: object }, ...matches[0] });
	});

	data.patch('/sobjects/:object/:field/:value', (req, res) => {
		const { object, field, value } = req.params;
		if (!(state.externalIdFields.get(object) ?? []).includes(field)) {
			return errors(res, 404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${field}`);
		}
		const fields = req.body as Record<string, unknown>;
		if (field in fields && fields[field] !== value) return errors(res, 400, 'INVALID_FIELD', `${field} in the body does not match the URL`, [field]);
		if (!validate(object, fields, res)) return undefined;
		const matches = [...table(object).values()].filter((r) => String(r[field]) === value);
		if (matches.length > 1) return res.status(300).json(matches.map((r) => `/services/data/v60.0/sobjects/${object}/${r.Id}`));
		if (matches.length === 1) {
			Object.assign(matches[0], fields);
			return res.status(200).json({ id: matches[0].Id, success: true, errors: [], created: false });
		}
		const record = create(object, { ...fields, [field]: value }, res);
		if (!record) return undefined;
		return res.status(201).json({ id: record.Id, success: true, errors: [], created: true });
	});

	data.patch('/sobjects/:object/:id', (req, res) => {
		const { object, id } = req.params;
		const record = table(object).get(id);
		if (!record) return errors(res, 404, 'NOT_FOUND', 'The requested resource does not exist');
		const fields = req.body as Record<string, unknown>;
		if (!validate(object, fields, res)) return undefined;
		Object.assign(record, fields);
		return res.status(204).send();
	});

	data.post('/sobjects/:object', (req, res) => {
		const { object } = req.params;
		const fields = req.body as Record<string, unknown>;
		if (!validate(object, fields, res)) return undefined;
		const record = create(object, fields, res);
		if (!record) return undefined;
		return res.status(201).json({ id: record.Id, success: true, errors: [] });
	});

	app.use('/services/data/:version', (req: Request, res: Response, next) => {
		if (!/^v\d+\.\d$/.test(req.params.version)) return errors(res, 404, 'NOT_FOUND', 'The requested resource does not exist');
		return next();
	});
	app.use('/services/data/:version', data);

	const running = await listen(app);
	baseUrl = running.url;
	return {
		url: running.url,
		close: running.close,
		state,
		faults,
		records: (object: string) => [...table(object).values()],
		seed: (object: string, fields: Record<string, unknown>) => {
			const record: SfRecord = { ...fields, Id: newId(object) };
			table(object).set(record.Id, record);
			return record;
		},
		dataRequests: () => state.requests.filter((r) => r.path.startsWith('/services/data/')),
	};
}
