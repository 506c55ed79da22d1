/**
 * HealthMonitor Durable Object: the one place that decides the showroom's mode.
 *
 * - Probes the origin's `/healthz` on an alarm every `PROBE_INTERVAL_MS`.
 * - Takes passive failure reports, batched by isolates.
 * - Applies the hysteresis policy (mode-policy.ts) and keeps the transitions.
 *
 * RPC: `status()`, `report(failures, successes, detail?)`, `probeNow()`.
 * Isolates cache `status()` for about a second; no request waits on this object.
 */
import { DurableObject } from 'cloudflare:workers';
import { MODE_POLICY_DEFAULTS, type ModeState, type ModeTransition, modeApply, modeInitial } from '../shared/resilience/mode-policy.ts';
import { readConfig } from './config.ts';

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
}

const MAX_TRANSITIONS = 50;

interface Stored {
  mode: ModeState;
  lastProbe: ProbeResult | null;
  transitions: ModeTransition[];
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
    };
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
      await this.#probe();
    } finally {
      await this.ctx.storage.setAlarm(Date.now() + readConfig(this.env).probeIntervalMs);
    }
  }

  async #probe(): Promise<void> {
    const { originUrl, probeTimeoutMs } = readConfig(this.env);
    const started = Date.now();
    let probe: ProbeResult;
    try {
      const res = await fetch(`${originUrl}/healthz`, {
        signal: AbortSignal.timeout(probeTimeoutMs),
        headers: { accept: 'application/json' },
      });
      const body = (await res.json().catch(() => null)) as { ok?: unknown } | null;
      const ok = res.ok && body?.ok === true;
      probe = {
        at: new Date().toISOString(),
        ok,
        latencyMs: Date.now() - started,
        status: res.status,
        error: ok ? undefined : `status ${res.status}`,
      };
    } catch (err) {
      const error =
        err instanceof Error && err.name === 'TimeoutError'
          ? `no answer within ${probeTimeoutMs} ms`
          : String(err instanceof Error ? err.message : err);
      probe = { at: new Date().toISOString(), ok: false, latencyMs: Date.now() - started, error };
    }
    this.#state.lastProbe = probe;
    await this.#apply({ type: 'probe', ok: probe.ok, at: Date.now(), detail: probe.error });
  }

  async #apply(event: Parameters<typeof modeApply>[1]): Promise<void> {
    const { state, transition } = modeApply(this.#state.mode, event, MODE_POLICY_DEFAULTS);
    this.#state.mode = state;
    if (transition) {
      this.#state.transitions = [...this.#state.transitions, transition].slice(-MAX_TRANSITIONS);
      console.log(JSON.stringify({ event: 'mode-change', ...transition, at: new Date(transition.at).toISOString() }));
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
