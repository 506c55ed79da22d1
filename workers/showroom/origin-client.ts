/**
 * Calls to the merchant's origin, always within the deadline budget and behind
 * this isolate's circuit breaker. A timeout, a network error, a 5xx (or 429),
 * a body that is not JSON or fails its schema: all are failures, reported to
 * the monitor in batches, and the caller answers from the snapshot instead.
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

export function breakerState() {
  return breaker.state;
}

class DeadlineExceeded extends Error {
  override readonly name = 'DeadlineExceeded';
}

export async function originJson<S extends z.ZodType>(
  env: Env,
  ctx: Background,
  mode: ModeView,
  path: string,
  schema: S,
): Promise<OriginOutcome<z.infer<S>>> {
  if (mode.mode === 'degraded') return { kind: 'skipped', reason: 'degraded' };
  if (!breaker.allow(Date.now())) return { kind: 'skipped', reason: 'breaker-open' };
  const { originUrl, originDeadlineMs } = readConfig(env);
  const started = Date.now();
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new DeadlineExceeded(`no complete answer within ${originDeadlineMs} ms`));
    }, originDeadlineMs);
  });
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
    work.catch(() => undefined); // the deadline may win; never leave a rejection unhandled
    const result = await Promise.race([work, deadline]);
    breaker.success(Date.now());
    reportOutcome(env, ctx, true);
    return { ...result, ms: Date.now() - started };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    const wasOpen = breaker.state.status === 'open';
    breaker.failure(Date.now());
    // This isolate's breaker opening (3 failures in a row) is a burst in itself: it sends no more requests to count.
    reportOutcome(env, ctx, false, reason, !wasOpen && breaker.state.status === 'open');
    logEvent({ event: 'origin-failure', path, reason });
    return { kind: 'failed', reason, ms: Date.now() - started };
  } finally {
    if (timer !== null) clearTimeout(timer);
  }
}

/** Test hook: a fresh breaker for this isolate. */
export function resetBreaker(): void {
  breaker.success(0);
}
