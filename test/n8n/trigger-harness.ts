import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject, IHookFunctions, INodeExecutionData, INodeType, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { httpRequest, prepareBinaryData } from './helpers';

export interface LogEntry {
	level: 'debug' | 'info' | 'warn' | 'error';
	message: string;
	meta?: unknown;
}

export interface HarnessOptions {
	credentials: Record<string, IDataObject>;
	parameters?: Record<string, unknown>;
	workflowId?: string;
	nodeId?: string;
	/** Static data persisted by an earlier "process" (restart simulation). */
	staticDataJson?: string;
	/** n8n's N8N_PAYLOAD_SIZE_MAX, in bytes (16 MB by default). */
	payloadSizeMax?: number;
	/** The node's typeVersion (default 1). */
	typeVersion?: number;
	/** Credential ids by credential type (what `getNode().credentials` names); default `<type>-1`. */
	credentialIds?: Record<string, string>;
}

type HookMode = 'trigger' | 'manual' | 'internal' | 'webhook';
type Activation = 'init' | 'activate' | 'update' | 'manual';

/**
 * Runs an n8n trigger node the way n8n does, without n8n: webhook requests arrive over real HTTP
 * at `/webhook/<webhookId>/webhook` and `/webhook-test/...`, the body is read by n8n's rules (raw
 * bytes kept in `req.rawBody`, JSON / form / text parsed into `req.body`, over the payload limit →
 * 413 before the node runs), `webhook()` gets the live request/response, and returned workflowData
 * is recorded as an execution with `webhookResponse` sent as the body.
 *
 * The webhook methods run by n8n's rules (n8n-io/n8n, packages/cli/src):
 * - activation, start-up and publish run checkExists, then create when it answers false, in mode
 *   `trigger` (webhooks/webhook.service.ts createWebhookIfNotExists; active-workflow-manager.ts add
 *   → addWebhooks), and the static data is saved afterwards (active-workflow-manager.ts add);
 * - when create (or checkExists) throws, n8n runs delete on the static data from the database —
 *   the data from before the attempt, since nothing was saved yet — ignores its result, saves what
 *   delete left (active-workflow-manager.ts addWebhooks → clearWebhooks, mode `internal`), and then
 *   deactivates the workflow, running delete once more (workflows/workflow.service.ts
 *   _addToActiveWorkflowManager → remove), or at start-up queues a retry with backoff
 *   (active-workflow-manager.ts activateWorkflow → addQueuedWorkflowActivation);
 * - saving/publishing an active workflow first removes the old version — delete with the old nodes
 *   and credentials — then adds the new one (workflows/workflow.service.ts activateWorkflow: remove,
 *   then add in mode `update`);
 * - deactivation runs delete in mode `internal`; its return value is ignored and the static data is
 *   saved as delete left it (active-workflow-manager.ts remove → clearWebhooks);
 * - "Listen for test event" runs checkExists/create in mode `manual` on a copy of the saved static
 *   data kept with the test registration, never saved; the webhook call, "Stop listening" and the
 *   timeout all run delete in mode `internal` on that copy, with the test webhook URL
 *   (webhooks/test-webhooks.ts needsWebhook, deactivateWebhooks).
 * Static data is persisted as JSON between calls, as the database does.
 */
let harnessCount = 0;

export class N8nTriggerHarness {
	readonly executions: INodeExecutionData[][] = [];
	/** Errors webhook() threw (n8n would answer 500 and start a run with an empty item). */
	readonly thrown: unknown[] = [];
	readonly logs: LogEntry[] = [];
	readonly webhookId = 'c0ffee00-0000-4000-8000-000000000001';
	private staticDataJson: string;
	private readonly pending = new Set<Promise<unknown>>();
	private server?: Server;
	private baseUrl = '';

	constructor(
		private readonly node: INodeType,
		private readonly options: HarnessOptions,
	) {
		this.staticDataJson = options.staticDataJson ?? '{}';
		this.workflowId = options.workflowId ?? `wf-${++harnessCount}`;
	}

	readonly workflowId: string;

	get staticData(): IDataObject {
		return JSON.parse(this.staticDataJson) as IDataObject;
	}

	get persistedStaticData(): string {
		return this.staticDataJson;
	}

