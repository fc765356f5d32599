import {
	NodeConnectionTypes,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type IDataObject,
	type INodeCredentialTestResult,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';
import { phenixidCatchup } from '../../../../core/vendors/phenixid/catchup';
import { phenixid } from '../../../../core/vendors/phenixid';
import { PHENIXID_TRIGGER } from '../../../../core/vendors/phenixid/options';
import { checkWebhookSecret } from '../../../shared/credential-checks';
import { pollNotice, pollOptionsProperty, pollTrigger, startFromProperties, type PollWiring } from '../../../shared/poll';
import { eventsProperty, eventsSubtitle } from '../../../shared/trigger-properties';

/** Task ids already handed to the reader: a finished task leaves its state and must not come back. */
const WATCHED = 'legalhooksWatchedTasks';
const MAX_WATCHED = 2000;

const taskIds = (context: IPollFunctions) => [...new Set(String(context.getNodeParameter('taskIds', '') ?? '').split(/[\s,;]+/).filter(Boolean))];

const wiring: PollWiring = {
	vendor: phenixid,
	reader: phenixidCatchup as PollWiring['reader'],
	credentialName: 'phenixIdSigningApi',
	vendorOptions: () => ({}),
	watch(context, state, staticData: IDataObject) {
		const tasks = { ...((state as { tasks?: Record<string, string> })?.tasks ?? {}) };
		const watched = Array.isArray(staticData[WATCHED]) ? (staticData[WATCHED] as string[]) : [];
		const known = new Set(watched);
		for (const id of taskIds(context)) {
			if (known.has(id)) continue;
			known.add(id);
			watched.push(id);
			tasks[id] ??= '';
		}
		staticData[WATCHED] = watched.slice(-MAX_WATCHED);
		return { tasks };
	},
};

export class PhenixIdPollTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'PhenixID Signing Service Polling Trigger',
		name: 'phenixIdPollTrigger',
		icon: { light: 'file:../PhenixIdTrigger/phenixid.svg', dark: 'file:../PhenixIdTrigger/phenixid.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: eventsSubtitle(PHENIXID_TRIGGER),
		description: 'Starts the workflow when a PhenixID Signing Service task you list is accepted, signed, rejected, cancelled or expires, read from the Automation API at each poll',
		defaults: { name: 'PhenixID Signing Service Polling Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'phenixIdSigningApi', required: true, testedBy: 'phenixIdSecret' }],
		properties: [
			{
				displayName: pollNotice('PhenixID Signing Service', 'n8n/phenixid-signing', "each listed task until it is finished: the API cannot list tasks, so a task not listed is never found"),
				name: 'pollNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Task IDs',
				name: 'taskIds',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				required: true,
				description: 'The ID of each signing task to watch, separated by commas or new lines. A task added later is read from the next poll on.',
			},
			...startFromProperties,
			eventsProperty(PHENIXID_TRIGGER),
			pollOptionsProperty(PHENIXID_TRIGGER),
		],
	};

	methods = {
		credentialTest: {
			async phenixIdSecret(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				return checkWebhookSecret(credential);
			},
		},
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return pollTrigger(this, wiring);
	}
}
