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
}

/**
 * Runs an n8n trigger node the way n8n does, without n8n: webhook requests arrive over real HTTP
 * at `/webhook/<webhookId>/webhook` and `/webhook-test/...`, the body is read by n8n's rules (raw
 * bytes kept in `req.rawBody`, JSON / form / text parsed into `req.body`, over the payload limit →
 * 413 before the node runs), `webhook()` gets the live request/response, and returned workflowData
 * is recorded as an execution with `webhookResponse` sent as the body. Activation calls
 * checkExists → create like n8n's ActiveWorkflows; deactivation calls delete; static data is
 * persisted as JSON between calls, as the database does.
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
	mode: 'production' | 'test' = 'production';

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

	url(mode: 'production' | 'test' = this.mode): string {
		return `${this.baseUrl}/${mode === 'test' ? 'webhook-test' : 'webhook'}/${this.webhookId}/webhook`;
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

	/** n8n's activation: checkExists, then create when it answers false. */
	async activate(mode: 'production' | 'test' = 'production'): Promise<void> {
		this.mode = mode;
		const methods = this.node.webhookMethods?.default;
		if (!methods) return;
		if (!(await this.runHook(methods.checkExists!))) await this.runHook(methods.create!);
	}

	/** What n8n does on restart with the workflow active: checkExists only. */
	async checkExists(): Promise<boolean> {
		const methods = this.node.webhookMethods?.default;
		return methods ? this.runHook(methods.checkExists!) : true;
	}

	async deactivate(mode: 'production' | 'test' = 'production'): Promise<boolean> {
		this.mode = mode;
		const methods = this.node.webhookMethods?.default;
		return methods ? this.runHook(methods.delete!) : true;
	}

	private async runHook(method: (this: IHookFunctions) => Promise<boolean>): Promise<boolean> {
		const data = JSON.parse(this.staticDataJson) as IDataObject;
		try {
			return await method.call(this.hookContext(data));
		} finally {
			this.staticDataJson = JSON.stringify(data);
		}
	}

	private common(staticData: IDataObject, mode: 'production' | 'test' = this.mode) {
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
				id: this.options.nodeId ?? 'node-1',
				name: 'Trigger',
				type: 'test.trigger',
				typeVersion: 1,
				position: [0, 0] as [number, number],
				parameters: parameters as IDataObject,
				webhookId: this.webhookId,
			}),
			getWorkflow: () => ({ id: this.workflowId, name: 'Test', active: true }),
			getNodeParameter: (name: string, fallback?: unknown) => (name in parameters ? parameters[name] : fallback),
			getCredentials: async (type: string) => {
				const credentials = this.options.credentials[type];
				if (!credentials) throw new Error(`Node does not have any credentials set for "${type}"`);
				return credentials;
			},
			getWorkflowStaticData: (type: string) => {
				if (type !== 'node') throw new Error('only node static data is used');
				return staticData;
			},
			getMode: () => (mode === 'test' ? 'manual' : 'trigger'),
		};
	}

	private hookContext(staticData: IDataObject): IHookFunctions {
		return {
			...this.common(staticData),
			getNodeWebhookUrl: (name: string) => (name === 'default' ? this.url() : undefined),
			getWebhookName: () => 'default',
			getActivationMode: () => 'activate',
			helpers: { httpRequest, request: undefined },
		} as unknown as IHookFunctions;
	}

	private webhookContext(req: express.Request, res: express.Response): IWebhookFunctions {
		// Static data written inside webhook() is not reliably saved by n8n: give it a throwaway copy.
		const staticData = JSON.parse(this.staticDataJson) as IDataObject;
		const mode = req.path.startsWith('/webhook-test/') ? 'test' : 'production';
		return {
			...this.common(staticData, mode),
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