	setParameter(name: string, value: unknown): void {
		this.options.parameters = { ...this.options.parameters, [name]: value };
	}

	url(mode: 'production' | 'test' = 'production'): string {
		return `${this.baseUrl}/${mode === 'test' ? 'webhook-test' : 'webhook'}/${this.webhookId}/webhook`;
	}

	/** n8n's answer for a webhook() result (webhooks/webhook-helpers.ts): the node's own, else the described response. */
	private answer(res: express.Response, result: IWebhookResponseData): void {
		if (result.noWebhookResponse) return;
		if (!result.workflowData) {
			res.status(200).json(result.webhookResponse ?? { message: 'Webhook call received' });
			return;
		}
		const description = this.node.description.webhooks?.[0];
		const responseData = (description?.responseData as string | undefined) ?? 'firstEntryJson';
		const body = responseData === 'noData' ? undefined : responseData || (result.webhookResponse ?? { message: 'Workflow was started' });
		if (typeof body === 'string') res.status(200).send(body);
		else res.status(200).json(body);
	}

	async start(): Promise<this> {
		const app = express();
		const limit = this.options.payloadSizeMax ?? 16 * 1024 * 1024;
		app.use((req, res, next) => {
			const chunks: Buffer[] = [];
			let size = 0;
			req.on('data', (chunk: Buffer) => {
				size += chunk.length;
				if (size <= limit) chunks.push(chunk);
			});
			req.on('end', () => {
				if (size > limit) {
					res.status(413).json({ message: 'request entity too large' });
					return;
				}
				const raw = Buffer.concat(chunks);
				(req as unknown as { rawBody: Buffer }).rawBody = raw;
				const type = req.headers['content-type'] ?? '';
				const text = raw.toString('utf8');
				try {
					if (type.includes('json')) req.body = text ? JSON.parse(text) : {};
					else if (type.includes('x-www-form-urlencoded')) req.body = Object.fromEntries(new URLSearchParams(text));
					else req.body = text;
				} catch {
					req.body = {};
				}
				next();
			});
		});
		app.all(['/webhook/:id/webhook', '/webhook-test/:id/webhook'], async (req, res) => {
			if (req.method !== 'POST') {
				res.status(404).json({ message: `The requested webhook "${req.method} ${req.path}" is not registered.` });
				return;
			}
			// As n8n 1.123's executeWebhook (webhook-helpers.ts): a returned workflowData starts a run
			// whether or not the node answered itself; without noWebhookResponse an `onReceived` run is
			// answered with the description's `responseData`, whose default is the literal
			// 'firstEntryJson'; a thrown error is answered 500 and still starts a run with one empty item.
			let result: IWebhookResponseData;
			const call = (this.node.webhook as (this: IWebhookFunctions) => Promise<IWebhookResponseData>).call(this.webhookContext(req, res));
			this.pending.add(call);
			try {
				result = await call;
			} catch (error) {
				this.thrown.push(error);
				this.logs.push({ level: 'error', message: (error as Error).message });
				if (!res.headersSent) res.status(500).json({ code: 0, message: 'Error in workflow' });
				this.executions.push([{ json: {} }]);
				return;
			} finally {
				this.pending.delete(call);
			}
			if (result.workflowData) this.executions.push(result.workflowData[0]);
			this.answer(res, result);
			// A test webhook that started a run is removed right after (webhooks/test-webhooks.ts executeWebhook).
			if (result.workflowData && req.path.startsWith('/webhook-test/')) await this.stopListening();
		});
		await new Promise<void>((resolve) => {
			this.server = app.listen(0, '127.0.0.1', () => resolve());
		});
		this.baseUrl = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
		return this;
	}

	/** Resolves once every webhook() call under way has returned (a trigger answers before its follow-up work). */
	async idle(): Promise<void> {
		while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
		this.server?.closeAllConnections();
	}

	/** Whether n8n holds the workflow active (a failed activation deactivates it). */
	active = false;
	/** A start-up activation that failed and that n8n retries with backoff. */
	queuedActivation = false;
	/** The test webhook's static data while "Listen for test event" runs (never saved). */
	private testStaticData?: IDataObject;

