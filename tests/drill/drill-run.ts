/**
 * One drill against one deployment: the shopper load runs from start to end
 * while the fault timeline plays on the example origin (steady → fault →
 * recovery, per scenario). For the edge, `/status.json` is polled every
 * 100 ms so mode flips are timed; afterwards the outbox is given time to drain
 * and the origin's database is read back to count lost and duplicated writes.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ControlClient } from '../../examples/origin/control-client.ts';
import type { Scenario, ScenarioName } from './scenarios.ts';
import { type Sample, type ShopperData, startLoad, type TargetKind, type TrackedWrite } from './shopper-load.ts';

export type PhaseName = 'steady' | 'fault' | 'recovery';

export interface Phase {
  scenario: ScenarioName;
  name: PhaseName;
  /** ms on the drill clock. */
  start: number;
  end: number;
}

/** A state change seen at the edge: the showroom's mode, or where assets come from. */
export interface ModeMark {
  t: number;
  channel: 'origin' | 'asset-cdn';
  to: string;
}

export interface TimelinePlan {
  steadySeconds: number;
  faultSeconds: number;
  /** Recovery lasts at least this long... */
  recoveryMinSeconds: number;
  /** ...and, at the edge, until it is back to `live` with assets from the primary CDN, but never longer than this. */
  recoveryMaxSeconds: number;
}

export interface TargetRun {
  target: TargetKind;
  baseUrl: string;
  samples: Sample[];
  phases: Phase[];
  marks: ModeMark[];
  /** Probe interval and origin deadline the edge reported (ms); null for nginx. */
  probeIntervalMs: number | null;
  originDeadlineMs: number | null;
  writes: TrackedWrite[];
  /** Rows in the origin's database per `<kind>/<key>` of this run. */
  stored: Record<string, number>;
  /** Writes still waiting in the edge's outbox when the drill stopped waiting for it to drain. */
  pendingAtEnd: number;
  /** The monitor's own record of this run's mode changes, with reasons (the edge only). */
  transitions: MonitorTransition[];
  durationMs: number;
}

export interface RunOptions {
  target: TargetKind;
  baseUrl: string;
  originUrl: string;
  control: ControlClient;
  scenarios: Scenario[];
  plan: TimelinePlan;
  connections: number;
  data: ShopperData;
  runId: string;
  /** For nginx: the recovery durations the edge needed (seconds), so both see the same timeline. */
  recoverySeconds?: number[];
  log: (line: string) => void;
  /** Called twice a second while the load runs (for a progress bar). */
  onTick?: (tick: DrillTick) => void;
}

export interface DrillTick {
  elapsedSeconds: number;
  scenario: ScenarioName | '';
  phase: PhaseName | '';
  requests: number;
  failures: number;
}

interface EdgeStatus {
  mode: string;
  probeIntervalMs?: number;
  originDeadlineMs?: number;
  assets?: { delivery?: string };
  outbox?: { pending: number };
  transitions?: MonitorTransition[];
}

/** A mode change as the HealthMonitor recorded it, with its reason. */
export interface MonitorTransition {
  from: string;
  to: string;
  at: string;
  reason: string;
}

async function edgeStatus(baseUrl: string): Promise<EdgeStatus | undefined> {
  try {
    const res = await fetch(`${baseUrl}/status.json`, { signal: AbortSignal.timeout(2_000) });
    return res.ok ? ((await res.json()) as EdgeStatus) : undefined;
  } catch {
    return undefined;
  }
}

