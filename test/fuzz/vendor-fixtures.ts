import { generateKeyPairSync } from 'node:crypto';
import { sampleSets, type SampleSecrets } from '../../core/samples/sets';
import { DEFAULT_TRIGGER_OPTIONS, type AnyVendorDefinition, type InboundRequest, type ReceiveContext, type Registration } from '../../core/vendors/definition';
import type { VendorId } from '../../core/event/normalized-event';
import { vendors } from '../../core/vendors';
import { hmac } from '../../core/verify/crypto';
import { LEGITO_TOKEN_HEADER } from '../../core/vendors/legito/api';
import { LEGITO_SAMPLE_SYSTEM_NAME } from '../../core/vendors/legito/samples';
import { encodeFormBody, LEGALESIGN_SIGNATURE_HEADER } from '../../core/vendors/legalesign/inbound';
import { signLegalesign } from '../../core/vendors/legalesign/samples';
import { QUICKLYSIGN_SAMPLE_SUBSCRIPTION } from '../../core/vendors/quicklysign/samples';
import { PLEXUS_SIGNATURE_HEADER } from '../../core/vendors/plexus/inbound';
import { PHENIXID_SIGNATURE_HEADER } from '../../core/vendors/phenixid/inbound';

/**
 * One configured trigger per vendor, for tests that send it hostile deliveries: the secrets it is
 * configured with, signed sample deliveries (core/samples/sets.ts), and a way to sign any body the way
 * the vendor would, so a hostile body reaches parsing instead of stopping at verification.
 */
export interface VendorFixture {
	name: string;
	vendor: AnyVendorDefinition;
	context(now: Date): ReceiveContext;
	events: string[];
	sample(event: string, now: Date): InboundRequest;
	/** The body (JSON text) delivered with valid credentials; `wrong` uses credentials the trigger does not have. */
	signedJson(json: string, options?: { wrong?: boolean; upon?: boolean }): InboundRequest;
	/** Where the credential travels, so tests can break it. */
	credential: { kind: 'header'; name: string } | { kind: 'query'; name: string };
	/** True when the credential covers the body bytes (an HMAC or RSA signature), not only a token. */
	signsBody: boolean;
}

const SECRET = 'f'.repeat(64);
const WRONG = 'e'.repeat(64);
const PHENIX_KEY = 'phenix-key-0123456789';

function toRequest(delivery: { method: string; headers: Record<string, string>; query: Record<string, string>; body: string | Buffer }): InboundRequest {
	return {
		method: delivery.method,
		rawBody: Buffer.isBuffer(delivery.body) ? delivery.body : Buffer.from(delivery.body),
		headers: { ...delivery.headers },
		query: { ...delivery.query },
		contentType: delivery.headers['content-type'],
	};
}

function fromSamples(id: VendorId, secrets: SampleSecrets): Pick<VendorFixture, 'events' | 'sample'> {
	const set = sampleSets[id];
	if (!set) throw new Error(`no sample set for ${id}`);
	return { events: set.events, sample: (event, now) => toRequest(set.build(event, secrets, { now })) };
}

const jsonRequest = (json: string, headers: Record<string, string>, query: Record<string, string> = {}): InboundRequest => ({
	method: 'POST',
	rawBody: Buffer.from(json),
	headers: { 'content-type': 'application/json', ...headers },
	query,
	contentType: 'application/json',
});

const options = () => ({ ...DEFAULT_TRIGGER_OPTIONS });

const plexusFixture: VendorFixture = {
	name: 'plexus',
	vendor: vendors.plexus!,
	context: (now) => ({ secret: SECRET, options: options(), now }),
	...fromSamples('plexus', { secret: SECRET }),
	signedJson: (json, { wrong } = {}) => jsonRequest(json, { [PLEXUS_SIGNATURE_HEADER]: hmac('sha512', wrong ? WRONG : SECRET, json).toString('hex') }),
	credential: { kind: 'header', name: PLEXUS_SIGNATURE_HEADER },
	signsBody: true,
};

const phenixidFixture: VendorFixture = {
	name: 'phenixid',
	vendor: vendors.phenixid!,
	context: (now) => ({ secret: SECRET, credentials: { secret: SECRET, key: PHENIX_KEY }, options: options(), now }),
	...fromSamples('phenixid', { secret: SECRET, key: PHENIX_KEY }),
	signedJson: (json, { wrong } = {}) =>
		jsonRequest(json, { [PHENIXID_SIGNATURE_HEADER]: hmac('sha256', wrong ? WRONG : SECRET, json).toString('hex') }, { key: PHENIX_KEY }),
	credential: { kind: 'header', name: PHENIXID_SIGNATURE_HEADER },
	signsBody: true,
};

const legitoRegistration: Registration = {
	ids: ['4636'],
	url: 'https://hooks.example.com/webhook/legito',
	secret: SECRET,
	settings: {},
	extra: { systemName: LEGITO_SAMPLE_SYSTEM_NAME },
};
const legitoFixture: VendorFixture = {
	name: 'legito',
	vendor: vendors.legito!,
	context: (now) => ({ registration: legitoRegistration, options: options(), now }),
	...fromSamples('legito', { secret: SECRET, registrationId: LEGITO_SAMPLE_SYSTEM_NAME }),
	signedJson: (json, { wrong } = {}) => jsonRequest(json, { [LEGITO_TOKEN_HEADER]: wrong ? WRONG : SECRET }),
	credential: { kind: 'header', name: LEGITO_TOKEN_HEADER },
	signsBody: false,
};

