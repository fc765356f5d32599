import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import type { VendorDefinition } from '../../core/vendors/definition';

type Context = IHookFunctions | IWebhookFunctions;

/** How one vendor's trigger node is wired to its core VendorDefinition. */
export interface TriggerWiring<VendorOptions extends object = Record<string, unknown>> {
	vendor: VendorDefinition<object, VendorOptions>;
	credentialName: string;
	/** The vendor's own settings from node parameters (registration settings, fetch options…). */
	vendorOptions?(context: Context): VendorOptions;
}
