import type { EventType, NormalizedEvent, VendorId } from '../event/normalized-event';
import { DEFAULT_REPLAY_WINDOW_SECONDS } from '../verify/crypto';
import type { InboundFile, InboundRequest } from '../inbound/request';
import type { HttpClient } from '../outbound/http';
import type { Verified } from '../verify/record';
import type { DocumentDownload } from '../downloads/download';
import type { Precheck, PrecheckContext } from '../verify/precheck';
import type { Registration } from '../lifecycle/registration';
import type { RequiredCredential } from '../lifecycle/account-check';

export type { InboundFile, InboundRequest } from '../inbound/request';

/** Options every trigger has, in both engines. */
export interface CommonTriggerOptions {
	/** Canonical types to emit; empty = all. */
	eventTypes: EventType[];
	/** The vendor's own event names/status codes to emit; empty = all. */
	vendorEventTypes: string[];
	includeRaw: boolean;
	/** Replay window in seconds; 0 turns it off. */
	replayToleranceSeconds: number;
	maxBodyBytes: number;
	/** Drop an event older (occurredAt) than one already emitted for the same document. */
	dropOutOfOrder: boolean;
	/** Dot paths into `raw` masked before the event leaves the trigger (core/event/redact.ts); empty = none. */
	redactRawPaths: string[];
	/** 'cloudevents': each event is emitted as a CloudEvents 1.0 structured event (core/event/cloudevents.ts). */
	outputFormat: 'normalized' | 'cloudevents';
	/** Download the documents the vendor links to, after the answer (core/downloads/download.ts); default off. */
	downloadDocuments?: boolean;
	/** Per-file and total download limits in bytes (defaults: DEFAULT_DOWNLOAD_LIMITS). */
	maxDownloadBytes?: number;
	maxDownloadTotalBytes?: number;
}

export const DEFAULT_MAX_BODY_BYTES = 25 * 1024 * 1024;
export const DEFAULT_REPLAY_TOLERANCE_SECONDS = DEFAULT_REPLAY_WINDOW_SECONDS;

export const DEFAULT_TRIGGER_OPTIONS: CommonTriggerOptions = {
	eventTypes: [],
	vendorEventTypes: [],
	includeRaw: true,
	replayToleranceSeconds: DEFAULT_REPLAY_TOLERANCE_SECONDS,
	maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
	dropOutOfOrder: false,
	redactRawPaths: [],
	outputFormat: 'normalized',
};

export { isPreviousRegistration, type PreviousRegistration, type Registration } from '../lifecycle/registration';

/** What `receive` is given: the secrets to verify with (as the precheck), the options and the time. */
export interface ReceiveContext<VendorOptions = Record<string, unknown>> extends PrecheckContext {
	options: CommonTriggerOptions & VendorOptions;
	now: Date;
}

export type ReceiveResult =
	| { ok: true; events: NormalizedEvent[]; files?: InboundFile[]; response?: { status: number; body: unknown }; verified: Verified }
	| { ok: false; status: 400 | 401 | 403 | 404 | 405 | 413; reason: string; /** For the engine's log only, never the answer (no secrets either way). */ detail?: string };

/** A confirm step's verdict: the events (possibly refined from the API), or why the delivery is refused. */
export type ConfirmResult =
	| { ok: true; events: NormalizedEvent[] }
	| { ok: false; /** 4xx: the API contradicts the event; 503: the API could not be asked (the vendor retries). */ status: 400 | 403 | 404 | 409 | 503; reason: string; detail?: string };

export interface RegisterRequest<VendorOptions = Record<string, unknown>> {
	/** The engine's public webhook URL for this trigger. */
	url: string;
	/** A fresh secret we generated for this registration. */
	secret: string;
	options: VendorOptions;
}

/** Any vendor's definition, for tables and the shared pipeline. */
export type AnyVendorDefinition = VendorDefinition<object, object>;

/** Everything a vendor is, engine-agnostic. Every vendor fact lives in core/vendors/<vendor>/. */
export interface VendorDefinition<Credentials = Record<string, unknown>, VendorOptions = Record<string, unknown>> {
	id: VendorId;
	displayName: string;
	registration: 'api' | 'manual';
	/** The vendor's own event names, for the vendor-event filter. */
	vendorEventTypes: readonly string[];
	/** Credential fields without which the trigger cannot verify or register (core/lifecycle/account-check.ts). */
	requiredCredentials: readonly RequiredCredential[];
	register?(http: HttpClient, credentials: Credentials, request: RegisterRequest<VendorOptions>): Promise<Registration>;
	/** True only when the registration still exists at the vendor with the same URL and settings. */
	exists?(http: HttpClient, credentials: Credentials, registration: Registration, expected: RegisterRequest<VendorOptions>): Promise<boolean>;
	/** Idempotent: "already gone" is success. */
	unregister?(http: HttpClient, credentials: Credentials, registration: Registration): Promise<void>;
	/**
	 * What exists at the vendor pointing at `url` (and carrying `secret`, when given), in a form
	 * `unregister` takes: finds what a create left behind when its answer was lost.
	 */
	findRegistrations?(http: HttpClient, credentials: Credentials, query: { url: string; secret?: string; options: VendorOptions }): Promise<Registration[]>;
	/**
	 * Something the user must do before a registration that exists delivers (Legito: a push connection
	 * the API left disabled). Worded for the user, no secret; undefined when nothing is wrong.
	 */
	registrationWarning?(http: HttpClient, credentials: Credentials, registration: Registration): Promise<string | undefined>;
	/** The credential fields that identify the vendor account (never a secret), for the account fingerprint. */
	accountIdentity?(credentials: Credentials): Record<string, string>;
	/** The check of URL and headers the pipeline runs before it reads the body (never stricter than `receive`). */
	precheck?: Precheck;
	/** Pure: verifies and parses a delivery into normalized events. No I/O. */
	receive(request: InboundRequest, context: ReceiveContext<VendorOptions>): ReceiveResult;
	/**
	 * Checked against the vendor's API before the answer (Legalesign realtime, whose signature is
	 * unpublished): every event must be what the API shows, else the delivery is refused and nothing
	 * is emitted. The pipeline adds `api-confirmed` to each confirmed event's verification record.
	 */
	confirm?(http: HttpClient, credentials: Credentials, events: NormalizedEvent[], options: VendorOptions): Promise<ConfirmResult>;
	/** Does the confirm step apply with these options? */
	wantsConfirm?(options: VendorOptions): boolean;
	/** Optional follow-up fetch that adds data to verified events. Never drops an event. */
	enrich?(http: HttpClient, credentials: Credentials, events: NormalizedEvent[], options: VendorOptions): Promise<NormalizedEvent[]>;
	/**
	 * The documents a verified event links to, for the download option. May call the vendor's API
	 * (an access token, the document list); the bytes are fetched by the pipeline. Throwing puts the
	 * reason in `data.fileErrors`.
	 */
	documentDownloads?(http: HttpClient, credentials: Credentials, event: NormalizedEvent, options: VendorOptions): Promise<DocumentDownload[]>;
	/** Does the enrich step apply with these options? */
	wantsEnrich?(options: VendorOptions): boolean;
	/**
	 * False when, with these options, two different vendor events can share this event's id (so
	 * de-duplication would drop real events): the event is then always emitted. Default: ids are exact.
	 */
	idsDistinguishEvents?(options: VendorOptions, event: NormalizedEvent): boolean;
}
