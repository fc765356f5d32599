import type { NodeAPI } from 'node-red';
import { legito, legitoBaseUrl, LEGITO_REGIONS, testLegitoCredentials, type LegitoOptions } from '../../core/vendors/legito';
import { LEGITO_DEFAULT_FILE_TYPES, LEGITO_DEFAULT_REGION, LEGITO_FILE_TYPE_CHOICES, LEGITO_REGION_CHOICES, LEGITO_TRIGGER } from '../../core/vendors/legito/options';
import { registerAccountNode } from './shared/account-node';
import { triggerEditorSettings } from './shared/editor-settings';
import { registerTriggerNode, type TriggerConfig } from './shared/trigger-node';

const list = (value: unknown) =>
	(Array.isArray(value) ? value.map(String) : String(value ?? '').split(/[\s,;]+/)).map((v) => v.trim()).filter(Boolean);

function legitoOptions(config: TriggerConfig): LegitoOptions {
	const attachFilesGenerated = Boolean(config.attachFilesGenerated);
	return {
		legitoEventTypes: list(config.legitoEvents),
		templateSuites: list(config.templateSuites),
		documentRecordTypes: list(config.documentRecordTypes),
		attachFilesUploaded: Boolean(config.attachFilesUploaded),
		attachFilesGenerated,
		fileTypes: attachFilesGenerated ? list(config.fileTypes) : [],
	};
}

export = function (RED: NodeAPI) {
	registerAccountNode(RED, {
		type: 'legalhooks-legito-account',
		credentials: { apiKey: { type: 'password' }, privateKey: { type: 'password' }, region: { type: 'text' }, apiBaseUrl: { type: 'text' } },
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
				apiBaseUrls: Object.fromEntries(LEGITO_REGIONS.map((region) => [region, legitoBaseUrl({ apiKey: '', privateKey: '', region })])),
			},
		),
	});
};
