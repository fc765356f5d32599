import * as path from 'node:path';
import { Workflow, type INodeParameters, type INodeType, type INodeTypes } from 'n8n-workflow';
import { n8nPackageContents } from '../n8n/editor-render';

// The canvas shows each node's subtitle under its name, evaluated by n8n from the node's parameters:
// it must read as words ("Document Updated", "Create or Update"), not stored values.
const { nodes } = n8nPackageContents(path.resolve(__dirname, '../..'));
const byName = (name: string) => nodes.find((node) => node.description.name === name)!;

function subtitle(node: INodeType, parameters: INodeParameters): unknown {
	const nodeTypes = { getByName: () => node, getByNameAndVersion: () => node, getKnownTypes: () => ({}) } as unknown as INodeTypes;
	const canvasNode = { id: '1', name: 'node', type: `legalhooks.${node.description.name}`, typeVersion: 1, position: [0, 0] as [number, number], parameters };
	const workflow = new Workflow({ nodes: [canvasNode], connections: {}, active: false, nodeTypes });
	return workflow.expression.getSimpleParameterValue(canvasNode, node.description.subtitle!, 'internal', {});
}

it.each([
	['plexusTrigger', { events: ['documentUpdated'] }, 'Document Updated'],
	['plexusTrigger', { events: ['documentUpdated', 'documentDeleted'] }, '2 events'],
	['plexusTrigger', { events: [] }, 'All events'],
	['legitoTrigger', { legitoEvents: ['SignCompleted'] }, 'Signing Completed'],
	['legalSalesforce', { operation: 'upsert' }, 'Create or Update'],
	['legalSalesforce', { operation: 'createTask' }, 'Create Task'],
	['legalXero', { operation: 'createInvoice' }, 'Create Draft Invoice'],
	['legalSlack', { authentication: 'botToken', channel: { __rl: true, mode: 'id', value: 'C0SIMLEGAL1' } }, 'Post to a channel'],
	['legalSlack', { authentication: 'botToken', channel: { __rl: true, mode: 'list', value: 'C0SIMLEGAL1', cachedResultName: '#legal' } }, 'Post to #legal'],
	['legalSlack', { authentication: 'webhook' }, 'Post via incoming webhook'],
])('%s with %j reads "%s"', (name, parameters, expected) => {
	expect(subtitle(byName(name), parameters as INodeParameters)).toBe(expected);
});

it.each(nodes.filter((node) => node.description.group.includes('trigger')).map((node) => [node.description.displayName, node] as const))(
	'%s: one chosen event reads as its name in the Events list',
	(_name, node) => {
		const events = node.description.properties.find((p) => p.displayName === 'Events')!;
		for (const option of events.options as Array<{ name: string; value: string }>) expect(subtitle(node, { [events.name]: [option.value] })).toBe(option.name);
	},
);
