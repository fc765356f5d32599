import { createHmac } from 'node:crypto';
import { NormalizedEventSchema } from '../../core/event/normalized-event';
import { ingest } from '../../core/inbound/ingest';
import { sampleSets } from '../../core/samples/sets';
import { DEFAULT_TRIGGER_OPTIONS, type InboundRequest, type Registration } from '../../core/vendors/definition';
import { legito } from '../../core/vendors/legito';
import { LEGITO_TOKEN_HEADER, legitoBaseUrl, legitoSettings, mintLegitoJwt } from '../../core/vendors/legito/api';
import { verifyJwt } from '../../sandbox/simulators/legito';
import { mimeTypeFromFileName } from '../../core/downloads/file-names';
import { legitoMapping } from '../../core/vendors/legito/mapping';

const secret = 'a'.repeat(64);
const systemName = 'eb892589-be50-4c24-8f68-adb67537a2d0';
const registration: Registration = { ids: ['4636'], url: 'https://hooks.example.com/webhook/x', secret, settings: legitoSettings({}), extra: { systemName } };
const now = new Date('2024-06-27T06:00:00Z');
const context = (reg: Registration | undefined = registration, options = {}) => ({ registration: reg, options: { ...DEFAULT_TRIGGER_OPTIONS, ...options }, now });

function request(body: string | Buffer, token: string | null = secret): InboundRequest {
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	if (token !== null) headers[LEGITO_TOKEN_HEADER] = token;
	return { method: 'POST', rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body), headers, query: {} };
}

// The seed's files section (with real data in place of the log placeholder) inside a v7 PushResponse.
const docx = Buffer.from('PK\u0003\u0004 word document bytes');
const pdf = Buffer.from('%PDF-1.7 signed agreement');
const seedBody = JSON.stringify({
	pushConnectionSystemName: systemName,
	eventType: 'SignCompleted',
	documentRecord: {
		id: 1234567,
		code: 'fQjI45UfWNDBfMiajgI8HDOmGLYZr5jIbnfNKNOb',
		name: 'Service agreement',
		created: '2017-06-27T07:56:02+02:00',
		lastModified: '2017-06-28T09:00:00+02:00',
		deleted: false,
		templateSuiteId: 9876,
		workflowStage: { id: 24, name: 'Ready to sign' },
		ownerId: 5,
		authorId: 6,
		properties: [{ id: 15, name: 'Labels', type: 'system' }],
		persons: [{ definition: 'First sign party', name: 'John Dow', email: 'johndow@legito.com' }],
	},
	files: {
		generated: [
			{ fileName: 'serviceagreement.docx', documentRecordId: 1234567, documentRecordCode: 'fQjI45UfWNDBfMiajgI8HDOmGLYZr5jIbnfNKNOb', templateId: 9876, size: docx.length, data: docx.toString('base64') },
			{ fileName: ' serviceagreement.pdf', documentRecordId: 1234567, documentRecordCode: 'fQjI45UfWNDBfMiajgI8HDOmGLYZr5jIbnfNKNOb', templateId: 9876, size: pdf.length, data: pdf.toString('base64') },
		],
	},
});

describe('Legito JWT', () => {
	it('mints HS256 with integer iss/iat/exp, exp = iat + 3600, verifiable independently', () => {
		const token = mintLegitoJwt('94afa3c5-a1d5-4657-a8a6-7f968820792c', 'private-key', new Date(1587459071_000));
		const [h, p, s] = token.split('.');
		expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
		expect(JSON.parse(Buffer.from(p, 'base64url').toString())).toEqual({ iss: '94afa3c5-a1d5-4657-a8a6-7f968820792c', iat: 1587459071, exp: 1587462671 });
		expect(s).toBe(createHmac('sha256', 'private-key').update(`${h}.${p}`).digest('base64url'));
		// as the Legito simulator checks a request's JWT
		const iss = '94afa3c5-a1d5-4657-a8a6-7f968820792c';
		expect(verifyJwt(token, new Map([[iss, 'private-key']]), 1587459100_000)).toBeUndefined();
		expect(verifyJwt(token, new Map([[iss, 'other-key']]), 1587459100_000)).toBe('signature');
		expect(verifyJwt(token, new Map([[iss, 'private-key']]), 1587462700_000)).toBe('expired');
	});

	it('never mints a lifetime over one hour', () => {
		const token = mintLegitoJwt('k', 'p', new Date(0), 99999);
		const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
		expect(claims.exp - claims.iat).toBe(3600);
	});

	it('builds region and custom base URLs', () => {
		expect(legitoBaseUrl({ apiKey: '', privateKey: '', region: 'us' })).toBe('https://us.legito.com/api/v7');
		expect(legitoBaseUrl({ apiKey: '', privateKey: '', region: 'nowhere' })).toBe('https://emea.legito.com/api/v7');
		expect(legitoBaseUrl({ apiKey: '', privateKey: '', region: 'custom', apiBaseUrl: 'https://acme.legito.com/api/v7/' })).toBe('https://acme.legito.com/api/v7');
		expect(legitoBaseUrl({ apiKey: '', privateKey: '', region: 'us', apiBaseUrl: 'https://stale.example' })).toBe('https://us.legito.com/api/v7');
		expect(legitoBaseUrl({ apiKey: '', privateKey: '', apiBaseUrl: 'https://acme.legito.com/api/v7/' })).toBe('https://acme.legito.com/api/v7');
	});
});

