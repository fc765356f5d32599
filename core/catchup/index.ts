import type { VendorId } from '../event/normalized-event';
import { legalesignCatchup } from './legalesign';
import { legitoCatchup } from './legito';
import { phenixidCatchup } from './phenixid';
import { quicklysignCatchup } from './quicklysign';
import type { CatchupReader } from './types';

export * from './types';
export { runCatchup, catchupRecord, backoffMs, type CatchupRecord, type CatchupRun, type CatchupOutcome } from './runner';
export { catchupOutput } from './emit';
export { pollWithStaticData, POLL_WATERMARK_KEY, type PollStaticData } from './n8n-poll';

/**
 * Which vendors can catch up, and from what. Plexus has none: webhooks only, no API to read
 * documents back (Plexus's developer site), so what it sent while nobody listened is lost after its
 * 3 retries.
 */
export const CATCHUP_READERS: Partial<Record<VendorId, CatchupReader<unknown>>> = {
	legito: legitoCatchup,
	legalesign: legalesignCatchup,
	quicklysign: quicklysignCatchup,
	phenixid: phenixidCatchup,
};

export function catchupReader(vendor: VendorId): CatchupReader<unknown> | undefined {
	return CATCHUP_READERS[vendor];
}
