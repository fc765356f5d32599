import type { NodeAPI } from 'node-red';

type Handler = (req: any, res: any) => Promise<void>;

/**
 * An async express handler whose rejection is answered 500 JSON and logged once, instead of
 * becoming an unhandled rejection (which stops Node-RED).
 */
export function asyncRouteHandler(RED: NodeAPI, handler: Handler): (req: any, res: any) => void {
	return (req, res) => {
		handler(req, res).catch((error: unknown) => {
			RED.log.error(`legalhooks: ${req.method} ${req.path ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
			if (!res.headersSent) res.status(500).json({ ok: false, message: 'the request could not be handled; see the Node-RED log' });
		});
	};
}
