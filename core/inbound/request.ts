/** Request headers as Node gives them. */
export type Headers = Record<string, string | string[] | undefined>;

/** What a vendor sent, as the engine received it: the raw bytes before any parsing. */
export interface InboundRequest {
	method: string;
	rawBody: Buffer;
	headers: Headers;
	query: Record<string, unknown>;
	contentType?: string;
}

/** A file the vendor attached to a delivery, decoded; the engine puts the bytes in its binary slot. */
export interface InboundFile {
	fileName: string;
	mimeType: string;
	size: number;
	data: Buffer;
}

function firstHeaderValue(value: string | string[] | undefined): string | undefined {
	const first = Array.isArray(value) ? value[0] : value;
	return first === undefined ? undefined : String(first);
}

/**
 * First value of a header, looked up case-insensitively. Node gives header names in lower case, so
 * an own property of that name is taken without walking the others.
 */
export function headerValue(headers: Headers, name: string): string | undefined {
	const wanted = name.toLowerCase();
	if (Object.prototype.hasOwnProperty.call(headers, wanted)) return firstHeaderValue(headers[wanted]);
	for (const key of Object.keys(headers)) {
		if (key.toLowerCase() === wanted) return firstHeaderValue(headers[key]);
	}
	return undefined;
}
