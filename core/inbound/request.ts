import type { Headers } from '../verify/crypto';

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
