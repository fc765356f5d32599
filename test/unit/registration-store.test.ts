import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backoffMs, accountFingerprint, normalizeState } from '../../core/lifecycle/reconcile';
import { legito } from '../../core/vendors/legito';
import { RegistrationStore, nodeRedCredentialKey } from '../../node-red/src/shared/registration-store';

describe('Node-RED registration store', () => {
	let dir: string;
	beforeEach(() => {
		dir = mkdtempSync(join(tmpdir(), 'legalhooks-store-'));
	});
	afterEach(() => rmSync(dir, { recursive: true, force: true }));

	it('reads the first (plain) format and writes it back encrypted', () => {
		const file = join(dir, '.legalhooks', 'registrations.json');
		mkdirSync(join(dir, '.legalhooks'));
		writeFileSync(file, JSON.stringify({ n1: { ids: ['7'], url: 'https://nr.example/legalhooks/legito/inbox', secret: 's3cr3t-token', settings: {} } }));
		const store = new RegistrationStore(file, () => nodeRedCredentialKey({ credentialSecret: 'k' }));
		expect(store.get('n1')).toMatchObject({ vendor: 'legito', state: { registration: { ids: ['7'], secret: 's3cr3t-token' }, pending: [] } });
		store.set('n1', store.get('n1')!);
		expect(readFileSync(file, 'utf8')).not.toContain('s3cr3t-token');
		expect(new RegistrationStore(file, () => nodeRedCredentialKey({ credentialSecret: 'k' })).get('n1')?.state.registration?.secret).toBe('s3cr3t-token');
	});

	it('never overwrites a file it cannot decrypt, and keeps entries in memory while Node-RED has no key yet', () => {
		const file = join(dir, 'registrations.json');
		new RegistrationStore(file, () => nodeRedCredentialKey({ credentialSecret: 'right' })).set('n1', { vendor: 'legito', state: { pending: [] } });
		const before = readFileSync(file, 'utf8');
		const warnings: string[] = [];
		const wrong = new RegistrationStore(file, () => nodeRedCredentialKey({ credentialSecret: 'wrong' }), (m) => warnings.push(m));
		expect(wrong.get('n1')).toBeUndefined();
		wrong.set('n2', { vendor: 'legito', state: { pending: [] } });
		expect(readFileSync(file, 'utf8')).toBe(before);
		expect(warnings.join()).toMatch(/could not be decrypted/);
		const other = join(dir, 'none.json');
		const keyless = new RegistrationStore(other, () => undefined, (m) => warnings.push(m));
		keyless.set('n1', { vendor: 'legito', state: { pending: [] } });
		expect(existsSync(other)).toBe(false);
		expect(keyless.get('n1')).toBeDefined();
	});

	it('stores plain JSON only when the user turned credential encryption off', () => {
		expect(nodeRedCredentialKey({ credentialSecret: false })).toBeNull();
		const file = join(dir, 'plain.json');
		new RegistrationStore(file, () => null).set('n1', { vendor: 'legito', state: { pending: [] } });
		expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ version: 2, entries: { n1: { vendor: 'legito' } } });
	});
});

describe('core lifecycle helpers', () => {
	it('backs off 5 s, 10 s, 20 s … and never beyond 10 minutes', () => {
		expect([1, 2, 3, 4].map((n) => backoffMs(n))).toEqual([5000, 10000, 20000, 40000]);
		expect(backoffMs(50)).toBe(600000);
	});

	it('fingerprints the identifying credentials only: a new private key is the same account, another API key is not', () => {
		const base = { apiKey: 'k1', privateKey: 'p1', region: 'emea' };
		expect(accountFingerprint(legito as never, { ...base, privateKey: 'p2' })).toBe(accountFingerprint(legito as never, base));
		expect(accountFingerprint(legito as never, { ...base, apiKey: 'k2' })).not.toBe(accountFingerprint(legito as never, base));
		expect(accountFingerprint(legito as never, base)).not.toContain('p1');
	});

	it('reads a bare Registration (the first stored shape) as the live registration', () => {
		expect(normalizeState({ ids: ['1'], url: 'u', secret: 's', settings: {} })).toEqual({ registration: { ids: ['1'], url: 'u', secret: 's', settings: {} }, pending: [] });
	});
});
