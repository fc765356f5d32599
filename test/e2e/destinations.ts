/*
 * The action node the e2e puts after every trigger (Slack, pointed at the Slack simulator).
 * Until the Slack node is in the build, workflows/flows are trigger-only and the summary says so.
 */
import { startSlack, type SlackSim } from './lib/simulators';

export interface N8nDestination {
	/** node `name` in the n8n package */
	node: string;
	typeVersion: number;
	credentialType: string;
	credentialData(sim: SlackSim): Record<string, unknown>;
	parameters(sim: SlackSim): Record<string, unknown>;
	start(): Promise<SlackSim>;
}

export interface NodeRedDestination {
	type: string;
	config: string;
	configProps(sim: SlackSim): Record<string, unknown>;
	configCredentials(sim: SlackSim): Record<string, unknown>;
	nodeProps(sim: SlackSim): Record<string, unknown>;
	start(): Promise<SlackSim>;
}

export interface Destination {
	/** given the n8n node names in the build */
	n8nAvailable(nodes: { name: string; version: number }[]): N8nDestination | undefined;
	/** given the Node-RED types the build registers */
	nodeRedAvailable(types: string[]): NodeRedDestination | undefined;
}

export const destinations: Record<'slack', Destination> = {
	slack: {
		n8nAvailable: (nodes) => {
			const node = nodes.find((n) => n.name === 'legalSlack');
			if (!node) return undefined;
			return {
				node: node.name,
				typeVersion: node.version,
				credentialType: 'legalhooksSlackApi',
				credentialData: (sim) => ({ botToken: sim.token, baseUrl: sim.apiUrl }),
				parameters: (sim) => ({ authentication: 'botToken', channel: sim.channel }),
				start: startSlack,
			};
		},
		nodeRedAvailable: (types) => {
			if (!types.includes('legalhooks-slack') || !types.includes('legalhooks-slack-account')) return undefined;
			return {
				type: 'legalhooks-slack',
				config: 'legalhooks-slack-account',
				configProps: (sim) => ({ name: 'e2e Slack', connection: 'botToken', baseUrl: sim.apiUrl }),
				configCredentials: (sim) => ({ botToken: sim.token }),
				nodeProps: (sim) => ({ channel: sim.channel }),
				start: startSlack,
			};
		},
	},
};
