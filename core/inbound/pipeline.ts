import { toCloudEvent, type LegalhooksCloudEvent } from '../event/cloudevents';
import { isoTime } from '../event/iso-time';
import type { DedupeStore } from './dedupe';
import { DEFAULT_DOWNLOAD_LIMITS, downloadDocuments, type DocumentDownload, type FetchBytes } from '../downloads/download';
import type { NormalizedEvent } from '../event/normalized-event';
import type { HttpClient } from '../outbound/http';
import { deduplicate, filtered, ingest, type IngestResult } from './ingest';
import { acceptedOutcome, describeOutcome, eventRef, failedOutcome, refusedOutcome, type DeliveryOutcome, type EventRef } from './outcome';
import type { PrecheckContext } from '../verify/precheck';
import { parseRedactPaths, redactRaw } from '../event/redact';
import { replacedRegistration } from '../verify/secret-rotation';
import type { AnyVendorDefinition, CommonTriggerOptions, InboundFile } from '../vendors/definition';
import { headerValue, type Headers } from '../verify/crypto';
import { withSource } from '../catchup/types';

/** What the engine sends back: a status, a short JSON body, and any extra headers. */
export interface Answer {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
}

export type BodyResult =
	| { ok: true; body: Buffer }
	| { ok: false; status: 400 | 413 | 500 | 503; reason: string; retryAfterSeconds?: number };

/** One request as the engine has it, with the body not necessarily read yet. */
export interface InboundDelivery {
	method: string;
	headers: Headers;
	query: Record<string, unknown>;
	/**
	 * Reads the body and stops as soon as more than `limit` bytes arrived (0: no limit). Called at
	 * most once, and only after the checks that need no body have passed.
	 */
	readBody(limit: number): Promise<BodyResult>;
}

export interface PipelineLogger {
	warn(message: string): void;
	error(message: string): void;
	/** A delivery that was accepted but emitted nothing (repeat, older, filtered out, no event): one line each. */
	info?(message: string): void;
}

/** What a trigger gives the pipeline: its vendor and options, and the engine's wiring. */
export interface InboundTrigger<VendorOptions extends object = object> {
	vendor: AnyVendorDefinition;
	options: CommonTriggerOptions & VendorOptions;
	/** Secret, registration and credentials to verify with: at once, or a promise while a registration is under way. */
	verification(): PrecheckContext | Promise<PrecheckContext>;
	http: HttpClient;
	/** Byte downloads for the document-download option; without it the option does nothing. */
	fetchBytes?: FetchBytes;
	dedupe: DedupeStore;
	logger: PipelineLogger;
	/** Sends the answer to the vendor. Called exactly once per delivery, as soon as it is known. */
	answer(answer: Answer): void | Promise<void>;
	/** Sees the events left after de-duplication before they are emitted (the catch-up snapshot learns them). */
	observe?(events: NormalizedEvent[]): void;
	/** Hands the events left after de-duplication to the engine; not called when none are left. */
	emit(events: TriggerOutput[], files: InboundFile[] | undefined): void | Promise<void>;
	/** How the delivery ended (see DeliveryOutcome): called exactly once per delivery, last. */
	outcome?(outcome: DeliveryOutcome): void;
	now?(): Date;
}

/** What leaves the trigger: the normalized event, or it as a CloudEvent (option). */
export type TriggerOutput = NormalizedEvent | LegalhooksCloudEvent;

/** The last step before the engine: `raw` masked where asked, then the output format. Pure. */
export function triggerOutput(events: NormalizedEvent[], options: Pick<CommonTriggerOptions, 'redactRawPaths' | 'outputFormat'>): TriggerOutput[] {
	const paths = parseRedactPaths(options.redactRawPaths);
	const redacted = paths.length > 0 ? events.map((event) => redactRaw(event, paths)) : events;
	return options.outputFormat === 'cloudevents' ? redacted.map(toCloudEvent) : redacted;
}

