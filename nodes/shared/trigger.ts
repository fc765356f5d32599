import {
	NodeApiError,
	NodeOperationError,
	type IHookFunctions,
	type IWebhookFunctions,
	type IWebhookResponseData,
	type JsonObject,
} from 'n8n-workflow';
import { ServiceError } from '../../core/errors';
import type { Registration, VendorDefinition } from '../../core/vendor';
import { generateSecret } from '../../core/verify';
import { n8nHttpClient } from './http';
import { receiveWebhook } from './webhook';

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

/**
 * The whole `webhook()` of every trigger: the core pipeline, answered by us (see receiveWebhook).
 * Never throws.
 */
export function handleWebhook<O extends object>(context: IWebhookFunctions, wiring: TriggerWiring<O>): Promise<IWebhookResponseData> {
	return receiveWebhook(context, wiring, () => registrationsOf(context)[slotOf(context)]);
}

function apiError(context: IHookFunctions, error: unknown): Error {
	if (error instanceof ServiceError) {
		return new NodeApiError(context.getNode(), { message: error.message } as JsonObject, {
			message: error.message,
			description: error.hint,
			httpCode: error.status === undefined ? undefined : String(error.status),
		});
	}
	return new NodeOperationError(context.getNode(), error as Error);
}

/**
 * checkExists / create / delete around the Registration stored in the node's static data.
 * checkExists removes a registration that is gone or no longer matches (URL, settings), so that
 * create never leaves two behind.
 */
export function webhookMethodsFor<O extends object>(wiring: TriggerWiring<O>) {
	const { vendor } = wiring;
	const { register, exists, unregister } = vendor;
	if (!register || !exists || !unregister) throw new Error(`${vendor.displayName} has no registration API`);

	const setup = async (context: IHookFunctions) => ({
		http: n8nHttpClient(context.helpers),
		credentials: (await context.getCredentials(wiring.credentialName)) as Record<string, unknown>,
		url: context.getNodeWebhookUrl('default') as string,
		options: wiring.vendorOptions?.(context) ?? ({} as O),
		registrations: registrationsOf(context),
		slot: slotOf(context),
	});

	return {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const { http, credentials, url, options, registrations, slot } = await setup(this);
				const registration = registrations[slot];
				if (!registration) return false;
				try {
					if (await exists(http, credentials, registration, { url, secret: registration.secret, options })) return true;
					await unregister(http, credentials, registration);
				} catch (error) {
					throw apiError(this, error);
				}
				delete registrations[slot];
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const { http, credentials, url, options, registrations, slot } = await setup(this);
				try {
					registrations[slot] = await register(http, credentials, { url, secret: generateSecret(), options });
				} catch (error) {
					throw apiError(this, error);
				}
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const { http, credentials, registrations, slot } = await setup(this);
				const registration = registrations[slot];
				if (!registration) return true;
				try {
					await unregister(http, credentials, registration);
				} catch (error) {
					this.logger.warn(`${vendor.displayName}: could not remove the webhook registration: ${(error as Error).message}`);
					return false;
				}
				delete registrations[slot];
				return true;
			},
		},
	};
}
