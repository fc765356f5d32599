import type { NodeAPI } from 'node-red';
import { plexus } from '../../core/vendors/plexus';
import { registerAccountNode } from './shared/account-node';
import { registerTriggerNode } from './shared/trigger-node';

export = function (RED: NodeAPI) {
	registerAccountNode(RED, { type: 'legalhooks-plexus-account', credentials: { secret: { type: 'password' } } });
	registerTriggerNode(RED, { type: 'legalhooks-plexus-trigger', vendor: plexus });
};
