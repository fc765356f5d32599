import type { TriggerOutput } from '../inbound/pipeline';
import type { InboundFile } from '../vendors/definition';

/**
 * The files of a delivery that one emitted event lists in its `files` (name and size), each file
 * given once: a Legalesign batch's status-100 entry gets its PDF, the batch's other entries none.
 */
export function filesOfEvent(output: TriggerOutput, files: InboundFile[] | undefined): InboundFile[] | undefined {
	if (!files?.length) return undefined;
	const event = 'specversion' in output ? output.data : output;
	const unused = [...files];
	const mine: InboundFile[] = [];
	for (const listed of event.files ?? []) {
		const index = unused.findIndex((file) => file.fileName === listed.fileName && file.size === listed.size);
		if (index !== -1) mine.push(...unused.splice(index, 1));
	}
	return mine.length > 0 ? mine : undefined;
}