const quicklysignRegistration: Registration = {
	ids: [QUICKLYSIGN_SAMPLE_SUBSCRIPTION],
	url: `https://hooks.example.com/webhook/quicklysign?token=${SECRET}`,
	secret: SECRET,
	settings: {},
};
const quicklysignFixture: VendorFixture = {
	name: 'quicklysign',
	vendor: vendors.quicklysign!,
	context: (now) => ({ registration: quicklysignRegistration, options: options(), now }),
	...fromSamples('quicklysign', { secret: SECRET, registrationId: QUICKLYSIGN_SAMPLE_SUBSCRIPTION }),
	signedJson: (json, { wrong } = {}) => jsonRequest(json, {}, { token: wrong ? WRONG : SECRET }),
	credential: { kind: 'query', name: 'token' },
	signsBody: false,
};

/** QuicklySign callbacks as a form (the other reading the page allows): top-level fields; hostile JSON in `data`. */
const quicklysignFormFixture: VendorFixture = {
	...quicklysignFixture,
	name: 'quicklysign (form)',
	sample: (event, now) => {
		const json = quicklysignFixture.sample(event, now);
		const fields = JSON.parse(json.rawBody.toString('utf8')) as Record<string, string>;
		return { ...json, rawBody: Buffer.from(encodeFormBody(fields)), headers: { 'content-type': 'application/x-www-form-urlencoded' }, contentType: undefined };
	},
	signedJson: (json, { wrong } = {}) => ({
		method: 'POST',
		rawBody: Buffer.from(encodeFormBody([['data', json]])),
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		query: { token: wrong ? WRONG : SECRET },
	}),
};

const keys = generateKeyPairSync('rsa', { modulusLength: 1024 });
const LEGALESIGN_PRIVATE_KEY = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const LEGALESIGN_CERTIFICATE = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const WRONG_PRIVATE_KEY = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

const legalesignRegistration: Registration = {
	ids: [],
	url: `https://hooks.example.com/webhook/legalesign?token=${SECRET}`,
	secret: SECRET,
	settings: {},
};

const formRequest = (body: string, query: Record<string, string>, headers: Record<string, string> = {}): InboundRequest => ({
	method: 'POST',
	rawBody: Buffer.from(body),
	headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
	query,
	contentType: 'application/x-www-form-urlencoded',
});

/** Legalesign with the callback certificate set: the RSA-SHA1 signature covers `data` / `json_signed`. */
const legalesignFixture: VendorFixture = {
	name: 'legalesign',
	vendor: vendors.legalesign!,
	context: (now) => ({ registration: legalesignRegistration, credentials: { certificate: LEGALESIGN_CERTIFICATE }, options: options(), now }),
	...fromSamples('legalesign', { secret: SECRET, privateKey: LEGALESIGN_PRIVATE_KEY }),
	signedJson: (json, { wrong, upon } = {}) => {
		const signature = signLegalesign(json, wrong ? WRONG_PRIVATE_KEY : LEGALESIGN_PRIVATE_KEY);
		if (upon) return formRequest(encodeFormBody([['json_signed', json]]), { token: SECRET }, { [LEGALESIGN_SIGNATURE_HEADER]: signature });
		return formRequest(
			encodeFormBody([
				['data', json],
				['signed', signature],
			]),
			{ token: SECRET },
		);
	},
	credential: { kind: 'header', name: LEGALESIGN_SIGNATURE_HEADER },
	signsBody: true,
};

/** Legalesign without a certificate: only the URL token is checked. */
const legalesignTokenFixture: VendorFixture = {
	...legalesignFixture,
	name: 'legalesign (token only)',
	context: (now) => ({ registration: legalesignRegistration, credentials: {}, options: options(), now }),
	...fromSamples('legalesign', { secret: SECRET }),
	signedJson: (json, { wrong, upon } = {}) =>
		formRequest(encodeFormBody([[upon ? 'json_signed' : 'data', json]]), { token: wrong ? WRONG : SECRET }),
	credential: { kind: 'query', name: 'token' },
	signsBody: false,
};

export const fixtures: VendorFixture[] = [
	plexusFixture,
	phenixidFixture,
	legitoFixture,
	quicklysignFixture,
	quicklysignFormFixture,
	legalesignFixture,
	legalesignTokenFixture,
];

export const fixture = (name: string): VendorFixture => {
	const found = fixtures.find((f) => f.name === name);
	if (!found) throw new Error(`no fixture ${name}`);
	return found;
};

/** A valid payload of each JSON vendor, as an object to mutate (Legalesign: the batch entries / upon-event fields). */
export function payloadOf(request: InboundRequest, fixtureName: string): { json: unknown; upon: boolean } {
	const text = request.rawBody.toString('utf8');
	if (fixtureName === 'quicklysign (form)') return { json: Object.fromEntries(new URLSearchParams(text)), upon: false };
	if (!fixtureName.startsWith('legalesign')) return { json: JSON.parse(text), upon: false };
	const form = new URLSearchParams(text);
	const data = form.get('data');
	if (data !== null) return { json: JSON.parse(data), upon: false };
	return { json: JSON.parse(form.get('json_signed') ?? '{}'), upon: true };
}