export async function runDrillTarget(options: RunOptions): Promise<TargetRun> {
  const { plan, control, log } = options;
  const t0 = performance.now();
  const clock = () => performance.now() - t0;
  const edge = options.target === 'vitrine';
  const phases: Phase[] = [];
  const marks: ModeMark[] = [];
  let latest: EdgeStatus | undefined;
  let probeIntervalMs: number | null = null;
  let originDeadlineMs: number | null = null;

  let polling = edge;
  const poller = (async () => {
    let mode: string | undefined;
    let delivery: string | undefined;
    while (polling) {
      const s = await edgeStatus(options.baseUrl);
      if (s) {
        latest = s;
        probeIntervalMs ??= s.probeIntervalMs ?? null;
        originDeadlineMs ??= s.originDeadlineMs ?? null;
        const t = clock();
        if (s.mode !== mode) marks.push({ t, channel: 'origin', to: s.mode });
        const d = s.assets?.delivery ?? 'primary';
        if (d !== delivery) marks.push({ t, channel: 'asset-cdn', to: d });
        mode = s.mode;
        delivery = d;
      }
      await sleep(100);
    }
  })();

  const load = startLoad({
    baseUrl: options.baseUrl,
    target: options.target,
    data: options.data,
    connections: options.connections,
    maxSeconds: 3_600,
    maxRequests: 2_000_000,
    runId: options.runId,
    clock,
  });
  let failuresSeen = 0;
  let counted = 0;
  const ticker = setInterval(() => {
    for (; counted < load.samples.length; counted++) if (load.samples[counted]!.failure) failuresSeen++;
    const current = phases.at(-1);
    options.onTick?.({
      elapsedSeconds: Math.round(clock() / 1000),
      scenario: current?.scenario ?? '',
      phase: current?.name ?? '',
      requests: load.samples.length,
      failures: failuresSeen,
    });
  }, 500);
  const phase = async (scenario: ScenarioName, name: PhaseName, body: () => Promise<void>) => {
    const p: Phase = { scenario, name, start: clock(), end: 0 };
    phases.push(p);
    await body();
    p.end = clock();
  };
  const settled = () => latest?.mode === 'live' && (latest.assets?.delivery ?? 'primary') === 'primary';

  try {
    for (const [i, scenario] of options.scenarios.entries()) {
      log(
        `  ${options.target}: ${scenario.name}: steady ${plan.steadySeconds} s, fault ${plan.faultSeconds} s (${scenario.what}), recovery`,
      );
      await phase(scenario.name, 'steady', () => sleep(plan.steadySeconds * 1000));
      await phase(scenario.name, 'fault', async () => {
        for (const rule of scenario.rules) await control.setFault(rule.spec, { path: rule.path });
        await sleep(plan.faultSeconds * 1000);
        for (const rule of scenario.rules) await control.setFault('ok', { path: rule.path });
      });
      await phase(scenario.name, 'recovery', async () => {
        const started = clock();
        const fixed = options.recoverySeconds?.[i];
        if (fixed !== undefined || !edge) return sleep((fixed ?? plan.recoveryMinSeconds) * 1000);
        while (clock() - started < plan.recoveryMaxSeconds * 1000) {
          if (clock() - started >= plan.recoveryMinSeconds * 1000 && settled()) return;
          await sleep(100);
        }
      });
    }
  } finally {
    for (const scenario of options.scenarios)
      for (const rule of scenario.rules) await control.setFault('ok', { path: rule.path }).catch(() => {});
    clearInterval(ticker);
    await load.stop();
  }
  const durationMs = clock();

  let pendingAtEnd = 0;
  if (edge) {
    // Every write the edge queued should reach the origin once it is live again (bounded).
    for (let i = 0; i < 300; i++) {
      if (latest?.mode === 'live' && (latest.outbox?.pending ?? 0) === 0) break;
      await sleep(200);
    }
    pendingAtEnd = latest?.outbox?.pending ?? 0;
  }
  polling = false;
  await poller;
  const startedAt = Date.now() - performance.now() + t0;
  const transitions = (latest?.transitions ?? []).filter((t) => Date.parse(t.at) >= startedAt);
  return {
    target: options.target,
    baseUrl: options.baseUrl,
    samples: load.samples,
    phases,
    marks,
    probeIntervalMs,
    originDeadlineMs,
    writes: [...load.writes.values()],
    stored: await storedWrites(options.originUrl, options.runId),
    pendingAtEnd,
    transitions,
    durationMs,
  };
}

/** Rows in the origin's database per `<kind>/<key>`, for this run's keys only. */
export async function storedWrites(originUrl: string, runId: string): Promise<Record<string, number>> {
  const stored: Record<string, number> = {};
  for (const kind of ['orders', 'leads'] as const) {
    const res = await fetch(`${originUrl}/api/${kind}`, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`drill: reading ${originUrl}/api/${kind} answered ${res.status}`);
    const { items } = (await res.json()) as { items: { idempotencyKey: string }[] };
    for (const { idempotencyKey } of items) {
      if (!idempotencyKey.startsWith(`${runId}-`)) continue;
      const id = `${kind}/${idempotencyKey}`;
      stored[id] = (stored[id] ?? 0) + 1;
    }
  }
  return stored;
}
