/*
 * A node's parameters resolved the way that n8n resolved them in an execution: the engine's own
 * n8n-workflow (Workflow + its expression engine), on the execution's stored run data, with the input
 * the node got (the items its parent put out). For native nodes whose request the closed network
 * stops, this is what the node was about to send.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import type { N8n } from './n8n';

const SCRIPT = `
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const { Workflow } = require(require.resolve('n8n-workflow', { paths: [input.n8nDir] }));
// unknown node types: the Workflow keeps each node's parameters as they are (no defaults added)
const nodeTypes = { getByName: () => undefined, getByNameAndVersion: () => undefined, getKnownTypes: () => ({}) };
const workflow = new Workflow({ id: 'e2e', name: 'e2e', nodes: input.nodes, connections: input.connections, active: false, nodeTypes, settings: {} });
const parentRun = input.runExecutionData.resultData.runData[input.parent][0];
const connectionInputData = (parentRun.data.main[0] || []);
const executeData = { node: input.node, data: { main: [connectionInputData] }, source: { main: [{ previousNode: input.parent }] } };
const out = workflow.expression.getParameterValue(input.node.parameters, input.runExecutionData, 0, 0, input.node.name, connectionInputData, 'webhook', {}, executeData);
process.stdout.write(JSON.stringify(out));
`;

export async function resolveNodeParameters(n8n: N8n, execution: any, node: any, parent: string): Promise<Record<string, any>> {
	let runExecutionData = execution?.data;
	if (typeof runExecutionData === 'string') runExecutionData = JSON.parse(runExecutionData);
	const workflow = execution.workflowData ?? (await n8n.api('GET', `/workflows/${execution.workflowId}`));
	const input = {
		n8nDir: path.join(n8n.spec.installDir, 'node_modules', 'n8n'),
		nodes: workflow.nodes,
		connections: workflow.connections,
		runExecutionData,
		node,
		parent,
	};
	const out = execFileSync('node', ['-e', SCRIPT], { input: JSON.stringify(input), env: { ...n8n.nodeEnv(), TZ: 'UTC' }, encoding: 'utf8', maxBuffer: 16 << 20 });
	return JSON.parse(out);
}
