import type { Node } from 'node-red';
import { createHash } from 'node:crypto';
import { catchupOutput, catchupReader, catchupRecord, runCatchup, type CatchupRun } from '../../../core/catchup';
import type { DedupeStore } from '../../../core/inbound/dedupe';
import type { NormalizedEvent } from '../../../core/event/normalized-event';
import type { InboundTrigger } from '../../../core/inbound/pipeline';
import type { AnyVendorDefinition, CommonTriggerOptions, Registration } from '../../../core/vendors/definition';
import { contextValue, type NodeRedContext } from './context-store';
import { nodeHttpClient } from './node-http';

/** The trigger node's catch-up and polling settings. */
export interface CatchupSettings {
	/** "webhook" (default) or "poll": no webhook registered, the vendor's API is read every interval. */
	receive?: string;
	/** With the webhook: read what was missed on start and every interval while running. */
	catchUp?: boolean;
	/** Seconds between polls / catch-up sweeps (default 300). */
	pollSeconds?: number | string;
	/** First run: catch up from this date-time instead of only recording now. */
	startFrom?: string;
	/** Legito only: seconds a timeline window stays open before it is read (default 10). */
	legitoSettleSeconds?: number | string;
}

const DEFAULT_POLL_SECONDS = 300;
/** Live deliveries wait at most this long for the catch-up at start. */
const GATE_CAP_MS = 60_000;

export const isPolling = (settings: CatchupSettings) => settings.receive === 'poll';

/** The global-context key of a trigger's watermark (beside its seen ids: vendor, path, account identity). */
export function watermarkContextKey(vendor: string, path: string, accountFingerprint: string): string {
	const digest = createHash('sha256').update(JSON.stringify(['legalhooks-watermark', vendor, path, accountFingerprint])).digest('hex').slice(0, 32);
	return `legalhooks_watermark_${vendor}_${digest}`;
}

export interface CatchupWiring {
	node: Node;
	vendor: AnyVendorDefinition;
	options: CommonTriggerOptions & object;
	vendorOptions: object;
	settings: CatchupSettings;
	credentials: Record<string, unknown>;
	/** False on an instance that only serves deliveries: it neither catches up nor polls. */
	registers: boolean;
	global: NodeRedContext;
	contextStore: string | undefined;
	key: string;
	dedupe: DedupeStore;
	/** Resolves when the webhook registration (if any) is settled. */
	ready: Promise<void>;
	registration(): Registration | undefined | Promise<Registration | undefined>;
}

/** What the live path uses of a trigger's catch-up. */
export type CatchupHooks = Pick<TriggerCatchup, 'gate' | 'observe'>;

/** The live path with catch-up: its events teach the snapshot, and wait while the catch-up at start runs. */
export function withCatchup<T extends Pick<InboundTrigger, 'emit' | 'observe'>>(trigger: T, catchup: (() => CatchupHooks | undefined) | undefined): T {
	const hooks = catchup?.();
	if (!hooks) return trigger;
	return {
		...trigger,
		observe: (events: NormalizedEvent[]) => hooks.observe(events),
		emit: (events: Parameters<InboundTrigger['emit']>[0], files: Parameters<InboundTrigger['emit']>[1]) => {
			const gate = hooks.gate();
			return gate ? gate.then(() => trigger.emit(events, files)) : trigger.emit(events, files);
		},
	};
}

export interface TriggerCatchup {
	/** A promise live events wait for while the catch-up at start runs; undefined once it ran. */
	gate(): Promise<void> | undefined;
	/** Live events (after de-duplication): the snapshot learns them. */
	observe(events: NormalizedEvent[]): void;
	close(): void;
	/** The node was deleted or disabled: its watermark goes with it. */
	forget(): Promise<void>;
}

const seconds = (value: unknown, fallback: number) => {
	const number = Number(value);
	return Number.isFinite(number) && number > 0 ? number : fallback;
};

/**
 * Catch-up and polling for a trigger node (core/catchup does the reading): the watermark lives in
 * the same context store as the seen ids, events go through the same de-duplication as live ones,
 * and the watermark is written only after the events up to it were sent. Undefined when the
 * vendor has no API to read back (Plexus), the instance does not register, or neither is on.
 */
