import type { NormalizedEvent } from './normalized-event';

/** Reverse-DNS prefix of the CloudEvents `type`, as the spec recommends (`dev.legalhooks.document.completed`). */
export const CLOUDEVENT_TYPE_PREFIX = 'dev.legalhooks.';

/** A CloudEvents 1.0 event in the structured JSON format (application/cloudevents+json). */
export interface LegalhooksCloudEvent {
	specversion: '1.0';
	id: string;
	source: string;
	type: string;
	subject?: string;
	time: string;
	datacontenttype: 'application/json';
	dataschema?: string;
	data: NormalizedEvent;
}

/**
 * The event as a CloudEvents 1.0 structured event, for users who forward events to a bus. `id` is
 * the normalized id (stable per vendor event, so a bus can de-duplicate on id + source), `source`
 * names the vendor, `subject` the document, `time` when it happened (else when it was received),
 * and `data` the whole normalized event. Pure.
 */
export function toCloudEvent(event: NormalizedEvent): LegalhooksCloudEvent {
	return {
		specversion: '1.0',
		id: event.id,
		source: `urn:legalhooks:${event.vendor}`,
		type: `${CLOUDEVENT_TYPE_PREFIX}${event.type}`,
		...(event.document.id ? { subject: event.document.id } : {}),
		time: event.occurredAt ?? event.receivedAt,
		datacontenttype: 'application/json',
		data: event,
	};
}
