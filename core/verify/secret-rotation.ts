import { createHmac } from 'node:crypto';
import { isoTime } from '../event/iso-time';
import type { PreviousRegistration, Registration } from '../vendors/definition';
import type { SecretRole } from './record';

export { SECRET_ROLES, type SecretRole } from './record';

/** How long a previous secret stays accepted when no end is given: Standard Webhooks' and Svix's 24 h. */
export const PREVIOUS_SECRET_GRACE_MS = 24 * 60 * 60 * 1000;

/** The credential fields of a vendor whose secret is agreed by hand (Plexus, PhenixID). */
export interface RotatingSecretFields {
	secret?: unknown;
	previousSecret?: unknown;
	/** ISO date/time; empty = 24 h after the trigger first saw this previous secret. */
	previousSecretValidUntil?: unknown;
}

/** What a trigger remembers of one previous secret, under `rotationKey`. No secret in it. */
export interface RotationMark {
	firstSeenMs: number;
	expiryNoted?: boolean;
}

/** Where a trigger keeps its marks (process memory in both engines). */
export interface RotationMemory {
	get(key: string): RotationMark | undefined;
	set(key: string, mark: RotationMark): void;
}

export interface SecretsToVerifyWith {
	secret?: string;
	/** Set only while the previous secret is accepted. */
	previousSecret?: string;
	/** When the previous secret stops (stopped) being accepted. */
	previousValidUntil?: string;
	/** Set once, on the first check after the previous secret expired: for the trigger's log. */
	expiredNotice?: string;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * Identifies a (current, previous) pair, so a new rotation starts a new 24 h. Keyed with the current
 * secret: it confirms no guess of the previous one to anyone who does not hold the current one.
 */
export function rotationKey(current: string, previous: string): string {
	return createHmac('sha256', current).update('legalhooks previous secret\u0000').update(previous).digest('hex').slice(0, 32);
}

/** An explicit end when the field holds a date (no zone: UTC), else `firstSeenMs` + 24 h. */
export function previousSecretExpiryMs(validUntil: unknown, firstSeenMs: number): number {
	const explicit = text(validUntil).trim();
	// a date and time without a zone is read as UTC, not as the server's local time
	const at = explicit ? Date.parse(/T\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(explicit) ? `${explicit}Z` : explicit) : Number.NaN;
	return Number.isFinite(at) ? at : firstSeenMs + PREVIOUS_SECRET_GRACE_MS;
}

/**
 * The one rule for which secrets a delivery is verified with: the current secret always; the
 * previous one (when set and different) until its expiry. The first call that sees a previous
 * secret records when, in `memory`; the first call after its expiry returns a notice, once.
 */
export function secretsToVerifyWith(fields: RotatingSecretFields, memory: RotationMemory, now: Date, vendorName: string): SecretsToVerifyWith {
	const secret = text(fields.secret) || undefined;
	const previous = text(fields.previousSecret);
	if (!secret || !previous || previous === secret) return { secret };
	const key = rotationKey(secret, previous);
	const nowMs = now.getTime();
	let mark = memory.get(key);
	if (!mark) {
		mark = { firstSeenMs: nowMs };
		memory.set(key, mark);
	}
	const expiryMs = previousSecretExpiryMs(fields.previousSecretValidUntil, mark.firstSeenMs);
	const previousValidUntil = isoTime(new Date(expiryMs));
	if (nowMs < expiryMs) return { secret, previousSecret: previous, previousValidUntil };
	if (mark.expiryNoted) return { secret, previousValidUntil };
	memory.set(key, { ...mark, expiryNoted: true });
	return {
		secret,
		previousValidUntil,
		expiredNotice: `${vendorName}: the previous webhook secret expired at ${previousValidUntil}; deliveries signed with it are refused from now on. Remove it from the credential once ${vendorName} signs with the new one.`,
	};
}

/** A memory that lives as long as the process: each trigger takes its own. */
export function rotationMemory(): RotationMemory {
	const marks = new Map<string, RotationMark>();
	return { get: (key) => marks.get(key), set: (key, mark) => void marks.set(key, mark) };
}

/**
 * Runs `verifies` with the current secret and, when given, the previous one — always both, so the
 * time taken does not tell which matched — and says which matched (current first).
 */
export function matchingSecret(context: { secret?: string; previousSecret?: string }, verifies: (secret: string) => boolean): SecretRole | undefined {
	const current = context.secret ? verifies(context.secret) : false;
	const previous = context.previousSecret ? verifies(context.previousSecret) : false;
	return current ? 'current' : previous ? 'previous' : undefined;
}

const memories = new Map<string, RotationMemory>();

/** The process-wide memory of one trigger (`key`: engine, workflow or flow, node). */
export function rotationMemoryFor(key: string): RotationMemory {
	let memory = memories.get(key);
	if (!memory) memories.set(key, (memory = rotationMemory()));
	return memory;
}

/**
 * A registration's secrets to verify with: its own, and the registration it replaced while that one
 * is still accepted (a delivery the vendor sent before the re-creation is not lost).
 */
export function registrationSecrets(registration: Registration | undefined, now: Date): { secret?: string; previousRegistration?: PreviousRegistration } {
	const previous = registration?.previous;
	if (!previous || !(Date.parse(previous.until) > now.getTime())) return { secret: registration?.secret };
	return { secret: registration.secret, previousRegistration: previous };
}
