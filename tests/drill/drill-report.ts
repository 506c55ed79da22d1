/**
 * From raw drill runs to `report.json`: per scenario and per phase the
 * requests, shopper-visible failures, latency percentiles and throughput;
 * the time from the fault to the first fallback answer and to the mode flip,
 * from recovery back to live; writes acknowledged against rows in the
 * origin's database; bytes by source; and the targets, checked.
 */
import type { ModeMark, Phase, PhaseName, TargetRun } from './drill-run.ts';
import type { Scenario, ScenarioName } from './scenarios.ts';
import type { Sample } from './shopper-load.ts';

/** The drill's targets (the issue's numbers). */
export const TARGETS = {
  failures: 0,
  lostWrites: 0,
  duplicatedWrites: 0,
  /** The mode flips within this many probe intervals of the fault. */
  flipProbeIntervals: 2,
  /** Back to live within this many seconds of recovery. */
  recoverSeconds: 10,
  /** p99 during origin-hang at most the origin deadline plus this. */
  hangP99SlackMs: 50,
} as const;

export interface LatencyStats {
  requests: number;
  failures: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** p99 of the edge's own time (Server-Timing), without the local network and proxy; null for nginx. */
  edgeP99Ms: number | null;
  requestsPerSecond: number;
}

export interface PhaseReport extends LatencyStats {
  name: PhaseName;
  startSeconds: number;
  seconds: number;
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface ScenarioReport extends LatencyStats {
  name: ScenarioName;
  what: string;
  /** Fault start → the edge's mode (or asset delivery) flipped; null if it never did (nginx has no mode). */
  flipSeconds: number | null;
  /** Fault start → the first answer from a fallback (snapshot, outbox, R2 replica; nginx: a stale cache entry). */
  firstFallbackSeconds: number | null;
  /** Fault cleared → back to live (nginx: the first fresh answer from the origin). */
  recoverSeconds: number | null;
  writes: {
    sent: number;
    acked: number;
    lost: number;
    duplicated: number;
    storedUnacked: number;
    /** Writes never acknowledged, by their answers (`409` still in flight, `none`: the drill stopped first). */
    unackedAnswers: Record<string, number>;
  };
  phases: PhaseReport[];
  bytesBySource: Record<string, number>;
  failuresByReason: Record<string, number>;
  failuresByKind: Record<string, number>;
  /** The first few failures, as `<kind> <path>: <reason>`. */
  failureExamples: string[];
  checks: Check[];
  pass: boolean;
}

export interface TimelinePoint {
  /** Bucket start, seconds since the run's start. */
  t: number;
  requests: number;
  failures: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

export interface TargetTimeline {
  bucketSeconds: number;
  points: TimelinePoint[];
  phases: { scenario: ScenarioName; name: PhaseName; start: number; end: number }[];
  marks: { t: number; channel: ModeMark['channel']; to: string }[];
}

export interface TargetReport {
  target: 'vitrine' | 'nginx';
  pass: boolean;
  scenarios: ScenarioReport[];
  timeline: TargetTimeline;
  pendingAtEnd: number;
  /** The HealthMonitor's transitions during the run, with reasons (empty for nginx). */
  transitions: TargetRun['transitions'];
  durationSeconds: number;
}

export interface DrillReport {
  pass: boolean;
  generatedAt: string;
  settings: Record<string, unknown>;
  targets: typeof TARGETS;
  scenarios: ScenarioReport[];
  /** The same load and fault timeline against nginx in front of the same origin; null when not run. */
  baseline: (Omit<TargetReport, 'target'> & { target: 'nginx'; config: string }) | null;
  timeline: TargetTimeline;
  pendingAtEnd: number;
  transitions: TargetRun['transitions'];
  durationSeconds: number;
}

const round = (n: number, digits = 1) => Number(n.toFixed(digits));

/** Nearest-rank percentile of sorted numbers (0 for none). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function latencyStats(samples: readonly Sample[], seconds: number): LatencyStats {
  const latencies = samples
    .filter((s) => s.status !== 0)
    .map((s) => s.latencyMs)
    .sort((a, b) => a - b);
  const edge = samples
    .filter((s) => s.edgeMs !== undefined)
    .map((s) => s.edgeMs!)
    .sort((a, b) => a - b);
  return {
    requests: samples.length,
    failures: samples.filter((s) => s.failure).length,
    p50Ms: round(percentile(latencies, 50)),
    p95Ms: round(percentile(latencies, 95)),
    p99Ms: round(percentile(latencies, 99)),
    edgeP99Ms: edge.length ? round(percentile(edge, 99)) : null,
    requestsPerSecond: seconds > 0 ? round(samples.length / seconds) : 0,
  };
}

/** Sums `weight` per key. */
function tally(keys: string[], weights?: number[]): Record<string, number> {
  const totals: Record<string, number> = {};
  keys.forEach((key, i) => {
    totals[key] = (totals[key] ?? 0) + (weights?.[i] ?? 1);
  });
  return totals;
}

function isFallback(run: TargetRun, channel: Scenario['channel'], s: Sample): boolean {
  if (s.failure) return false;
  if (run.target === 'nginx') return s.source === 'stale';
  return channel === 'asset-cdn' ? s.kind === 'asset' && s.source === 'r2' : s.source === 'snapshot' || s.source === 'outbox';
}

const isBad = (channel: Scenario['channel'], to: string) => (channel === 'asset-cdn' ? to !== 'primary' : to !== 'live');

/** Reduces one run to its per-scenario reports (with the targets checked when the run is the edge's). */
export function reportTarget(run: TargetRun, scenarios: Scenario[]): TargetReport {
  const reports = scenarios.map((scenario) => {
    const own = run.phases.filter((p) => p.scenario === scenario.name);
    const start = own[0]!.start;
    const end = own.at(-1)!.end;
    const fault = own.find((p) => p.name === 'fault')!;
    const recovery = own.find((p) => p.name === 'recovery')!;
    const samples = run.samples.filter((s) => s.t >= start && s.t < end);
    const inPhase = (p: Phase) => run.samples.filter((s) => s.t >= p.start && s.t < p.end);
    const phases: PhaseReport[] = own.map((p) => ({
      name: p.name,
      startSeconds: round(p.start / 1000, 2),
      seconds: round((p.end - p.start) / 1000, 2),
      ...latencyStats(inPhase(p), (p.end - p.start) / 1000),
    }));

    const channel = scenario.channel;
    const marks = run.marks.filter((m) => m.channel === channel);
    const flip = marks.find((m) => m.t >= fault.start && m.t < end && isBad(channel, m.to));
    const stateAtRecovery = marks.filter((m) => m.t <= recovery.start).at(-1);
    const backAt =
      stateAtRecovery && !isBad(channel, stateAtRecovery.to)
        ? recovery.start
        : marks.find((m) => m.t > recovery.start && !isBad(channel, m.to))?.t;
    const firstFallback = run.samples.find((s) => s.t >= fault.start && s.t < end && isFallback(run, channel, s));
    const freshAgain = run.samples.find((s) => s.t >= recovery.start && s.kind === 'api' && s.source === 'origin' && !s.failure);

    const writes = run.writes.filter((w) => w.sentAt >= start && w.sentAt < end);
    const stored = (w: (typeof writes)[number]) => run.stored[`${w.kind}/${w.key}`] ?? 0;
    const writeReport = {
      sent: writes.length,
      acked: writes.filter((w) => w.acked).length,
      lost: writes.filter((w) => w.acked && stored(w) === 0).length,
      duplicated: writes.filter((w) => stored(w) > 1).length,
      storedUnacked: writes.filter((w) => !w.acked && stored(w) > 0).length,
      unackedAnswers: tally(writes.filter((w) => !w.acked).map((w) => (w.answers.length ? [...new Set(w.answers)].join('+') : 'none'))),
    };

    const report: ScenarioReport = {
      name: scenario.name,
      what: scenario.what,
      ...latencyStats(samples, (end - start) / 1000),
      flipSeconds: run.target === 'vitrine' && flip ? round((flip.t - fault.start) / 1000, 2) : null,
      firstFallbackSeconds: firstFallback ? round((firstFallback.t - fault.start) / 1000, 2) : null,
      recoverSeconds:
        run.target === 'vitrine'
          ? backAt === undefined
            ? null
            : round((backAt - recovery.start) / 1000, 2)
          : freshAgain
            ? round((freshAgain.t - recovery.start) / 1000, 2)
            : null,
      writes: writeReport,
      phases,
      bytesBySource: tally(
        samples.map((s) => s.source),
        samples.map((s) => s.bytes),
      ),
      failuresByReason: tally(samples.filter((s) => s.failure).map((s) => s.failure!)),
      failuresByKind: tally(samples.filter((s) => s.failure).map((s) => s.kind)),
      failureExamples: [
        ...new Set(samples.filter((s) => s.failure).map((s) => `${s.kind} ${s.path || '(no request)'}: ${s.failure}`)),
      ].slice(0, 10),
      checks: [],
      pass: true,
    };
    report.checks = checksFor(run, scenario, report);
    report.pass = report.checks.every((c) => c.ok);
    return report;
  });
  return {
    target: run.target,
    pass: reports.every((r) => r.pass) && run.pendingAtEnd === 0,
    scenarios: reports,
    timeline: timelineOf(run),
    pendingAtEnd: run.pendingAtEnd,
    transitions: run.transitions,
    durationSeconds: round(run.durationMs / 1000),
  };
}

/** The targets, for one scenario. nginx is held to the same shopper-facing ones (failures, writes); it has no mode to flip. */
export function checksFor(
  run: Pick<TargetRun, 'target' | 'probeIntervalMs' | 'originDeadlineMs'>,
  scenario: Scenario,
  r: ScenarioReport,
): Check[] {
  const checks: Check[] = [
    { name: 'no shopper-visible failures', ok: r.failures === TARGETS.failures, detail: `${r.failures} of ${r.requests} requests` },
    {
      name: 'no lost or duplicated writes',
      ok: r.writes.lost === 0 && r.writes.duplicated === 0,
      detail: `${r.writes.acked} acknowledged, ${r.writes.lost} lost, ${r.writes.duplicated} duplicated`,
    },
  ];
  if (run.target !== 'vitrine') return checks;
  const probeMs = run.probeIntervalMs ?? 0;
  const flipLimit = (TARGETS.flipProbeIntervals * probeMs) / 1000;
  checks.push({
    name: `${scenario.channel === 'asset-cdn' ? 'assets switch to R2' : 'mode flips'} within ${TARGETS.flipProbeIntervals} probe intervals`,
    ok: r.flipSeconds !== null && r.flipSeconds <= flipLimit,
    detail: r.flipSeconds === null ? 'never flipped' : `${r.flipSeconds} s (limit ${flipLimit} s)`,
  });
  checks.push({
    name: `back to live within ${TARGETS.recoverSeconds} s of recovery`,
    ok: r.recoverSeconds !== null && r.recoverSeconds <= TARGETS.recoverSeconds,
    detail: r.recoverSeconds === null ? 'not back before the drill moved on' : `${r.recoverSeconds} s`,
  });
  if (scenario.name === 'origin-hang') {
    const fault = r.phases.find((p) => p.name === 'fault')!;
    const limit = (run.originDeadlineMs ?? 0) + TARGETS.hangP99SlackMs;
    checks.push({
      name: 'p99 during the hang within deadline + 50 ms',
      ok: fault.p99Ms <= limit,
      detail: `${fault.p99Ms} ms (limit ${limit} ms)${fault.edgeP99Ms === null ? '' : `; ${fault.edgeP99Ms} ms inside the edge`}`,
    });
  }
  return checks;
}

/** Latency percentiles and failures per time bucket, with the phases and mode changes, for the chart. */
export function timelineOf(run: TargetRun, bucketSeconds = 1): TargetTimeline {
  const buckets = new Map<number, Sample[]>();
  for (const s of run.samples) {
    const b = Math.floor(s.t / 1000 / bucketSeconds);
    if (!buckets.has(b)) buckets.set(b, []);
    buckets.get(b)!.push(s);
  }
  const last = Math.floor(run.durationMs / 1000 / bucketSeconds);
  const points: TimelinePoint[] = [];
  for (let b = 0; b <= last; b++) {
    const samples = buckets.get(b) ?? [];
    const sorted = samples
      .filter((s) => s.status !== 0)
      .map((s) => s.latencyMs)
      .sort((x, y) => x - y);
    points.push({
      t: b * bucketSeconds,
      requests: samples.length,
      failures: samples.filter((s) => s.failure).length,
      p50Ms: sorted.length ? round(percentile(sorted, 50)) : null,
      p95Ms: sorted.length ? round(percentile(sorted, 95)) : null,
      p99Ms: sorted.length ? round(percentile(sorted, 99)) : null,
    });
  }
  return {
    bucketSeconds,
    points,
    phases: run.phases.map((p) => ({ scenario: p.scenario, name: p.name, start: round(p.start / 1000, 2), end: round(p.end / 1000, 2) })),
    marks: run.marks.map((m) => ({ t: round(m.t / 1000, 2), channel: m.channel, to: m.to })),
  };
}

/** The whole report: the edge's run, and nginx's beside it when there is one. */
export function buildDrillReport(
  edge: TargetReport,
  nginx: (TargetReport & { config: string }) | null,
  settings: Record<string, unknown>,
): DrillReport {
  return {
    pass: edge.pass,
    generatedAt: new Date().toISOString(),
    settings,
    targets: TARGETS,
    scenarios: edge.scenarios,
    baseline: nginx ? { ...nginx, target: 'nginx' } : null,
    timeline: edge.timeline,
    pendingAtEnd: edge.pendingAtEnd,
    transitions: edge.transitions,
    durationSeconds: edge.durationSeconds,
  };
}
