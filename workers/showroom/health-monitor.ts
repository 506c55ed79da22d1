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
 * RPC: `status()`, `report(failures, successes, detail?)`, `probeNow()`, `setAssetFlags(flags)`.
 * Isolates cache `status()` for about a second; no request waits on this object.
 */
import { DurableObject } from 'cloudflare:workers';
import { ASSET_POLICY_KEY, type AssetPolicy } from '../shared/assets/asset-policy.ts';
import { MODE_POLICY_DEFAULTS, type ModeState, type ModeTransition, modeApply, modeInitial } from '../shared/resilience/mode-policy.ts';
import { readConfig } from './config.ts';
import { OUTBOX_SHARDS, outboxStub } from './outbox-shards.ts';

export interface ProbeResult {
  at: string;
  ok: boolean;
  latencyMs: number;
  status?: number;
  error?: string;
}

export interface MonitorStatus {
  mode: ModeState['mode'];
  since: string;
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
}

export class HealthMonitor extends DurableObject<Env> {
  #state: Stored = { mode: modeInitial(Date.now()), lastProbe: null, transitions: [] };

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      const stored = await ctx.storage.get<Stored>('state');
      if (stored) this.#state = stored;
    });
  }

  /** Current mode and origin health; arms the probe alarm if it is not armed. */
  async status(): Promise<MonitorStatus> {
    const next = await this.#ensureAlarm();
    const { mode, lastProbe, transitions } = this.#state;
    return {
      mode: mode.mode,
      since: new Date(mode.since).toISOString(),
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
    console.log(JSON.stringify({ event: 'asset-flags', ...this.#state.assetFlags }));
    await this.#publishAssetPolicy();
    await this.ctx.storage.put('state', this.#state);
    return this.#assetStatus();
  }

  /** Passive observations from requests (batched per isolate). */
  async report(failures: number, _successes: number, detail?: string): Promise<void> {
    await this.#ensureAlarm();
    if (failures > 0) await this.#apply({ type: 'passive', failures, at: Date.now(), detail });
  }

  /** Probes right away (ops, tests); the regular schedule is untouched. */
  async probeNow(): Promise<MonitorStatus> {
    await this.#probe();
    return this.status();
  }

  override async alarm(): Promise<void> {
    try {
      await Promise.all([this.#probe(), this.#probeAssetCdn()]);
      await this.#publishAssetPolicy();
      await this.ctx.storage.put('state', this.#state);
    } finally {
      await this.ctx.storage.setAlarm(Date.now() + readConfig(this.env).probeIntervalMs);
    }
  }

  async #probe(): Promise<void> {
    const { originUrl, probeTimeoutMs } = readConfig(this.env);
    const probe = await probeUrl(`${originUrl}/healthz`, probeTimeoutMs, async (res) => {
      const body = (await res.json().catch(() => null)) as { ok?: unknown } | null;
      return res.ok && body?.ok === true;
    });
    this.#state.lastProbe = probe;
    await this.#apply({ type: 'probe', ok: probe.ok, at: Date.now(), detail: probe.error });
  }

  /** One probe of the primary asset CDN (any 2xx/3xx of its probe path is healthy); nothing when none is configured. */
  async #probeAssetCdn(): Promise<void> {
    const { assetPrimaryUrl, assetProbePath, probeTimeoutMs } = readConfig(this.env);
    if (!assetPrimaryUrl) return;
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
    if (transition) {
      const to = transition.to === 'live' ? 'up' : 'down';
      console.log(JSON.stringify({ event: 'asset-cdn-change', to, reason: transition.reason, at: new Date(transition.at).toISOString() }));
    }
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
      this.#state.transitions = [...this.#state.transitions, transition].slice(-MAX_TRANSITIONS);
      console.log(JSON.stringify({ event: 'mode-change', ...transition, at: new Date(transition.at).toISOString() }));
      // The origin is back: every outbox shard replays its queue now, not at its next backoff step.
      if (transition.to === 'live') this.ctx.waitUntil(replayAllShards(this.env));
    }
    await this.ctx.storage.put('state', this.#state);
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
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
    const ok = await healthy(res);
    return {
      at: new Date().toISOString(),
      ok,
      latencyMs: Date.now() - started,
      status: res.status,
      error: ok ? undefined : `status ${res.status}`,
    };
  } catch (err) {
    const error =
      err instanceof Error && err.name === 'TimeoutError'
        ? `no answer within ${timeoutMs} ms`
        : String(err instanceof Error ? err.message : err);
    return { at: new Date().toISOString(), ok: false, latencyMs: Date.now() - started, error };
  }
}

async function replayAllShards(env: Env): Promise<void> {
  const results = await Promise.allSettled(Array.from({ length: OUTBOX_SHARDS }, (_, shard) => outboxStub(env, shard).replayNow()));
  const failed = results.filter((r) => r.status === 'rejected').length;
  console.log(JSON.stringify({ event: 'outbox-replay-on-recovery', shards: OUTBOX_SHARDS, failed }));
}
