/**
 * What this isolate believes the mode is, and its batched failure reports.
 *
 * The HealthMonitor decides; isolates ask it at most once per MODE_TTL_MS and
 * keep serving the last answer meanwhile (stale-while-revalidate). A request
 * waits on the monitor only when the isolate knows nothing yet, and then no
 * longer than MODE_WAIT_MS: a request never depends on reaching the monitor.
 */

import { logEvent } from '../shared/observability/log-event.ts';
import type { Mode } from '../shared/resilience/mode-policy.ts';
import { readConfig } from './config.ts';
import type { MonitorStatus } from './health-monitor.ts';

/** The part of an execution context this code needs (Hono's and workerd's both fit). */
export interface Background {
  waitUntil(promise: Promise<unknown>): void;
}

export const MODE_TTL_MS = 1_000;
export const MODE_WAIT_MS = 100;
export const REPORT_FLUSH_MS = 500;

export interface ModeView {
  mode: Mode;
  /** false when the monitor has not answered this isolate yet (then mode is `live`, guarded by the breaker). */
  known: boolean;
  status: MonitorStatus | null;
}

let cached: { status: MonitorStatus; at: number } | undefined;
let refreshing: Promise<void> | undefined;
let pending = { failures: 0, successes: 0, detail: '', since: 0, lastFailureAt: 0, breakerOpened: false };
let flushScheduled = false;

export function monitorStub(env: Env) {
  return env.HEALTH_MONITOR.get(env.HEALTH_MONITOR.idFromName(readConfig(env).monitorName));
}

export async function modeView(env: Env, ctx: Background, now = Date.now()): Promise<ModeView> {
  if (!cached || now - cached.at > MODE_TTL_MS) {
    refreshing ??= monitorStub(env)
      .status()
      .then((status) => {
        cached = { status, at: Date.now() };
      })
      .catch((err) => logEvent({ event: 'monitor-unreachable', error: String(err) }))
      .finally(() => {
        refreshing = undefined;
      });
    if (cached) ctx.waitUntil(refreshing);
    else await Promise.race([refreshing, new Promise((r) => setTimeout(r, MODE_WAIT_MS))]);
  }
  return cached ? { mode: cached.status.mode, known: true, status: cached.status } : { mode: 'live', known: false, status: null };
}

/** Keeps a status fetched elsewhere in this isolate (e.g. by /status.json) as the freshest view. */
export function rememberStatus(status: MonitorStatus, now = Date.now()): void {
  if (!cached || cached.at <= now) cached = { status, at: now };
}

/**
 * Notes a request's outcome against the origin; failures reach the monitor in batches, at most one per
 * REPORT_FLUSH_MS, and never later than that after they were seen: a batch waiting when no further
 * request comes (an open breaker stops them) goes out on a timer. `breakerOpened`: this failure opened the
 * isolate's breaker.
 */
export function reportOutcome(env: Env, ctx: Background, ok: boolean, detail = '', breakerOpened = false): void {
  const now = Date.now();
  if (ok) pending.successes++;
  else {
    pending.failures++;
    pending.detail = detail;
    pending.lastFailureAt = now;
    pending.breakerOpened ||= breakerOpened;
  }
  if (pending.failures === 0) return;
  const wait = REPORT_FLUSH_MS - (now - pending.since);
  if (wait <= 0) {
    ctx.waitUntil(flush(env, now));
    return;
  }
  if (flushScheduled) return;
  flushScheduled = true;
  ctx.waitUntil(
    new Promise((r) => setTimeout(r, wait)).then(() => {
      flushScheduled = false;
      return pending.failures > 0 ? flush(env, Date.now()) : undefined;
    }),
  );
}

function flush(env: Env, now: number): Promise<void> {
  const batch = pending;
  pending = { failures: 0, successes: 0, detail: '', since: now, lastFailureAt: 0, breakerOpened: false };
  return monitorStub(env)
    .report(batch.failures, batch.successes, batch.detail, batch.lastFailureAt, batch.breakerOpened)
    .catch(() => undefined);
}

/** Test hook: forget everything this isolate cached. */
export function resetModeView(): void {
  cached = undefined;
  refreshing = undefined;
  pending = { failures: 0, successes: 0, detail: '', since: 0, lastFailureAt: 0, breakerOpened: false };
  flushScheduled = false;
}
