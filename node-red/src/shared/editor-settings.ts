import { normalizedTypeChoices, COMMON_TRIGGER_DEFAULTS, type Choice, type TriggerEditorFacts } from '../../../core/editor/trigger-settings';
import type { VendorId } from '../../../core/event/normalized-event';
import { vendors } from '../../../core/vendors';
import { REGISTRATION_TOKEN_WORDS } from '../../../core/samples/command';
import { ACCOUNT_INSTANCE_DEFAULTS } from './account-node';
import { webhookPath } from './routes';

/** A Node-RED node setting the runtime sends to the editor (read there as `RED.settings.<name>`). */
export interface ExportableSetting {
	value: unknown;
	exportable: true;
}

/** Node-RED's rule: a node type's settings start with the type in camelCase (`legalhooks-plexus-trigger` → `legalhooksPlexusTrigger`). */
export function editorSettingName(type: string): string {
	return `${type.replace(/[-_]+(\w)/g, (_, letter: string) => letter.toUpperCase())}Editor`;
}

const asOptions = (choices: readonly Choice[]) => choices.map(({ value, name, description }) => ({ value, label: name, ...(description ? { description } : {}) }));

/**
 * What a trigger's edit dialog and its account's dialog show, from core: the vendor's events with
 * their words, the normalized types it can produce, the common defaults, and any vendor pick lists
 * (`choices`, e.g. Legito's regions). legalhooks-editor.js reads it; nothing is typed twice.
 */
export function triggerEditorSettings(
	type: string,
	vendor: VendorId,
	facts: TriggerEditorFacts,
	choices: Record<string, readonly Choice[]> = {},
	defaults: Record<string, unknown> = {},
): Record<string, ExportableSetting> {
	const value = {
		/** The webhook URL is httpNodeRoot + this + the node's path (URI-encoded). */
		webhookPathPrefix: webhookPath(vendor, ''),
		events: asOptions(facts.events),
		normalizedTypes: asOptions(normalizedTypeChoices(facts.normalizedTypes)),
		replayWindow: facts.replayWindow,
		outOfOrder: facts.outOfOrder,
		sampleCommand: facts.sampleCommand,
		downloads: Boolean(facts.downloads),
		downloadsHelp: facts.downloadsHelp,
		defaults: {
			includeRaw: COMMON_TRIGGER_DEFAULTS.includeRaw,
			replayToleranceSeconds: COMMON_TRIGGER_DEFAULTS.replayToleranceSeconds,
			maxBodyMb: COMMON_TRIGGER_DEFAULTS.maxBodyMb,
			dropOutOfOrder: COMMON_TRIGGER_DEFAULTS.dropOutOfOrder,
			...defaults,
		},
		vendor,
		/** For triggers verified with a registration token: what `--secret` is (the dialog fetches the command). */
		registrationToken: REGISTRATION_TOKEN_WORDS[vendor],
		/** The account fields the deploy check requires (core/lifecycle/account-check.ts). */
		requiredCredentials: vendors[vendor]?.requiredCredentials ?? [],
		/** The account's settings for several instances (context store, whether it registers). */
		instanceDefaults: ACCOUNT_INSTANCE_DEFAULTS,
		choices: Object.fromEntries(Object.entries(choices).map(([name, list]) => [name, asOptions(list)])),
	};
	return { [editorSettingName(type)]: { value, exportable: true } };
}
