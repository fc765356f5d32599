import type { InboundFile } from '../inbound/request';

/** One document a vendor offers for an event, as its `documentDownloads` names it. */
export interface DocumentDownload {
	url: string;
	fileName: string;
	/** Used when the response names no content type. */
	mimeType: string;
	/** The link stops working then (Plexus: 15 minutes after the event); not fetched after it. */
	expiresAt?: string;
	/** Sent to `url` only: a redirect's target gets none (Legalesign: "do not use Legalesign authentication" there). */
	headers?: Record<string, string>;
	/** Client certificate / CA for `url`'s origin (PhenixID's Automation API behind mutual TLS). */
	tls?: DownloadTls;
	/** What the file is, for `data.fileErrors` (never the URL: a presigned URL is a credential). */
	what: string;
	/** The vendor's meaning of a status that is not the file (Legalesign 201: "being de-archived"). */
	statusReasons?: Record<number, string>;
	/** Why a 200 answer is not the document (QuicklySign answers errors as JSON), or undefined when it is. */
	notTheDocument?(response: FetchedBytes): string | undefined;
}

export interface DownloadTls {
	cert?: string;
	key?: string;
	passphrase?: string;
	ca?: string;
}

export interface FetchedBytes {
	status: number;
	headers: Record<string, string>;
	/** At most `maxBytes + 1` bytes: a client stops reading beyond the limit. */
	data: Buffer;
}

/**
 * The engine's byte download: one GET, redirects not followed (downloadDocuments follows them
 * without the headers), resolves for every status, rejects only without a response (network, timeout).
 */
export type FetchBytes = (request: { url: string; headers?: Record<string, string>; tls?: DownloadTls; timeoutMs: number; maxBytes: number }) => Promise<FetchedBytes>;

/** How many redirects one download follows. */
export const MAX_DOWNLOAD_REDIRECTS = 5;

export interface DownloadLimits {
	maxFileBytes: number;
	maxTotalBytes: number;
	timeoutMs: number;
}

export const DEFAULT_DOWNLOAD_LIMITS: DownloadLimits = { maxFileBytes: 50 * 1024 * 1024, maxTotalBytes: 100 * 1024 * 1024, timeoutMs: 60_000 };

export interface FileError {
	fileName: string;
	what: string;
	reason: string;
}

function describe(error: unknown): string {
	const text = error instanceof Error ? error.message : String(error);
	// Node's messages can quote the URL; a presigned URL's query is a credential.
	return text.replace(/https?:\/\/\S+/g, '(the link)').replace(/\s+/g, ' ').slice(0, 200);
}

const originOf = (url: string) => new URL(url).origin;

/**
 * One GET and the redirects it leads to. The vendor's headers go to the vendor's URL only; the
 * client certificate only to its origin. A redirect's answer counts for the retry like any other.
 */
async function fetchOnce(fetchBytes: FetchBytes, download: DocumentDownload, limits: DownloadLimits, maxBytes: number): Promise<FetchedBytes | { reason: string }> {
	let url = download.url;
	try {
		for (let hop = 0; ; hop++) {
			const first = hop === 0;
			const tls = download.tls && originOf(url) === originOf(download.url) ? download.tls : undefined;
			const response = await fetchBytes({ url, headers: first ? download.headers : undefined, tls, timeoutMs: limits.timeoutMs, maxBytes });
			const location = response.headers.location;
			if (![301, 302, 303, 307, 308].includes(response.status) || !location) return response;
			if (hop >= MAX_DOWNLOAD_REDIRECTS) return { reason: `more than ${MAX_DOWNLOAD_REDIRECTS} redirects` };
			const next = new URL(location, url);
			if (next.protocol !== 'https:' && next.protocol !== 'http:') return { reason: `redirected to a ${next.protocol} link` };
			if (new URL(url).protocol === 'https:' && next.protocol === 'http:') return { reason: 'redirected from HTTPS to plain HTTP' };
			url = next.toString();
		}
	} catch (error) {
		return { reason: `no response: ${describe(error)}` };
	}
}

/**
 * Downloads each document once (one retry on a 5xx), within the per-file and total limits. A
 * download that fails, is too big or whose link expired is not a file: it is in `errors` (what and
 * why, no URL), and the event keeps going.
 */
export async function downloadDocuments(
	fetchBytes: FetchBytes,
	downloads: DocumentDownload[],
	limits: DownloadLimits,
	now: Date,
): Promise<{ files: InboundFile[]; errors: FileError[] }> {
	const files: InboundFile[] = [];
	const errors: FileError[] = [];
	let used = 0;
	for (const download of downloads) {
		const fail = (reason: string) => errors.push({ fileName: download.fileName, what: download.what, reason });
		if (download.expiresAt && Date.parse(download.expiresAt) <= now.getTime()) {
			fail(`the download link expired at ${download.expiresAt}`);
			continue;
		}
		const maxBytes = Math.min(limits.maxFileBytes, limits.maxTotalBytes - used);
		if (maxBytes <= 0) {
			fail(`the total download limit of ${limits.maxTotalBytes} bytes is used up`);
			continue;
		}
		let response = await fetchOnce(fetchBytes, download, limits, maxBytes);
		if ('status' in response && response.status >= 500) response = await fetchOnce(fetchBytes, download, limits, maxBytes);
		if (!('status' in response)) {
			fail(response.reason);
			continue;
		}
		const meaning = download.statusReasons?.[response.status];
		// Only 200 (203 through a proxy) is the file: Legalesign's 201 means "being de-archived".
		if (response.status !== 200 && response.status !== 203) {
			fail(`HTTP ${response.status}${meaning ? `: ${meaning}` : ''}${response.status >= 500 ? ' (after one retry)' : ''}`);
			continue;
		}
		const wrong = download.notTheDocument?.(response);
		if (wrong) {
			fail(describe(wrong));
			continue;
		}
		if (response.data.length > maxBytes) {
			fail(maxBytes === limits.maxFileBytes ? `over the ${limits.maxFileBytes}-byte file limit` : `over what is left of the ${limits.maxTotalBytes}-byte total limit`);
			continue;
		}
		used += response.data.length;
		const type = response.headers['content-type']?.split(';')[0].trim();
		const mimeType = type && type !== 'application/octet-stream' && type !== 'binary/octet-stream' ? type : download.mimeType;
		files.push({ fileName: download.fileName, mimeType, size: response.data.length, data: response.data });
	}
	return { files, errors };
}
