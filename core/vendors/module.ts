import type { VendorId } from '../event/normalized-event';
import type { Precheck } from '../verify/precheck';
import type { TriggerEditorFacts } from '../editor/trigger-settings';
import type { AnyVendorDefinition, VendorDefinition } from './definition';
import type { CatchupReader } from '../catchup/types';

/** A vendor's definition with the precheck its `receive` runs first (never without one). */
export type CheckedVendorDefinition<Credentials = Record<string, unknown>, VendorOptions = Record<string, unknown>> = VendorDefinition<Credentials, VendorOptions> & { precheck: Precheck };

/** One field of a vendor's credential (n8n) and account node (Node-RED): both engines are checked against it. */
export interface CredentialField {
	name: string;
	/** What a message calls the field ("fill in the API key"). */
	label: string;
	/** Stored as a password: n8n `typeOptions.password`, Node-RED credential type `password`. */
	secret: boolean;
	/** What the field holds before the user types anything ('' for none): a default API base URL or region. */
	default: string;
	/** Only this engine has the field (the reason is said where the vendor declares it). */
	only?: 'n8n' | 'node-red';
}

/** Where a vendor's API is and how a request proves the account, for the engines' credential tests. */
export interface VendorApiDefaults {
	/** The API base URL for each value of `chosenBy` (or `default` alone, when one URL fits every account). */
	baseUrls: Readonly<Record<string, string>>;
	/** The credential field that picks among `baseUrls`; its value `custom` takes the `apiBaseUrl` field instead. */
	chosenBy?: string;
	/** A fixed authorization header: `<scheme> <fields joined by separator>`, e.g. `ApiKey username:apiKey`. */
	authorization?: { header: string; scheme: string; fields: readonly string[]; separator: string };
}

/**
 * Everything a vendor is, registered once in `vendorModules` (core/vendors/index.ts), whose type
 * makes the compiler refuse a vendor that leaves a piece out. A piece the vendor does not have is
 * said explicitly (`undefined`), never by leaving the key out. The sample deliveries are registered
 * in core/samples/sets.ts (`sampleSets`, also a full `Record<VendorId, …>`): the published packages load
 * this module, and the sample builders must stay out of them.
 */
export interface VendorModule {
	id: VendorId;
	/** The definition the pipeline runs; its `precheck` is the check `receive` runs first. */
	definition: AnyVendorDefinition & { precheck: Precheck };
	/** The short name destinations write into messages ("PhenixID"). */
	label: string;
	/** What the editors show for the trigger: events, normalized types, notices. */
	trigger: TriggerEditorFacts;
	/** What a sample command's --secret is, for a vendor verified with a random registration token; undefined for none. */
	registrationToken: string | undefined;
	/** How the trigger reads missed events back from the vendor's API; undefined when the vendor has no such API. */
	catchup: CatchupReader<unknown> | undefined;
	/** The credential's fields, in the order the engines show them. */
	credentials: readonly CredentialField[];
	/** The vendor's API, when the trigger calls one. */
	api: VendorApiDefaults | undefined;
}

/** A vendor's module as written, checked against VendorModule (its literal types kept, e.g. its `api`). */
export function vendorModule<const M extends VendorModule>(module: M): M {
	return module;
}

/** Each vendor's piece `pick` gives, by id: a table the rest of the code reads, derived from the modules. */
export function fromModules<T>(modules: Record<VendorId, VendorModule>, pick: (module: VendorModule) => T): Record<VendorId, T> {
	return Object.fromEntries(Object.entries(modules).map(([id, module]) => [id, pick(module)])) as Record<VendorId, T>;
}

/** Like fromModules, leaving out the vendors whose piece is undefined. */
export function presentInModules<T>(modules: Record<VendorId, VendorModule>, pick: (module: VendorModule) => T | undefined): Partial<Record<VendorId, T>> {
	const table: Partial<Record<VendorId, T>> = {};
	for (const [id, module] of Object.entries(modules) as Array<[VendorId, VendorModule]>) {
		const piece = pick(module);
		if (piece !== undefined) table[id] = piece;
	}
	return table;
}

/** The credential fields one engine shows. */
export const credentialFieldsFor = (module: Pick<VendorModule, 'credentials'>, engine: 'n8n' | 'node-red'): CredentialField[] =>
	module.credentials.filter((field) => !field.only || field.only === engine);

/** Node-RED's `credentials` block of an account node, from the module's fields. */
export function nodeRedCredentials(module: Pick<VendorModule, 'credentials'>): Record<string, { type: 'text' | 'password' }> {
	return Object.fromEntries(credentialFieldsFor(module, 'node-red').map((field) => [field.name, { type: field.secret ? 'password' : 'text' }]));
}
