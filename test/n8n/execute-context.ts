import {
	NodeHelpers,
	Workflow,
	type DeduplicationItemTypes,
	type DeduplicationScope,
	type ICheckProcessedOptions,
	type ICredentialDataDecryptedObject,
	type IHttpRequestOptions,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IRunExecutionData,
	type NodeParameterValueType,
} from 'n8n-workflow';
import { httpRequest, prepareBinaryData } from './helpers';
import { CredentialStore, httpRequestWithAuthentication } from './oauth2';
import { ProcessedStore } from './processed-store';

export { CredentialStore } from './oauth2';
export { ProcessedStore } from './processed-store';

/**
 * An IExecuteFunctions for a regular node, built the way n8n builds it for one run:
 * - node parameters are completed with the description's defaults (NodeHelpers.getNodeParameters,
 *   as the Workflow constructor does) and read with a dot path, falling back only when absent;
 * - parameter values that are expressions (`={{ … }}`) are evaluated per item with n8n-workflow's
 *   own expression engine over the input items ($json, $parameter…);
 * - getCredentials only hands out credential types the node declares, read fresh from a
 *   credential store that outlives the execution (n8n's database; pass one to several runs);
 * - helpers.httpRequest makes real HTTP requests (test/n8n/helpers.ts: n8n's semantics);
 * - helpers.httpRequestWithAuthentication signs with the credential and, for OAuth2 credentials,
 *   refreshes on a 401 and saves the new token data to the store (test/n8n/oauth2.ts);
 * - helpers.prepareBinaryData keeps the bytes in the item, as n8n's default binary mode does;
 * - helpers.checkProcessedAndRecord / removeProcessed keep n8n's de-duplication records in a
 *   store that outlives the execution (test/n8n/processed-store.ts);
 * - continueOnFail follows the node's `onError` setting like n8n 1.x/2.x.
 */
export interface ExecuteContextOptions {
	node: INodeType;
	parameters: INodeParameters;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** n8n's credential database across executions; built from `credentials` when absent. */
	credentialStore?: CredentialStore;
	/** n8n's de-duplication records across executions; a fresh one when absent. */
	processedStore?: ProcessedStore;
	items: INodeExecutionData[];
	/** n8n's node setting "On Error". */
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	nodeName?: string;
}

export interface ExecuteContextRecord {
	/** Every helpers.httpRequest call, in order (options as the node passed them). */
	httpRequests: Array<{ method?: string; url: string }>;
	/** Every helpers.httpRequestWithAuthentication call, in order. */
	authenticatedRequests: Array<{ credentialType: string; method?: string; url: string }>;
	credentialReads: string[];
}

function extractValue(value: unknown): unknown {
	return value && typeof value === 'object' && (value as { __rl?: unknown }).__rl ? (value as { value?: unknown }).value : value;
}

