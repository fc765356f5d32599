import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Registration } from '../../../core/vendor';

/**
 * Where a trigger keeps what it registered at the vendor, keyed by node id, so a redeploy or a
 * restart reconciles with the vendor instead of registering twice. A JSON file (mode 0600) in
 * the Node-RED user directory; memory only when there is none.
 */
export class RegistrationStore {
	private readonly entries: Record<string, Registration>;

	constructor(private readonly file?: string) {
		this.entries = file && fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Registration>) : {};
	}

	get(nodeId: string): Registration | undefined {
		return this.entries[nodeId];
	}

	set(nodeId: string, registration: Registration): void {
		this.entries[nodeId] = registration;
		this.save();
	}

	delete(nodeId: string): void {
		if (!(nodeId in this.entries)) return;
		delete this.entries[nodeId];
		this.save();
	}

	private save(): void {
		if (!this.file) return;
		fs.mkdirSync(path.dirname(this.file), { recursive: true });
		const temporary = `${this.file}.tmp`;
		fs.writeFileSync(temporary, JSON.stringify(this.entries, null, 2), { mode: 0o600 });
		fs.renameSync(temporary, this.file);
	}
}

const stores = new Map<string, RegistrationStore>();

export function registrationStoreFor(userDir: string | undefined): RegistrationStore {
	const file = userDir ? path.join(userDir, '.legalhooks', 'registrations.json') : undefined;
	const key = file ?? ':memory:';
	let store = stores.get(key);
	if (!store) {
		store = new RegistrationStore(file);
		stores.set(key, store);
	}
	return store;
}
