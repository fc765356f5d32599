import type { NodeAPI } from 'node-red';
import { DEFAULT_ORDER_PATH, phenixid, type PhenixidOptions } from '../../core/vendors/phenixid';
import { registerAccountNode } from './shared/account-node';
import { registerTriggerNode } from './shared/trigger-node';

export = function (RED: NodeAPI) {
	registerAccountNode(RED, {
		type: 'legalhooks-phenixid-account',
		credentials: {
			secret: { type: 'password' },
			key: { type: 'password' },
			apiBaseUrl: { type: 'text' },
			clientCertificate: { type: 'password' },
			clientKey: { type: 'password' },
			clientKeyPassphrase: { type: 'password' },
			serverCa: { type: 'text' },
		},
	});
	registerTriggerNode<PhenixidOptions>(RED, {
		type: 'legalhooks-phenixid-trigger',
		vendor: phenixid,
		vendorOptions: (config) => ({
			fetchOrder: Boolean(config.fetchOrder),
			orderPath: typeof config.orderPath === 'string' && config.orderPath ? config.orderPath : DEFAULT_ORDER_PATH,
		}),
	});
};
