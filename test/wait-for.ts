/**
 * Polls `check` every 20 ms until it holds; after `timeoutMs` throws "timed out waiting for <what>",
 * followed by `context()` when given (e.g. the last lines of a Node-RED process's output).
 */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000, context?: () => string): Promise<void> {
	const started = Date.now();
	while (!(await check())) {
		if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}${context ? `:\n${context()}` : ''}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}
