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
function rotationKey(current: string, previous: string): string {
	return createHmac('sha256', current).update('legalhooks previous secret\u0000').update(previous).digest('hex').slice(0, 32);
}

/** An explicit end when the field holds a date (no zone: UTC), else `firstSeenMs` + 24 h. */
function previousSecretExpiryMs(validUntil: unknown, firstSeenMs: number): number {
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

/** What a delivery is verified with, as the engine gives it (core/verify/precheck.ts's PrecheckContext). */
export interface SecretsContext {
	/** The credential's secret (a vendor set up by hand), or the registration's when the engine put it here. */
	secret?: string;
	/** A rotation's previous secret, only while it is still accepted. */
	previousSecret?: string;
	registration?: Registration;
	/** The registration the current one replaced, only while it is still accepted. */
	previousRegistration?: PreviousRegistration;
	credentials?: Record<string, unknown>;
}

/** One secret a delivery may be verified with. */
export interface CandidateSecret {
	role: SecretRole;
	secret: string;
	/** The registration the secret belongs to; undefined for the credential's. */
	registration?: Registration | PreviousRegistration;
}

/**
 * The one rule for which secret verifies a delivery, in the order they are tried: the current
 * registration's secret (a vendor the trigger registers at), else the credential's; then a
 * rotation's previous credential secret while it is accepted; then the registration the current one
 * replaced while it is accepted (its own token, ids and extras: `replacedRegistration`).
 */
export function verificationSecrets(context: SecretsContext): CandidateSecret[] {
	const candidates: CandidateSecret[] = [];
	const current = currentSecret(context);
	if (current) candidates.push({ role: 'current', secret: current, registration: context.registration });
	if (context.previousSecret && context.previousSecret !== current) candidates.push({ role: 'previous', secret: context.previousSecret, registration: context.registration });
	const replaced = context.previousRegistration;
	if (replaced?.secret) candidates.push({ role: 'previous', secret: replaced.secret, registration: replaced });
	return candidates;
}

/** The secret a delivery is verified with first (see verificationSecrets). */
export function currentSecret(context: Pick<SecretsContext, 'secret' | 'registration'>): string | undefined {
	return (context.registration?.secret ?? context.secret) || undefined;
}

/**
 * While a re-created registration's predecessor is still accepted: the context that verifies with the
 * predecessor (its token, ids and extras), tried only when the current one refuses.
 */
export function replacedRegistration(context: SecretsContext): SecretsContext | undefined {
	const replaced = verificationSecrets(context).find((candidate) => candidate.registration && candidate.registration !== context.registration);
	if (!replaced) return undefined;
	return { secret: replaced.secret, registration: replaced.registration as Registration, credentials: context.credentials };
}

/**
 * Runs `verifies` with every secret of this registration (or credential) — the current one and a
 * rotation's previous one, always both, so the time taken does not tell which matched — and says
 * which matched (current first).
 */
export function matchingSecret(context: SecretsContext, verifies: (secret: string) => boolean): SecretRole | undefined {
	let matched: SecretRole | undefined;
	for (const candidate of verificationSecrets(context)) {
		if (candidate.registration !== context.registration) continue;
		if (verifies(candidate.secret)) matched ??= candidate.role;
	}
	return matched;
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

/**
 * What a delivery is verified with, as both engines build it: for a vendor the trigger registers at,
 * the registration (and the one it replaced, while accepted); for a vendor set up by hand, the
 * credential's secret and a rotation's previous one (see secretsToVerifyWith). `expiredNotice` is
 * for the trigger's log, once.
 */
export function deliverySecrets(
	vendor: { registration: 'api' | 'manual'; displayName: string },
	registration: Registration | undefined,
	credentials: Record<string, unknown>,
	memory: RotationMemory,
	now: Date,
): { context: SecretsContext; expiredNotice?: string } {
	if (vendor.registration !== 'manual') return { context: { ...registrationSecrets(registration, now), registration, credentials } };
	const picked = secretsToVerifyWith(credentials, memory, now, vendor.displayName);
	return {
		context: { secret: picked.secret, previousSecret: picked.previousSecret, registration, credentials },
		...(picked.expiredNotice ? { expiredNotice: picked.expiredNotice } : {}),
	};
}
