import {
	NodeApiError,
	NodeOperationError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';
import type { NormalizedEvent } from '../../core/event';
import { ServiceError } from '../../core/errors';
import { EventInputError, parseEvent } from '../../core/destinations/event-input';
import type { DeliveryContext } from '../../core/destinations/delivery';
import { n8nHttpClient } from './http';
import { n8nAuthenticatedHttpClient, type AuthenticatedClientOptions } from './authenticated-http';

/**
 * The delivery context on n8n: its `sleep`, and its request helper — with a credential type, the
 * authenticated one (n8n signs, refreshes and stores tokens); without, the plain one.
 */
export function n8nDeliveryContext(fns: IExecuteFunctions, maxAttempts?: number, auth?: AuthenticatedClientOptions): DeliveryContext {
	return {
		http: auth ? n8nAuthenticatedHttpClient(fns, auth) : n8nHttpClient(fns.helpers),
		sleep,
		policy: maxAttempts ? { maxAttempts } : undefined,
	};
}

/** A core error as the n8n error for the item: API errors keep status, service message and hint. */
export function toNodeError(node: INode, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
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

/**
 * The execute loop every destination node shares: each item's JSON is a normalized event, sent by
 * `send`; results and errors stay paired with their input item; continue-on-fail is honoured.
 */
export async function executeDestination(
	fns: IExecuteFunctions,
	send: (event: NormalizedEvent, itemIndex: number) => Promise<IDataObject>,
): Promise<INodeExecutionData[][]> {
	const items = fns.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const event = parseEvent(items[itemIndex].json);
			const json = await send(event, itemIndex);
			output.push({ json, pairedItem: { item: itemIndex } });
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
