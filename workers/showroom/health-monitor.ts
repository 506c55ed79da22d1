/**
 * HealthMonitor Durable Object: the one place that decides the showroom's mode.
 *
 * - Probes the origin's `/healthz` on an alarm every `PROBE_INTERVAL_MS`.
 * - Takes passive failure reports, batched by isolates.
 * - Applies the hysteresis policy (mode-policy.ts) and keeps the transitions.
 * - On the transition back to live, tells every outbox shard to replay its queue.
 * - Asset delivery: probes the primary asset CDN (`ASSET_PRIMARY_URL` +
 *   `ASSET_PRIMARY_PROBE_PATH`, when configured) on the same alarm, with the same
 *   hysteresis, and keeps ops' flags (LOD cap, 3D off); the resulting asset policy
 *   is written to KV for the asset worker whenever it changes (asset-policy.ts).
 *
 * - Ops may force the mode (`setMode`: live or degraded, with a reason and an
 *   expiry, or back to auto); the effective mode is the override while it lasts.
 * - Keeps an incident per outage (ops/incident-log.ts): opened when the effective
 *   mode degrades or the asset CDN goes down, with the channel; updated by ops
 *   (`postUpdate`); resolved on recovery. Each step queues a signed webhook per
 *   WEBHOOK_URLS entry in the outbox's webhook shard, which retries until the
 *   receiver has it.
 *
 * RPC: `status()`, `report(failures, successes, detail?)`, `probeNow()`, `setAssetFlags(flags)`,
 * `setMode(request)`, `postUpdate(message)`.
 * Isolates cache `status()` for about a second; no request waits on this object.
 */
import { DurableObject } from 'cloudflare:workers';
import { ASSET_POLICY_KEY, type AssetPolicy } from '../shared/assets/asset-policy.ts';
import { logEvent, useMetrics } from '../shared/observability/log-event.ts';
import { MODE_POLICY_DEFAULTS, type ModeState, type ModeTransition, modeApply, modeInitial } from '../shared/resilience/mode-policy.ts';
import { readConfig } from './config.ts';
import { addChannel, addUpdate, type Incident, openIncident, resolveIncident } from './ops/incident-log.ts';
import { type OutageChannel, priorityFor } from './ops/incident-priority.ts';
import { activeOverride, effectiveMode, type ModeOverride, type ModeRequest, overrideFrom } from './ops/mode-override.ts';
import { type WebhookEventType, webhookEvent } from './ops/webhook-events.ts';
import { OUTBOX_SHARDS, outboxStub, WEBHOOK_SHARD } from './outbox-shards.ts';

export interface ProbeResult {
  at: string;
  ok: boolean;
  latencyMs: number;
  status?: number;
  error?: string;
}

export interface MonitorStatus {
  /** The mode served: ops' override while it lasts, else the policy's decision (`auto`). */
  mode: ModeState['mode'];
  since: string;
  auto: { mode: ModeState['mode']; since: string };
  override: { mode: ModeState['mode']; reason: string; channel: OutageChannel; setAt: string; expiresAt: string } | null;
  incident: Incident | null;
  /** Resolved incidents, newest first. */
  recentIncidents: Incident[];
  origin: { url: string; consecutiveFailures: number; consecutiveSuccesses: number; lastProbe: ProbeResult | null };
  probeIntervalMs: number;
  nextProbeAt: string | null;
  transitions: { from: string; to: string; at: string; reason: string }[];
  assets: AssetStatus;
}

/** Asset delivery as ops see it: where assets come from, the primary CDN's health, and ops' flags. */
export interface AssetStatus {
  /** `primary`: the merchant's CDN answers first; `replica`: R2 only (no CDN configured, or it is down). */
  delivery: 'primary' | 'replica';
  primaryCdn: { url: string | null; state: 'up' | 'down' | 'unconfigured'; since: string; lastProbe: ProbeResult | null };
  policy: AssetPolicy;
}

/** Ops' asset flags; a field left out keeps its current value. */
export interface AssetFlags {
  maxLod?: number | null;
  viewer3d?: boolean;
}

