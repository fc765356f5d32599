import type { NodeAPI } from 'node-red';
import { quicklysign, quicklysignModule, testQuicklysignCredentials, type QuicklysignOptions } from '../../core/vendors/quicklysign';
import { QUICKLYSIGN_ENVIRONMENTS, QUICKLYSIGN_TRIGGER, quicklysignTriggerOptions } from '../../core/vendors/quicklysign/options';
import { nodeRedCredentials } from '../../core/vendors/module';
import { registerAccountNode } from './shared/account-node';
import { triggerEditorSettings } from './shared/editor-settings';
import { registerTriggerNode } from './shared/trigger-node';

export = function (RED: NodeAPI) {
	registerAccountNode(RED, {
		type: 'legalhooks-quicklysign-account',
		required: quicklysign.requiredCredentials,
		credentials: nodeRedCredentials(quicklysignModule),
		test: (http, credentials) => testQuicklysignCredentials(http, credentials as never),
	});
	registerTriggerNode<QuicklysignOptions>(RED, {
		type: 'legalhooks-quicklysign-trigger',
		vendor: quicklysign,
		settings: triggerEditorSettings('legalhooks-quicklysign-trigger', 'quicklysign', QUICKLYSIGN_TRIGGER, { environments: QUICKLYSIGN_ENVIRONMENTS }),
		vendorOptions: (config) => quicklysignTriggerOptions(config),
	});
};
