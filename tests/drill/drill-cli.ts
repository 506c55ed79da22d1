/**
 * `npm run drill [-- --scenario <name>] [--duration <s>] [--out <dir>]`: the
 * failover drill. Starts the real stack on loopback (the example origin with
 * fault injection, the showroom and asset worker on local workerd, the static
 * mirror and the fixture models published), or targets a running one
 * (`--edge`, `--origin`, `--control`, e.g. `npm start`'s), warms it, and runs
 * a mixed shopper load while the fault timeline plays. Then the same load and
 * timeline against nginx as a caching reverse proxy in front of the same
 * origin (unless `--no-baseline`). Writes `report.json` and `report.html` to
 * `--out`, prints the table, and exits 1 when a target is missed.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../assets-pipeline/poster/launch-poster-browser.ts';
import { ControlClient } from '../../examples/origin/control-client.ts';
import { PROJECT_ROOT } from '../../static-fallback/local-state.ts';
import { freePort, type LocalStack, startLocalStack } from '../support/local-stack.ts';
import { buildDrillReport, type DrillReport, reportTarget } from './drill-report.ts';
import { type DrillTick, runDrillTarget, type TimelinePlan } from './drill-run.ts';
import { hasNginx, NGINX_BIN, startNginxBaseline } from './nginx-baseline.ts';
import { renderReportHtml } from './report-html.ts';
import { SCENARIO_CHOICES, scenariosFor } from './scenarios.ts';
import { loadShopperData, startLoad } from './shopper-load.ts';

const USAGE = `usage: npm run drill [-- --scenario <${SCENARIO_CHOICES.join('|')}>] [--duration <s>] [--out <dir>]
  --scenario <name>     which fault to rehearse (default: all, one after another with recovery in between)
  --duration <s>        how long each fault lasts, 1..300 seconds (default: 10)
  --out <dir>           where report.json and report.html go (default: .vitrine/drill)
  --connections <n>     concurrent shoppers, 1..64 (default: 8)
  --no-baseline         skip the nginx baseline
  --png                 also write report.png, the report's first screen (Debian chromium)
  --edge <url> --origin <url> --control <url>
                        drill a running stack (e.g. npm start's: http://127.0.0.1:8787, :8788, :8789)
  --mirror-dir <dir>    the static mirror nginx serves for a running stack (default: .vitrine/mirror)`;

/** The drill's own stack probes every second (wrangler.toml's default is 2 s); the deadline is wrangler.toml's 800 ms. */
const DRILL_PROBE_INTERVAL_MS = 1_000;

export interface DrillOptions {
  scenario: string;
  durationSeconds: number;
  out: string;
  connections: number;
  baseline: boolean;
  png: boolean;
  edge?: string;
  origin?: string;
  control?: string;
  mirrorDir: string;
}

class UsageError extends Error {}

function loopbackUrl(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--${flag}: not a URL: ${JSON.stringify(value)}`);
  }
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new UsageError(`--${flag}: the drill loads and breaks things, so it only targets loopback (127.0.0.1), got ${url.hostname}`);
  }
  return url.origin;
}

function boundedNumber(flag: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new UsageError(`--${flag} must be a number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return n;
}

/** Parses the command line; throws a UsageError naming the flag and the problem. */
export function parseDrillArgs(argv: string[]): DrillOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        scenario: { type: 'string' },
        duration: { type: 'string' },
        out: { type: 'string' },
        connections: { type: 'string' },
        'no-baseline': { type: 'boolean' },
        png: { type: 'boolean' },
        edge: { type: 'string' },
        origin: { type: 'string' },
        control: { type: 'string' },
        'mirror-dir': { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) throw new UsageError('');
  const scenario = (values.scenario as string | undefined) ?? 'all';
  if (!(SCENARIO_CHOICES as readonly string[]).includes(scenario)) {
    throw new UsageError(`--scenario: unknown scenario ${JSON.stringify(scenario)}; choose one of: ${SCENARIO_CHOICES.join(', ')}`);
  }
  const running = ['edge', 'origin', 'control'].filter((f) => values[f] !== undefined);
  if (running.length > 0 && running.length < 3)
    throw new UsageError('--edge, --origin and --control go together (a running stack has all three)');
  return {
    scenario,
    durationSeconds: boundedNumber('duration', values.duration as string | undefined, 10, 1, 300),
    out: resolve((values.out as string | undefined) ?? join(PROJECT_ROOT, '.vitrine/drill')),
    connections: Math.round(boundedNumber('connections', values.connections as string | undefined, 8, 1, 64)),
    baseline: !values['no-baseline'],
    png: Boolean(values.png),
    ...(running.length
      ? {
          edge: loopbackUrl('edge', values.edge as string),
          origin: loopbackUrl('origin', values.origin as string),
          control: loopbackUrl('control', values.control as string),
        }
      : {}),
    mirrorDir: resolve((values['mirror-dir'] as string | undefined) ?? join(PROJECT_ROOT, '.vitrine/mirror')),
  };
}

