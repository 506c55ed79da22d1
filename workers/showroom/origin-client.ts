/**
 * Calls to the merchant's origin, always within the deadline budget and behind
 * this isolate's circuit breaker. A timeout, a network error, a 5xx (or 429),
 * a body that is not JSON or fails its schema: all are failures, reported to
 * the monitor in batches, and the caller answers from the snapshot instead.
 * Writes pass the same gate (`originGate`) and feed the same breaker
 * (`recordOrigin`), though the outbox forwards them. When the breaker opens,
 * the reads still waiting are cut to their fallback at once.
 */
import type { z } from 'zod';
import { logEvent } from '../shared/observability/log-event.ts';
import { CircuitBreaker } from '../shared/resilience/circuit-breaker.ts';
import { readConfig } from './config.ts';
import { type Background, type ModeView, reportOutcome } from './mode-view.ts';

export type OriginOutcome<T> =
  | { kind: 'ok'; value: T; ms: number }
  | { kind: 'not-found'; ms: number }
  | { kind: 'failed'; reason: string; ms: number }
  | { kind: 'skipped'; reason: 'degraded' | 'breaker-open' };

const breaker = new CircuitBreaker();
/**
 * How often a waiting call looks whether the breaker opened. Each call watches from its own request: workerd
 * does not let one request abort another's fetch.
 */
export const BREAKER_WATCH_MS = 20;

export function breakerState() {
  return breaker.state;
}

class DeadlineExceeded extends Error {
  override readonly name = 'DeadlineExceeded';
}

/** A call cut short because another call here opened the breaker: not an outcome of its own. */
class BreakerOpened extends Error {
  override readonly name = 'BreakerOpened';
}

export type OriginGate = { allowed: true } | { allowed: false; reason: 'degraded' | 'breaker-open' };

/** Whether this isolate may call the origin now: the showroom is live and the breaker lets the call through. */
export function originGate(mode: ModeView, now = Date.now()): OriginGate {
  if (mode.mode === 'degraded') return { allowed: false, reason: 'degraded' };
  if (!breaker.allow(now)) return { allowed: false, reason: 'breaker-open' };
  return { allowed: true };
}

/**
 * The outcome of a call `originGate` let through (a read here, or a write the outbox forwarded): into the
 * breaker and the monitor's next batch. When this failure opens the breaker (3 in a row), every other call
 * still waiting here is cut to its fallback at once: the origin is failing, and shoppers should not each
 * wait out the deadline to learn it.
 */
export function recordOrigin(env: Env, ctx: Background, ok: boolean, reason = ''): void {
  const now = Date.now();
  if (ok) {
    breaker.success(now);
    reportOutcome(env, ctx, true);
    return;
  }
  const wasOpen = breaker.state.status === 'open';
  breaker.failure(now);
  // This isolate's breaker opening is a burst in itself: it sends no more requests to count.
  reportOutcome(env, ctx, false, reason, !wasOpen && breaker.state.status === 'open');
}

export async function originJson<S extends z.ZodType>(
  env: Env,
  ctx: Background,
  mode: ModeView,
  path: string,
  schema: S,
): Promise<OriginOutcome<z.infer<S>>> {
  const gate = originGate(mode);
  if (!gate.allowed) return { kind: 'skipped', reason: gate.reason };
  const { originUrl, originDeadlineMs } = readConfig(env);
  const started = Date.now();
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DeadlineExceeded(`no complete answer within ${originDeadlineMs} ms`)),
    originDeadlineMs,
  );
  // Settles (rejected) the moment the call is given up: at the deadline, or when the breaker opens.
  const givenUp = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
  });
  givenUp.catch(() => undefined); // the answer may win; never leave a rejection unhandled
  const watch = setInterval(() => {
    const { status, changedAt } = breaker.state;
    if (status === 'open' && changedAt >= started) controller.abort(new BreakerOpened('cut short: the breaker opened'));
  }, BREAKER_WATCH_MS);
  try {
    const work = (async () => {
      const res = await fetch(`${originUrl}${path}`, { signal: controller.signal, headers: { accept: 'application/json' } });
      if (res.status === 404) {
        await res.body?.cancel();
        return { kind: 'not-found' as const };
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new Error(`origin answered ${res.status}`);
      }
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new Error(`origin answered ${res.status} with a body that is not JSON`);
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) throw new Error(`origin answer failed the schema: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      return { kind: 'ok' as const, value: parsed.data as z.infer<S> };
    })();
    work.catch(() => undefined); // giving up may win; never leave a rejection unhandled
    const result = await Promise.race([work, givenUp]);
    recordOrigin(env, ctx, true);
    return { ...result, ms: Date.now() - started };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    if (!(err instanceof BreakerOpened)) {
      recordOrigin(env, ctx, false, reason);
      logEvent({ event: 'origin-failure', path, reason });
    }
    return { kind: 'failed', reason, ms: Date.now() - started };
  } finally {
    clearTimeout(timer);
    clearInterval(watch);
  }
}

/** Test hook: a fresh breaker for this isolate. */
export function resetBreaker(): void {
  breaker.success(0);
}
