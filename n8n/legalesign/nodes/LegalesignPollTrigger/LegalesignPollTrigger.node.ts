import { NodeConnectionTypes, type INodeExecutionData, type INodeType, type INodeTypeDescription, type IPollFunctions } from 'n8n-workflow';
import { legalesignCatchup } from '../../../../core/vendors/legalesign/catchup';
import { legalesign } from '../../../../core/vendors/legalesign';
import { LEGALESIGN_TRIGGER } from '../../../../core/vendors/legalesign/options';
import { pollNotice, pollOptionsProperty, pollTrigger, startFromProperties, type PollWiring } from '../../../shared/poll';
import { eventsProperty, eventsSubtitle } from '../../../shared/trigger-properties';

const wiring: PollWiring = {
	vendor: legalesign,
	reader: legalesignCatchup as PollWiring['reader'],
	credentialName: 'legalesignApi',
	vendorOptions: (context) => ({ group: String(context.getNodeParameter('group', '') ?? '').trim() }),
};

export class LegalesignPollTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Legalesign Polling Trigger',
		name: 'legalesignPollTrigger',
		icon: { light: 'file:../LegalesignTrigger/legalesign.svg', dark: 'file:../LegalesignTrigger/legalesign.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: eventsSubtitle(LEGALESIGN_TRIGGER),
		description: "Starts the workflow on the Legalesign document and signer status changes found at each poll of a group's documents, with no webhook or public URL",
		defaults: { name: 'Legalesign Polling Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'legalesignApi', required: true }],
		properties: [
			{
				displayName: pollNotice('Legalesign', 'n8n/legalesign', "the group's changed documents, archived ones included, and compares each with the last poll"),
				name: 'pollNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Group',
				name: 'group',
				type: 'string',
				default: '',
				required: true,
				description: "The group whose documents are read (slug or ID): Legalesign lists documents per group only",
			},
			...startFromProperties,
			eventsProperty(LEGALESIGN_TRIGGER),
			pollOptionsProperty(LEGALESIGN_TRIGGER),
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return pollTrigger(this, wiring);
	}
}
