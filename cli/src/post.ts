import type { SampleDelivery } from '../../core/samples/sets';

export type PostResult = { kind: 'answered'; status: number; body: string } | { kind: 'unreachable'; reason: string };

const TIMEOUT_MS = 15_000;

/** Why no answer came, as a sentence that names the URL (never the secret: it is not in the URL). */
function unreachable(url: URL, error: Error): string {
	const cause = error.cause as { code?: string; message?: string } | undefined;
	const code = cause?.code ?? (error.name === 'TimeoutError' ? 'TIMEOUT' : undefined);
	const where = `${url.protocol}//${url.host}`;
	switch (code) {
		case 'ECONNREFUSED':
			return `nothing is listening at ${where} (connection refused). Is Node-RED or n8n running (the sandbox: npm start), and is the port right?`;
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return `the host "${url.hostname}" cannot be resolved. Check the host name in --url.`;
		case 'ECONNRESET':
			return `${where} closed the connection before answering.`;
		case 'TIMEOUT':
			return `${where} did not answer within ${TIMEOUT_MS / 1000} s.`;
		default:
			return `${where} could not be reached: ${cause?.message ?? error.message}`;
	}
}

/** POSTs one sample delivery; resolves for every HTTP status. */
export async function postDelivery(url: URL, delivery: SampleDelivery): Promise<PostResult> {
	try {
		const response = await fetch(url, {
			method: delivery.method,
			headers: delivery.headers,
			body: typeof delivery.body === 'string' ? delivery.body : new Uint8Array(delivery.body),
			signal: AbortSignal.timeout(TIMEOUT_MS),
		});
		return { kind: 'answered', status: response.status, body: (await response.text()).slice(0, 500) };
	} catch (error) {
		return { kind: 'unreachable', reason: unreachable(url, error as Error) };
	}
}