export function startTriggerCatchup(w: CatchupWiring): TriggerCatchup | undefined {
	const { node, vendor, settings } = w;
	const reader = catchupReader(vendor.id);
	const polling = isPolling(settings);
	if (!reader) {
		if (polling) node.warn(`${vendor.displayName} has no API to read events back: it cannot be polled, only heard through its webhook`);
		return undefined;
	}
	if (!w.registers || (!polling && settings.catchUp !== true)) return undefined;

	const intervalMs = seconds(settings.pollSeconds, DEFAULT_POLL_SECONDS) * 1000;
	const startFrom = settings.startFrom ? new Date(settings.startFrom) : undefined;
	const settle = settings.legitoSettleSeconds === undefined || settings.legitoSettleSeconds === '' ? undefined : Math.floor(Number(settings.legitoSettleSeconds));
	const value = contextValue(w.global, w.key, w.contextStore, (message) => node.warn(`${vendor.displayName}: ${message}`));
	let record: unknown;
	let closed = false;
	let timer: NodeJS.Timeout | undefined;
	let during: NormalizedEvent[] | undefined;
	let warned = '';
	let release: () => void = () => undefined;
	let gate: Promise<void> | undefined = new Promise<void>((resolve) => {
		const cap = setTimeout(resolve, GATE_CAP_MS);
		release = () => {
			clearTimeout(cap);
			gate = undefined;
			resolve();
		};
	});

	const learn = (stored: unknown, events: NormalizedEvent[]) => {
		const parsed = catchupRecord(reader, stored);
		if (!parsed || !reader.observe) return stored;
		let state = parsed.state;
		for (const event of events) state = reader.observe(state, event);
		return { ...parsed, state };
	};

	async function runOnce(source: 'catch-up' | 'poll'): Promise<CatchupRun | undefined> {
		if (closed) return undefined;
		during = [];
		const registration = await Promise.resolve(w.registration()).catch(() => undefined);
		const run = await runCatchup({
			reader: reader!,
			stored: record,
			startFrom: startFrom && Number.isFinite(startFrom.getTime()) ? startFrom : undefined,
			context: {
				http: nodeHttpClient,
				credentials: w.credentials,
				options: { ...w.vendorOptions, ...(settle !== undefined && settle >= 0 ? { legitoSettleSeconds: settle } : {}) },
				registration,
				source,
				now: new Date(),
			},
			emit: async (events) => {
				if (closed) throw new Error('the node was closed before the events were sent');
				for (const payload of await catchupOutput(vendor, events, w.options, w.dedupe, new Date())) node.send({ payload });
			},
		});
		// Live events heard while reading: the new snapshot learns them too.
		const heard = during ?? [];
		during = undefined;
		// Closed mid-read: keep the stored watermark as it was (no backoff for the next start).
		if (closed && run.outcome === 'failed') return run;
		record = learn(run.record, heard);
		await value.write(record);
		if (run.outcome === 'failed' || run.outcome === 'unavailable') {
			const message = `${vendor.displayName} ${source}: ${run.message}${run.retryInMs ? `; next try in ${Math.ceil(run.retryInMs / 1000)} s` : ''}`;
			if (message !== warned) node.warn(message);
			warned = message;
		} else {
			warned = '';
			if (run.emitted > 0) node.log(`${vendor.displayName} ${source}: ${run.emitted} event(s) read from the API`);
		}
		return run;
	}

	const schedule = (run: CatchupRun | undefined) => {
		if (closed || !run || run.outcome === 'unavailable') return;
		const delay = run.outcome === 'failed' || run.outcome === 'waiting' ? Math.min(run.retryInMs ?? intervalMs, intervalMs * 4) : intervalMs;
		timer = setTimeout(() => void runOnce(polling ? 'poll' : 'catch-up').then(schedule, fail), Math.max(delay, 1000));
	};
	const fail = (error: Error) => {
		node.warn(`${vendor.displayName}: catch-up stopped: ${error.message}`);
		release();
	};

	void (async () => {
		await w.ready.catch(() => undefined);
		record = await value.read();
		let first = await runOnce(polling ? 'poll' : 'catch-up');
		// Just started (no watermark yet): read once at once as the baseline (QuicklySign's pack statuses),
		// so a later read does not take what was already so for news.
		if (first?.outcome === 'started') first = await runOnce(polling ? 'poll' : 'catch-up');
		release();
		schedule(first);
	})().catch(fail);

	return {
		gate: () => gate,
		observe(events) {
			if (during) during.push(...events);
			const next = learn(record, events);
			if (next === record) return;
			record = next;
			void value.write(record);
		},
		close() {
			closed = true;
			if (timer) clearTimeout(timer);
			release();
		},
		forget: () => value.write(undefined),
	};
}
