import { z } from 'zod/v4';
import { nonEmptyString } from '../string-schema';
import { plainShape } from '../../inbound/json-shape';
import { isoTime } from '../../event/iso-time';
import type { NormalizedEvent } from '../../event/normalized-event';
import { mimeTypeFromFileName, safeFileName } from '../../downloads/file-names';
import { hashId, parseJson, toIsoUtc } from '../../inbound/parse';
import { extractBase64Values, restoreBase64Values, type Base64Values } from '../../inbound/base64-values';
import type { InboundFile, InboundRequest, ReceiveContext, ReceiveResult } from '../definition';
import { generatedSecretHint, type Verified } from '../../verify/record';
import { LEGITO_TOKEN_HEADER } from './api';
import { legitoMapping } from './mapping';
import { legitoPrecheck } from './precheck';
import { currentSecret } from '../../verify/secret-rotation';

const id = z.union([z.number(), z.string()]);

const LegitoFile = z
	.object({
		fileName: z.string(),
		documentRecordId: id.nullish(),
		documentRecordCode: z.string().nullish(),
		templateId: id.nullish(),
		size: z.number().nullish(),
		data: z.string().nullish(),
	})
	.passthrough();

const LegitoDocumentRecord = z
	.object({
		id: id.nullish(),
		code: nonEmptyString(),
		name: z.string().nullish(),
		created: z.string().nullish(),
		lastModified: z.string().nullish(),
		deleted: z.boolean().nullish(),
		templateSuiteId: id.nullish(),
		documentRecordTypeId: id.nullish(),
		workflowStage: z.object({ id: id.nullish(), name: z.string().nullish() }).passthrough().nullish(),
		ownerId: id.nullish(),
		authorId: id.nullish(),
		properties: z.array(z.unknown()).nullish(),
		persons: z.array(z.unknown()).nullish(),
		detailLink: z.string().nullish(),
	})
	.passthrough();

export const LegitoDeliverySchema = plainShape(
	z
		.object({
			pushConnectionSystemName: nonEmptyString(),
			eventType: nonEmptyString(),
			documentRecord: LegitoDocumentRecord,
			files: z
				.object({ uploaded: z.array(LegitoFile).nullish(), generated: z.array(LegitoFile).nullish() })
				.passthrough()
				.nullish(),
		})
		.passthrough(),
);
export type LegitoDelivery = z.infer<typeof LegitoDeliverySchema>;
type LegitoFileItem = z.infer<typeof LegitoFile>;

export const FILE_DATA_PLACEHOLDER = 'Base64 file data moved to the binary output';
/** What Legito's Push API log puts where the file data was; a delivery copied from the log carries it. */
export const LEGITO_LOG_PLACEHOLDER = 'Base64 encoded file data is not present in logs.';

export interface LegitoFileMeta {
	fileName: string;
	kind: 'uploaded' | 'generated';
	mimeType: string;
	size: number;
	templateId?: number | string;
	documentRecordCode?: string;
}

