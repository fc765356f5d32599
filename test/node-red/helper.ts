import helper from 'node-red-node-test-helper';
import type { NodeAPI } from 'node-red';

helper.init(require.resolve('node-red'));

/** Wraps a node module so the test can reach RED.httpNode (helper.request() only reaches the admin app). */
export function capturing(module: (RED: NodeAPI) => void): { module: (RED: NodeAPI) => void; red: () => NodeAPI } {
	let captured: NodeAPI | undefined;
	return {
		module: (RED: NodeAPI) => {
			captured = RED;
			return module(RED);
		},
		red: () => {
			if (!captured) throw new Error('node module not loaded yet');
			return captured;
		},
	};
}

/** Collects the messages a helper node receives. */
export function collect(node: { on(event: 'input', cb: (msg: any) => void): void }): any[] {
	const messages: any[] = [];
	node.on('input', (msg) => messages.push(msg));
	return messages;
}

export { helper };
