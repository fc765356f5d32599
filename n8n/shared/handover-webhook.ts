import { NodeOperationError, type IHookFunctions } from 'n8n-workflow';

/**
 * The webhook lifecycle of a vendor without a registration API (Plexus, PhenixID): the user hands
 * the URL and secret over (support ticket, configuration file), so there is nothing to create at
 * the vendor. What activation can still do is keep track of the URL that was handed over:
 * - create refuses a credential without a secret (every delivery would get 401) and records the
 *   URL; when it differs from the URL recorded before, it warns that the vendor needs the new one;
 * - checkExists answers true while the recorded URL is the current one and still active;
 * - delete marks the record inactive (kept, so a later activation can compare URLs).
 * Production and "Listen for test event" are recorded apart: the test URL is never handed over.
 */
interface Handover {
	url: string;
	active: boolean;
	since: string;
}

interface HandoverStaticData {
	handover?: Partial<Record<'production' | 'test', Handover>>;
}

function handoverOf(context: IHookFunctions) {
	const data = context.getWorkflowStaticData('node') as HandoverStaticData;
	data.handover ??= {};
	const slot = context.getMode() === 'manual' ? 'test' : 'production';
	return { records: data.handover, slot } as const;
}

export function handoverWebhookMethods(vendor: { displayName: string }, credentialName: string) {
	return {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const { records, slot } = handoverOf(this);
				const record = records[slot];
				return record?.active === true && record.url === this.getNodeWebhookUrl('default');
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const credentials = (await this.getCredentials(credentialName)) as { secret?: unknown };
				if (typeof credentials.secret !== 'string' || credentials.secret.trim() === '') {
					throw new NodeOperationError(this.getNode(), `The ${vendor.displayName} credential has no webhook secret`, {
						description: `Every delivery would be refused with HTTP 401. Set the secret you agreed with ${vendor.displayName} in the credential.`,
					});
				}
				const { records, slot } = handoverOf(this);
				const url = this.getNodeWebhookUrl('default') as string;
				const previous = records[slot];
				if (slot === 'production' && previous && previous.url !== url) {
					this.logger.warn(`${vendor.displayName}: the webhook URL changed from ${previous.url} to ${url}; give ${vendor.displayName} the new URL, deliveries to the old one are not received`);
				}
				records[slot] = { url, active: true, since: new Date().toISOString() };
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const { records, slot } = handoverOf(this);
				const record = records[slot];
				if (record) record.active = false;
				return true;
			},
		},
	};
}
