import type { NodeAPI } from 'node-red';
import { legalesign, legalesignModule, testLegalesignCredentials, type LegalesignOptions } from '../../core/vendors/legalesign';
import { nodeRedCredentials } from '../../core/vendors/module';
import {
	LEGALESIGN_DEFAULT_NOTIFY,
	LEGALESIGN_DEFAULT_WEBHOOK_SYSTEM,
	LEGALESIGN_EVENT_FILTER_CHOICES,
	LEGALESIGN_NOTIFY_CHOICES,
	LEGALESIGN_TRIGGER,
	LEGALESIGN_WEBHOOK_SYSTEM_CHOICES,
	legalesignTriggerOptions,
} from '../../core/vendors/legalesign/options';
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
			{ notify: LEGALESIGN_NOTIFY_CHOICES, eventFilter: LEGALESIGN_EVENT_FILTER_CHOICES, webhookSystem: LEGALESIGN_WEBHOOK_SYSTEM_CHOICES },
			// webhookSystem: the editor's default for a NEW node; a deployed node without it is legacy (core options schema).
			{ notify: LEGALESIGN_DEFAULT_NOTIFY, webhookSystem: LEGALESIGN_DEFAULT_WEBHOOK_SYSTEM, confirmWithApi: true, apiBaseUrl: legalesignModule.api.baseUrls.default },
		),
		vendorOptions: (config) => legalesignTriggerOptions(config),
	});
};
