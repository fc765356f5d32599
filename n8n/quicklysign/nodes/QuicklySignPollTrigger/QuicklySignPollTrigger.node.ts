import { NodeConnectionTypes, type INodeExecutionData, type INodeType, type INodeTypeDescription, type IPollFunctions } from 'n8n-workflow';
import { quicklysignCatchup } from '../../../../core/vendors/quicklysign/catchup';
import { quicklysign } from '../../../../core/vendors/quicklysign';
import { QUICKLYSIGN_TRIGGER } from '../../../../core/vendors/quicklysign/options';
import { pollNotice, pollOptionsProperty, pollTrigger, startFromProperties, type PollWiring } from '../../../shared/poll';
import { eventsProperty, eventsSubtitle } from '../../../shared/trigger-properties';

const wiring: PollWiring = {
	vendor: quicklysign,
	reader: quicklysignCatchup as PollWiring['reader'],
	credentialName: 'quicklySignApi',
	vendorOptions: (context) => ({ documentPackKeys: String(context.getNodeParameter('documentPackKeys', '') ?? '') }),
	// The first poll reads the packs once more as the baseline: a pack first read later could not tell
	// whether its status changed after the start (its date_updated also moves with every audit entry).
	watch: (_context, state) => state,
};

export class QuicklySignPollTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'QuicklySign Polling Trigger',
		name: 'quicklySignPollTrigger',
		icon: { light: 'file:../QuicklySignTrigger/quicklysign.svg', dark: 'file:../QuicklySignTrigger/quicklysign.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: eventsSubtitle(QUICKLYSIGN_TRIGGER),
		description: 'Starts the workflow on the changes found at each poll of the QuicklySign document packs you list (status, audit trail entries), with no webhook or public URL',
		defaults: { name: 'QuicklySign Polling Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'quicklySignApi', required: true }],
		properties: [
			{
				displayName: pollNotice('QuicklySign', 'n8n/quicklysign', "each listed document pack and, when it changed, its audit trail"),
				name: 'pollNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Document Pack Keys',
				name: 'documentPackKeys',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				required: true,
				description: 'The key of each document pack to watch, separated by commas or new lines',
			},
			...startFromProperties,
			eventsProperty(QUICKLYSIGN_TRIGGER),
			pollOptionsProperty(QUICKLYSIGN_TRIGGER),
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return pollTrigger(this, wiring);
	}
}
