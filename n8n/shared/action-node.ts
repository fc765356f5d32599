import { NodeApiError, NodeOperationError, type IBinaryKeyData, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type JsonObject } from 'n8n-workflow';
import { DEFAULT_DOWNLOAD_LIMITS, downloadDocuments } from '../../core/downloads/download';
import type { NormalizedEvent } from '../../core/event/normalized-event';
import { ServiceError } from '../../core/outbound/errors';
import type { HttpClient } from '../../core/outbound/http';
import { n8nFetchBytes } from './fetch-bytes';
import { n8nHttpClient } from './http';

/** What to download: core's list, named here by its place in downloadDocuments (the type's own name is also a Legito event name). */
type Downloads = Parameters<typeof downloadDocuments>[1];

/** A core error as the item's n8n error: API errors keep status, the service's message and the hint. */
function actionError(fns: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof ServiceError) {
		const response: JsonObject = { message: error.message, service: error.service };
		if (error.status !== undefined) response.httpCode = String(error.status);
		return new NodeApiError(fns.getNode(), response, {
			itemIndex,
			message: error.message,
			description: error.hint,
			httpCode: error.status === undefined ? undefined : String(error.status),
		});
	}
	return new NodeOperationError(fns.getNode(), error instanceof Error ? error.message : String(error), { itemIndex });
}

export type VendorRequest<C> = <T>(itemIndex: number, call: (http: HttpClient, credentials: C) => Promise<T>) => Promise<T>;

/**
 * A vendor main node's one request helper: the trigger's credential read once per execution, core's
 * vendor API functions (they sign each request themselves) on n8n's request helper, and every
 * failure as the item's NodeApiError.
 */
export function vendorRequest<C>(fns: IExecuteFunctions, credentialName: string): VendorRequest<C> {
	const http = n8nHttpClient(fns.helpers);
	let credentials: Promise<C> | undefined;
	return async (itemIndex, call) => {
		try {
			credentials ??= fns.getCredentials(credentialName) as unknown as Promise<C>;
			return await call(http, await credentials);
		} catch (error) {
			throw actionError(fns, error, itemIndex);
		}
	};
}

/** The one event field core's download builders read, for a download asked for by ID rather than by an event. */
export function documentRef(vendor: NormalizedEvent['vendor'], vendorEventType: string, documentId: string): NormalizedEvent {
	return {
		id: documentId,
		vendor,
		type: 'other',
		vendorEventType,
		occurredAt: null,
		receivedAt: new Date().toISOString(),
		document: { id: documentId, status: 'other' },
		files: [],
		data: {},
	} as NormalizedEvent;
}

/** An output item with binary data (a download), told apart from a vendor's JSON answer. */
export class BinaryItem {
	constructor(
		readonly json: IDataObject,
		readonly binary: IBinaryKeyData,
	) {}
}

/**
 * Downloads the files core names for a document into binary properties: the first in `property`,
 * the next ones in `property_1`, `property_2`… A file that could not be downloaded fails the item
 * (with the vendor's reason and status, never the URL) unless another file of it came.
 */
export async function downloadToItem(fns: IExecuteFunctions, itemIndex: number, service: string, downloads: Downloads, property: string): Promise<BinaryItem> {
	const { files, errors } = await downloadDocuments(n8nFetchBytes(fns.helpers), downloads, DEFAULT_DOWNLOAD_LIMITS, new Date());
	if (files.length === 0) {
		const first = errors[0] ?? { what: 'document', reason: 'the API named no file to download' };
		const status = /^HTTP (\d{3})/.exec(first.reason)?.[1];
		const message = `${service}: downloading the ${first.what} failed: ${first.reason}`;
		throw new NodeApiError(fns.getNode(), { message, ...(status ? { httpCode: status } : {}) } as JsonObject, { itemIndex, message, httpCode: status });
	}
	const binary: IBinaryKeyData = {};
	for (const [index, file] of files.entries()) {
		binary[index === 0 ? property : `${property}_${index}`] = await fns.helpers.prepareBinaryData(file.data, file.fileName, file.mimeType);
	}
	const json: IDataObject = { files: files.map((f) => ({ fileName: f.fileName, mimeType: f.mimeType, size: f.size })) };
	if (errors.length > 0) json.fileErrors = errors as unknown as IDataObject[];
	return new BinaryItem(json, binary);
}

/**
 * The execute loop of a vendor main node: `run` answers each item with one or more output items
 * (paired with it); continue-on-fail is honoured with the error's message and description.
 */
export async function executeEach(fns: IExecuteFunctions, run: (itemIndex: number) => Promise<IDataObject | IDataObject[] | BinaryItem>): Promise<INodeExecutionData[][]> {
	const items = fns.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const result = await run(itemIndex);
			if (Array.isArray(result)) output.push(...result.map((json) => ({ json, pairedItem: { item: itemIndex } })));
			else if (result instanceof BinaryItem) output.push({ json: result.json, binary: result.binary, pairedItem: { item: itemIndex } });
			else output.push({ json: result, pairedItem: { item: itemIndex } });
		} catch (error) {
			const nodeError = actionError(fns, error, itemIndex);
			if (!fns.continueOnFail()) throw nodeError;
			output.push({ json: { error: nodeError.message, ...(nodeError.description ? { description: nodeError.description } : {}) }, pairedItem: { item: itemIndex } });
		}
	}
	return [output];
}

/** A callback URL with its `token` query value hidden: the token is a trigger's secret. */
export function maskToken(url: string): string {
	return url.replace(/([?&]token=)[^&#]*/gi, '$1***');
}
