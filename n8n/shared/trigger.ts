import type { IHookFunctions, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import type { Registration } from '../../core/vendors/definition';
import { receiveWebhook, type TriggerWiring } from './webhook';

type Context = IHookFunctions | IWebhookFunctions;


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

export type { TriggerWiring } from './webhook';
export { webhookMethodsFor } from './lifecycle';
