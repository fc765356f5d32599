import express from 'express';
import helper from 'node-red-node-test-helper';
import type { NodeAPI } from 'node-red';
import { listen, type RunningServer } from '../../sandbox/simulators/server';

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

/** A server in front of the runtime's RED.httpNode: where the vendor simulator (or the test) sends deliveries. */
export function httpNodeServer(red: () => { httpNode: express.Express }): Promise<RunningServer> {
	const app = express();
	app.use((req, res, next) => red().httpNode(req, res, next));
	return listen(app);
}

/** Every status the node `id` set, oldest first. */
export function statusesOf(id: string): Array<{ fill: string; text: string }> {
	const node = helper.getNode(id) as any;
	return node.status.getCalls().filter((call: any) => call.thisValue === node).map((call: any) => call.args[0]);
}

export { helper };
