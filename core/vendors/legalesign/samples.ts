import { createSign } from 'node:crypto';
import type { SampleDelivery } from '../../samples/delivery';
import { LEGALESIGN_SIGNATURE_HEADER, encodeFormBody } from './inbound';

const SIGNER = '/api/v1/signer/656926a1-a9e9-434b-91cc-9f9769254e99/';
const DOCUMENT = '/api/v1/document/6619179c-95da-4d5c-b7be-7bac0bac4088/';

/** The seed's 6-minute batch: one signer and one document going from scheduled to ready to download. */
export const LEGALESIGN_SEED_BATCH = [
	{ value: '5', timestamp: '2022-07-11T07:28:25+00:00', resource_uri: SIGNER, name: 'status' },
	{ value: '10', timestamp: '2022-07-11T07:28:26+00:00', resource_uri: SIGNER, name: 'status' },
	{ value: '20', timestamp: '2022-07-11T07:28:55+00:00', resource_uri: SIGNER, name: 'status' },
	{ value: '20', timestamp: '2022-07-11T07:29:06+00:00', resource_uri: DOCUMENT, name: 'status' },
	{ value: '30', timestamp: '2022-07-11T07:29:06+00:00', resource_uri: SIGNER, name: 'status' },
	{ value: '40', timestamp: '2022-07-11T07:29:06+00:00', resource_uri: SIGNER, name: 'status' },
	{ value: '30', timestamp: '2022-07-11T07:29:06+00:00', resource_uri: DOCUMENT, name: 'status' },
	{ value: '100', timestamp: '2022-07-11T07:29:09+00:00', resource_uri: DOCUMENT, name: 'status' },
];

export type LegalesignSample = { kind: 'batch'; entries: Array<Record<string, string>> } | { kind: 'upon'; fields: Record<string, string> };

function upon(event: string): (now: Date) => LegalesignSample {
	return (now) => ({
		kind: 'upon',
		fields: {
			name: 'Service Agreement',
			event,
			resource_uri: DOCUMENT,
			uuid: '6619179c-95da-4d5c-b7be-7bac0bac4088',
			tag: 'sales',
			tag1: 'Q3',
			tag2: '',
			timestamp: now.toISOString(),
		},
	});
}

export const legalesignSamples: Record<string, (now: Date) => LegalesignSample> = {
	batch: () => ({ kind: 'batch', entries: LEGALESIGN_SEED_BATCH }),
	rejected: () => ({
		kind: 'batch',
		entries: [
			{ value: '60', timestamp: '2022-07-12T10:00:00+00:00', resource_uri: SIGNER, name: 'status' },
			{ value: '50', timestamp: '2022-07-12T10:00:01+00:00', resource_uri: DOCUMENT, name: 'status' },
		],
	}),
	signed: upon('signed'),
	sent: upon('sent'),
	uponRejected: upon('rejected'),
};

export function signLegalesign(signed: string, privateKeyPem: string): string {
	return createSign('RSA-SHA1').update(signed).sign(privateKeyPem, 'base64');
}

/**
 * A delivery as Legalesign formats it: form-encoded, the token in the query. The batch carries
 * `data` + `signed`; an upon-event callback carries its fields + `json_signed`, signed in X-Signed.
 * Without a private key the signature is left empty (a trigger with no certificate accepts that).
 */
export function buildLegalesignDelivery(
	sample: LegalesignSample,
	token: string,
	options: { privateKey?: string; tamper?: boolean } = {},
): SampleDelivery {
	const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
	let body: string;
	if (sample.kind === 'batch') {
		const data = JSON.stringify(sample.entries);
		const signed = options.privateKey ? signLegalesign(data, options.privateKey) : '';
		body = encodeFormBody([
			['data', options.tamper ? `${data} ` : data],
			['signed', signed],
		]);
	} else {
		const jsonSigned = JSON.stringify(sample.fields);
		if (options.privateKey) headers[LEGALESIGN_SIGNATURE_HEADER] = signLegalesign(jsonSigned, options.privateKey);
		body = encodeFormBody([...Object.entries(sample.fields), ['json_signed', options.tamper ? `${jsonSigned} ` : jsonSigned]]);
	}
	return { method: 'POST', headers, query: { token: options.tamper && !options.privateKey ? `${token}x` : token }, body };
}
