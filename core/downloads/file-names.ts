// File names and types of the documents the vendors deliver or link to (Legito's attached files,
// the Plexus and QuicklySign downloads).
import { ownValue } from '../inbound/safe-json';

const MAX_FILE_NAME_LENGTH = 255;

/**
 * A file name safe to write anywhere: the base name only (no directory of either slash), without
 * control or invisible format characters (e.g. U+202E, which reverses how `fdp.exe` reads), at most
 * 255 characters; `file<n>` when nothing is left.
 */
export function safeFileName(name: string, fallback: string): string {
	const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
	const clean = base.replace(/[\p{Cc}\p{Cf}]/gu, '').trim().slice(0, MAX_FILE_NAME_LENGTH);
	return clean === '' || clean === '.' || clean === '..' ? fallback : clean;
}

const MIME_TYPES: Record<string, string> = {
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	doc: 'application/msword',
	pdf: 'application/pdf',
	pdfa: 'application/pdf',
	html: 'text/html',
	htm: 'text/html',
	rtf: 'application/rtf',
	xml: 'application/xml',
	odt: 'application/vnd.oasis.opendocument.text',
	txt: 'text/plain',
	csv: 'text/csv',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	xls: 'application/vnd.ms-excel',
	pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	gif: 'image/gif',
	zip: 'application/zip',
	json: 'application/json',
	eml: 'message/rfc822',
	msg: 'application/vnd.ms-outlook',
};

/** MIME type from a file name's extension; unknown → application/octet-stream. */
export function mimeTypeFromFileName(fileName: string): string {
	const match = /\.([A-Za-z0-9]+)$/.exec(fileName.trim());
	return (match && ownValue(MIME_TYPES, match[1].toLowerCase())) || 'application/octet-stream';
}
