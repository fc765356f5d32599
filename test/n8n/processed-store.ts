import type { DeduplicationItemTypes, ICheckProcessedOptions, IDeduplicationOutput } from 'n8n-workflow';

/**
 * n8n's de-duplication records (its ProcessedData table behind helpers.checkProcessedAndRecord) for
 * the harness, mode `entries`: one check records every new item at once; `maxEntries` keeps the
 * newest; removeProcessed forgets items. One store shared by several executions is n8n's database
 * shared by its main process and queue-mode workers.
 */
export class ProcessedStore {
	private readonly scopes = new Map<string, DeduplicationItemTypes[]>();
	readonly calls: Array<{ op: 'check' | 'remove'; scope: string; items: DeduplicationItemTypes[] }> = [];

	entries(scope: string): DeduplicationItemTypes[] {
		return [...(this.scopes.get(scope) ?? [])];
	}

	async checkProcessedAndRecord(scope: string, items: DeduplicationItemTypes[], options: ICheckProcessedOptions): Promise<IDeduplicationOutput> {
		if (options.mode !== 'entries') throw new Error(`the harness models mode "entries" only, not "${options.mode}"`);
		this.calls.push({ op: 'check', scope, items: [...items] });
		const list = this.scopes.get(scope) ?? [];
		const output: IDeduplicationOutput = { new: [], processed: [] };
		for (const item of items) {
			if (list.includes(item)) output.processed.push(item);
			else {
				output.new.push(item);
				list.push(item);
			}
		}
		if (options.maxEntries && list.length > options.maxEntries) list.splice(0, list.length - options.maxEntries);
		this.scopes.set(scope, list);
		return output;
	}

	async removeProcessed(scope: string, items: DeduplicationItemTypes[], _options: ICheckProcessedOptions): Promise<void> {
		this.calls.push({ op: 'remove', scope, items: [...items] });
		this.scopes.set(scope, (this.scopes.get(scope) ?? []).filter((item) => !items.includes(item)));
	}
}