export const UNREADABLE_PAYLOAD = 'unexpected payload shape: the delivery could not be read';

export const INTERNAL_ERROR_ANSWER: Answer = { status: 500, body: { error: 'the delivery could not be handled; see the engine log' } };

function refusal(status: number, reason: string, headers?: Record<string, string>): Answer {
	return { status, body: { error: reason }, ...(headers ? { headers } : {}) };
}

/** An error's message for one log line: short, one line. Messages of our errors never hold secrets. */
export function describeError(error: unknown): string {
	const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
	return message.replace(/\s+/g, ' ').slice(0, 300);
}

/**
 * The inbound path of every trigger, in both engines. Checks that need no body (method, declared
 * size, the vendor's precheck of URL and headers) come first, then the body is read once within the
 * trigger's limit, verified and parsed by `ingest`, and answered at once; enrichment,
 * de-duplication and emitting follow the answer, so a slow enrich fetch never delays the vendor.
 *
 * Never rejects: a body whose verification or parsing throws is answered 400; any other error
 * before the answer is answered 500 and logged once; an error after it is logged once.
 * Resolves with the delivery's outcome, also given to `trigger.outcome`; an outcome
 * that emitted nothing but was accepted is logged once at info level.
 */
export async function handleDelivery<O extends object>(delivery: InboundDelivery, trigger: InboundTrigger<O>): Promise<DeliveryOutcome> {
	const { vendor, options, logger } = trigger;
	// isoTime: `toISOString` costs ≈ 0.7 µs, and `now` below (the events' receivedAt) is most often the same millisecond.
	const at = isoTime(trigger.now?.() ?? new Date());
	let answered = false;
	let answeredStatus = 0;
	let outcome: DeliveryOutcome | undefined;
	let dropped: { repeats?: EventRef[]; older?: EventRef[]; filtered?: EventRef[] } = {};
	// Not async: an engine whose answer and emit are synchronous (Node-RED) pays no await for them.
	const answer = (value: Answer): void | Promise<void> => {
		answered = true;
		answeredStatus = value.status;
		return trigger.answer(value);
	};
	const refuse = async (status: number, reason: string, headers?: Record<string, string>, detail?: string): Promise<DeliveryOutcome> => {
		logger.warn(`${vendor.displayName} delivery refused with HTTP ${status}: ${reason}${detail ? ` (${detail})` : ''}`);
		const refused = (outcome = refusedOutcome(at, status, reason));
		await answer(refusal(status, reason, headers));
		return refused;
	};

	try {
		if (delivery.method.toUpperCase() !== 'POST') {
			return await refuse(405, `method ${delivery.method.slice(0, 20)} not allowed; ${vendor.displayName} sends POST`, { allow: 'POST' });
		}
		const limit = options.maxBodyBytes > 0 ? options.maxBodyBytes : 0;
		const declared = Number(headerValue(delivery.headers, 'content-length') ?? 0);
		if (limit > 0 && declared > limit) {
			return await refuse(413, `body of ${declared} bytes is over the ${limit}-byte limit`);
		}
		const pending = trigger.verification();
		const given = pending instanceof Promise ? await pending : pending;
		const replaced = replacedRegistration(given);
		let verification = given;
		let precheck = vendor.precheck?.(delivery, verification);
		if (precheck && !precheck.ok && replaced && vendor.precheck?.(delivery, replaced).ok) {
			verification = replaced;
			precheck = undefined;
		}
		if (precheck && !precheck.ok) return await refuse(precheck.status, precheck.reason);

		const body = await delivery.readBody(limit);
		if (!body.ok) {
			const retry = body.retryAfterSeconds === undefined ? undefined : { 'retry-after': String(body.retryAfterSeconds) };
			return await refuse(body.status, body.reason, retry);
		}

		const now = trigger.now?.() ?? new Date();
		// An enrich fetch may refine an event's type (QuicklySign's pack status): the type filters then run after it.
		const enriching = wantsEnrich(trigger);
		const ingestOptions = (enriching ? { ...options, eventTypes: [], vendorEventTypes: [] } : options) as CommonTriggerOptions & Record<string, unknown>;
		let result: IngestResult;
		try {
			const request = { method: delivery.method, rawBody: body.body, headers: delivery.headers, query: delivery.query, contentType: headerValue(delivery.headers, 'content-type') };
			const verifyWith = (context: PrecheckContext) => ingest(vendor, request, { ...context, options: ingestOptions, now });
			result = verifyWith(verification);
			if (!result.ok && result.status === 401 && replaced && verification !== replaced) {
				const again = verifyWith(replaced);
				if (again.ok) {
					verification = replaced;
					result = again;
				}
			}
			if (result.ok && replaced) for (const event of result.events) if (event.verification) event.verification.secret = verification === replaced ? 'previous' : 'current';
		} catch (error) {
			// A body that makes parsing throw is refused like any other malformed body: a 500 would
			// have the vendor retry this poison delivery for ever.
			return await refuse(400, UNREADABLE_PAYLOAD, undefined, describeError(error));
		}
		if (!result.ok) return await refuse(result.status, result.reason, undefined, result.detail);
		if (result.events.length > 0 && vendor.confirm && vendor.wantsConfirm?.(options)) {
			// Before the answer: an event the vendor's API contradicts is refused, never emitted.
			const confirmed = await vendor.confirm(trigger.http, verification.credentials ?? {}, result.events, options);
			if (!confirmed.ok) return await refuse(confirmed.status, confirmed.reason, undefined, confirmed.detail);
			for (const event of confirmed.events) if (event.verification && !event.verification.checks.includes('api-confirmed')) event.verification.checks.push('api-confirmed');
			result = { ...result, events: confirmed.events };
		}
		const answering = answer(result.response);
		if (answering) await answering;
		if (result.filteredOut) dropped = { filtered: result.filteredOut };
		if (result.events.length === 0) return (outcome = acceptedOutcome(at, answeredStatus, dropped));

		const live = result.events.map((event) => withSource(event, 'webhook'));
		const refined = enriching ? await enriched(trigger, live, verification) : live;
		const events = enriching ? filtered(refined, options as CommonTriggerOptions) : live;
		if (events.length < refined.length) dropped = { ...dropped, filtered: refined.filter((event) => !events.includes(event)).map(eventRef) };
		if (events.length === 0) return (outcome = acceptedOutcome(at, answeredStatus, dropped));
		const deduplicated = deduplicate(vendor, events, options, trigger.dedupe, now);
		const deduped = deduplicated instanceof Promise ? await deduplicated : deduplicated;
		const fresh = deduped.events;
		if (deduped.repeats.length || deduped.older.length) dropped = { ...dropped, repeats: deduped.repeats.map(eventRef), older: deduped.older.map(eventRef) };
		if (fresh.length === 0) return (outcome = acceptedOutcome(at, answeredStatus, dropped));
		trigger.observe?.(fresh);
		const files = wantsDocuments(trigger) ? await withDocuments(trigger, fresh, result.files, verification, now) : result.files;
		const emitting = trigger.emit(triggerOutput(fresh, options), files);
		if (emitting) await emitting;
		return (outcome = acceptedOutcome(at, answeredStatus, { ...dropped, emitted: fresh.map(eventRef) }));
	} catch (error) {
		const failed = answered ? 'was answered but its follow-up failed' : 'failed';
		logQuietly(() => logger.error(`${vendor.displayName} delivery ${failed}: ${describeError(error)}`));
		if (!answered) await answerQuietly(trigger, INTERNAL_ERROR_ANSWER);
		return (outcome = failedOutcome(at, answered ? 0 : INTERNAL_ERROR_ANSWER.status, describeError(error), dropped));
	} finally {
		// Every path above sets `outcome`; the fallback only guards a future path that forgets to.
		const ended = outcome ?? failedOutcome(at, answeredStatus, 'the delivery ended without an outcome');
		if (ended.outcome !== 'emitted' && ended.outcome !== 'refused' && ended.outcome !== 'failed') logQuietly(() => logger.info?.(describeOutcome(vendor.displayName, ended)));
		if (trigger.outcome) logQuietly(() => trigger.outcome!(ended));
	}
}

