import type { NodeAPI } from 'node-red';
import { legito, legitoModule, testLegitoCredentials, type LegitoOptions } from '../../core/vendors/legito';
import { LEGITO_DEFAULT_FILE_TYPES, LEGITO_DEFAULT_REGION, LEGITO_FILE_TYPE_CHOICES, LEGITO_REGION_CHOICES, LEGITO_TRIGGER, legitoTriggerOptions } from '../../core/vendors/legito/options';
import { nodeRedCredentials } from '../../core/vendors/module';
import { registerAccountNode } from './shared/account-node';
import { triggerEditorSettings } from './shared/editor-settings';
import { registerTriggerNode, type TriggerConfig } from './shared/trigger-node';

/** The one Events list (legitoEvents) chooses what the push connection is triggered by. */
const legitoOptions = (config: TriggerConfig): LegitoOptions =>
	legitoTriggerOptions({
		legitoEventTypes: config.legitoEvents,
		templateSuites: config.templateSuites,
		documentRecordTypes: config.documentRecordTypes,
		attachFilesUploaded: config.attachFilesUploaded,
		attachFilesGenerated: config.attachFilesGenerated,
		fileTypes: config.fileTypes,
	});

export = function (RED: NodeAPI) {
	registerAccountNode(RED, {
		type: 'legalhooks-legito-account',
		required: legito.requiredCredentials,
		credentials: nodeRedCredentials(legitoModule),
		test: (http, credentials) => testLegitoCredentials(http, credentials as never),
	});
	registerTriggerNode<LegitoOptions>(RED, {
		type: 'legalhooks-legito-trigger',
		vendor: legito,
		vendorOptions: legitoOptions,
		settings: triggerEditorSettings('legalhooks-legito-trigger', 'legito',
			LEGITO_TRIGGER,
			{ fileTypes: LEGITO_FILE_TYPE_CHOICES, regions: LEGITO_REGION_CHOICES },
			{
				fileTypes: LEGITO_DEFAULT_FILE_TYPES.join(','),
				region: LEGITO_DEFAULT_REGION,
				// What each region calls, for the account dialog's "Calls" line.
				apiBaseUrls: legitoModule.api.baseUrls,
			},
		),
	});
};