/** Steady and recovery phases scale with the fault's duration, within bounds. */
export function timelinePlan(durationSeconds: number): TimelinePlan {
  const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));
  return {
    steadySeconds: clamp(Math.round(durationSeconds * 0.3 * 10) / 10, 1, 5),
    faultSeconds: durationSeconds,
    recoveryMinSeconds: clamp(Math.round(durationSeconds * 0.3 * 10) / 10, 1.5, 5),
    recoveryMaxSeconds: 20,
  };
}

const log = (line: string) => console.error(line);

/**
 * On a terminal, a progress bar per deployment (elapsed of the expected seconds, the phase, requests and
 * failures so far) in place of the phase lines; elsewhere (CI, a pipe) the phase lines.
 */
function progressFor(label: string, expected: number): { log: (line: string) => void; onTick?: (t: DrillTick) => void; stop(): void } {
  if (!process.stderr.isTTY) return { log, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label.padEnd(8)} [{bar}] {value}/{total} s | {scenario} {phase} | {requests} requests, {failures} failures`,
      hideCursor: true,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(Math.round(expected), 0, { scenario: '', phase: '', requests: 0, failures: 0 });
  return {
    log: () => {},
    onTick: (t) => {
      if (t.elapsedSeconds > bar.getTotal()) bar.setTotal(t.elapsedSeconds);
      bar.update(t.elapsedSeconds, { ...t });
    },
    stop: () => bar.stop(),
  };
}

/** Roughly how long one deployment's timeline takes (recovery waits for live, usually ~3 s at a 1 s probe interval). */
const expectedSeconds = (plan: TimelinePlan, scenarios: number) =>
  scenarios * (plan.steadySeconds + plan.faultSeconds + Math.max(plan.recoveryMinSeconds, 3));

async function warm(baseUrl: string, target: 'vitrine' | 'nginx', data: Awaited<ReturnType<typeof loadShopperData>>, connections: number) {
  const load = startLoad({ baseUrl, target, data, connections, maxSeconds: 3, maxRequests: 100_000, runId: 'drill-warm', clock: () => 0 });
  await new Promise((r) => setTimeout(r, 3_000));
  await load.stop();
}

export async function runDrill(options: DrillOptions): Promise<DrillReport> {
  const scenarios = scenariosFor(options.scenario);
  const plan = timelinePlan(options.durationSeconds);
  const runId = `drill-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  let stack: LocalStack | undefined;
  const stops: (() => Promise<void>)[] = [];
  try {
    let edgeUrl = options.edge;
    let originUrl = options.origin;
    let controlUrl = options.control;
    let mirrorDir = options.mirrorDir;
    if (!edgeUrl || !originUrl || !controlUrl) {
      log('starting the stack: example origin, static mirror, fixture models, showroom + asset worker on wrangler dev…');
      stack = await startLocalStack({ mirror: true, models: true, vars: { PROBE_INTERVAL_MS: String(DRILL_PROBE_INTERVAL_MS) } });
      stops.push(() => stack!.stop());
      ({ edgeUrl, originUrl, controlUrl } = stack);
      mirrorDir = stack.mirrorDir!;
    }
    const control = new ControlClient(controlUrl);
    await control.clearFaults();
    const data = await loadShopperData(edgeUrl);
    log(`warming ${edgeUrl} (3 s)…`);
    await warm(edgeUrl, 'vitrine', data, options.connections);

    /** One deployment through the whole timeline, with its own progress bar. */
    const runTarget = (target: 'vitrine' | 'nginx', baseUrl: string, expected: number, recoverySeconds?: number[]) => {
      const progress = progressFor(target === 'vitrine' ? 'Vitrine' : 'nginx', expected);
      return runDrillTarget({
        target,
        baseUrl,
        originUrl,
        control,
        scenarios,
        plan,
        connections: options.connections,
        data,
        runId: target === 'vitrine' ? runId : `${runId}-${target}`,
        ...(recoverySeconds ? { recoverySeconds } : {}),
        log: progress.log,
        ...(progress.onTick ? { onTick: progress.onTick } : {}),
      }).finally(() => progress.stop());
    };

    log(`Vitrine: ${scenarios.length} scenario(s), ${options.connections} shoppers`);
    const edgeRun = await runTarget('vitrine', edgeUrl, expectedSeconds(plan, scenarios.length));
    const edge = reportTarget(edgeRun, scenarios);

    let nginx: (ReturnType<typeof reportTarget> & { config: string }) | null = null;
    if (options.baseline) {
      if (!hasNginx()) {
        log(`nginx baseline skipped: no nginx at ${NGINX_BIN} (apt-get install -y nginx, or set NGINX)`);
      } else {
        const proxy = await startNginxBaseline({
          port: await freePort(),
          originUrl,
          mirrorDir,
          deadlineMs: edgeRun.originDeadlineMs ?? 800,
          log,
        });
        stops.push(proxy.stop);
        log(`warming nginx at ${proxy.url} (3 s)…`);
        await warm(proxy.url, 'nginx', data, options.connections);
        log('nginx: the same load and fault timeline');
        const recoverySeconds = scenarios.map((s) => {
          const p = edgeRun.phases.find((x) => x.scenario === s.name && x.name === 'recovery')!;
          return (p.end - p.start) / 1000;
        });
        const expected = recoverySeconds.reduce((n, r) => n + r + plan.steadySeconds + plan.faultSeconds, 0);
        const nginxRun = await runTarget('nginx', proxy.url, expected, recoverySeconds);
        nginx = { ...reportTarget(nginxRun, scenarios), config: proxy.config };
      }
    }
    return buildDrillReport(edge, nginx, {
      scenario: options.scenario,
      faultSeconds: plan.faultSeconds,
      steadySeconds: plan.steadySeconds,
      connections: options.connections,
      probeIntervalMs: edgeRun.probeIntervalMs,
      originDeadlineMs: edgeRun.originDeadlineMs,
      stack: stack ? 'started by the drill' : edgeUrl,
    });
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  }
}

