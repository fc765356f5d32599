/** A delivery exactly as a vendor would send it, for the CLI, simulators and tests. */
export interface SampleDelivery {
	method: 'POST';
	headers: Record<string, string>;
	query: Record<string, string>;
	/** The exact bytes the signature covers. */
	body: string | Buffer;
}
