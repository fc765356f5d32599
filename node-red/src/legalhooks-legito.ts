import type { NodeAPI } from 'node-red';
import { legito, testLegitoCredentials, type LegitoOptions } from '../../core/vendors/legito';
import { registerAccountNode } from './shared/account-node';
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
	registerTriggerNode<LegitoOptions>(RED, { type: 'legalhooks-legito-trigger', vendor: legito, vendorOptions: legitoOptions });
};