export function printTable(report: DrillReport): void {
  const rows = [
    ...report.scenarios.map((s) => ['Vitrine', s] as const),
    ...(report.baseline?.scenarios ?? []).map((s) => ['nginx', s] as const),
  ].map(([who, s]) => ({
    deployment: who,
    scenario: s.name,
    requests: s.requests,
    failures: s.failures,
    'p50 ms': s.p50Ms,
    'p95 ms': s.p95Ms,
    'p99 ms': s.p99Ms,
    'fallback s': s.firstFallbackSeconds ?? '—',
    'flip s': s.flipSeconds ?? '—',
    'live s': s.recoverSeconds ?? '—',
    'writes acked': `${s.writes.acked}/${s.writes.sent}`,
    lost: s.writes.lost,
    dup: s.writes.duplicated,
    pass: who === 'Vitrine' ? (s.pass ? 'yes' : 'NO') : '',
  }));
  console.table(rows);
  for (const s of report.scenarios) for (const c of s.checks.filter((x) => !x.ok)) console.log(`FAIL ${s.name}: ${c.name}: ${c.detail}`);
  console.log(report.pass ? 'drill: PASS (every target met)' : 'drill: FAIL');
}

/** The report's first screen (verdict, charts, the scenario table) as a PNG, rendered by Debian chromium. */
export async function screenshot(html: string, png: string): Promise<void> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
  try {
    const page = await browser.newPage({ viewport: { width: 1240, height: 1300 }, deviceScaleFactor: 1 });
    await page.goto(pathToFileURL(html).href);
    await page.screenshot({ path: png });
  } finally {
    await browser.close();
  }
}

async function main() {
  let options: DrillOptions;
  try {
    options = parseDrillArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      if (err.message) console.error(`drill: ${err.message}`);
      console.error(USAGE);
      process.exit(err.message ? 2 : 0);
    }
    throw err;
  }
  const report = await runDrill(options);
  await mkdir(options.out, { recursive: true });
  await writeFile(join(options.out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(join(options.out, 'report.html'), renderReportHtml(report));
  if (options.png) await screenshot(join(options.out, 'report.html'), join(options.out, 'report.png'));
  printTable(report);
  console.log(`report: ${join(options.out, 'report.json')}, ${join(options.out, 'report.html')}`);
  process.exit(report.pass ? 0 : 1);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err) => {
    console.error(`drill: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  });
}