export interface LegitoFileError {
	fileName: string;
	kind: 'uploaded' | 'generated';
	reason: string;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The file's bytes from strict base64 (line breaks allowed, as MIME writes them) of the declared size, or why not. */
function decodeFile(data: string, declaredSize: number | null | undefined, values?: Base64Values): Buffer | { reason: string } {
	const extracted = values?.isMarker(data) ? values.take(data) : undefined;
	if (extracted) return sizeChecked(extracted, declaredSize);
	if (data.trim() === LEGITO_LOG_PLACEHOLDER) {
		return { reason: 'the file data is the Push API log placeholder, not the file (was the delivery copied from the log?)' };
	}
	const compact = /[\r\n]/.test(data) ? data.replace(/\r?\n/g, '') : data;
	if (compact.length % 4 !== 0 || !BASE64.test(compact)) return { reason: 'the file data is not valid base64' };
	return sizeChecked(Buffer.from(compact, 'base64'), declaredSize);
}

function sizeChecked(bytes: Buffer, declaredSize: number | null | undefined): Buffer | { reason: string } {
	if (typeof declaredSize === 'number' && bytes.length !== declaredSize) {
		return { reason: `the file data decodes to ${bytes.length} bytes, but Legito declared ${declaredSize}` };
	}
	return bytes;
}

/**
 * Decodes each attached file once (one Buffer.from per file) and replaces its base64 in the kept
 * payload, so a delivery of tens of MB is not carried twice into the workflow item. A file whose
 * data is not base64, or whose size is not the declared `size`, is not emitted: the reason is in
 * `data.fileErrors`, and the event still is.
 */
function decodeFiles(delivery: LegitoDelivery, values?: Base64Values): { files: InboundFile[]; meta: LegitoFileMeta[]; errors: LegitoFileError[]; payload: LegitoDelivery } {
	const files: InboundFile[] = [];
	const meta: LegitoFileMeta[] = [];
	const errors: LegitoFileError[] = [];
	if (!delivery.files) return { files, meta, errors, payload: delivery };
	let index = 0;
	const strip = (kind: 'uploaded' | 'generated', items: LegitoFileItem[] | null | undefined) =>
		(items ?? []).map((item) => {
			const fileName = safeFileName(item.fileName, `file${index++}`);
			if (typeof item.data !== 'string' || item.data === '') return { ...item, fileName };
			const decoded = decodeFile(item.data, item.size, values);
			if (!Buffer.isBuffer(decoded)) {
				errors.push({ fileName, kind, reason: decoded.reason });
				return { ...item, fileName, data: FILE_DATA_PLACEHOLDER };
			}
			const mimeType = mimeTypeFromFileName(fileName);
			files.push({ fileName, mimeType, size: decoded.length, data: decoded });
			meta.push({
				fileName,
				kind,
				mimeType,
				size: decoded.length,
				templateId: item.templateId ?? undefined,
				documentRecordCode: item.documentRecordCode ?? undefined,
			});
			return { ...item, fileName, data: FILE_DATA_PLACEHOLDER };
		});
	const payload: LegitoDelivery = {
		...delivery,
		files: { ...delivery.files, uploaded: strip('uploaded', delivery.files.uploaded), generated: strip('generated', delivery.files.generated) },
	};
	return { files, meta, errors, payload };
}

export function normalizeLegito(delivery: LegitoDelivery, receivedAt: Date, values?: Base64Values): { event: NormalizedEvent; files: InboundFile[] } {
	const record = delivery.documentRecord;
	const [type, status] = legitoMapping(delivery.eventType);
	const { files, meta, errors, payload } = decodeFiles(delivery, values);
	const event: NormalizedEvent = {
		id: hashId(delivery.pushConnectionSystemName, delivery.eventType, record.code, record.lastModified ?? ''),
		vendor: 'legito',
		type,
		vendorEventType: delivery.eventType,
		occurredAt: toIsoUtc(record.lastModified),
		receivedAt: isoTime(receivedAt),
		document: {
			id: record.code,
			title: record.name ?? undefined,
			status: record.deleted ? 'deleted' : status,
			vendorStatus: record.workflowStage?.name ?? undefined,
		},
		files: files.map(({ fileName, mimeType, size }) => ({ fileName, mimeType, size })),
		data: {
			documentRecordId: record.id ?? undefined,
			documentRecordCode: record.code,
			created: record.created ?? undefined,
			lastModified: record.lastModified ?? undefined,
			deleted: record.deleted ?? undefined,
			templateSuiteId: record.templateSuiteId ?? undefined,
			documentRecordTypeId: record.documentRecordTypeId ?? undefined,
			workflowStage: record.workflowStage ?? undefined,
			ownerId: record.ownerId ?? undefined,
			authorId: record.authorId ?? undefined,
			properties: record.properties ?? [],
			persons: record.persons ?? [],
			detailLink: record.detailLink ?? undefined,
			pushConnectionSystemName: delivery.pushConnectionSystemName,
			attachedFiles: meta,
			...(errors.length > 0 ? { fileErrors: errors } : {}),
		},
		raw: payload,
	};
	return { event, files };
}

const LARGE_BODY_BYTES = 256 * 1024;
const LARGE_VALUE_BYTES = 64 * 1024;
/** `files.uploaded[n].data` and `files.generated[n].data`: where a file's base64 is. */
const isFileData = (path: ReadonlyArray<string | number>) =>
	path.length === 4 && path[0] === 'files' && (path[1] === 'uploaded' || path[1] === 'generated') && typeof path[2] === 'number' && path[3] === 'data';

/**
 * Checks the X-Legalhooks-Token header we set on the push connection, then that the delivery names
 * our push connection's systemName; then parses with one JSON.parse and decodes the files.
 */
export function receiveLegito(request: InboundRequest, context: ReceiveContext): ReceiveResult {
	const checked = legitoPrecheck(request, context);
	if (!checked.ok) return checked;
	const secret = currentSecret(context) ?? '';
	// A body with files: their base64 goes from the bytes straight to Buffers (see json-base64-values.ts).
	const values = request.rawBody.length >= LARGE_BODY_BYTES ? extractBase64Values(request.rawBody, 'data', LARGE_VALUE_BYTES) : undefined;
	const parsed = parseJson(values ? values.text : request.rawBody, LegitoDeliverySchema);
	if (!parsed.ok) return parsed;
	if (values) restoreBase64Values(parsed.value, values, isFileData);
	const systemName = context.registration?.extra?.systemName;
	if (typeof systemName === 'string' && parsed.value.pushConnectionSystemName !== systemName) {
		return { ok: false, status: 401, reason: 'delivery is for another push connection (pushConnectionSystemName does not match)' };
	}
	const { event, files } = normalizeLegito(parsed.value, context.now, values);
	const verified: Verified = {
		checks: typeof systemName === 'string' ? ['header-token', 'push-connection'] : ['header-token'],
		signatureHeader: LEGITO_TOKEN_HEADER,
		keyHint: context.registration?.secret ? generatedSecretHint(secret) : undefined,
	};
	return { ok: true, events: [event], files, verified };
}
