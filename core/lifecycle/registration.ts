/** JSON-serialisable record of what we registered at the vendor; stored by the engine. */
export interface Registration {
	/** The vendor's id(s) for what we created. */
	ids: string[];
	/** The URL we registered (with any token we appended). */
	url: string;
	/** Our secret for this registration (token / header value). Never logged. */
	secret: string;
	/** The registration this one replaced, still accepted until `previous.until` (deliveries in flight). */
	previous?: PreviousRegistration;
	/** Settings the registration was made with, to detect a change that needs re-registration. */
	settings: Record<string, unknown>;
	/** Vendor-specific extras (e.g. Legito systemName). */
	extra?: Record<string, unknown>;
}

/** A replaced registration, as the one that replaced it keeps it: accepted until `until` (ISO). */
export type PreviousRegistration = Omit<Registration, 'previous'> & { until: string };

export function isPreviousRegistration(value: unknown): value is PreviousRegistration {
	const candidate = value as Partial<PreviousRegistration> | undefined;
	return Boolean(candidate && typeof candidate === 'object' && typeof candidate.secret === 'string' && Array.isArray(candidate.ids) && typeof candidate.until === 'string');
}
