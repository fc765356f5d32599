import type { NodeAPI } from 'node-red';
import { legalesign, testLegalesignCredentials, type LegalesignOptions } from '../../core/vendors/legalesign';
import { registerAccountNode } from './shared/account-node';
import { registerTriggerNode } from './shared/trigger-node';

export = function (RED: NodeAPI) {
	registerAccountNode(RED, {
		type: 'legalhooks-legalesign-account',
		credentials: { username: { type: 'text' }, apiKey: { type: 'password' }, apiBaseUrl: { type: 'text' }, certificate: { type: 'password' } },
		test: (http, credentials) => testLegalesignCredentials(http, credentials as never),
	});
	registerTriggerNode<LegalesignOptions>(RED, {
		type: 'legalhooks-legalesign-trigger',
		vendor: legalesign,
		vendorOptions: (config) => ({
			notify: typeof config.notify === 'string' && config.notify ? config.notify : 'all',
			eventFilter: typeof config.eventFilter === 'string' ? config.eventFilter : '',
			group: typeof config.group === 'string' ? config.group : '',
		}),
	});
};
