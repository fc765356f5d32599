import { hmac } from '../../verify/crypto';
import type { SampleDelivery } from '../../samples/delivery';
import { PLEXUS_SIGNATURE_HEADER, type PlexusDelivery } from './inbound';

const document: PlexusDelivery['data']['document'] = {
	type: 'Service Agreement',
	title: 'Service Agreement for Company A',
	status: 'created',
	createdAt: '2021-09-02T04:37:56.812919+00:00',
	sourceApp: 'Approve and eSign',
	startDate: '2021-11-25',
	executedAt: null,
	expiryDate: '2021-11-27T13:00:00+00:00',
	externalId: 'd24c0644-1d31-47fa-960e-b0cc8b4f136c',
	ownerEmail: 'owner@example.com',
	authorEmail: 'author@example.com',
	referenceId: null,
	contractValue: 0.0,
	latestVersion: {
		number: '7.1',
		downloadUrl: 'https://legalgateway-local.s3.amazonaws.com:443/media/documents/2499/Contract_2JS9d2q.docx?...',
	},
	additionalFacts: { customFact1: '123', currency: 'AUD' },
	counterpartyName: 'Company A',
	publishedVersion: {
		number: '7.0',
		downloadUrl: 'https://legalgateway-local.s3.amazonaws.com:443/media/documents/2499/Contract_4JF72sf.docx?...',
	},
};

function event(type: string, id: string, changes: Partial<PlexusDelivery['data']['document']> = {}) {
	return (createdAt: string): PlexusDelivery => ({ id, type, createdAt, data: { document: { ...document, ...changes } } });
}

/** The seed's example payloads, plus an executed contract with a value; `createdAt` is set when sent. */
export const plexusSamples: Record<string, (createdAt: string) => PlexusDelivery> = {
	documentCreated: event('documentCreated', '8cfa669c-41cc-412c-858d-0374e2c007fc'),
	documentUpdated: event('documentUpdated', '5d0e2a7e-7d1c-4a3c-9a51-2b8f0f4b6c11', { status: 'awaitingReview' }),
	documentDeleted: event('documentDeleted', '0b8e4f55-3c1e-4f0a-8a43-6d7d2f0c9e22', { status: 'other' }),
	awaitingSignature: event('documentUpdated', '2f6b1c3d-5e7f-4a9b-8c1d-3e5f7a9b1c2d', { status: 'awaitingSignature' }),
	executed: event('documentUpdated', '9a7c5e3b-1d2f-4e6a-8b0c-2d4f6a8c0e1f', {
		status: 'executed',
		executedAt: '2021-11-12T09:15:00+00:00',
		contractValue: 12500.0,
	}),
};

export function buildPlexusDelivery(payload: PlexusDelivery, secret: string, options: { tamper?: boolean } = {}): SampleDelivery {
	const body = JSON.stringify(payload);
	const signature = hmac('sha512', secret, options.tamper ? `${body} ` : body).toString('hex');
	return {
		method: 'POST',
		headers: { 'content-type': 'application/json', [PLEXUS_SIGNATURE_HEADER]: signature },
		query: {},
		body,
	};
}
