import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { LiveRegistration } from '../../../core/lifecycle/reconcile';
import { contextValue, type NodeRedContext } from './context-store';

/**
 * How an instance that does not register gets the registration (its secret included) from the one
 * that does: the registering instance writes it to the account's context store under a key of the
 * vendor and webhook URL, encrypted (AES-256-GCM) with a key derived from the account's
 * credentials, so a shared store (Redis) never holds the secret in clear and only instances with
 * the same account can read it.
 */
export interface RegistrationHandover {
	publish(registration: LiveRegistration | undefined): Promise<void>;
	read(): Promise<LiveRegistration | undefined>;
}

interface Sealed {
	v: 1;
	iv: string;
	tag: string;
	data: string;
}

export function handoverContextKey(vendor: string, target: string): string {
	const digest = createHash('sha256').update(JSON.stringify(['legalhooks-registration', vendor, target])).digest('hex').slice(0, 32);
	return `legalhooks_registration_${vendor}_${digest}`;
}

function keyFor(credentials: Record<string, unknown>): Buffer {
	const canonical = JSON.stringify(Object.keys(credentials).sort().map((name) => [name, credentials[name]]));
	return createHash('sha256').update('legalhooks registration handover v1\u0000').update(canonical).digest();
}

export function sealRegistration(registration: LiveRegistration, credentials: Record<string, unknown>): Sealed {
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', keyFor(credentials), iv);
	const data = Buffer.concat([cipher.update(JSON.stringify(registration), 'utf8'), cipher.final()]);
	return { v: 1, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

/** The registration, or undefined when there is none or it was sealed with other credentials. */
export function openRegistration(value: unknown, credentials: Record<string, unknown>): LiveRegistration | undefined {
	const sealed = value as Partial<Sealed> | undefined;
	if (!sealed || sealed.v !== 1 || typeof sealed.iv !== 'string' || typeof sealed.tag !== 'string' || typeof sealed.data !== 'string') return undefined;
	try {
		const decipher = createDecipheriv('aes-256-gcm', keyFor(credentials), Buffer.from(sealed.iv, 'base64'));
		decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
		const text = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
		const registration = JSON.parse(text) as LiveRegistration;
		return typeof registration?.secret === 'string' && Array.isArray(registration.ids) ? registration : undefined;
	} catch {
		return undefined;
	}
}

export function registrationHandover(
	context: NodeRedContext,
	storeName: string | undefined,
	vendor: string,
	target: string,
	credentials: Record<string, unknown>,
	onError: (message: string) => void,
): RegistrationHandover {
	const value = contextValue(context, handoverContextKey(vendor, target), storeName, onError);
	// A copy: Node-RED edits a config node's credentials object in place.
	const own = { ...credentials };
	return {
		publish: (registration) => value.write(registration ? sealRegistration(registration, own) : undefined),
		read: async () => openRegistration(await value.read(), own),
	};
}
