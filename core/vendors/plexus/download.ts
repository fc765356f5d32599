import type { DocumentDownload } from '../../downloads/download';
import type { NormalizedEvent } from '../../event/normalized-event';
import { mimeTypeFromFileName, safeFileName } from '../../downloads/file-names';

/** Plexus: "downloadUrl — Download URL, valid for 15 minutes from event creation" (webhook docs). */
export const PLEXUS_DOWNLOAD_URL_LIFETIME_MS = 15 * 60 * 1000;

type Version = { number?: unknown; downloadUrl?: unknown } | undefined;

/** The published version's file (the signed/executed one), else the latest version's, within the link's life. */
export function plexusDocumentDownloads(event: NormalizedEvent): DocumentDownload[] {
	const published = event.data.publishedVersion as Version;
	const latest = event.data.latestVersion as Version;
	const [version, which] = typeof published?.downloadUrl === 'string' ? [published, 'published'] : [latest, 'latest'];
	if (typeof version?.downloadUrl !== 'string' || !/^https?:\/\//i.test(version.downloadUrl)) return [];
	const url = version.downloadUrl;
	const created = event.occurredAt ? Date.parse(event.occurredAt) : NaN;
	let path = url;
	try {
		path = decodeURIComponent(new URL(url).pathname);
	} catch {
		return [];
	}
	const fileName = safeFileName(path, `plexus-${event.document.id || 'document'}`);
	return [
		{
			url,
			fileName,
			mimeType: mimeTypeFromFileName(fileName),
			expiresAt: Number.isFinite(created) ? new Date(created + PLEXUS_DOWNLOAD_URL_LIFETIME_MS).toISOString() : undefined,
			what: `${which} version ${String(version.number ?? '')}`.trim(),
		},
	];
}
