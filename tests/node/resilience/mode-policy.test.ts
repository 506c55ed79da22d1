import { describe, expect, it } from 'vitest';
import {
  type Mode,
  type ModeEvent,
  type ModeState,
  type ModeTransition,
  modeApply,
  modeInitial,
} from '../../../workers/shared/resilience/mode-policy.ts';

const OPTS = { failuresToDegrade: 2, successesToRecover: 3, passiveBurst: 5, passiveWindowMs: 10_000 };
const probe = (ok: boolean, at: number): ModeEvent => ({ type: 'probe', ok, at });
const passive = (failures: number, at: number): ModeEvent => ({ type: 'passive', failures, at });

function run(events: ModeEvent[], from: ModeState = modeInitial(0)) {
  const transitions: ModeTransition[] = [];
  let state = from;
  for (const e of events) {
    const out = modeApply(state, e, OPTS);
    state = out.state;
    if (out.transition) transitions.push(out.transition);
  }
  return { state, transitions };
}

const degraded = run([probe(false, 1), probe(false, 2)]).state;

describe('mode policy with hysteresis', () => {
  it.each<[string, ModeEvent[], ModeState, Mode, number]>([
    ['good probes keep live', [probe(true, 1), probe(true, 2)], modeInitial(0), 'live', 0],
    ['one failed probe is not enough', [probe(false, 1)], modeInitial(0), 'live', 0],
    ['two failed probes degrade', [probe(false, 1), probe(false, 2)], modeInitial(0), 'degraded', 1],
    ['a good probe between failures resets the count', [probe(false, 1), probe(true, 2), probe(false, 3)], modeInitial(0), 'live', 0],
    ['two good probes do not recover', [probe(true, 3), probe(true, 4)], degraded, 'degraded', 0],
    ['three good probes recover', [probe(true, 3), probe(true, 4), probe(true, 5)], degraded, 'live', 1],
    [
      'a failure interrupts recovery',
      [probe(true, 3), probe(true, 4), probe(false, 5), probe(true, 6), probe(true, 7)],
      degraded,
      'degraded',
      0,
    ],
    ['a passive burst degrades', [passive(3, 1), passive(2, 2)], modeInitial(0), 'degraded', 1],
    ['passive failures spread past the window do not', [passive(3, 1), passive(2, 20_000)], modeInitial(0), 'live', 0],
    ['passive failures never recover', [passive(0, 3), passive(10, 4)], degraded, 'degraded', 0],
    [
      'failures seen before the recovery (a late batch) do not degrade again',
      [probe(true, 3), probe(true, 4), probe(true, 5), passive(10, 4)],
      degraded,
      'live',
      1,
    ],
    ['failures seen after the recovery do', [probe(true, 3), probe(true, 4), probe(true, 5), passive(10, 6)], degraded, 'degraded', 2],
    [
      'an isolate whose breaker opened degrades at once',
      [{ type: 'passive', failures: 3, at: 1, breakerOpened: true }],
      modeInitial(0),
      'degraded',
      1,
    ],
    ['three failures without a breaker opening do not', [passive(3, 1)], modeInitial(0), 'live', 0],
    [
      'nor does a breaker that opened before the last recovery',
      [probe(true, 3), probe(true, 4), probe(true, 5), { type: 'passive', failures: 3, at: 4, breakerOpened: true }],
      degraded,
      'live',
      1,
    ],
  ])('%s', (_name, events, from, mode, transitions) => {
    const out = run(events, from);
    expect(out.state.mode).toBe(mode);
    expect(out.transitions).toHaveLength(transitions);
  });

  it('records when and why', () => {
    const { transitions, state } = run([probe(false, 10), { type: 'probe', ok: false, at: 20, detail: 'ECONNREFUSED' }]);
    expect(transitions[0]).toEqual({ from: 'live', to: 'degraded', at: 20, reason: '2 failed probes: ECONNREFUSED' });
    expect(state.since).toBe(20);
  });
});
