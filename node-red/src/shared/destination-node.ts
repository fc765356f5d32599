import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from 'node-red';
import { ServiceError } from '../../../core/outbound/errors';
import type { NormalizedEvent } from '../../../core/event/normalized-event';
import { EventInputError, parseEvent } from '../../../core/destinations/event-input';
import type { DeliveryContext } from '../../../core/destinations/delivery';
import { TokenKeeper } from '../../../core/destinations/oauth';
import { SendGuard } from '../../../core/destinations/send-guard';
import { nodeHttpClient } from './node-http';
import { statusTime } from './status-time';
import { TokenVault, type VaultSettings } from './token-vault';
import { asyncRouteHandler } from './async-route-handler';
import { ownDeployedNode, testCredentials } from './test-connection';

/**
 * Node-RED wiring shared by the Slack, Salesforce and Xero action nodes: a config node per
 * destination account (secrets in `credentials`, token state kept on the config node in memory)
 * with a "test connection" admin endpoint, and an action node that takes `msg.payload` as the
 * normalized event, sends it, and puts the outcome in `msg.result` and `msg.legalhooks.<destination>`
 * (msg.payload stays the event, so several destinations can be chained and a later one can quote
 * an earlier result). Errors go to `node.error(err, msg)` for Catch nodes.
 */

export const sleepWithTimer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function deliveryContext(maxAttempts?: unknown, tokens?: TokenKeeper): DeliveryContext {
	const attempts = Number(maxAttempts);
	return { http: nodeHttpClient, sleep: sleepWithTimer, policy: Number.isFinite(attempts) && attempts >= 1 ? { maxAttempts: attempts } : undefined, tokens };
}

export interface DestinationAccount<State> extends Node {
	config: Record<string, unknown>;
	credentials: Record<string, string | undefined>;
	/** Token/tenant state between messages; never written to the flow file. */
	state?: State;
	/** OAuth accounts: the token shared by all messages (one refresh at a time, rotation stored at once). */
	tokens?: TokenKeeper;
}

const vaults = new Map<string, TokenVault>();

/** One vault per Node-RED user directory. */
function vaultOf(RED: NodeAPI): TokenVault {
	const settings = RED.settings as unknown as VaultSettings;
	const key = `${settings.userDir ?? ''}`;
	let vault = vaults.get(key);
	if (!vault) vaults.set(key, (vault = new TokenVault(settings)));
	return vault;
}

export interface AccountSpec {
	type: string;
	/** 'slack' → POST /legalhooks/slack/test */
	destination: string;
	credentials: Record<string, { type: 'text' | 'password' }>;
	settings: string[];
	/** Checks the account against the service; resolves to a message for the editor. */
	test(settings: Record<string, unknown>, credentials: Record<string, string | undefined>, deployed?: DestinationAccount<unknown>): Promise<string>;
	/**
	 * The service rotates refresh tokens (Xero always, Salesforce when rotation is on): keep the
	 * account's token in a TokenKeeper and store each rotated refresh token at once (TokenVault, and
	 * addCredentials for the next deploy).
	 */
	rotatingRefreshToken?: boolean;
}

function keepTokens(RED: NodeAPI, account: DestinationAccount<unknown>): void {
	const vault = vaultOf(RED);
	const deployed = account.credentials?.refreshToken;
	const keeper = new TokenKeeper();
	const saved = vault.load(account.id, deployed);
	if (saved) keeper.state = { accessToken: '', refreshToken: saved };
	if (!vault.usable) account.warn('No credential secret found: a rotated refresh token is kept only until the next deploy');
	let latest = saved ?? deployed;
	keeper.onRefreshed = async (state) => {
		if (!state.refreshToken || state.refreshToken === latest) return;
		latest = state.refreshToken;
		await vault.save(account.id, deployed, state.refreshToken);
		RED.nodes.addCredentials(account.id, { ...account.credentials, refreshToken: state.refreshToken });
	};
	account.tokens = keeper;
}

function errorText(error: unknown): string {
	if (error instanceof ServiceError || error instanceof EventInputError) return error.message;
	return `Could not test the connection: ${error instanceof Error ? error.message : String(error)}`;
}

