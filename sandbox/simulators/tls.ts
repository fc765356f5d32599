import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TestPki {
	ca: string;
	serverKey: string;
	serverCert: string;
	clientKey: string;
	clientCert: string;
}

/** A throwaway CA with a server certificate for 127.0.0.1 and a client certificate, made with openssl. */
export function makeTestPki(): TestPki {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'legalhooks-pki-'));
	const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
	try {
		run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=legalhooks test CA');
		for (const [name, subject, ext] of [
			['server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth'],
			['client', '/CN=legalhooks client', 'extendedKeyUsage=clientAuth'],
		]) {
			fs.writeFileSync(path.join(dir, `${name}.ext`), ext);
			run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
			run('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', '-extfile', `${name}.ext`);
		}
		const read = (file: string) => fs.readFileSync(path.join(dir, file), 'utf8');
		return { ca: read('ca.crt'), serverKey: read('server.key'), serverCert: read('server.crt'), clientKey: read('client.key'), clientCert: read('client.crt') };
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}
