/**
 * Per-isolate circuit breaker, as a pure state machine: `(state, event) → state`.
 *
 * closed ──(failureThreshold consecutive failures)──► open ──(cooldownMs)──► half-open
 * half-open ──(trial succeeds)──► closed;  half-open ──(trial fails)──► open
 *
 * Only one trial request is let through while half-open; the rest are refused
 * (and served from the snapshot) until it reports. A trial that never reports
 * (its isolate was evicted mid-flight) is forgotten after another cooldown.
 *
 * @example
 * const breaker = new CircuitBreaker();
 * if (breaker.allow(Date.now())) { ok ? breaker.success(Date.now()) : breaker.failure(Date.now()); }
 */
export const CIRCUIT_BREAKER = 'circuit-breaker';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the breaker. */
  failureThreshold: number;
  /** How long the breaker stays open before a trial request is allowed. */
  cooldownMs: number;
}

export const CIRCUIT_BREAKER_DEFAULTS: CircuitBreakerOptions = { failureThreshold: 3, cooldownMs: 5_000 };

export type BreakerStatus = 'closed' | 'open' | 'half-open';

export interface BreakerState {
  status: BreakerStatus;
  consecutiveFailures: number;
  /** When the breaker last opened, or when the half-open trial started. */
  changedAt: number;
}

export type BreakerEvent = { type: 'request' | 'success' | 'failure'; now: number };

export const BREAKER_INITIAL: BreakerState = { status: 'closed', consecutiveFailures: 0, changedAt: 0 };

/** Whether a request may go to the origin now, and the state after asking. */
export function breakerAllows(state: BreakerState, now: number, options: CircuitBreakerOptions): { allowed: boolean; state: BreakerState } {
  if (state.status === 'closed') return { allowed: true, state };
  if (now - state.changedAt < options.cooldownMs) return { allowed: false, state };
  // Cooldown over (or a half-open trial went silent): let exactly one trial through.
  return { allowed: true, state: { ...state, status: 'half-open', changedAt: now } };
}

/** The state after a request's outcome is known. */
export function breakerRecord(state: BreakerState, event: BreakerEvent, options: CircuitBreakerOptions): BreakerState {
  switch (event.type) {
    case 'request':
      return breakerAllows(state, event.now, options).state;
    case 'success':
      return state.status === 'closed' && state.consecutiveFailures === 0
        ? state
        : { status: 'closed', consecutiveFailures: 0, changedAt: event.now };
    case 'failure': {
      const consecutiveFailures = state.consecutiveFailures + 1;
      if (state.status === 'half-open' || (state.status === 'closed' && consecutiveFailures >= options.failureThreshold)) {
        return { status: 'open', consecutiveFailures, changedAt: event.now };
      }
      return { ...state, consecutiveFailures };
    }
  }
}

/** Mutable holder for one isolate's breaker; all decisions are the pure functions above. */
export class CircuitBreaker {
  #state: BreakerState = BREAKER_INITIAL;
  readonly options: CircuitBreakerOptions;

  constructor(options: Partial<CircuitBreakerOptions> = {}) {
    this.options = { ...CIRCUIT_BREAKER_DEFAULTS, ...options };
  }

  get state(): BreakerState {
    return this.#state;
  }

  allow(now: number): boolean {
    const { allowed, state } = breakerAllows(this.#state, now, this.options);
    this.#state = state;
    return allowed;
  }

  success(now: number): void {
    this.#state = breakerRecord(this.#state, { type: 'success', now }, this.options);
  }

  failure(now: number): void {
    this.#state = breakerRecord(this.#state, { type: 'failure', now }, this.options);
  }
}