export function registerDestinationAccount(RED: NodeAPI, spec: AccountSpec): void {
	function Account(this: DestinationAccount<unknown>, config: NodeDef & Record<string, unknown>) {
		RED.nodes.createNode(this, config);
		this.config = {};
		for (const key of spec.settings) this.config[key] = config[key];
		if (spec.rotatingRefreshToken) keepTokens(RED, this);
	}
	RED.nodes.registerType(spec.type, Account as any, { credentials: spec.credentials });

	RED.httpAdmin.post(`/legalhooks/${spec.destination}/test`, RED.auth.needsPermission(`${spec.type}.write`), asyncRouteHandler(RED, async (req: any, res: any) => {
		const body = (req.body ?? {}) as { id?: string; settings?: Record<string, unknown>; credentials?: Record<string, unknown> };
		// Only this account type's own deployed node lends its secrets, and only with its own settings.
		const own = ownDeployedNode<DestinationAccount<unknown>>(RED, body.id, spec.type);
		const merged = testCredentials({
			fields: spec.credentials,
			form: body.credentials ?? {},
			deployed: own?.credentials,
			settingKeys: spec.settings,
			formSettings: body.settings,
			deployedSettings: own?.node.config,
		});
		if (!merged.ok) return void res.json({ ok: false, message: merged.message });
		const credentials = Object.fromEntries(Object.entries(merged.credentials).map(([k, v]) => [k, v === undefined || v === null ? undefined : String(v)]));
		try {
			res.json({ ok: true, message: await spec.test(merged.settings, credentials, own?.node) });
		} catch (error) {
			res.json({ ok: false, message: errorText(error) });
		}
	}));
}

/**
 * A picker list for the editor (channels, organisations, objects…): GET <admin>/legalhooks/<path>
 * ?account=<deployed config node id>, answered from the service with the deployed account's
 * credentials. `permission` is the write permission of the node type whose dialog shows the list:
 * like Node-RED's inject button, the route makes the runtime act with deployed secrets (a refresh may
 * rotate a token), which a read-only user may not. Free entry stays possible in the editor.
 */
export function registerPicker<State>(
	RED: NodeAPI,
	spec: { path: string; permission: string; accountType: string; list(account: DestinationAccount<State>, query: Record<string, string>): Promise<Array<{ value: string; label: string }>> },
): void {
	RED.httpAdmin.get(`/legalhooks/${spec.path}`, RED.auth.needsPermission(spec.permission), asyncRouteHandler(RED, async (req: any, res: any) => {
		const query = Object.fromEntries(Object.entries((req.query ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
		const account = query.account ? (RED.nodes.getNode(query.account) as DestinationAccount<State> | null) : null;
		if (!account || account.type !== spec.accountType) return res.status(404).json({ ok: false, message: 'Deploy the account first, then the list can be loaded' });
		try {
			res.json({ ok: true, items: await spec.list(account, query) });
		} catch (error) {
			res.json({ ok: false, message: errorText(error) });
		}
	}));
}

export interface ActionSpec<State> {
	type: string;
	/** Sends one event; returns the result for msg.result and a short status text. */
	send(args: {
		node: Node;
		config: Record<string, unknown>;
		account: DestinationAccount<State>;
		event: NormalizedEvent;
		msg: NodeMessageInFlow;
		/** This node's locks and recent sends; dropped when the node closes. */
		guard: SendGuard;
	}): Promise<{ result: Record<string, unknown>; status: string }>;
}

function shortError(error: unknown): string {
	const text = error instanceof Error ? error.message : String(error);
	return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

export function registerDestinationAction<State>(RED: NodeAPI, spec: ActionSpec<State>): void {
	function Action(this: Node, config: NodeDef & Record<string, unknown>) {
		RED.nodes.createNode(this, config);
		const node = this;
		const account = RED.nodes.getNode(String(config.account ?? '')) as DestinationAccount<State> | null;
		const guard = new SendGuard();
		node.on('close', () => guard.clear());
		if (!account) node.status({ fill: 'red', shape: 'ring', text: 'no account configured' });
		else node.status({});
		node.on('input', (msg: NodeMessageInFlow, send: (m: NodeMessageInFlow) => void, done: (err?: Error) => void) => {
			if (!account) {
				node.status({ fill: 'red', shape: 'ring', text: 'no account configured' });
				node.error(new Error('No account is configured for this node'), msg);
				done();
				return;
			}
			node.status({ fill: 'blue', shape: 'dot', text: 'sending…' });
			Promise.resolve()
				.then(() => spec.send({ node, config, account, event: parseEvent(msg.payload), msg, guard }))
				.then(({ result, status }) => {
					// msg.payload stays the event; msg.result is this node's result, msg.legalhooks gathers
					// the results of every legalhooks action on the way ({ xero: {...}, slack: {...} }).
					const out = msg as NodeMessageInFlow & { result?: unknown; legalhooks?: Record<string, unknown> };
					out.result = result;
					out.legalhooks = { ...(out.legalhooks ?? {}), [String(result.destination ?? spec.type)]: result };
					node.status({ fill: 'green', shape: 'dot', text: `${status} ${statusTime()}` });
					send(msg);
					done();
				})
				.catch((error: unknown) => {
					node.status({ fill: 'red', shape: 'ring', text: shortError(error) });
					const err = error instanceof Error ? error : new Error(String(error));
					node.error(err, msg);
					done();
				});
		});
	}
	RED.nodes.registerType(spec.type, Action as any);
}

/** A config value as a finite number, or undefined. */
export function num(value: unknown): number | undefined {
	if (value === '' || value === undefined || value === null) return undefined;
	const n = Number(value);
	return Number.isFinite(n) ? n : undefined;
}

export function str(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
