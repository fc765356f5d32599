import type { NormalizedEvent } from '../../core/event/normalized-event';
import { runCatchup, type CatchupRun } from '../../core/catchup/runner';
import type { CatchupContext, CatchupReader } from '../../core/catchup/types';

/** The part of n8n's `getWorkflowStaticData('node')` a polling trigger uses. */
export interface PollStaticData {
	[key: string]: unknown;
}

/** Where the watermark lives in the node's static data. */
export const POLL_WATERMARK_KEY = 'legalhooksWatermark';
const KEY = POLL_WATERMARK_KEY;

/**
 * What an n8n polling trigger's `poll()` calls: reads since the watermark kept in the node's static
 * data, and writes the next one there only when the run succeeded. `startFrom` ('' or undefined =
 * now, n8n's first poll emits nothing) is the Start From option. poll() returns the events and n8n
 * stores the static data after the poll, so the watermark and the events it covers go out together;
 * a read that fails leaves the watermark where it was (with a backoff) and returns no events.
 */
export async function pollWithStaticData<S>(
	staticData: PollStaticData,
	reader: CatchupReader<S>,
	context: Omit<CatchupContext, 'source'>,
	startFrom?: string,
): Promise<{ events: NormalizedEvent[]; run: CatchupRun }> {
	const events: NormalizedEvent[] = [];
	const from = startFrom ? new Date(startFrom) : undefined;
	const run = await runCatchup({
		reader,
		stored: staticData[KEY],
		context: { ...context, source: 'poll' },
		startFrom: from && Number.isFinite(from.getTime()) ? from : undefined,
		emit: (read) => void events.push(...read),
	});
	staticData[KEY] = run.record;
	return { events, run };
}
