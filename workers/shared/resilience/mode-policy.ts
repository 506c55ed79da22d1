/**
 * The showroom's mode decision with hysteresis, as a pure state machine.
 * The HealthMonitor Durable Object is its only caller; isolates only read the result.
 *
 * - live → degraded: `failuresToDegrade` consecutive failed probes, or a burst of
 *   `passiveBurst` failures reported by requests within `passiveWindowMs`, or an
 *   isolate reporting that its circuit breaker opened (failures in a row there:
 *   with its breaker open it sends no more requests to count).
 * - degraded → live: `successesToRecover` consecutive good probes (passive
 *   successes never recover: only the monitor's own probes do).
 * - A passive event's `at` is when its last failure was seen; failures seen
 *   before the last recovery are ignored.
 *
 * @example
 * let state = modeInitial(Date.now());
 * ({ state } = modeApply(state, { type: 'probe', ok: false, at: Date.now() }, MODE_POLICY_DEFAULTS));
 */
export const MODE_POLICY = 'mode-policy';

export type Mode = 'live' | 'degraded';

export interface ModePolicyOptions {
  failuresToDegrade: number;
  successesToRecover: number;
  passiveBurst: number;
  passiveWindowMs: number;
}

export const MODE_POLICY_DEFAULTS: ModePolicyOptions = {
  failuresToDegrade: 2,
  successesToRecover: 3,
  passiveBurst: 5,
  passiveWindowMs: 10_000,
};

export interface ModeState {
  mode: Mode;
  since: number;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  /** Timestamps of recent passive failures (only while live), oldest first. */
  passiveFailures: number[];
  /** When the last degraded → live transition happened (absent before the first one). */
  recoveredAt?: number;
}

export type ModeEvent =
  | { type: 'probe'; ok: boolean; at: number; detail?: string }
  | { type: 'passive'; failures: number; at: number; detail?: string; breakerOpened?: boolean };

export interface ModeTransition {
  from: Mode;
  to: Mode;
  at: number;
  reason: string;
}

export function modeInitial(now: number): ModeState {
  return { mode: 'live', since: now, consecutiveFailures: 0, consecutiveSuccesses: 0, passiveFailures: [] };
}

/** Applies one observation; returns the next state and the transition it caused, if any. */
export function modeApply(
  state: ModeState,
  event: ModeEvent,
  options: ModePolicyOptions,
): { state: ModeState; transition?: ModeTransition } {
  if (event.type === 'probe') {
    const next: ModeState = event.ok
      ? { ...state, consecutiveSuccesses: state.consecutiveSuccesses + 1, consecutiveFailures: 0 }
      : { ...state, consecutiveFailures: state.consecutiveFailures + 1, consecutiveSuccesses: 0 };
    if (state.mode === 'live' && !event.ok && next.consecutiveFailures >= options.failuresToDegrade) {
      const reason = `${next.consecutiveFailures} failed probes${event.detail ? `: ${event.detail}` : ''}`;
      return flip(next, 'degraded', event.at, reason);
    }
    if (state.mode === 'degraded' && event.ok && next.consecutiveSuccesses >= options.successesToRecover) {
      return flip(next, 'live', event.at, `${next.consecutiveSuccesses} good probes`);
    }
    return { state: next };
  }
  // Failures seen before the last recovery (a batch flushed late) say nothing about now.
  if (state.mode === 'degraded' || event.failures <= 0 || event.at < (state.recoveredAt ?? 0)) return { state };
  if (event.breakerOpened) {
    const reason = `an isolate's circuit breaker opened (failures in a row)${event.detail ? `: ${event.detail}` : ''}`;
    return flip({ ...state, consecutiveSuccesses: 0 }, 'degraded', event.at, reason);
  }
  const recent = state.passiveFailures.filter((t) => event.at - t < options.passiveWindowMs);
  for (let i = 0; i < event.failures; i++) recent.push(event.at);
  if (recent.length >= options.passiveBurst) {
    const reason = `${recent.length} request failures within ${options.passiveWindowMs / 1000} s${event.detail ? `: ${event.detail}` : ''}`;
    return flip({ ...state, consecutiveSuccesses: 0 }, 'degraded', event.at, reason);
  }
  return { state: { ...state, passiveFailures: recent.slice(-options.passiveBurst) } };
}

function flip(state: ModeState, to: Mode, at: number, reason: string): { state: ModeState; transition: ModeTransition } {
  return {
    state: {
      ...state,
      mode: to,
      since: at,
      passiveFailures: [],
      consecutiveFailures: to === 'live' ? 0 : state.consecutiveFailures,
      ...(to === 'live' ? { recoveredAt: at } : {}),
    },
    transition: { from: state.mode, to, at, reason },
  };
}
