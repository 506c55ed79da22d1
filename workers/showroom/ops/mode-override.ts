/**
 * Ops' mode override: force `live` or `degraded` with a reason and an expiry,
 * so a forgotten override ends by itself; `auto` hands the decision back to
 * the health policy. Pure: the HealthMonitor stores the override and asks
 * `effectiveMode` whenever it decides.
 *
 * @example
 * const override = overrideFrom({ mode: 'degraded', reason: 'origin migration', expiresInSeconds: 1800 }, Date.now());
 * effectiveMode('live', override, Date.now()); // 'degraded' until it expires
 */
import type { Mode } from '../../shared/resilience/mode-policy.ts';
import type { OutageChannel } from './incident-priority.ts';

/** The longest an override may last: a day. */
export const MAX_OVERRIDE_SECONDS = 24 * 3_600;
/** An override without an expiry lasts this long (ops can always set `auto` sooner). */
export const DEFAULT_OVERRIDE_SECONDS = 3_600;

export interface ModeOverride {
  mode: Mode;
  reason: string;
  /** The channel a forced outage is about (shown on the incident and in webhooks). */
  channel: OutageChannel;
  setAt: number;
  expiresAt: number;
}

export interface ModeRequest {
  mode: Mode | 'auto';
  reason: string;
  expiresInSeconds?: number;
  channel?: OutageChannel;
}

/** The override a request asks for, or null for `auto`. */
export function overrideFrom(request: ModeRequest, now: number): ModeOverride | null {
  if (request.mode === 'auto') return null;
  const seconds = Math.min(MAX_OVERRIDE_SECONDS, request.expiresInSeconds ?? DEFAULT_OVERRIDE_SECONDS);
  return { mode: request.mode, reason: request.reason, channel: request.channel ?? 'origin', setAt: now, expiresAt: now + seconds * 1_000 };
}

/** The override while it lasts, else null. */
export function activeOverride(override: ModeOverride | null | undefined, now: number): ModeOverride | null {
  return override && override.expiresAt > now ? override : null;
}

/** The mode the showroom serves: an active override wins over the policy's own decision. */
export function effectiveMode(auto: Mode, override: ModeOverride | null | undefined, now: number): Mode {
  return activeOverride(override, now)?.mode ?? auto;
}
