import { describe, expect, it } from 'vitest';
import {
  BREAKER_INITIAL,
  type BreakerEvent,
  type BreakerState,
  breakerAllows,
  breakerRecord,
  CircuitBreaker,
} from '../../../workers/shared/resilience/circuit-breaker.ts';

const OPTS = { failureThreshold: 3, cooldownMs: 1_000 };
const run = (events: BreakerEvent[], from: BreakerState = BREAKER_INITIAL) => events.reduce((s, e) => breakerRecord(s, e, OPTS), from);
const fail = (now: number): BreakerEvent => ({ type: 'failure', now });
const ok = (now: number): BreakerEvent => ({ type: 'success', now });
const ask = (now: number): BreakerEvent => ({ type: 'request', now });

describe('breaker state machine', () => {
  it.each<[string, BreakerEvent[], BreakerState['status'], number]>([
    ['starts closed', [], 'closed', 0],
    ['stays closed below the threshold', [fail(1), fail(2)], 'closed', 2],
    ['a success resets the count', [fail(1), fail(2), ok(3), fail(4)], 'closed', 1],
    ['opens at the threshold', [fail(1), fail(2), fail(3)], 'open', 3],
    ['stays open during the cooldown', [fail(1), fail(2), fail(3), ask(500)], 'open', 3],
    ['half-open after the cooldown', [fail(1), fail(2), fail(3), ask(1_003)], 'half-open', 3],
    ['trial success closes', [fail(1), fail(2), fail(3), ask(1_003), ok(1_100)], 'closed', 0],
    ['trial failure reopens', [fail(1), fail(2), fail(3), ask(1_003), fail(1_100)], 'open', 4],
  ])('%s', (_name, events, status, failures) => {
    const state = run(events);
    expect(state.status).toBe(status);
    expect(state.consecutiveFailures).toBe(failures);
  });

  it.each<[string, BreakerState, number, boolean]>([
    ['closed allows', BREAKER_INITIAL, 0, true],
    ['open refuses within cooldown', { status: 'open', consecutiveFailures: 3, changedAt: 100 }, 1_099, false],
    ['open allows one trial after cooldown', { status: 'open', consecutiveFailures: 3, changedAt: 100 }, 1_100, true],
    ['half-open refuses while its trial is out', { status: 'half-open', consecutiveFailures: 3, changedAt: 2_000 }, 2_500, false],
    [
      'a silent half-open trial is forgotten after another cooldown',
      { status: 'half-open', consecutiveFailures: 3, changedAt: 2_000 },
      3_000,
      true,
    ],
  ])('%s', (_name, state, now, allowed) => {
    expect(breakerAllows(state, now, OPTS).allowed).toBe(allowed);
  });

  it('lets exactly one trial through when half-open', () => {
    const breaker = new CircuitBreaker(OPTS);
    for (const t of [1, 2, 3]) breaker.failure(t);
    expect(breaker.allow(2_000)).toBe(true);
    expect(breaker.allow(2_001)).toBe(false);
    expect(breaker.allow(2_002)).toBe(false);
    breaker.success(2_003);
    expect(breaker.allow(2_004)).toBe(true);
    expect(breaker.state.status).toBe('closed');
  });
});