describe('Legito inbound', () => {
	it('normalizes the seed message and decodes both files to buffers with MIME types', () => {
		const result = legito.receive(request(seedBody), context());
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		const [event] = result.events;
		expect(NormalizedEventSchema.parse(event)).toBeTruthy();
		expect(event).toMatchObject({
			vendor: 'legito',
			type: 'document.completed',
			vendorEventType: 'SignCompleted',
			occurredAt: '2017-06-28T07:00:00.000Z',
			document: { id: 'fQjI45UfWNDBfMiajgI8HDOmGLYZr5jIbnfNKNOb', title: 'Service agreement', status: 'completed', vendorStatus: 'Ready to sign' },
			files: [
				{ fileName: 'serviceagreement.docx', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', size: docx.length },
				{ fileName: 'serviceagreement.pdf', mimeType: 'application/pdf', size: pdf.length },
			],
			data: { documentRecordId: 1234567, templateSuiteId: 9876, persons: [{ name: 'John Dow' }] },
		});
		expect(result.files?.map((f) => f.data)).toEqual([docx, pdf]);
		// The base64 is not carried again in the item.
		expect(JSON.stringify(event.raw)).not.toContain(pdf.toString('base64'));
		const expectedId = createHash(systemName, 'SignCompleted', 'fQjI45UfWNDBfMiajgI8HDOmGLYZr5jIbnfNKNOb', '2017-06-28T09:00:00+02:00');
		expect(event.id).toBe(expectedId);
	});

	it('gives a retried delivery the same id and another modification a new one', () => {
		const a = legito.receive(request(seedBody), context());
		const b = legito.receive(request(seedBody), context());
		const c = legito.receive(request(seedBody.replace('2017-06-28T09:00:00+02:00', '2017-06-28T09:05:00+02:00')), context());
		expect(a.ok && b.ok && a.events[0].id === b.events[0].id).toBe(true);
		expect(a.ok && c.ok && a.events[0].id !== c.events[0].id).toBe(true);
	});

	it('gives every one of the 38 event types a canonical type; only changes to the record stay document.updated', () => {
		const { LEGITO_EVENT_TYPES } = require('../../core/vendors/legito/mapping') as typeof import('../../core/vendors/legito/mapping');
		expect(LEGITO_EVENT_TYPES).toHaveLength(38);
		const updated = LEGITO_EVENT_TYPES.filter((type) => legitoMapping(type)[0] === 'document.updated');
		expect(updated).toEqual([
			'ConfidentialDesignated',
			'ConfidentialRemoved',
			'DocumentOwnerChanged',
			'DocumentRecordLocked',
			'DocumentRecordUnlocked',
			'DocumentRecordUpdated',
			'ExpirationDateRevised',
			'LinkAdded',
			'NewDocumentVersion',
			'WorkflowStatusChanged',
		]);
		expect(LEGITO_EVENT_TYPES.filter((type) => legitoMapping(type)[0] === 'other')).toEqual([]);
	});

	it.each([
		['DocumentRecordCreated', 'document.created', 'created'],
		['DocumentRecordCreatedMass', 'document.created', 'created'],
		['DocumentRecordUpdated', 'document.updated', 'other'],
		['NewDocumentVersion', 'document.updated', 'other'],
		['WorkflowStatusChanged', 'document.updated', 'other'],
		['DocumentRecordDeleted', 'document.deleted', 'deleted'],
		['SignStarted', 'document.sent', 'out_for_signature'],
		['DocumentSentByEmail', 'document.sent', 'other'],
		['SignCompleted', 'document.completed', 'completed'],
		['SignCanceled', 'document.cancelled', 'cancelled'],
		['ApprovalProcessStarted', 'document.approval_requested', 'in_approval'],
		['ApprovalApproved', 'document.approved', 'approved'],
		['ApprovalDisapproved', 'document.approval_rejected', 'rejected'],
		['FileUpload', 'document.file_added', 'other'],
		['DateExpiration', 'document.expired', 'expired'],
		['DocumentRecordRestored', 'document.restored', 'other'],
		['ApprovalActionApprove', 'document.approval_step_approved', 'in_approval'],
		['ApprovalActionDisapprove', 'document.approval_step_rejected', 'in_approval'],
		['ApprovalActionCanceled', 'document.approval_step_cancelled', 'in_approval'],
		['DocumentShared', 'document.shared', 'other'],
		['ExternalSharingDeactivated', 'document.unshared', 'other'],
		['DocumentVersionView', 'document.viewed', 'other'],
		['FileDownload', 'document.downloaded', 'other'],
		['DatePayment', 'document.date_reached', 'other'],
		['documentrecordrestored', 'document.restored', 'other'],
		['SomethingNew', 'document.updated', 'other'],
	])('maps %s to %s / %s', (eventType, type, status) => {
		expect(legitoMapping(eventType)).toEqual([type, status]);
	});

	it('takes MIME types from extensions', () => {
		expect(mimeTypeFromFileName('a.PDF')).toBe('application/pdf');
		expect(mimeTypeFromFileName('a.odt')).toBe('application/vnd.oasis.opendocument.text');
		expect(mimeTypeFromFileName('a.pdfa')).toBe('application/pdf');
		expect(mimeTypeFromFileName('noext')).toBe('application/octet-stream');
	});

	it('refuses a missing or wrong token with 401, and a delivery for another push connection', () => {
		expect(legito.receive(request(seedBody, null), context())).toMatchObject({ ok: false, status: 401 });
		expect(legito.receive(request(seedBody, 'b'.repeat(64)), context())).toMatchObject({ ok: false, status: 401 });
		const other = seedBody.replace(systemName, '00000000-0000-0000-0000-000000000000');
		expect(legito.receive(request(other), context())).toMatchObject({ ok: false, status: 401, reason: expect.stringContaining('another push connection') });
		expect(legito.receive(request(seedBody), { options: { ...DEFAULT_TRIGGER_OPTIONS }, now })).toMatchObject({ ok: false, status: 401 });
	});

	it('answers 400 to a body that is not JSON or lacks the documentRecord', () => {
		expect(legito.receive(request('{nope'), context())).toMatchObject({ ok: false, status: 400 });
		expect(legito.receive(request(JSON.stringify({ pushConnectionSystemName: systemName, eventType: 'X' })), context())).toMatchObject({ ok: false, status: 400 });
	});

	it('checks the token before parsing (a bad token on garbage is 401, not 400)', () => {
		expect(legito.receive(request('{nope', 'wrong'), context())).toMatchObject({ status: 401 });
	});

	it('handles a 20 MB delivery with two files within a few seconds', () => {
		const big1 = Buffer.alloc(10 * 1024 * 1024, 7);
		const big2 = Buffer.alloc(5 * 1024 * 1024, 9);
		const body = JSON.stringify({
			...JSON.parse(seedBody),
			files: {
				uploaded: [{ fileName: 'scan.pdf', documentRecordId: 1, documentRecordCode: 'c', size: big1.length, data: big1.toString('base64') }],
				generated: [{ fileName: 'contract.docx', documentRecordId: 1, documentRecordCode: 'c', templateId: 2, size: big2.length, data: big2.toString('base64') }],
			},
		});
		expect(body.length).toBeGreaterThan(20 * 1024 * 1024);
		const started = Date.now();
		const result = ingest(legito, request(body), { ...context(), options: { ...DEFAULT_TRIGGER_OPTIONS, maxBodyBytes: 64 * 1024 * 1024 } });
		expect(Date.now() - started).toBeLessThan(5000);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.files?.map((f) => [f.fileName, f.mimeType, f.size])).toEqual([
			['scan.pdf', 'application/pdf', big1.length],
			['contract.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', big2.length],
		]);
		expect(result.files?.[0].data.equals(big1)).toBe(true);
		expect(result.files?.[1].data.equals(big2)).toBe(true);
	});

	it('is refused with 413 by ingest over the default 25 MB limit', () => {
		const body = Buffer.alloc(26 * 1024 * 1024, 32);
		expect(ingest(legito, request(body), context())).toMatchObject({ ok: false, status: 413 });
	});

	it('builds CLI samples the trigger accepts, and tampered ones it refuses', () => {
		const set = sampleSets.legito!;
		for (const name of set.events) {
			const delivery = set.build(name, { secret, registrationId: systemName }, { now });
			const result = legito.receive({ method: 'POST', rawBody: Buffer.from(delivery.body), headers: delivery.headers, query: delivery.query }, context());
			expect(result.ok).toBe(true);
		}
		const bad = set.build('SignCompleted', { secret, registrationId: systemName }, { tamper: true, now });
		expect(legito.receive({ method: 'POST', rawBody: Buffer.from(bad.body), headers: bad.headers, query: bad.query }, context())).toMatchObject({ status: 401 });
	});
});

describe('Legito settings', () => {
	it('canonicalizes so equal choices compare equal and defaults are explicit', () => {
		expect(legitoSettings({ legitoEventTypes: ['SignCompleted', 'SignStarted', 'SignCompleted', 'Bogus'], templateSuites: ['3', 1], fileTypes: [] })).toEqual({
			name: 'legalhooks',
			eventTypes: ['SignCompleted', 'SignStarted'],
			templateSuites: [1, 3],
			documentRecordTypes: [],
			attachFilesUploaded: false,
			attachFilesGenerated: false,
			fileTypes: ['docx', 'pdf'],
		});
		expect((legitoSettings({}).eventTypes as string[]).length).toBe(38);
	});
});

function createHash(...parts: string[]): string {
	const hash = require('node:crypto').createHash('sha256');
	for (const part of parts) {
		hash.update(part);
		hash.update('\u0000');
	}
	return hash.digest('hex');
}
