import type { NodeAPI } from 'node-red';
import { plexus, plexusModule } from '../../core/vendors/plexus';
import { PLEXUS_TRIGGER } from '../../core/vendors/plexus/options';
import { nodeRedCredentials } from '../../core/vendors/module';
import { registerAccountNode } from './shared/account-node';
import { triggerEditorSettings } from './shared/editor-settings';
import { registerTriggerNode } from './shared/trigger-node';

export = function (RED: NodeAPI) {
	registerAccountNode(RED, { type: 'legalhooks-plexus-account', required: plexus.requiredCredentials, credentials: nodeRedCredentials(plexusModule) });
	registerTriggerNode(RED, { type: 'legalhooks-plexus-trigger', vendor: plexus, settings: triggerEditorSettings('legalhooks-plexus-trigger', 'plexus', PLEXUS_TRIGGER) });
};
