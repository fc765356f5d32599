import { cronNodeOptions, NodeHelpers, type IDataObject, type INode, type INodeExecutionData, type INodeProperties, type INodeType, type IPollFunctions } from 'n8n-workflow';
import { httpRequest } from './helpers';
import type { LogEntry } from './trigger-harness';

export interface PollHarnessOptions {
	credentials: Record<string, IDataObject>;
	parameters?: Record<string, unknown>;
	workflowId?: string;
}

let harnessCount = 0;

const getPath = (object: unknown, path: string): unknown =>
	path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), object);

/**
 * Runs an n8n polling trigger's poll() the way n8n does (n8n-io/n8n, packages/core
 * execution-engine/poll-trigger-executor.ts and packages/cli workflows/triggers/
 * trigger-execution-context.factory.ts getExecutePollFunctions), without n8n:
 * - parameters are completed with the description's defaults (NodeHelpers.getNodeParameters);
 * - getWorkflowStaticData('node') is the node's static data as last saved (JSON, as the database
 *   keeps it), one object for the whole poll;
 * - in trigger mode, a result other than null is emitted (one execution) and the static data saved;
 *   null saves it too (n8n 2.x commits the poll cursor); a throw is reported as a failed trigger
 *   (__emitError) and saves nothing;
 * - in manual mode ("Fetch test event") the result is returned, a throw reaches the caller, and the
 *   static data is not saved;
 * - helpers.httpRequest makes real HTTP requests with n8n's semantics (test/n8n/helpers.ts).
 */
export class N8nPollHarness {
	readonly executions: INodeExecutionData[][] = [];
	/** What poll() threw in trigger mode (n8n records a failed execution for each). */
	readonly triggerErrors: unknown[] = [];
	readonly logs: LogEntry[] = [];
	readonly requests: Array<{ method?: string; url: string }> = [];
	workflowId: string;
	private staticDataJson = '{}';
	private readonly node: INode;

	constructor(
		private readonly nodeType: INodeType,
		private readonly options: PollHarnessOptions,
	) {
		this.workflowId = options.workflowId ?? `wf-poll-${++harnessCount}`;
		const description = nodeType.description;
		this.node = {
			id: `poll-node-${harnessCount}`,
			name: description.defaults.name ?? description.displayName,
			type: description.name,
			typeVersion: Array.isArray(description.version) ? description.version[description.version.length - 1] : description.version,
			position: [0, 0],
			parameters: {},
		};
	}

	get staticData(): IDataObject {
		return JSON.parse(this.staticDataJson) as IDataObject;
	}

	setParameter(name: string, value: unknown): void {
		this.options.parameters = { ...this.options.parameters, [name]: value };
	}

	/** The node's properties as n8n loads them: a polling node gets Poll Times first (n8n-core nodes-loader directory-loader.ts applySpecialNodeParameters, constants.ts commonPollingParameters). */
	properties(): INodeProperties[] {
		const { properties, polling } = this.nodeType.description;
		const pollTimes: INodeProperties = {
			displayName: 'Poll Times',
			name: 'pollTimes',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Poll Time' },
			default: { item: [{ mode: 'everyMinute' }] },
			placeholder: 'Add Poll Time',
			options: cronNodeOptions,
		};
		return polling ? [pollTimes, ...properties] : [...properties];
	}

	private context(mode: 'trigger' | 'manual', staticData: IDataObject): IPollFunctions {
		const description = this.nodeType.description;
		const node = { ...this.node, parameters: NodeHelpers.getNodeParameters(description.properties, (this.options.parameters ?? {}) as never, true, false, this.node, description) ?? {} };
		const declared = (type: string) => (description.credentials ?? []).some((c) => c.name === type);
		const log = (level: LogEntry['level']) => (message: string, meta?: unknown) => void this.logs.push({ level, message, meta });
		return {
			getMode: () => mode,
			getActivationMode: () => (mode === 'manual' ? 'manual' : 'activate'),
			getNode: () => node,
			getWorkflow: () => ({ id: this.workflowId, name: 'poll harness', active: mode !== 'manual' }),
			getNodeParameter: (name: string, fallback?: unknown) => {
				const value = getPath(node.parameters, name);
				return value === undefined ? fallback : value;
			},
			getCredentials: async (type: string) => {
				if (!declared(type)) throw new Error(`Node type "${node.type}" does not have any credentials of type "${type}" defined`);
				const data = this.options.credentials[type];
				if (!data) throw new Error(`Node "${node.name}" does not have any credentials set for "${type}"`);
				return data;
			},
			getWorkflowStaticData: (type: string) => {
				if (type !== 'node') throw new Error('the poll harness keeps node static data only');
				return staticData;
			},
			helpers: {
				httpRequest: async (request: Parameters<typeof httpRequest>[0]) => {
					this.requests.push({ method: request.method, url: request.url });
					return httpRequest(request);
				},
			},
			logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
			__emit: () => undefined,
			__emitError: () => undefined,
		} as unknown as IPollFunctions;
	}

	/** One poll at the Poll Times (trigger mode): the items it emitted, or null. */
	async poll(): Promise<INodeExecutionData[] | null> {
		const staticData = JSON.parse(this.staticDataJson) as IDataObject;
		let result: INodeExecutionData[][] | null;
		try {
			result = await (this.nodeType.poll as (this: IPollFunctions) => Promise<INodeExecutionData[][] | null>).call(this.context('trigger', staticData));
		} catch (error) {
			this.triggerErrors.push(error);
			return null;
		}
		this.staticDataJson = JSON.stringify(staticData);
		if (result === null) return null;
		this.executions.push(result[0]);
		return result[0];
	}

	/**
	 * The n8n process dies during a poll (killed, or stopped mid-way): poll() ran as far as it got,
	 * but n8n never received its result, so nothing was emitted and the static data was not saved;
	 * what the process held in memory (the poll's de-duplication store) is gone too. Answers how
	 * many items the lost poll would have emitted.
	 */
	async pollKilled(): Promise<number> {
		const staticData = JSON.parse(this.staticDataJson) as IDataObject;
		let lost = 0;
		try {
			const result = await (this.nodeType.poll as (this: IPollFunctions) => Promise<INodeExecutionData[][] | null>).call(this.context('trigger', staticData));
			lost = result?.[0]?.length ?? 0;
		} catch {
			// died anyway
		}
		// A new process keeps only the static data: its in-memory de-duplication starts empty, which a
		// workflow id this process has not polled with yet gives (the memory is scoped by workflow and node).
		this.workflowId = `${this.workflowId}-restarted`;
		return lost;
	}

	/** "Fetch test event": poll() in manual mode; throws what it throws; saves no static data. */
	async fetchTestEvent(): Promise<INodeExecutionData[] | null> {
		const staticData = JSON.parse(this.staticDataJson) as IDataObject;
		const result = await (this.nodeType.poll as (this: IPollFunctions) => Promise<INodeExecutionData[][] | null>).call(this.context('manual', staticData));
		return result === null ? null : result[0];
	}
}
