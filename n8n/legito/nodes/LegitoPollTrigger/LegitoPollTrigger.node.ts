import { NodeConnectionTypes, type INodeExecutionData, type INodeType, type INodeTypeDescription, type IPollFunctions } from 'n8n-workflow';
import { legitoCatchup } from '../../../../core/vendors/legito/catchup';
import { legito } from '../../../../core/vendors/legito';
import { LEGITO_TRIGGER } from '../../../../core/vendors/legito/options';
import { pollNotice, pollOptionsProperty, pollTrigger, startFromProperties, type PollWiring } from '../../../shared/poll';
import { eventsProperty, eventsSubtitle } from '../../../shared/trigger-properties';
import { legitoRecordFilters } from '../LegitoTrigger/recordFilters';

const wiring: PollWiring = {
	vendor: legito,
	reader: legitoCatchup as PollWiring['reader'],
	credentialName: 'legitoApi',
	vendorOptions: (context) => {
		const options = context.getNodeParameter('options', {}) as { settleSeconds?: number };
		return {
			legitoEventTypes: context.getNodeParameter('legitoEvents', []),
			templateSuites: context.getNodeParameter('templateSuites', ''),
			documentRecordTypes: context.getNodeParameter('documentRecordTypes', ''),
			...(Number.isInteger(options.settleSeconds) ? { legitoSettleSeconds: options.settleSeconds } : {}),
		};
	},
};

export class LegitoPollTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Legito Polling Trigger',
		name: 'legitoPollTrigger',
		icon: { light: 'file:../LegitoTrigger/legito.svg', dark: 'file:../LegitoTrigger/legito.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: eventsSubtitle(LEGITO_TRIGGER, 'legitoEvents'),
		description: "Starts the workflow with the Legito document record events read from the Document Timeline at each poll, with no webhook or public URL",
		defaults: { name: 'Legito Polling Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'legitoApi', required: true }],
		properties: [
			{
				displayName: pollNotice('Legito', 'n8n/legito', "the Document Timeline and each event's document record as it is now"),
				name: 'pollNotice',
				type: 'notice',
				default: '',
			},
			...startFromProperties,
			eventsProperty(LEGITO_TRIGGER, { name: 'legitoEvents' }),
			...legitoRecordFilters,
			pollOptionsProperty(LEGITO_TRIGGER, [
				{
					displayName: 'Settle Time (Seconds)',
					name: 'settleSeconds',
					type: 'number',
					typeOptions: { minValue: 0 },
					default: 10,
					description: 'A time window is read only once it ended this long ago, so an event Legito is still writing is not cut',
				},
			]),
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return pollTrigger(this, wiring);
	}
}
