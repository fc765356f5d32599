import {
	type IBinaryKeyData,
	type IDataObject,
	type IHookFunctions,
	type INodeExecutionData,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { dedupeStoreFor } from '../../core/dedupe';
import { deduplicate, ingest } from '../../core/ingest';
import type { InboundFile, Registration, VendorDefinition } from '../../core/vendor';
import { n8nHttpClient } from './http';
import { commonOptions } from './triggerOptions';

type Context = IHookFunctions | IWebhookFunctions;

/** How one vendor's trigger node is wired to its core VendorDefinition. */
export interface TriggerWiring<VendorOptions extends object = Record<string, unknown>> {
	vendor: VendorDefinition<object, VendorOptions>;
	credentialName: string;
	/** The vendor's own settings from node parameters (registration settings, fetch options…). */
	vendorOptions?(context: Context): VendorOptions;
}

/**
 * Production and "Listen for test event" registrations are kept apart: n8n runs test webhooks
 * against the same node static data while the production workflow may be active.
 */
interface NodeStaticData {
	registrations?: Partial<Record<'production' | 'test', Registration>>;
}

type Slot = 'production' | 'test';

function slotOf(context: Context): Slot {
	return context.getMode() === 'manual' ? 'test' : 'production';
}

function registrationsOf(context: Context): Partial<Record<Slot, Registration>> {
	const data = context.getWorkflowStaticData('node') as NodeStaticData;
	data.registrations ??= {};
	return data.registrations;
}

function optionsOf<O extends object>(context: Context, wiring: TriggerWiring<O>) {
	const raw = context.getNodeParameter('options', {}) as Record<string, unknown>;
	return { ...commonOptions(raw), ...(wiring.vendorOptions?.(context) ?? ({} as O)) };
}

/** Our request body: the bytes n8n kept before parsing; the signature is checked over exactly these. */
async function rawBodyOf(request: ReturnType<IWebhookFunctions['getRequestObject']>): Promise<Buffer | undefined> {
	const kept = (request as unknown as { rawBody?: Buffer | string }).rawBody;
	if (Buffer.isBuffer(kept)) return kept;
	if (typeof kept === 'string') return Buffer.from(kept);
	if (Buffer.isBuffer(request.body)) return request.body;
	if (request.readableEnded || request.complete) return undefined;
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
	return Buffer.concat(chunks);
}

async function binaryFor(context: IWebhookFunctions, files: InboundFile[] | undefined): Promise<IBinaryKeyData | undefined> {
	if (!files?.length) return undefined;
	const binary: IBinaryKeyData = {};
	for (const [index, file] of files.entries()) {
		binary[`file${index}`] = await context.helpers.prepareBinaryData(file.data, file.fileName, file.mimeType);
	}
	return binary;
}

/**
 * The whole `webhook()` of every trigger: verification and parsing first (answering 401/400/413
 * itself, starting no execution), then one item per normalized event.
 */
export async function handleWebhook<O extends object>(context: IWebhookFunctions, wiring: TriggerWiring<O>): Promise<IWebhookResponseData> {
	const { vendor } = wiring;
	const request = context.getRequestObject();
	const response = context.getResponseObject();
	const refuse = (status: number, reason: string): IWebhookResponseData => {
		context.logger.warn(`${vendor.displayName} delivery refused with HTTP ${status}: ${reason}`);
		response.status(status).json({ error: reason });
		return { noWebhookResponse: true };
	};

	const options = optionsOf(context, wiring);
	const declaredLength = Number(request.headers['content-length'] ?? 0);
	if (options.maxBodyBytes > 0 && declaredLength > options.maxBodyBytes) {
		return refuse(413, `body of ${declaredLength} bytes is over the ${options.maxBodyBytes}-byte limit`);
	}
	const rawBody = await rawBodyOf(request);
	if (!rawBody) return refuse(400, 'the request body could not be read');

	const credentials = (await context.getCredentials(wiring.credentialName)) as Record<string, unknown>;
	const registration = registrationsOf(context)[slotOf(context)];
	const secret = vendor.registration === 'manual' ? (credentials.secret as string | undefined) : registration?.secret;
	const node = context.getNode();
	const now = new Date();
	const result = ingest(
		vendor,
		{
			method: request.method,
			rawBody,
			headers: request.headers,
			query: (request.query ?? {}) as Record<string, unknown>,
			contentType: request.headers['content-type'],
		},
		{ secret, registration, credentials, options, now },
	);
	if (!result.ok) return refuse(result.status, result.reason);

	let events = result.events;
	if (events.length > 0 && vendor.enrich && vendor.wantsEnrich?.(options)) {
		events = await vendor.enrich(n8nHttpClient(context.helpers), credentials, events, options);
	}
	events = deduplicate(vendor, events, options, dedupeStoreFor(`n8n:${context.getWorkflow().id ?? ''}:${node.id ?? node.name}`), now).events;
	if (events.length === 0) {
		response.status(result.response.status).json(result.response.body);
		return { noWebhookResponse: true };
	}
	const binary = await binaryFor(context, result.files);
	const items: INodeExecutionData[] = events.map((event) => ({ json: event as unknown as IDataObject, ...(binary ? { binary } : {}) }));
	return { workflowData: [items], webhookResponse: result.response.body };
}

export { webhookMethodsFor } from './lifecycle';
