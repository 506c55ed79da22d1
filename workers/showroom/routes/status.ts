/**
 * GET /status.json   mode, origin health, snapshot version and age, recent transitions, asset delivery, outbox counts.
 *
 * Asks the monitor directly (briefly) so ops see the decision itself, and falls
 * back to this isolate's cached view when the monitor does not answer in time.
 */
import { Hono } from 'hono';
import type { ShowroomEnv } from '../app-types.ts';
import type { MonitorStatus } from '../health-monitor.ts';
import { monitorStub, rememberStatus } from '../mode-view.ts';
import { breakerState } from '../origin-client.ts';
import { outboxCounts } from '../outbox-status.ts';
import { snapshotReader } from '../snapshot-access.ts';

export const STATUS_MONITOR_WAIT_MS = 500;

export const status = new Hono<ShowroomEnv>();

status.get('/status.json', async (c) => {
  const fresh = await Promise.race([
    monitorStub(c.env)
      .status()
      .catch(() => null),
    new Promise<null>((r) => setTimeout(() => r(null), STATUS_MONITOR_WAIT_MS)),
  ]);
  if (fresh) rememberStatus(fresh);
  const monitor: MonitorStatus | null = fresh ?? c.var.mode.status;
  const [pointer, outbox] = await Promise.all([snapshotReader(c.env).pointer(), outboxCounts(c.env)]);
  const current = pointer?.versions[0];
  const now = Date.now();
  c.set('source', 'edge');
  c.header('cache-control', 'no-store');
  return c.json({
    mode: monitor?.mode ?? c.var.mode.mode,
    since: monitor?.since ?? null,
    monitorReachable: fresh !== null,
    origin: {
      ...(monitor?.origin ?? { url: null, lastProbe: null }),
      state: monitor?.mode === 'degraded' ? 'down' : monitor?.origin.lastProbe?.ok === false ? 'failing' : 'up',
      breaker: breakerState().status,
    },
    probeIntervalMs: monitor?.probeIntervalMs ?? null,
    nextProbeAt: monitor?.nextProbeAt ?? null,
    snapshot: current
      ? {
          version: current.version,
          generatedAt: current.generatedAt,
          publishedAt: current.publishedAt,
          ageSeconds: Math.round((now - Date.parse(current.generatedAt)) / 1000),
          productCount: current.productCount,
          previousVersions: pointer.versions.slice(1).map((v) => v.version),
        }
      : null,
    transitions: monitor?.transitions ?? [],
    assets: monitor?.assets ?? null,
    outbox,
  });
});
