import type { IBinaryKeyData, IHookFunctions, IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { filesOfEvent } from '../../core/event/files';
import { dedupeStoreFor } from '../../core/inbound/dedupe';
import { describeOutcome } from '../../core/inbound/outcome';
import { describeError, handleDelivery, INTERNAL_ERROR_ANSWER, type Answer, type BodyResult } from '../../core/inbound/pipeline';
import { deliverySecrets, rotationMemoryFor } from '../../core/verify/secret-rotation';
import type { InboundFile, Registration, VendorDefinition } from '../../core/vendors/definition';
import { n8nFetchBytes } from './fetch-bytes';
import { n8nHttpClient } from './http';
import { commonOptions } from './trigger-properties';

/** How one vendor's trigger node is wired to its core VendorDefinition. */
export interface TriggerWiring<VendorOptions extends object = Record<string, unknown>> {
	vendor: VendorDefinition<object, VendorOptions>;
	credentialName: string;
	/** The vendor's own settings from node parameters (registration settings, fetch options…). */
	vendorOptions?(context: IHookFunctions | IWebhookFunctions): VendorOptions;
}

type WebhookRequest = ReturnType<IWebhookFunctions['getRequestObject']>;
type WebhookResponse = ReturnType<IWebhookFunctions['getResponseObject']>;

function optionsOf<O extends object>(context: IWebhookFunctions, wiring: TriggerWiring<O>) {
	const raw = context.getNodeParameter('options', {}) as Record<string, unknown>;
	return { ...commonOptions(raw, context.getNodeParameter('events', raw.vendorEventTypes ?? [])), ...(wiring.vendorOptions?.(context) ?? ({} as O)) };
}

/** Our request body: the bytes n8n kept before parsing; the signature is checked over exactly these. */
async function rawBodyOf(request: WebhookRequest, limit: number): Promise<BodyResult> {
	const over = (size: number): BodyResult => ({ ok: false, status: 413, reason: `body of ${size} bytes is over the ${limit}-byte limit` });
	const kept = (request as unknown as { rawBody?: Buffer | string }).rawBody;
	const body = Buffer.isBuffer(kept) ? kept : typeof kept === 'string' ? Buffer.from(kept) : Buffer.isBuffer(request.body) ? request.body : undefined;
	if (body) return limit > 0 && body.length > limit ? over(body.length) : { ok: true, body };
	if (request.readableEnded || request.complete) return { ok: false, status: 400, reason: 'the request body could not be read' };
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of request) {
		const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
		size += bytes.length;
		if (limit > 0 && size > limit) return over(size);
		chunks.push(bytes);
	}
	return { ok: true, body: Buffer.concat(chunks, size) };
}

async function binaryFor(context: IWebhookFunctions, files: InboundFile[] | undefined): Promise<IBinaryKeyData | undefined> {
	if (!files?.length) return undefined;
	const binary: IBinaryKeyData = {};
	for (const [index, file] of files.entries()) {
		binary[`file${index}`] = await context.helpers.prepareBinaryData(file.data, file.fileName, file.mimeType);
	}
	return binary;
}

function sendAnswer(response: WebhookResponse, answer: Answer): void {
	if (response.headersSent) return;
	for (const [name, value] of Object.entries(answer.headers ?? {})) response.setHeader(name, value);
	response.status(answer.status).json(answer.body);
}

/**
 * The whole `webhook()` of every trigger, through the core pipeline. We answer every request
 * ourselves (n8n would otherwise answer a started run with its `responseData` default, the literal
 * text `firstEntryJson`): refusals with their 4xx, a verified delivery with the vendor's short JSON
 * as soon as it is verified, before enrichment. Then the run starts with one item per event.
 * Never throws: n8n answers a thrown error with 500 and starts a run with an empty item.
 */
export async function receiveWebhook<O extends object>(
	context: IWebhookFunctions,
	wiring: TriggerWiring<O>,
	registrationOf: () => Registration | undefined,
): Promise<IWebhookResponseData> {
	const { vendor } = wiring;
	let workflowData: INodeExecutionData[][] | undefined;
	let response: WebhookResponse | undefined;
	try {
		const request = context.getRequestObject();
		response = context.getResponseObject();
		const answerTo = response;
		const node = context.getNode();
		const workflow = context.getWorkflow();
		// n8n's log has no execution for a refused delivery: each line says which workflow and node it is about.
		const where = (message: string) => `${message} (workflow "${workflow.name ?? ''}" ${workflow.id ?? ''}, node "${node.name}")`;
		const meta = { workflowId: workflow.id, nodeName: node.name };
		await handleDelivery(
			{
				method: request.method,
				headers: request.headers,
				query: (request.query ?? {}) as Record<string, unknown>,
				readBody: (limit) => rawBodyOf(request, limit),
			},
			{
				vendor,
				options: optionsOf(context, wiring),
				verification: async () => {
					const credentials = (await context.getCredentials(wiring.credentialName)) as Record<string, unknown>;
					const registration = registrationOf();
					const secrets = deliverySecrets(vendor, registration, credentials, rotationMemoryFor(`n8n:${workflow.id ?? ''}:${node.id ?? node.name}`), new Date());
					if (secrets.expiredNotice) context.logger.warn(where(secrets.expiredNotice), meta);
					return secrets.context;
				},
				http: n8nHttpClient(context.helpers),
				fetchBytes: n8nFetchBytes(context.helpers),
				dedupe: dedupeStoreFor(`n8n:${context.getWorkflow().id ?? ''}:${node.id ?? node.name}`),
				logger: {
					warn: (message) => context.logger.warn(where(message), meta),
					error: (message) => context.logger.error(where(message), meta),
					info: (message) => context.logger.info(where(message), meta),
				},
				outcome: (outcome) => {
					if (outcome.outcome === 'emitted') context.logger.info(where(describeOutcome(vendor.displayName, outcome)), meta);
				},
				answer: (answer) => sendAnswer(answerTo, answer),
				emit: async (events, files) => {
					const items: INodeExecutionData[] = [];
					for (const event of events) {
						const binary = await binaryFor(context, filesOfEvent(event, files));
						items.push({ json: event as unknown as IDataObject, ...(binary ? { binary } : {}) });
					}
					workflowData = [items];
				},
			},
		);
	} catch (error) {
		try {
			context.logger.error(`${vendor.displayName} delivery failed: ${describeError(error)}`);
			if (response) sendAnswer(response, INTERNAL_ERROR_ANSWER);
		} catch {
			// Nothing left to answer with; n8n must still not see a throw.
		}
	}
	return workflowData ? { noWebhookResponse: true, workflowData } : { noWebhookResponse: true };
}
