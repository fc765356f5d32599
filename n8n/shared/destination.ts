import {
	NodeApiError,
	NodeOperationError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
	type INode,
	type INodeExecutionData,
	type INodeProperties,
	type JsonObject,
} from 'n8n-workflow';
import type { NormalizedEvent } from '../../core/event/normalized-event';
import { ServiceError } from '../../core/outbound/errors';
import { alreadySentResult, EventInputError, parseEvent } from '../../core/destinations/event-input';
import type { DeliveryContext } from '../../core/destinations/delivery';
import { n8nHttpClient } from './http';
import { n8nAuthenticatedHttpClient, type AuthenticatedClientOptions } from './authenticated-http';

/**
 * The delivery context on n8n: its `sleep`, and its request helper — with a credential type, the
 * authenticated one (n8n signs, refreshes and stores tokens); without, the plain one.
 */
export function n8nDeliveryContext(fns: IExecuteFunctions | ILoadOptionsFunctions, maxAttempts?: number, auth?: AuthenticatedClientOptions): DeliveryContext {
	return {
		http: auth ? n8nAuthenticatedHttpClient(fns, auth) : n8nHttpClient(fns.helpers),
		sleep,
		policy: maxAttempts ? { maxAttempts } : undefined,
	};
}

/** A core error as the n8n error for the item: API errors keep status, service message and hint. */
function toNodeError(node: INode, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof ServiceError) {
		const response: JsonObject = { message: error.message, service: error.service };
		if (error.status !== undefined) response.httpCode = String(error.status);
		if (error.serviceMessage) response.serviceMessage = error.serviceMessage;
		return new NodeApiError(node, response, {
			itemIndex,
			message: error.message,
			description: error.hint,
			httpCode: error.status !== undefined ? String(error.status) : undefined,
		});
	}
	if (error instanceof EventInputError) {
		return new NodeOperationError(node, error.message, { itemIndex, description: error.field ? `Field: ${error.field}` : undefined });
	}
	return new NodeOperationError(node, error instanceof Error ? error : String(error), { itemIndex });
}

/** The node option that turns n8n's de-duplication on (default) or off. */
export const SEND_ONCE_PROPERTY: INodeProperties = {
	displayName: 'Send Each Event Once',
	name: 'sendOnce',
	type: 'boolean',
	default: true,
	description:
		'Whether to record each event sent to this destination in n8n’s database and skip an event already sent (a vendor retry, a re-run, another queue-mode worker). A failed send is not recorded.',
};

const PROCESSED_OPTIONS = { mode: 'entries', maxEntries: 10_000 } as const;

/**
 * Claims the event for this node with n8n's database-backed de-duplication
 * (helpers.checkProcessedAndRecord, node scope): true when it is new. Recording happens with the
 * check, so a second worker checking the same event meanwhile sees it as processed.
 */
async function claim(fns: IExecuteFunctions, key: string): Promise<boolean> {
	// n8n versions before the helper existed cannot record: send as before.
	if (typeof fns.helpers.checkProcessedAndRecord !== 'function') return true;
	const result = await fns.helpers.checkProcessedAndRecord([key], 'node', PROCESSED_OPTIONS);
	return result.new.includes(key);
}

export interface DestinationSend {
	/** The output key of this destination's result: `slack`, `salesforce`, `xero`. */
	name: string;
	/** Delivers the event; resolves to what was created (the item gets it under `name`). */
	send: (event: NormalizedEvent, itemIndex: number) => Promise<IDataObject>;
	/** The record key of this event at this destination when "Send Each Event Once" is on. */
	onceKey?: (event: NormalizedEvent, itemIndex: number) => string | undefined;
}

/**
 * The execute loop every destination node shares: each item's JSON is a normalized event, sent by
 * `send`; the output item is the input item (the event, and what earlier actions added) with this
 * destination's result under its name, so actions chain; results and errors stay paired with
 * their input item; continue-on-fail is honoured. With
 * "Send Each Event Once" an event already recorded for this node is skipped; a failed send removes
 * its record again so that a retry can send it.
 */
export async function executeDestination(fns: IExecuteFunctions, destination: DestinationSend): Promise<INodeExecutionData[][]> {
	const items = fns.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const event = parseEvent(items[itemIndex].json);
			const key = fns.getNodeParameter('sendOnce', itemIndex, true) === false ? undefined : destination.onceKey?.(event, itemIndex);
			if (key && !(await claim(fns, key))) {
				output.push({ json: { ...items[itemIndex].json, [destination.name]: alreadySentResult(destination.name, event) }, pairedItem: { item: itemIndex } });
				continue;
			}
			let json: IDataObject | undefined;
			try {
				json = await destination.send(event, itemIndex);
			} finally {
				// not sent: forget the claim so that a retry can send it
				if (json === undefined && key && typeof fns.helpers.removeProcessed === 'function') {
					await fns.helpers.removeProcessed([key], 'node', PROCESSED_OPTIONS).catch(() => undefined); // the send's own error matters more
				}
			}
			output.push({ json: { ...items[itemIndex].json, [destination.name]: json }, pairedItem: { item: itemIndex } });
		} catch (error) {
			const nodeError = toNodeError(fns.getNode(), error, itemIndex);
			if (!fns.continueOnFail()) throw nodeError;
			output.push({
				json: {
					error: nodeError.message,
					...(nodeError.description ? { description: nodeError.description } : {}),
					...(error instanceof ServiceError && error.status !== undefined ? { httpCode: error.status } : {}),
					...(error instanceof EventInputError && error.field ? { field: error.field } : {}),
					eventId: typeof items[itemIndex].json.id === 'string' ? items[itemIndex].json.id : undefined,
				},
				pairedItem: { item: itemIndex },
			});
		}
	}
	return [output];
}

/** The canvas subtitle of a node whose first choice says what it does: the chosen option's name. */
export function choiceSubtitle(parameter: string, names: Record<string, string>): string {
	return `={{(${JSON.stringify(names)})[$parameter["${parameter}"]] || $parameter["${parameter}"]}}`;
}