	setCredentials(type: string, credentials: IDataObject, id?: string): void {
		this.options.credentials = { ...this.options.credentials, [type]: credentials };
		if (id) this.options.credentialIds = { ...this.options.credentialIds, [type]: id };
	}

	/** Activation (mode `activate`): checkExists → create; on failure delete on the saved data, then deactivated. */
	async activate(mode: 'production' | 'test' = 'production'): Promise<void> {
		if (mode === 'test') return this.listenForTest();
		if (this.active) return this.save();
		await this.add('activate');
	}

	/** Saving / publishing the active workflow: delete with the old version, then add the new one. */
	async save(changes: { parameters?: Record<string, unknown>; credentials?: Record<string, IDataObject>; credentialIds?: Record<string, string> } = {}): Promise<void> {
		if (this.active) await this.runSaved('delete', 'internal', 'update');
		this.options.parameters = { ...this.options.parameters, ...changes.parameters };
		this.options.credentials = { ...this.options.credentials, ...changes.credentials };
		this.options.credentialIds = { ...this.options.credentialIds, ...changes.credentialIds };
		await this.add('update');
	}

	/** A new n8n process with the workflow active: add in mode `init`; a failure queues a retry. */
	async restart(): Promise<void> {
		this.testStaticData = undefined;
		try {
			await this.add('init');
			this.queuedActivation = false;
		} catch (error) {
			this.queuedActivation = true;
			this.active = true; // still active in the database; n8n keeps trying
			this.logs.push({ level: 'info', message: `activation failed, retrying with backoff: ${(error as Error).message}` });
		}
	}

	/** The queued start-up retry firing (its backoff elapsed). */
	async retryQueuedActivation(): Promise<void> {
		if (this.queuedActivation) await this.restart();
	}

	/** What n8n does on restart with the workflow active: checkExists first (kept for older tests). */
	async checkExists(): Promise<boolean> {
		const methods = this.node.webhookMethods?.default;
		return methods ? this.runSaved('checkExists', 'trigger', 'init') : true;
	}

	/** Deactivation / Unpublish: delete in mode `internal`, result ignored by n8n (returned for tests). */
	async deactivate(mode: 'production' | 'test' = 'production'): Promise<boolean> {
		if (mode === 'test') return this.stopListening();
		const result = await this.runSaved('delete', 'internal', 'update');
		this.active = false;
		this.queuedActivation = false;
		if (this.testStaticData) await this.stopListening();
		return result;
	}

	/** "Listen for test event": checkExists/create in mode `manual` on an unsaved copy of the static data. */
	async listenForTest(): Promise<void> {
		if (this.testStaticData) await this.stopListening();
		const data = JSON.parse(this.staticDataJson) as IDataObject;
		this.testStaticData = data;
		try {
			if (!(await this.runHook('checkExists', data, 'manual', 'manual', true))) await this.runHook('create', data, 'manual', 'manual', true);
		} catch (error) {
			await this.stopListening();
			throw error;
		}
	}

	/** The test event arrived, "Stop listening", or the test timeout: delete in mode `internal` on the test copy. */
	async stopListening(): Promise<boolean> {
		const data = this.testStaticData;
		if (!data) return true;
		this.testStaticData = undefined;
		return this.runHook('delete', data, 'internal', 'update', true);
	}

	private async add(activation: Activation): Promise<void> {
		const methods = this.node.webhookMethods?.default;
		if (!methods) {
			this.active = true;
			return;
		}
		const data = JSON.parse(this.staticDataJson) as IDataObject;
		try {
			if (!(await this.runHook('checkExists', data, 'trigger', activation))) await this.runHook('create', data, 'trigger', activation);
		} catch (error) {
			// clearWebhooks: delete on the saved (pre-attempt) static data, errors logged, result ignored.
			await this.runSaved('delete', 'internal', 'update').catch((e: Error) => this.logs.push({ level: 'error', message: e.message }));
			if (activation !== 'init') {
				// _addToActiveWorkflowManager → remove → clearWebhooks once more, then inactive.
				await this.runSaved('delete', 'internal', 'update').catch((e: Error) => this.logs.push({ level: 'error', message: e.message }));
				this.active = false;
			}
			throw error;
		}
		this.staticDataJson = JSON.stringify(data);
		this.active = true;
	}

