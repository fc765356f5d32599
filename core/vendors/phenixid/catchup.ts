import { isoTime } from '../../event/iso-time';
import type { NormalizedEvent } from '../../event/normalized-event';
import { hashId } from '../../inbound/parse';
import { isOnePathSegment, phenixidTransport, type PhenixidCredentials } from './api';
import { phenixidMapping } from './mapping';
import { catchupError, isRecord, withSource, type CatchupReader } from '../../catchup/types';
import { getJson } from '../../catchup/http';

/**
 * PhenixID: `GET /api/v2/tasks/{taskId}` (SWF Automation API 3.0.0) gives one task's state; there is
 * no list or search, so tasks created while the trigger was off cannot be found. The trigger keeps a
 * snapshot of the tasks it heard of (live events) and has not seen finish, and re-reads those.
 * ASSUMPTION (our sources give the path, not the task's fields): the task's state is in `state` (or
 * `status`), named like the webhook's events (PENDING/CREATED, ACCEPTED, SIGNED, REJECTED,
 * CANCELED/CANCELLED, EXPIRED, case-insensitive); a 404 means the task is gone.
 */
const MAX_TASKS = 2000;

export interface PhenixidCatchupState {
	/** Task id → the last event type known for it (Order*). */
	tasks: Record<string, string>;
}

const FINISHED = new Set(['OrderSigned', 'OrderRejected', 'OrderCanceled', 'OrderExpired']);

/** The webhook event type a task state stands for, or undefined for a state that is no event (pending). */
function phenixidStateEvent(state: string): string | undefined {
	const value = state.trim().toLowerCase();
	if (/^(signed|completed?|done)$/.test(value)) return 'OrderSigned';
	if (/^(rejected|declined)$/.test(value)) return 'OrderRejected';
	if (/^(canceled|cancelled|revoked)$/.test(value)) return 'OrderCanceled';
	if (/^expired$/.test(value)) return 'OrderExpired';
	if (/^accepted$/.test(value)) return 'OrderAccepted';
	return undefined;
}

/** `{apiBaseUrl}/api/v2/tasks/{id}` (a base URL that already ends in /api/v2 is not doubled). */
function phenixidTaskUrl(apiBaseUrl: string, taskId: string): string {
	if (!isOnePathSegment(taskId)) throw catchupError(`PhenixID task id is not one path segment`);
	const base = apiBaseUrl.replace(/\/+$/, '');
	return `${/\/api\/v2$/.test(base) ? base : `${base}/api/v2`}/tasks/${encodeURIComponent(taskId)}`;
}

export const phenixidCatchup: CatchupReader<PhenixidCatchupState> = {
	vendor: 'phenixid',
	start: () => ({ tasks: {} }),
	parse: (value) => (isRecord(value) && isRecord(value.tasks) ? { tasks: value.tasks as Record<string, string> } : undefined),
	unavailable: (context) => (typeof context.credentials.apiBaseUrl === 'string' && context.credentials.apiBaseUrl.trim() !== '' ? undefined : 'PhenixID catch-up reads tasks from the Automation API: set its base URL in the credential'),
	async read(context, state) {
		const credentials = context.credentials as unknown as PhenixidCredentials;
		const tasks = { ...state.tasks };
		const events: NormalizedEvent[] = [];
		for (const [taskId, known] of Object.entries(state.tasks)) {
			const task = await getJson(phenixidTransport(context.http, credentials), 'reading a task', { url: phenixidTaskUrl(credentials.apiBaseUrl as string, taskId) }, context.now, { notFoundIsUndefined: true });
			if (task === undefined) {
				delete tasks[taskId];
				continue;
			}
			const stateText = isRecord(task) ? String(task.state ?? task.status ?? '') : '';
			const eventType = phenixidStateEvent(stateText);
			if (!eventType || eventType === known) continue;
			const [type, status] = phenixidMapping(eventType);
			events.push(withSource({
				id: hashId(taskId, eventType, 'task-state', stateText),
				vendor: 'phenixid',
				type,
				vendorEventType: eventType,
				occurredAt: null,
				receivedAt: isoTime(context.now),
				document: { id: taskId, status },
				files: [],
				data: { taskId, taskState: stateText, task },
			}, context.source));
			if (FINISHED.has(eventType)) delete tasks[taskId];
			else tasks[taskId] = eventType;
		}
		return { events, state: { tasks } };
	},
	observe(state, event) {
		if (event.vendor !== 'phenixid' || !event.document.id) return state;
		const tasks = { ...state.tasks };
		if (FINISHED.has(event.vendorEventType)) delete tasks[event.document.id];
		else {
			delete tasks[event.document.id]; // re-inserted as the newest
			tasks[event.document.id] = event.vendorEventType;
		}
		const ids = Object.keys(tasks);
		for (const id of ids.slice(0, Math.max(0, ids.length - MAX_TASKS))) delete tasks[id];
		return { tasks };
	},
};
