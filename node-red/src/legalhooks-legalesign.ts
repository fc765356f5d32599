import type { NodeAPI } from 'node-red';
import { legalesign, legalesignModule, testLegalesignCredentials, type LegalesignOptions } from '../../core/vendors/legalesign';
import { LEGALESIGN_DEFAULT_NOTIFY, LEGALESIGN_EVENT_FILTER_CHOICES, LEGALESIGN_NOTIFY_CHOICES, LEGALESIGN_TRIGGER, legalesignTriggerOptions } from '../../core/vendors/legalesign/options';
import { nodeRedCredentials } from '../../core/vendors/module';
import { registerAccountNode } from './shared/account-node';
import { triggerEditorSettings } from './shared/editor-settings';
import { registerTriggerNode } from './shared/trigger-node';

export = function (RED: NodeAPI) {
	registerAccountNode(RED, {
		type: 'legalhooks-legalesign-account',
		required: legalesign.requiredCredentials,
		credentials: nodeRedCredentials(legalesignModule),
		test: (http, credentials) => testLegalesignCredentials(http, credentials as never),
	});
	registerTriggerNode<LegalesignOptions>(RED, {
		type: 'legalhooks-legalesign-trigger',
		vendor: legalesign,
		settings: triggerEditorSettings('legalhooks-legalesign-trigger', 'legalesign',
			LEGALESIGN_TRIGGER,
			{ notify: LEGALESIGN_NOTIFY_CHOICES, eventFilter: LEGALESIGN_EVENT_FILTER_CHOICES },
			{ notify: LEGALESIGN_DEFAULT_NOTIFY, apiBaseUrl: legalesignModule.api.baseUrls.default },
		),
		vendorOptions: (config) => legalesignTriggerOptions(config),
	});
};