	/** A hook on the saved static data, saving what it leaves (clearWebhooks saves after delete). */
	private async runSaved(method: 'checkExists' | 'create' | 'delete', mode: HookMode, activation: Activation): Promise<boolean> {
		const data = JSON.parse(this.staticDataJson) as IDataObject;
		try {
			return await this.runHook(method, data, mode, activation);
		} finally {
			this.staticDataJson = JSON.stringify(data);
		}
	}

	private async runHook(method: 'checkExists' | 'create' | 'delete', data: IDataObject, mode: HookMode, activation: Activation, isTest = false): Promise<boolean> {
		const fn = this.node.webhookMethods?.default?.[method] as ((this: IHookFunctions) => Promise<boolean>) | undefined;
		if (!fn) return true;
		return fn.call(this.hookContext(data, mode, activation, isTest));
	}

	private common(staticData: IDataObject, executeMode: HookMode) {
		const parameters = this.options.parameters ?? {};
		const logger = {
			debug: (message: string, meta?: unknown) => this.logs.push({ level: 'debug', message, meta }),
			info: (message: string, meta?: unknown) => this.logs.push({ level: 'info', message, meta }),
			warn: (message: string, meta?: unknown) => this.logs.push({ level: 'warn', message, meta }),
			error: (message: string, meta?: unknown) => this.logs.push({ level: 'error', message, meta }),
		};
		return {
			logger,
			getNode: () => ({
				credentials: Object.fromEntries(
					Object.keys(this.options.credentials).map((type) => [type, { id: this.options.credentialIds?.[type] ?? `${type}-1`, name: type }]),
				),
				id: this.options.nodeId ?? 'node-1',
				name: 'Trigger',
				type: 'test.trigger',
				typeVersion: this.options.typeVersion ?? 1,
				position: [0, 0] as [number, number],
				parameters: parameters as IDataObject,
				webhookId: this.webhookId,
			}),
			getWorkflow: () => ({ id: this.workflowId, name: 'Test', active: true }),
			// n8n: get(node.parameters, name, fallback), and undefined throws (node-execution-context.ts)
			getNodeParameter: (name: string, fallback?: unknown) => {
				const value = name in parameters ? parameters[name] : fallback;
				if (value === undefined) throw new Error(`Could not get parameter "${name}"`);
				return value;
			},
			getCredentials: async (type: string) => {
				const credentials = this.options.credentials[type];
				if (!credentials) throw new Error(`Node does not have any credentials set for "${type}"`);
				return credentials;
			},
			getWorkflowStaticData: (type: string) => {
				if (type !== 'node') throw new Error('only node static data is used');
				return staticData;
			},
			getMode: () => executeMode,
		};
	}

	private hookContext(staticData: IDataObject, mode: HookMode, activation: Activation, isTest: boolean): IHookFunctions {
		return {
			...this.common(staticData, mode),
			// n8n picks the test base URL from the webhook's isTest flag, whatever the mode.
			getNodeWebhookUrl: (name: string) => (name === 'default' ? this.url(isTest ? 'test' : 'production') : undefined),
			getWebhookName: () => 'default',
			getActivationMode: () => activation,
			helpers: { httpRequest, request: undefined },
		} as unknown as IHookFunctions;
	}

	private webhookContext(req: express.Request, res: express.Response): IWebhookFunctions {
		const mode = req.path.startsWith('/webhook-test/') ? 'test' : 'production';
		// Static data written inside webhook() is not reliably saved by n8n: give it a throwaway copy.
		// A test webhook runs on the test registration's copy (webhooks/test-webhooks.ts setTestStaticData).
		const staticData = JSON.parse(mode === 'test' && this.testStaticData ? JSON.stringify(this.testStaticData) : this.staticDataJson) as IDataObject;
		return {
			...this.common(staticData, mode === 'test' ? 'manual' : 'webhook'),
			getRequestObject: () => req,
			getResponseObject: () => res,
			getHeaderData: () => req.headers,
			getQueryData: () => req.query,
			getBodyData: () => req.body,
			getWebhookName: () => 'default',
			getNodeWebhookUrl: () => this.url(mode),
			helpers: { httpRequest, prepareBinaryData, request: undefined },
		} as unknown as IWebhookFunctions;
	}
}
