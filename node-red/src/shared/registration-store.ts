import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { normalizeState, type LifecycleState } from '../../../core/lifecycle/reconcile';
import type { VendorId } from '../../../core/event/normalized-event';

/** One trigger's record: its lifecycle state, and the credentials of accounts its pending removals need. */
export interface StoreEntry {
	vendor: VendorId;
	/** The account config node type, to find a deployed account again by fingerprint. */
	accountType?: string;
	state: LifecycleState;
	/** fingerprint → credentials, kept only while a pending removal needs that account (encrypted at rest). */
	accounts?: Record<string, Record<string, unknown>>;
}

/** sha256(key) for aes-256-ctr, as Node-RED's runtime `credentials` module does; null = encryption disabled. */
export type KeySource = () => Buffer | null | undefined;

const ALGORITHM = 'aes-256-ctr';

/** Encrypts like Node-RED's flows_cred.json: hex IV (16 bytes) followed by the base64 ciphertext. */
export function encrypt(key: Buffer, value: unknown): string {
	const iv = crypto.randomBytes(16);
	const cipher = crypto.createCipheriv(ALGORITHM, key, iv);
	return iv.toString('hex') + cipher.update(JSON.stringify(value), 'utf8', 'base64') + cipher.final('base64');
}

export function decrypt(key: Buffer, text: string): unknown {
	const iv = Buffer.from(text.slice(0, 32), 'hex');
	const decipher = crypto.createDecipheriv(ALGORITHM, key, iv);
	return JSON.parse(decipher.update(text.slice(32), 'base64', 'utf8') + decipher.final('utf8'));
}

/**
 * Where triggers keep what they registered at the vendor, keyed by node id — also after the node is
 * gone, while a removal is pending. A file (mode 0600) in the Node-RED user directory, encrypted with
 * the key Node-RED encrypts its own credentials with; memory only when there is no user directory.
 */
export class RegistrationStore {
	private entries: Record<string, StoreEntry> | undefined;
	/** Set when the file could not be decrypted: never overwrite what we cannot read. */
	private unreadable = false;
	private warnedNoKey = false;

	constructor(
		private readonly file: string | undefined,
		private readonly key: KeySource = () => undefined,
		private readonly warn: (message: string) => void = () => undefined,
	) {}

	get(nodeId: string): StoreEntry | undefined {
		const entry = this.all()[nodeId];
		return entry ? { ...entry, state: normalizeState(entry.state) } : undefined;
	}

	set(nodeId: string, entry: StoreEntry): void {
		this.all()[nodeId] = JSON.parse(JSON.stringify(entry)) as StoreEntry;
		this.save();
	}

	delete(nodeId: string): void {
		const entries = this.all();
		if (!(nodeId in entries)) return;
		delete entries[nodeId];
		this.save();
	}

	list(): Array<[string, StoreEntry]> {
		return Object.keys(this.all()).map((id) => [id, this.get(id)!]);
	}

	/** Size and mtime of the file as last read or written: another copy of this module may have written since. */
	private signature = '';

	private fileSignature(): string {
		try {
			const stat = fs.statSync(this.file!);
			return `${stat.size}:${stat.mtimeMs}`;
		} catch {
			return '';
		}
	}

	private all(): Record<string, StoreEntry> {
		if (this.file && this.entries && this.fileSignature() !== this.signature) this.entries = undefined;
		if (!this.entries) {
			this.entries = this.read();
			if (this.file) this.signature = this.fileSignature();
		}
		return this.entries;
	}

	private read(): Record<string, StoreEntry> {
		if (!this.file || !fs.existsSync(this.file)) return {};
		const parsed = JSON.parse(fs.readFileSync(this.file, 'utf8')) as { version?: number; $?: string; entries?: Record<string, StoreEntry> } & Record<string, unknown>;
		if (parsed.version !== 2) return migrate(parsed);
		if (typeof parsed.$ === 'string') {
			const key = this.key();
			try {
				if (!key) throw new Error('no credential key');
				return decrypt(key, parsed.$) as Record<string, StoreEntry>;
			} catch {
				this.unreadable = true;
				this.warn('the webhook registration store could not be decrypted with Node-RED’s credential key; it is left as it is');
				return {};
			}
		}
		return parsed.entries ?? {};
	}

	private save(): void {
		if (!this.file || this.unreadable) return;
		const key = this.key();
		const document = key ? { version: 2, $: encrypt(key, this.entries ?? {}) } : key === null ? { version: 2, entries: this.entries ?? {} } : undefined;
		if (!document) {
			if (!this.warnedNoKey) this.warn('Node-RED has no credential key yet: webhook registrations are kept in memory until it has one');
			this.warnedNoKey = true;
			return;
		}
		fs.mkdirSync(path.dirname(this.file), { recursive: true });
		const temporary = `${this.file}.tmp`;
		fs.writeFileSync(temporary, JSON.stringify(document), { mode: 0o600 });
		fs.renameSync(temporary, this.file);
		this.signature = this.fileSignature();
	}
}

/** The first format: a plain map of node id → Registration. */
function migrate(legacy: Record<string, unknown>): Record<string, StoreEntry> {
	const entries: Record<string, StoreEntry> = {};
	for (const [nodeId, registration] of Object.entries(legacy)) {
		if (!registration || typeof registration !== 'object') continue;
		const vendor = inferVendor(registration as { url?: string });
		entries[nodeId] = { vendor, state: normalizeState(registration) };
	}
	return entries;
}

function inferVendor(registration: { url?: string }): VendorId {
	const match = /\/legalhooks\/([a-z]+)\//.exec(registration.url ?? '');
	return (match?.[1] ?? 'legito') as VendorId;
}

/**
 * The key Node-RED encrypts credentials with: sha256 of `credentialSecret` from the settings, else of
 * the `_credentialSecret` it generated (kept in .config.runtime.json); null when the user turned
 * encryption off (`credentialSecret: false`), undefined while there is none yet.
 */
export function nodeRedCredentialKey(settings: { get?(name: string): unknown; credentialSecret?: unknown; userDir?: string }): Buffer | null | undefined {
	const read = (name: string): unknown => {
		try {
			return settings.get ? settings.get(name) : (settings as Record<string, unknown>)[name];
		} catch {
			return undefined;
		}
	};
	const user = read('credentialSecret') ?? settings.credentialSecret;
	if (user === false) return null;
	if (typeof user === 'string' && user) return crypto.createHash('sha256').update(user).digest();
	let generated = read('_credentialSecret');
	if (typeof generated !== 'string' && settings.userDir) {
		try {
			generated = (JSON.parse(fs.readFileSync(path.join(settings.userDir, '.config.runtime.json'), 'utf8')) as { _credentialSecret?: unknown })._credentialSecret;
		} catch {
			generated = undefined;
		}
	}
	return typeof generated === 'string' && generated ? crypto.createHash('sha256').update(generated).digest() : undefined;
}

const stores = new Map<string, RegistrationStore>();

export function registrationStoreFor(
	settings: { userDir?: string; get?(name: string): unknown; credentialSecret?: unknown },
	warn?: (message: string) => void,
): RegistrationStore {
	const file = settings.userDir ? path.join(settings.userDir, '.legalhooks', 'registrations.json') : undefined;
	const key = file ?? ':memory:';
	let store = stores.get(key);
	if (!store) {
		store = new RegistrationStore(file, () => nodeRedCredentialKey(settings), warn);
		stores.set(key, store);
	}
	return store;
}