function logQuietly(log: () => void): void {
	try {
		log();
	} catch {
		// A logger that throws must not turn a handled error into an unhandled one.
	}
}

const wantsEnrich = <O extends object>({ vendor, options }: InboundTrigger<O>) => Boolean(vendor.enrich && vendor.wantsEnrich?.(options));
const wantsDocuments = <O extends object>({ vendor, options, fetchBytes }: InboundTrigger<O>) => Boolean(options.downloadDocuments && vendor.documentDownloads && fetchBytes);

/** Runs the vendor's enrich step when it applies; when it fails, the events go on as they are. */
async function enriched<O extends object>(trigger: InboundTrigger<O>, events: NormalizedEvent[], verification: PrecheckContext): Promise<NormalizedEvent[]> {
	const { vendor, options } = trigger;
	if (!vendor.enrich || !vendor.wantsEnrich?.(options)) return events;
	try {
		return await vendor.enrich(trigger.http, verification.credentials ?? {}, events, options);
	} catch (error) {
		trigger.logger.error(`${vendor.displayName}: enriching a verified delivery failed, its events go on without it: ${describeError(error)}`);
		return events;
	}
}

/**
 * The download option: each event's documents become files of the delivery (`event.files`), and a
 * failed, oversized or expired download is in `data.fileErrors`; the event is emitted either way.
 */
