import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/**
 * Rotated refresh tokens of the Xero and Salesforce accounts, written to disk the moment they
 * rotate. `RED.nodes.addCredentials` only reaches flows_cred.json at the next deploy, so a restart
 * without a deploy would reload a spent token. The file (`<userDir>/.legalhooks-tokens.json`) is
 * encrypted exactly as Node-RED encrypts flows_cred.json: AES-256-CTR, key = SHA-256 of the
 * credential secret (settings.credentialSecret, else the runtime's generated _credentialSecret),
 * `{"$": <16-byte IV as hex><ciphertext as base64>}`; plain JSON when credentialSecret is false.
 *
 * Each entry remembers which deployed refresh token it replaced (`basedOn`, a hash): a deploy with a
 * different token (the user pasted a new one) makes the entry stale and it is ignored.
 */
export interface VaultSettings {
	userDir?: string;
	credentialSecret?: string | false;
	get?: (key: string) => unknown;
}

interface Entry {
	refreshToken: string;
	basedOn: string;
	savedAt: string;
}

const ALGORITHM = 'aes-256-ctr';
const FILE = '.legalhooks-tokens.json';

export function tokenHash(token: string | undefined): string {
	return createHash('sha256').update(token ?? '').digest('hex');
}

function secretOf(settings: VaultSettings): string | false | undefined {
	if (settings.credentialSecret === false) return false;
	if (typeof settings.credentialSecret === 'string' && settings.credentialSecret) return settings.credentialSecret;
	try {
		const generated = settings.get?.('_credentialSecret');
		return typeof generated === 'string' && generated ? generated : undefined;
	} catch {
		return undefined; // settings not loaded (no runtime storage)
	}
}

export function encrypt(secret: string, value: unknown): { $: string } {
	const key = createHash('sha256').update(secret).digest();
	const iv = randomBytes(16);
	const cipher = createCipheriv(ALGORITHM, key, iv);
	return { $: iv.toString('hex') + cipher.update(JSON.stringify(value), 'utf8', 'base64') + cipher.final('base64') };
}

export function decrypt(secret: string, value: { $: string }): unknown {
	const key = createHash('sha256').update(secret).digest();
	const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(value.$.slice(0, 32), 'hex'));
	return JSON.parse(decipher.update(value.$.slice(32), 'base64', 'utf8') + decipher.final('utf8'));
}

export class TokenVault {
	private readonly file: string;
	private readonly secret: string | false | undefined;
	private writing: Promise<void> = Promise.resolve();

	constructor(settings: VaultSettings) {
		this.file = path.join(settings.userDir || path.join(homedir(), '.node-red'), FILE);
		this.secret = secretOf(settings);
	}

	/** False when no credential secret can be found: then nothing is written (and the caller warns). */
	get usable(): boolean {
		return this.secret !== undefined;
	}

	private readAll(): Record<string, Entry> {
		if (!this.usable) return {};
		let raw: unknown;
		try {
			raw = JSON.parse(readFileSync(this.file, 'utf8'));
		} catch {
			return {};
		}
		try {
			const data = this.secret === false ? raw : decrypt(this.secret as string, raw as { $: string });
			return data && typeof data === 'object' ? (data as Record<string, Entry>) : {};
		} catch {
			return {}; // another secret: unreadable, as Node-RED's own credentials would be
		}
	}

	/** The saved refresh token of an account, when it replaced the token deployed now. */
	load(accountId: string, deployedRefreshToken: string | undefined): string | undefined {
		const entry = this.readAll()[accountId];
		return entry && entry.basedOn === tokenHash(deployedRefreshToken) ? entry.refreshToken : undefined;
	}

	/** Writes the account's rotated refresh token now (atomically; writes are queued). */
	async save(accountId: string, deployedRefreshToken: string | undefined, refreshToken: string): Promise<void> {
		const run = async () => {
			if (!this.usable) return;
			const all = this.readAll();
			all[accountId] = { refreshToken, basedOn: tokenHash(deployedRefreshToken), savedAt: new Date().toISOString() };
			const body = this.secret === false ? all : encrypt(this.secret as string, all);
			const temp = `${this.file}.${process.pid}.tmp`;
			await fs.mkdir(path.dirname(this.file), { recursive: true });
			await fs.writeFile(temp, JSON.stringify(body), { mode: 0o600 });
			await fs.rename(temp, this.file);
		};
		this.writing = this.writing.then(run, run);
		return this.writing;
	}
}