function getPath(source: unknown, path: string): unknown {
	let current = source;
	for (const part of path.split('.')) {
		if (current === null || current === undefined || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[part];
	}
	return current;
}

export function createExecuteContext(options: ExecuteContextOptions): IExecuteFunctions & { record: ExecuteContextRecord } {
	const description = options.node.description;
	const version = Array.isArray(description.version) ? description.version[description.version.length - 1] : description.version;
	const node: INode = {
		id: 'e2c1a6d0-0000-4000-8000-000000000001',
		name: options.nodeName ?? description.defaults.name ?? description.displayName,
		type: `@legalhooks/n8n-nodes-legalhooks-actions.${description.name}`,
		typeVersion: version,
		position: [0, 0],
		parameters: {},
		...(options.onError ? { onError: options.onError } : {}),
	};
	const store = options.credentialStore ?? new CredentialStore(options.credentials ?? {});
	const processed = options.processedStore ?? new ProcessedStore();
	node.credentials = Object.fromEntries((description.credentials ?? []).filter((c) => store.has(c.name)).map((c) => [c.name, { id: `cred-${c.name}`, name: c.name }]));
	node.parameters = NodeHelpers.getNodeParameters(description.properties, options.parameters, true, false, node, description) ?? {};

	const nodeTypes: INodeTypes = {
		getByName: () => options.node,
		getByNameAndVersion: () => options.node,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({ id: 'wf-execute-context', nodes: [node], connections: {}, active: false, nodeTypes });
	const runExecutionData: IRunExecutionData = { resultData: { runData: {} } } as IRunExecutionData;
	const record: ExecuteContextRecord = { httpRequests: [], authenticatedRequests: [], credentialReads: [] };
	const declared = (type: string) => (description.credentials ?? []).some((c) => c.name === type);

	// n8n keys node-scoped records by workflow and node id, workflow-scoped ones by workflow id.
	const scopeKey = (scope: DeduplicationScope) => (scope === 'node' ? `${workflow.id}:${node.id}` : String(workflow.id));
	const context = {
		record,
		getNode: () => node,
		getInputData: (inputIndex = 0) => (inputIndex === 0 ? options.items : []),
		getMode: () => 'manual',
		getWorkflow: () => ({ id: workflow.id, name: 'execute-context', active: false }),
		getExecutionId: () => 'exec-1',
		continueOnFail: () => node.onError === 'continueRegularOutput' || node.onError === 'continueErrorOutput',
		getNodeParameter(name: string, itemIndex: number, fallbackValue?: unknown, paramOptions?: { rawExpressions?: boolean; extractValue?: boolean }) {
			const value = getPath(node.parameters, name) as NodeParameterValueType | undefined;
			if (value === undefined) {
				if (arguments.length >= 3) return fallbackValue;
				throw new Error(`Could not get parameter "${name}"`);
			}
			if (paramOptions?.rawExpressions) return value;
			const resolved = workflow.expression.getParameterValue(value, runExecutionData, 0, itemIndex, node.name, options.items, 'manual', {});
			// extractValue: a resource locator ({__rl, mode, value}) gives its value; a plain value stays as is
			return paramOptions?.extractValue ? extractValue(resolved) : resolved;
		},
		async getCredentials(type: string) {
			if (!declared(type)) throw new Error(`Node type "${node.type}" does not have any credentials of type "${type}" defined`);
			const data = store.read(type);
			if (!data) throw new Error(`Node "${node.name}" does not have any credentials set for "${type}"`);
			record.credentialReads.push(type);
			return data;
		},
		helpers: {
			httpRequest: async (requestOptions: Parameters<typeof httpRequest>[0]) => {
				record.httpRequests.push({ method: requestOptions.method, url: requestOptions.url });
				return httpRequest(requestOptions);
			},
			httpRequestWithAuthentication: async (type: string, requestOptions: IHttpRequestOptions) => {
				if (!declared(type)) throw new Error(`Node type "${node.type}" does not have any credentials of type "${type}" defined`);
				record.authenticatedRequests.push({ credentialType: type, method: requestOptions.method, url: requestOptions.url });
				return httpRequestWithAuthentication({ node, store }, type, requestOptions);
			},
			checkProcessedAndRecord: async (items: DeduplicationItemTypes[], scope: DeduplicationScope, checkOptions: ICheckProcessedOptions) =>
				processed.checkProcessedAndRecord(scopeKey(scope), items, checkOptions),
			removeProcessed: async (items: DeduplicationItemTypes[], scope: DeduplicationScope, checkOptions: ICheckProcessedOptions) =>
				processed.removeProcessed(scopeKey(scope), items, checkOptions),
			prepareBinaryData,
			returnJsonArray: (data: Record<string, unknown> | Array<Record<string, unknown>>) => (Array.isArray(data) ? data : [data]).map((json) => ({ json })),
			constructExecutionMetaData: (items: INodeExecutionData[], meta: { itemData: { item: number } }) => items.map((item) => ({ ...item, pairedItem: meta.itemData })),
		},
		logger: { debug() {}, info() {}, warn() {}, error() {} },
	};
	return context as unknown as IExecuteFunctions & { record: ExecuteContextRecord };
}

/** Runs a node's execute() through the context and returns its first output. */
export async function runNode(options: ExecuteContextOptions): Promise<{ output: INodeExecutionData[]; record: ExecuteContextRecord }> {
	const context = createExecuteContext(options);
	const execute = options.node.execute as (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>;
	const result = await execute.call(context);
	return { output: result[0] ?? [], record: context.record };
}

/**
 * Runs a node's listSearch method (a resource locator's "From List") with an ILoadOptionsFunctions
 * as n8n builds it for the editor: the node's credentials, httpRequestWithAuthentication, and the
 * current parameters.
 */
export async function runListSearch(options: Omit<ExecuteContextOptions, 'items'> & { method: string; filter?: string; paginationToken?: string }) {
	const context = createExecuteContext({ ...options, items: [] });
	const node = context.getNode();
	const loadOptions = {
		...context,
		getNodeParameter: (name: string, fallbackValue?: unknown, paramOptions?: { extractValue?: boolean }) => context.getNodeParameter(name, 0, fallbackValue, paramOptions),
		getCurrentNodeParameter: (name: string, paramOptions?: { extractValue?: boolean }) => context.getNodeParameter(name, 0, undefined, paramOptions),
		getCurrentNodeParameters: () => node.parameters,
	};
	const search = options.node.methods?.listSearch?.[options.method];
	if (!search) throw new Error(`the node has no listSearch method "${options.method}"`);
	const result = await search.call(loadOptions as never, options.filter, options.paginationToken);
	return { result, record: context.record };
}
