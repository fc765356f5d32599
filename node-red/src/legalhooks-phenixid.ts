import type { NodeAPI } from 'node-red';
import { DEFAULT_ORDER_PATH, phenixid, phenixidModule, type PhenixidOptions } from '../../core/vendors/phenixid';
import { PHENIXID_TRIGGER, phenixidTriggerOptions } from '../../core/vendors/phenixid/options';
import { nodeRedCredentials } from '../../core/vendors/module';
import { registerAccountNode } from './shared/account-node';
import { triggerEditorSettings } from './shared/editor-settings';
import { registerTriggerNode } from './shared/trigger-node';

export = function (RED: NodeAPI) {
	registerAccountNode(RED, {
		type: 'legalhooks-phenixid-account',
		required: phenixid.requiredCredentials,
		credentials: nodeRedCredentials(phenixidModule),
	});
	registerTriggerNode<PhenixidOptions>(RED, {
		type: 'legalhooks-phenixid-trigger',
		vendor: phenixid,
		settings: triggerEditorSettings('legalhooks-phenixid-trigger', 'phenixid', PHENIXID_TRIGGER, {}, { orderPath: DEFAULT_ORDER_PATH }),
		vendorOptions: (config) => phenixidTriggerOptions(config),
	});
};
