import type { InboundRequest } from '../inbound/request';
import type { PreviousRegistration, Registration } from '../lifecycle/registration';
import { verifyToken } from './crypto';

/** What a precheck may look at: never the body, so it can run before the body is read. */
export type PrecheckRequest = Pick<InboundRequest, 'headers' | 'query'>;
/** The secrets a delivery may be verified with, as the engine gives them (core/verify/secret-rotation.ts picks). */
export interface PrecheckContext {
	/** The shared secret for signatures/tokens (credential for manual vendors, registration secret otherwise). */
	secret?: string;
	/** A rotation's previous secret, only while it is still accepted (core/verify/secret-rotation.ts). */
	previousSecret?: string;
	/** The registration the current one replaced, only while it is still accepted. */
	previousRegistration?: PreviousRegistration;
	registration?: Registration;
	credentials?: Record<string, unknown>;
}
export type PrecheckResult = { ok: true } | { ok: false; status: 401; reason: string };

/**
 * A vendor's cheap check of what sits in the URL or headers (token, key, signature header present).
 * Pure and constant-time. It only ever refuses what the vendor's `receive` would refuse with the
 * same status, so running it first changes when a delivery is refused, never whether.
 */
export type Precheck = (request: PrecheckRequest, context: PrecheckContext) => PrecheckResult;

export const PRECHECK_PASSED: PrecheckResult = { ok: true };

/** Refuses unless `received` equals `expected` (constant time); `missing` when no secret is stored. */
export function requireToken(received: string | undefined, expected: string | undefined, reasons: { missing: string; wrong: string }): PrecheckResult {
	if (!expected) return { ok: false, status: 401, reason: reasons.missing };
	if (!verifyToken(received, expected)) return { ok: false, status: 401, reason: reasons.wrong };
	return PRECHECK_PASSED;
}