const MAX_TRANSITIONS = 50;
const MAX_RECENT_INCIDENTS = 20;
const CHANNEL_WORDS: Record<OutageChannel, string> = {
  origin: 'the store system (origin)',
  'asset-cdn': 'the 3D asset CDN',
  auth: 'sign-in',
  'third-party': 'a third-party service',
};

interface Stored {
  mode: ModeState;
  lastProbe: ProbeResult | null;
  transitions: ModeTransition[];
  /** The primary asset CDN's health, as a live (up) / degraded (down) mode with the same hysteresis. */
  assetCdn?: ModeState;
  assetProbe?: ProbeResult | null;
  assetFlags?: { maxLod: number | null; viewer3d: boolean; updatedAt?: string };
  /** The policy last written to KV (to write only changes). */
  publishedPolicy?: string;
  override?: ModeOverride | null;
  /** The mode last served (override or auto) and since when. */
  effective?: { mode: ModeState['mode']; since: number };
  incident?: Incident | null;
  incidents?: Incident[];
  webhookSeq?: number;
}

export class HealthMonitor extends DurableObject<Env> {
  #state: Stored = { mode: modeInitial(Date.now()), lastProbe: null, transitions: [] };

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    useMetrics(env);
    ctx.blockConcurrencyWhile(async () => {
      const stored = await ctx.storage.get<Stored>('state');
      if (stored) this.#state = stored;
      // States stored before overrides existed: the mode served so far was the policy's.
      this.#state.effective ??= { mode: this.#state.mode.mode, since: this.#state.mode.since };
    });
  }

  /** Current mode and origin health; arms the probe alarm if it is not armed. */
  async status(): Promise<MonitorStatus> {
    const next = await this.#ensureAlarm();
    if (this.#state.override && !activeOverride(this.#state.override, Date.now())) await this.#settle('the ops override expired');
    const { mode, lastProbe, transitions } = this.#state;
    const effective = this.#effective();
    const override = activeOverride(this.#state.override, Date.now());
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      mode: effective.mode,
      since: iso(effective.since),
      auto: { mode: mode.mode, since: iso(mode.since) },
      override: override && { ...override, setAt: iso(override.setAt), expiresAt: iso(override.expiresAt) },
      incident: this.#state.incident ?? null,
      recentIncidents: this.#state.incidents ?? [],
      origin: {
        url: readConfig(this.env).originUrl,
        consecutiveFailures: mode.consecutiveFailures,
        consecutiveSuccesses: mode.consecutiveSuccesses,
        lastProbe,
      },
      probeIntervalMs: readConfig(this.env).probeIntervalMs,
      nextProbeAt: next ? new Date(next).toISOString() : null,
      transitions: transitions.map((t) => ({ ...t, at: new Date(t.at).toISOString() })).reverse(),
      assets: this.#assetStatus(),
    };
  }

  /** Sets ops' asset flags (LOD cap, 3D on/off), publishes the policy, and returns the asset status. */
  async setAssetFlags(flags: AssetFlags): Promise<AssetStatus> {
    const current = this.#state.assetFlags ?? { maxLod: null, viewer3d: true };
    this.#state.assetFlags = {
      maxLod: flags.maxLod === undefined ? current.maxLod : flags.maxLod,
      viewer3d: flags.viewer3d ?? current.viewer3d,
      updatedAt: new Date().toISOString(),
    };
    logEvent({ event: 'asset-flags', ...this.#state.assetFlags });
    await this.#publishAssetPolicy();
    await this.ctx.storage.put('state', this.#state);
    return this.#assetStatus();
  }

  /** Ops: force `live` or `degraded` (reason, expiry), or hand the decision back to the policy (`auto`). */
  async setMode(request: ModeRequest): Promise<MonitorStatus> {
    const now = Date.now();
    this.#state.override = overrideFrom(request, now);
    logEvent({ event: 'mode-override', mode: request.mode, reason: request.reason, expiresInSeconds: request.expiresInSeconds });
    await this.#settle(request.mode === 'auto' ? `ops: back to auto (${request.reason})` : `ops: ${request.reason}`);
    return this.status();
  }

  /** Ops: an update on the current incident (shown on /status, in the banner, sent to webhooks); null when there is none. */
  async postUpdate(message: string): Promise<Incident | null> {
    const incident = this.#state.incident;
    if (!incident) return null;
    this.#state.incident = addUpdate(incident, message, 'ops', Date.now(), readConfig(this.env).incidentUpdateMinutes);
    logEvent({ event: 'incident-update', incident: incident.id, message });
    await this.#emit('updated', this.#state.incident);
    await this.ctx.storage.put('state', this.#state);
    return this.#state.incident;
  }

  /**
   * Passive observations from requests (batched per isolate); `lastFailureAt` is when the batch's last failure was
   * seen, `breakerOpened` that one of them opened the isolate's circuit breaker.
   */
  async report(failures: number, _successes: number, detail?: string, lastFailureAt?: number, breakerOpened = false): Promise<void> {
    await this.#ensureAlarm();
    const now = Date.now();
    const at = lastFailureAt !== undefined && Number.isFinite(lastFailureAt) ? Math.min(lastFailureAt, now) : now;
    if (failures > 0) await this.#apply({ type: 'passive', failures, at, detail, breakerOpened });
  }

  /** Probes right away (ops, tests); the regular schedule is untouched. */
  async probeNow(): Promise<MonitorStatus> {
    await this.#probe();
    return this.status();
  }

  override async alarm(): Promise<void> {
    const started = Date.now();
    try {
      const [, cdnChange] = await Promise.all([this.#probe(), this.#probeAssetCdn()]);
      await this.#settle(cdnChange ?? this.#state.lastProbe?.error ?? 'probe');
      await this.#publishAssetPolicy();
      await this.ctx.storage.put('state', this.#state);
    } finally {
      await this.ctx.storage.setAlarm(this.#nextProbeAt(started));
    }
  }

  /**
   * Probes keep their cadence from when each began (a slow probe does not stretch the interval); after a
   * failed probe of a channel still up, the confirming probe comes after half an interval, so a flip needs
   * at most about 1.5 intervals from the fault rather than 2 plus the probes' own time.
   */
  #nextProbeAt(started: number): number {
    const { probeIntervalMs } = readConfig(this.env);
    const suspect = (state: ModeState | undefined) => state?.mode === 'live' && state.consecutiveFailures > 0;
    const interval = suspect(this.#state.mode) || suspect(this.#state.assetCdn) ? probeIntervalMs / 2 : probeIntervalMs;
    return Math.max(started + interval, Date.now() + 50);
  }

  async #probe(): Promise<void> {
    const { originUrl, probeTimeoutMs } = readConfig(this.env);
    const probe = await probeUrl(`${originUrl}/healthz`, probeTimeoutMs, async (res) => {
      const body = (await res.json().catch(() => null)) as { ok?: unknown } | null;
      return res.ok && body?.ok === true;
    });
    this.#state.lastProbe = probe;
    if (!probe.ok) logEvent({ event: 'probe-failed', target: 'origin', error: probe.error, latencyMs: probe.latencyMs });
    await this.#apply({ type: 'probe', ok: probe.ok, at: Date.now(), detail: probe.error });
  }

  /**
   * One probe of the primary asset CDN (any 2xx/3xx of its probe path is healthy); nothing when none is configured.
   * Returns the reason when its state changed.
   */
  async #probeAssetCdn(): Promise<string | null> {
    const { assetPrimaryUrl, assetProbePath, probeTimeoutMs } = readConfig(this.env);
    if (!assetPrimaryUrl) return null;
    const probe = await probeUrl(`${assetPrimaryUrl}${assetProbePath}`, probeTimeoutMs, async (res) => {
      await res.body?.cancel();
      return res.status < 400;
    });
    const before = this.#state.assetCdn ?? modeInitial(Date.now());
    const { state, transition } = modeApply(
      before,
      { type: 'probe', ok: probe.ok, at: Date.now(), detail: probe.error },
      MODE_POLICY_DEFAULTS,
    );
    this.#state.assetCdn = state;
    this.#state.assetProbe = probe;
    if (!probe.ok) logEvent({ event: 'probe-failed', target: 'asset-cdn', error: probe.error, latencyMs: probe.latencyMs });
    if (transition) {
      const to = transition.to === 'live' ? 'up' : 'down';
      logEvent({ event: 'asset-cdn-change', to, reason: transition.reason, at: new Date(transition.at).toISOString() });
      return `asset CDN ${to}: ${transition.reason}`;
    }
    return null;
  }

  #assetPolicy(): AssetPolicy {
    const flags = this.#state.assetFlags ?? { maxLod: null, viewer3d: true };
    const down = this.#state.assetCdn?.mode === 'degraded';
    return { primaryCdn: down ? 'down' : 'up', maxLod: flags.maxLod, viewer3d: flags.viewer3d };
  }

  #assetStatus(): AssetStatus {
    const { assetPrimaryUrl } = readConfig(this.env);
    const cdn = this.#state.assetCdn;
    const state = !assetPrimaryUrl ? 'unconfigured' : cdn?.mode === 'degraded' ? 'down' : 'up';
    return {
      delivery: state === 'up' ? 'primary' : 'replica',
      primaryCdn: {
        url: assetPrimaryUrl || null,
        state,
        since: new Date(cdn?.since ?? this.#state.mode.since).toISOString(),
        lastProbe: this.#state.assetProbe ?? null,
      },
      policy: { ...this.#assetPolicy(), updatedAt: this.#state.assetFlags?.updatedAt },
    };
  }

  /** Writes the asset policy to KV when it differs from what was last written. */
  async #publishAssetPolicy(): Promise<void> {
    const policy = this.#assetPolicy();
    const text = JSON.stringify(policy);
    if (text === this.#state.publishedPolicy) return;
    await this.env.CATALOG_KV.put(ASSET_POLICY_KEY, JSON.stringify({ ...policy, updatedAt: new Date().toISOString() }));
    this.#state.publishedPolicy = text;
  }

  async #apply(event: Parameters<typeof modeApply>[1]): Promise<void> {
    const { state, transition } = modeApply(this.#state.mode, event, MODE_POLICY_DEFAULTS);
    this.#state.mode = state;
    if (transition) {
      logEvent({ event: 'auto-mode-change', ...transition, at: new Date(transition.at).toISOString() });
      await this.#settle(transition.reason);
    }
    await this.ctx.storage.put('state', this.#state);
  }

  /** The mode served and since when. */
  #effective(): { mode: ModeState['mode']; since: number } {
    return this.#state.effective ?? { mode: this.#state.mode.mode, since: this.#state.mode.since };
  }

  /**
   * After anything that may change the mode served or what is failing: drops an expired override, records a
   * transition of the effective mode (replaying the outbox when it is live again), and opens, extends or
   * resolves the incident.
   */
  async #settle(reason: string): Promise<void> {
    const now = Date.now();
    if (this.#state.override && !activeOverride(this.#state.override, now)) {
      logEvent({ event: 'mode-override-expired', mode: this.#state.override.mode, reason: this.#state.override.reason });
      this.#state.override = null;
    }
    const before = this.#effective();
    const mode = effectiveMode(this.#state.mode.mode, this.#state.override, now);
    if (mode !== before.mode) {
      const transition = { from: before.mode, to: mode, at: now, reason };
      this.#state.effective = { mode, since: now };
      this.#state.transitions = [...this.#state.transitions, transition].slice(-MAX_TRANSITIONS);
      logEvent({ event: 'mode-change', ...transition, at: new Date(now).toISOString() });
      // The origin is back: every outbox shard replays its queue now, not at its next backoff step.
      if (mode === 'live') this.ctx.waitUntil(replayAllShards(this.env));
    } else if (!this.#state.effective) this.#state.effective = before;
    await this.#syncIncident(reason, now);
    await this.ctx.storage.put('state', this.#state);
  }

  async #syncIncident(reason: string, now: number): Promise<void> {
    const minutes = readConfig(this.env).incidentUpdateMinutes;
    const override = activeOverride(this.#state.override, now);
    const affected: OutageChannel[] = [];
    if (this.#effective().mode === 'degraded') affected.push(override?.mode === 'degraded' ? override.channel : 'origin');
    if (this.#state.assetCdn?.mode === 'degraded') affected.push('asset-cdn');
    let incident = this.#state.incident ?? null;
    if (!incident && affected.length > 0) {
      incident = openIncident(affected[0]!, `${CHANNEL_WORDS[affected[0]!]} is failing: ${reason}`, now, minutes);
      for (const channel of affected.slice(1)) incident = addChannel(incident, channel);
      this.#state.incident = incident;
      logEvent({ event: 'incident-opened', incident: incident.id, channel: incident.channel, reason });
      await this.#emit('opened', incident);
    } else if (incident && affected.length > 0) {
      const added = affected.filter((c) => !incident!.channels.includes(c));
      if (added.length === 0) return;
      for (const channel of added) {
        incident = addUpdate(addChannel(incident, channel), `${CHANNEL_WORDS[channel]} is failing too: ${reason}`, 'system', now, minutes);
      }
      this.#state.incident = incident;
      await this.#emit('updated', incident);
    } else if (incident) {
      const resolved = resolveIncident(incident, now);
      this.#state.incident = null;
      this.#state.incidents = [resolved, ...(this.#state.incidents ?? [])].slice(0, MAX_RECENT_INCIDENTS);
      logEvent({ event: 'incident-resolved', incident: resolved.id, durationSeconds: resolved.durationSeconds });
      await this.#emit('resolved', resolved);
    }
  }

  /** Queues the incident event for every webhook URL (durably, in the outbox's webhook shard); never throws. */
  async #emit(type: WebhookEventType, incident: Incident): Promise<void> {
    const config = readConfig(this.env);
    this.#state.webhookSeq = (this.#state.webhookSeq ?? 0) + 1;
    if (config.webhookUrls.length === 0) return;
    if (!this.env.WEBHOOK_SECRET) {
      logEvent({ event: 'webhook-skipped', reason: 'WEBHOOK_SECRET is not set', incident: incident.id, type });
      return;
    }
    const event = webhookEvent(type, incident, {
      seq: this.#state.webhookSeq,
      priority: priorityFor(incident.channel, new Date(incident.openedAt), config.priorityRules),
      fallbackUrl: config.fallbackUrl,
      statusUrl: `${config.canonicalOrigin}/status`,
      mode: this.#effective().mode,
    });
    const body = JSON.stringify(event);
    const outbox = outboxStub(this.env, WEBHOOK_SHARD);
    for (const [i, url] of config.webhookUrls.entries()) {
      try {
        await outbox.acceptWebhook({ key: `${event.event_id}:${i}`, target: url, body });
      } catch (err) {
        logEvent({ event: 'webhook-queue-failed', incident: incident.id, type, url, error: String(err) });
      }
    }
  }

  async #ensureAlarm(): Promise<number | null> {
    const current = await this.ctx.storage.getAlarm();
    if (current !== null) return current;
    const next = Date.now() + readConfig(this.env).probeIntervalMs;
    await this.ctx.storage.setAlarm(next);
    return next;
  }
}

/** GETs `url` within `timeoutMs`; `healthy` judges the answer. Never throws. */
async function probeUrl(url: string, timeoutMs: number, healthy: (res: Response) => Promise<boolean>): Promise<ProbeResult> {
  const started = Date.now();
  // A timer cleared when the probe settles: AbortSignal.timeout's would keep this object busy until it fires.
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const res = await fetch(url, { signal: abort.signal, headers: { accept: 'application/json' } });
    const ok = await healthy(res);
    return {
      at: new Date().toISOString(),
      ok,
      latencyMs: Date.now() - started,
      status: res.status,
      error: ok ? undefined : `status ${res.status}`,
    };
  } catch (err) {
    const error = abort.signal.aborted ? `no answer within ${timeoutMs} ms` : String(err instanceof Error ? err.message : err);
    return { at: new Date().toISOString(), ok: false, latencyMs: Date.now() - started, error };
  } finally {
    clearTimeout(timer);
  }
}

async function replayAllShards(env: Env): Promise<void> {
  const results = await Promise.allSettled(Array.from({ length: OUTBOX_SHARDS }, (_, shard) => outboxStub(env, shard).replayNow()));
  const failed = results.filter((r) => r.status === 'rejected').length;
  logEvent({ event: 'outbox-replay-on-recovery', shards: OUTBOX_SHARDS, failed });
}
