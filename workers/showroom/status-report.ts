/**
 * Everything /status and /status.json show, gathered with a deadline on every
 * dependency so the status page answers even when the origin, KV or the
 * monitor do not: the mode (and ops' override), each component's state (origin,
 * asset CDN, PIM snapshot, outbox, webhooks) with its last probe and since
 * when, the current incident with its timeline, and when the next update is due.
 *
 * @example
 * const report = await statusReport(c.env, c.var.mode.status);
 */
import type { SnapshotPointer } from '../shared/snapshot/snapshot-layout.ts';
import { readConfig } from './config.ts';
import type { MonitorStatus, ProbeResult } from './health-monitor.ts';
import { monitorStub, rememberStatus } from './mode-view.ts';
import type { Incident } from './ops/incident-log.ts';
import { breakerState } from './origin-client.ts';
import { outboxStub, WEBHOOK_SHARD } from './outbox-shards.ts';
import { type OutboxCounts, outboxCounts } from './outbox-status.ts';
import { snapshotReader } from './snapshot-access.ts';
import type { WebhookTarget } from './write-outbox.ts';

export const STATUS_MONITOR_WAIT_MS = 500;
export const STATUS_KV_WAIT_MS = 500;
/** A snapshot older than this is shown as stale. */
export const SNAPSHOT_STALE_S = 24 * 3_600;

export type ComponentState = 'up' | 'degraded' | 'down' | 'unknown' | 'unconfigured';

export interface ComponentStatus {
  state: ComponentState;
  /** One line for people. */
  detail: string;
  since: string | null;
  lastProbe: ProbeResult | null;
}

export interface StatusReport {
  mode: 'live' | 'degraded';
  since: string | null;
  monitorReachable: boolean;
  monitor: MonitorStatus | null;
  override: MonitorStatus['override'];
  incident: Incident | null;
  recentIncidents: Incident[];
  nextUpdateAt: string | null;
  components: {
    origin: ComponentStatus;
    assetCdn: ComponentStatus;
    pimSnapshot: ComponentStatus;
    outbox: ComponentStatus;
    webhooks: ComponentStatus;
  };
  snapshot: { pointer: SnapshotPointer | null; reachable: boolean };
  outbox: OutboxCounts;
  webhooks: { configured: number; targets: WebhookTarget[] };
  configErrors: string[];
  generatedAt: string;
}

const within = <T>(promise: Promise<T>, ms: number): Promise<T | null> =>
  Promise.race([promise.catch(() => null), new Promise<null>((r) => setTimeout(() => r(null), ms))]);

export async function statusReport(env: Env, cached: MonitorStatus | null): Promise<StatusReport> {
  const config = readConfig(env);
  const [fresh, pointer, outbox, targets] = await Promise.all([
    within(monitorStub(env).status(), STATUS_MONITOR_WAIT_MS),
    within(
      snapshotReader(env)
        .pointer()
        .then((p) => ({ p })),
      STATUS_KV_WAIT_MS,
    ),
    outboxCounts(env),
    config.webhookUrls.length ? within(outboxStub(env, WEBHOOK_SHARD).webhookTargets(), STATUS_MONITOR_WAIT_MS) : Promise.resolve([]),
  ]);
  if (fresh) rememberStatus(fresh);
  const monitor = fresh ?? cached;
  const now = Date.now();
  const incident = monitor?.incident ?? null;
  return {
    mode: monitor?.mode ?? 'live',
    since: monitor?.since ?? null,
    monitorReachable: fresh !== null,
    monitor,
    override: monitor?.override ?? null,
    incident,
    recentIncidents: monitor?.recentIncidents ?? [],
    nextUpdateAt: incident?.nextUpdateAt ?? null,
    components: {
      origin: originComponent(monitor),
      assetCdn: assetCdnComponent(monitor),
      pimSnapshot: snapshotComponent(pointer ? pointer.p : undefined, now),
      outbox: outboxComponent(outbox),
      webhooks: webhooksComponent(config.webhookUrls.length, !!env.WEBHOOK_SECRET, targets),
    },
    snapshot: { pointer: pointer?.p ?? null, reachable: pointer !== null },
    outbox,
    webhooks: { configured: config.webhookUrls.length, targets: targets ?? [] },
    configErrors: config.configErrors,
    generatedAt: new Date(now).toISOString(),
  };
}