async function withDocuments<O extends object>(
	trigger: InboundTrigger<O>,
	events: NormalizedEvent[],
	files: InboundFile[] | undefined,
	verification: PrecheckContext,
	now: Date,
): Promise<InboundFile[] | undefined> {
	const { vendor, options } = trigger;
	if (!options.downloadDocuments || !vendor.documentDownloads || !trigger.fetchBytes) return files;
	const limits = {
		...DEFAULT_DOWNLOAD_LIMITS,
		...(options.maxDownloadBytes ? { maxFileBytes: options.maxDownloadBytes } : {}),
		...(options.maxDownloadTotalBytes ? { maxTotalBytes: options.maxDownloadTotalBytes } : {}),
	};
	const all = [...(files ?? [])];
	for (const event of events) {
		let wanted: DocumentDownload[];
		try {
			wanted = await vendor.documentDownloads(trigger.http, verification.credentials ?? {}, event, options);
		} catch (error) {
			wanted = [];
			const before = Array.isArray(event.data.fileErrors) ? event.data.fileErrors : [];
			event.data = { ...event.data, fileErrors: [...before, { fileName: '', what: 'the document list', reason: describeError(error) }] };
			trigger.logger.warn(`${vendor.displayName}: listing the documents to download failed; the event goes on with data.fileErrors`);
		}
		if (wanted.length === 0) continue;
		const got = await downloadDocuments(trigger.fetchBytes, wanted, { ...limits, maxTotalBytes: limits.maxTotalBytes - all.reduce((sum, f) => sum + f.size, 0) }, now);
		all.push(...got.files);
		event.files = [...event.files, ...got.files.map(({ fileName, mimeType, size }) => ({ fileName, mimeType, size }))];
		if (got.errors.length > 0) {
			const before = Array.isArray(event.data.fileErrors) ? event.data.fileErrors : [];
			event.data = { ...event.data, fileErrors: [...before, ...got.errors] };
			trigger.logger.warn(`${vendor.displayName}: ${got.errors.length} document download(s) failed; the event goes on with data.fileErrors`);
		}
	}
	return all.length > 0 ? all : undefined;
}

async function answerQuietly<O extends object>(trigger: InboundTrigger<O>, value: Answer): Promise<void> {
	try {
		await trigger.answer(value);
	} catch {
		// The connection is gone; the error above is already logged.
	}
}