function originComponent(monitor: MonitorStatus | null): ComponentStatus {
  if (!monitor) return { state: 'unknown', detail: 'the health monitor did not answer in time', since: null, lastProbe: null };
  const probe = monitor.origin.lastProbe;
  const down = monitor.auto.mode === 'degraded';
  const state: ComponentState = down ? 'down' : probe?.ok === false ? 'degraded' : 'up';
  const detail = down
    ? `not answering: ${probe?.error ?? 'failures reported'}`
    : probe?.ok === false
      ? `last probe failed: ${probe.error ?? 'error'}`
      : `answering${probe ? ` in ${probe.latencyMs} ms` : ''}; breaker ${breakerState().status}`;
  return { state, detail, since: monitor.auto.since, lastProbe: probe };
}

function assetCdnComponent(monitor: MonitorStatus | null): ComponentStatus {
  const cdn = monitor?.assets.primaryCdn;
  if (!cdn) return { state: 'unknown', detail: 'the health monitor did not answer in time', since: null, lastProbe: null };
  if (cdn.state === 'unconfigured')
    return { state: 'unconfigured', detail: '3D assets come from the R2 replica only', since: null, lastProbe: null };
  return {
    state: cdn.state === 'up' ? 'up' : 'down',
    detail:
      cdn.state === 'up' ? 'serving 3D assets' : `down: 3D assets come from the R2 replica (${cdn.lastProbe?.error ?? 'probe failed'})`,
    since: cdn.since,
    lastProbe: cdn.lastProbe,
  };
}

/** `undefined`: KV did not answer; `null`: nothing published yet. */
function snapshotComponent(pointer: SnapshotPointer | null | undefined, now: number): ComponentStatus {
  if (pointer === undefined)
    return { state: 'unknown', detail: 'the catalog store (KV) did not answer in time', since: null, lastProbe: null };
  const current = pointer?.versions[0];
  if (!current)
    return { state: 'down', detail: 'no PIM snapshot published: degraded mode has no catalog to show', since: null, lastProbe: null };
  const ageS = Math.round((now - Date.parse(current.generatedAt)) / 1000);
  return {
    state: ageS > SNAPSHOT_STALE_S ? 'degraded' : 'up',
    detail: `${current.productCount} products, version ${current.version}, ${ageText(ageS)} old${ageS > SNAPSHOT_STALE_S ? ' (stale)' : ''}`,
    since: current.publishedAt,
    lastProbe: null,
  };
}

function outboxComponent(counts: OutboxCounts): ComponentStatus {
  const shards = 8;
  const state: ComponentState =
    counts.unreachableShards >= shards ? 'down' : counts.unreachableShards > 0 || counts.deadLetter > 0 ? 'degraded' : 'up';
  return {
    state,
    detail: `${counts.pending} waiting for the origin, ${counts.deadLetter} dead-lettered${counts.unreachableShards ? `, ${counts.unreachableShards} shards not answering` : ''}`,
    since: null,
    lastProbe: null,
  };
}

function webhooksComponent(configured: number, signed: boolean, targets: WebhookTarget[] | null): ComponentStatus {
  const none = { since: null, lastProbe: null };
  if (configured === 0) return { state: 'unconfigured', detail: 'no WEBHOOK_URLS set', ...none };
  if (!signed) return { state: 'down', detail: 'WEBHOOK_SECRET is not set: events are not sent', ...none };
  if (!targets) return { state: 'unknown', detail: 'the webhook queue did not answer in time', ...none };
  const failing = targets.filter((t) => t.deadLetter > 0 || (t.pending > 0 && t.lastError));
  return {
    state: failing.length ? 'degraded' : 'up',
    detail: failing.length
      ? `${failing.length} of ${configured} receivers failing: ${failing.map((t) => t.lastError ?? 'dead-lettered').join('; ')}`
      : `${configured} receivers, ${targets.reduce((n, t) => n + t.delivered, 0)} events delivered`,
    ...none,
  };
}

function ageText(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7_200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3_600)} h`;
  return `${Math.round(seconds / 86_400)} days`;
}
