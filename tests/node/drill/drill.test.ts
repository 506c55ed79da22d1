/**
 * The drill's own logic, on made-up runs: the command line, how an answer is
 * judged, how a run becomes report.json (flip and recovery times, writes, the
 * targets), the nginx baseline's config and the HTML report. The drill itself,
 * on the real stack, is tests/system/drill.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { parseDrillArgs, timelinePlan } from '../../drill/drill-cli.ts';
import { buildDrillReport, percentile, reportTarget } from '../../drill/drill-report.ts';
import type { TargetRun } from '../../drill/drill-run.ts';
import { nginxConfig } from '../../drill/nginx-baseline.ts';
import { renderReportHtml } from '../../drill/report-html.ts';
import { SCENARIO_NAMES, scenariosFor } from '../../drill/scenarios.ts';
import { edgeTime, judge, type Sample, sourceOf, type TrackedWrite } from '../../drill/shopper-load.ts';

describe('npm run drill: the command line', () => {
  it('defaults to every scenario, 10 s faults, 8 shoppers, the nginx baseline, and a stack of its own', () => {
    const o = parseDrillArgs([]);
    expect(o).toMatchObject({ scenario: 'all', durationSeconds: 10, connections: 8, baseline: true, png: false });
    expect(o.out).toMatch(/\.vitrine\/drill$/);
    expect(o.edge).toBeUndefined();
  });

  it('takes a scenario, a duration, an output folder and a running stack on loopback', () => {
    const o = parseDrillArgs([
      '--scenario',
      'origin-hang',
      '--duration',
      '4',
      '--out',
      '/tmp/x',
      '--no-baseline',
      '--edge',
      'http://127.0.0.1:8787',
      '--origin',
      'http://127.0.0.1:8788',
      '--control',
      'http://localhost:8789/',
    ]);
    expect(o).toMatchObject({ scenario: 'origin-hang', durationSeconds: 4, out: '/tmp/x', baseline: false, edge: 'http://127.0.0.1:8787' });
    expect(o.control).toBe('http://localhost:8789');
  });

  it.each([
    [['--scenario', 'origin-melts'], /unknown scenario "origin-melts".*origin-down/],
    [['--duration', '0'], /--duration must be a number from 1 to 300/],
    [['--duration', 'ten'], /--duration must be a number/],
    [['--connections', '500'], /--connections must be a number from 1 to 64/],
    [['--edge', 'http://127.0.0.1:8787'], /go together/],
    [['--edge', 'https://shop.example.com', '--origin', 'http://127.0.0.1:1', '--control', 'http://127.0.0.1:2'], /only targets loopback/],
    [['--frobnicate'], /Unknown option '--frobnicate'/],
  ])('refuses %j, saying why', (argv, message) => {
    expect(() => parseDrillArgs(argv)).toThrow(message);
  });

  it('scales steady and recovery phases with the fault, within bounds', () => {
    expect(timelinePlan(3)).toEqual({ steadySeconds: 1, faultSeconds: 3, recoveryMinSeconds: 1.5, recoveryMaxSeconds: 20 });
    expect(timelinePlan(60)).toMatchObject({ steadySeconds: 5, recoveryMinSeconds: 5 });
  });

  it('plays every scenario for all, garbage last, and refuses an unknown one', () => {
    expect(scenariosFor('all').map((s) => s.name)).toEqual(SCENARIO_NAMES);
    expect(SCENARIO_NAMES.at(-1)).toBe('origin-garbage');
    expect(scenariosFor('asset-cdn-down')[0]).toMatchObject({ channel: 'asset-cdn', rules: [{ spec: 'down', path: '/cdn' }] });
    expect(scenariosFor('origin-hang')[0]!.rules.map((r) => r.path)).toEqual(['/api', '/healthz', '/pim']);
    expect(() => scenariosFor('nope')).toThrow(/unknown scenario/);
  });
});

describe('what counts as a shopper-visible failure', () => {
  const json = { 'content-type': 'application/json', 'x-vitrine-source': 'snapshot' };
  it.each<[string, Parameters<typeof judge>, string | undefined]>([
    ['a snapshot answer', ['vitrine', 'api', 200, json, '{"sku":"A"}'], undefined],
    ['a 502', ['vitrine', 'api', 502, json, '{}'], '502'],
    ['a 404 on a page that exists', ['vitrine', 'product', 404, { 'x-vitrine-source': 'mirror' }, ''], '404'],
    ['an answer from no known source', ['vitrine', 'api', 200, { 'x-vitrine-source': 'proxy' }, '{}'], 'unknown source "proxy"'],
    ['garbage with a 200', ['vitrine', 'api', 200, json, 'ÿþ<<garbage>>'], 'body is not JSON'],
    ['a JSON array where an object belongs', ['nginx', 'order', 201, {}, '[]'], 'body is not a JSON object'],
    ['a 409 for a write still in flight (the client retries)', ['vitrine', 'order', 409, json, '{}'], undefined],
    ['a page that is not HTML', ['nginx', 'page', 200, { 'content-type': 'application/json' }, '{}'], 'page is not HTML'],
    ['a 202 receipt from the outbox', ['vitrine', 'quote', 202, { 'x-vitrine-source': 'outbox' }, '{"receipt":"w1-x"}'], undefined],
  ])('%s', (_name, args, expected) => {
    expect(judge(...args)).toBe(expected);
  });

  it("reads nginx's cache status as the answer's source", () => {
    expect(sourceOf('nginx', 'api', { 'x-cache-status': 'STALE' })).toBe('stale');
    expect(sourceOf('nginx', 'api', { 'x-cache-status': 'HIT' })).toBe('cache');
    expect(sourceOf('nginx', 'api', { 'x-cache-status': 'MISS' })).toBe('origin');
    expect(sourceOf('nginx', 'page', {})).toBe('static');
    expect(sourceOf('vitrine', 'api', { 'x-vitrine-source': 'snapshot' })).toBe('snapshot');
  });

  it("reads the edge's own time from Server-Timing's total, and nothing from a header without one", () => {
    expect(edgeTime('mode;dur=0.4, total;dur=812.5')).toEqual({ edgeMs: 812.5 });
    expect(edgeTime('total;desc="Total Response Time";dur=7')).toEqual({ edgeMs: 7 });
    expect(edgeTime('subtotal;dur=9')).toEqual({});
    expect(edgeTime(undefined)).toEqual({});
  });
});

const sample = (t: number, over: Partial<Sample> = {}): Sample => ({
  t,
  kind: 'api',
  path: '/api/products/A',
  status: 200,
  latencyMs: 20,
  bytes: 100,
  source: 'origin',
  mode: 'live',
  ...over,
});
const write = (key: string, sentAt: number, acked: boolean): TrackedWrite => ({
  kind: 'orders',
  key,
  body: '{}',
  sentAt,
  acked,
  answers: [acked ? 202 : 502],
});

/** origin-hang from 1 s to 4 s; the mode flips at 1.8 s and is back at 5.5 s. */
function hangRun(over: Partial<TargetRun> = {}): TargetRun {
  const samples = [
    ...Array.from({ length: 100 }, (_, i) => sample(i * 10)),
    sample(1_050, { latencyMs: 805, source: 'snapshot' }),
    ...Array.from({ length: 200 }, (_, i) => sample(1_100 + i * 10, { source: 'snapshot', mode: 'degraded' })),
    ...Array.from({ length: 100 }, (_, i) => sample(4_000 + i * 30)),
  ];
  return {
    target: 'vitrine',
    baseUrl: 'http://127.0.0.1:1',
    samples,
    phases: [
      { scenario: 'origin-hang', name: 'steady', start: 0, end: 1_000 },
      { scenario: 'origin-hang', name: 'fault', start: 1_000, end: 4_000 },
      { scenario: 'origin-hang', name: 'recovery', start: 4_000, end: 7_000 },
    ],
    marks: [
      { t: 10, channel: 'origin', to: 'live' },
      { t: 10, channel: 'asset-cdn', to: 'primary' },
      { t: 1_800, channel: 'origin', to: 'degraded' },
      { t: 5_500, channel: 'origin', to: 'live' },
    ],
    probeIntervalMs: 1_000,
    originDeadlineMs: 800,
    writes: [write('w1', 500, true), write('w2', 1_500, true), write('w3', 2_000, false), write('w4', 2_500, true)],
    stored: { 'orders/w1': 1, 'orders/w2': 1, 'orders/w3': 1, 'orders/w4': 2 },
    pendingAtEnd: 0,
    transitions: [],
    durationMs: 7_000,
    ...over,
  };
}

describe('from a run to report.json', () => {
  it('takes nearest-rank percentiles', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99)).toBe(10);
    expect(percentile([], 99)).toBe(0);
  });

  it('times the flip and the recovery from the marks, counts writes against the rows, and checks the targets', () => {
    const [r] = reportTarget(hangRun(), scenariosFor('origin-hang')).scenarios;
    expect(r).toMatchObject({
      name: 'origin-hang',
      requests: 401,
      failures: 0,
      flipSeconds: 0.8,
      recoverSeconds: 1.5,
      firstFallbackSeconds: 0.05,
    });
    expect(r!.writes).toEqual({ sent: 4, acked: 3, lost: 0, duplicated: 1, storedUnacked: 1, unackedAnswers: { '502': 1 } });
    expect(r!.phases.map((p) => [p.name, p.requests])).toEqual([
      ['steady', 100],
      ['fault', 201],
      ['recovery', 100],
    ]);
    expect(r!.phases[1]!.p99Ms).toBe(20);
    expect(r!.phases[1]!.edgeP99Ms).toBeNull();
    const failed = r!.checks.filter((c) => !c.ok).map((c) => c.name);
    expect(failed).toEqual(['no lost or duplicated writes']);
    expect(r!.pass).toBe(false);
  });

  it('fails a flip slower than two probe intervals, a recovery that never came, and a hang p99 over the deadline + 50 ms', () => {
    const run = hangRun({
      marks: [
        { t: 10, channel: 'origin', to: 'live' },
        { t: 3_500, channel: 'origin', to: 'degraded' },
      ],
      stored: { 'orders/w1': 1, 'orders/w2': 1, 'orders/w4': 1 },
    });
    for (let i = 0; i < 10; i++) run.samples.push(sample(2_000 + i, { latencyMs: 900, edgeMs: 810, source: 'snapshot' }));
    const [r] = reportTarget(run, scenariosFor('origin-hang')).scenarios;
    expect(Object.fromEntries(r!.checks.map((c) => [c.name, `${c.ok} ${c.detail}`]))).toEqual({
      'no shopper-visible failures': 'true 0 of 411 requests',
      'no lost or duplicated writes': 'true 3 acknowledged, 0 lost, 0 duplicated',
      'mode flips within 2 probe intervals': 'false 2.5 s (limit 2 s)',
      'back to live within 10 s of recovery': 'false not back before the drill moved on',
      'p99 during the hang within deadline + 50 ms': 'false 900 ms (limit 850 ms); 810 ms inside the edge',
    });
  });

  it('counts failures by reason and a lost write; nginx is held to the shopper-facing targets only', () => {
    const run = hangRun({
      target: 'nginx',
      marks: [],
      probeIntervalMs: null,
      originDeadlineMs: null,
      stored: { 'orders/w2': 1, 'orders/w4': 1 },
    });
    run.samples.push(
      sample(2_000, { status: 502, failure: '502', kind: 'order' }),
      sample(2_100, { status: 0, failure: 'network: ECONNRESET', kind: 'unknown' }),
    );
    const report = reportTarget(run, scenariosFor('origin-hang'));
    const [r] = report.scenarios;
    expect(r!.failuresByReason).toEqual({ '502': 1, 'network: ECONNRESET': 1 });
    expect(r!.writes.lost).toBe(1);
    expect(r!.flipSeconds).toBeNull();
    expect(r!.checks.map((c) => c.name)).toEqual(['no shopper-visible failures', 'no lost or duplicated writes']);
    expect(report.pass).toBe(false);
  });

  it('bins the timeline per second with phases and marks, and keeps the issue’s report shape', () => {
    const edge = reportTarget(hangRun({ stored: { 'orders/w1': 1, 'orders/w2': 1, 'orders/w4': 1 } }), scenariosFor('origin-hang'));
    expect(edge.timeline.points).toHaveLength(8);
    expect(edge.timeline.points[1]).toMatchObject({ t: 1, requests: 91, failures: 0, p99Ms: 805 });
    const report = buildDrillReport(
      edge,
      { ...reportTarget(hangRun({ target: 'nginx' }), scenariosFor('origin-hang')), config: 'events {}' },
      { connections: 8 },
    );
    expect(report.pass).toBe(true);
    expect(Object.keys(report.scenarios[0]!)).toEqual(
      expect.arrayContaining(['name', 'requests', 'failures', 'p50Ms', 'p95Ms', 'p99Ms', 'flipSeconds', 'recoverSeconds', 'writes']),
    );
    expect(Object.keys(report.scenarios[0]!.writes)).toEqual(expect.arrayContaining(['acked', 'lost', 'duplicated']));
    expect(report.baseline?.scenarios[0]?.name).toBe('origin-hang');
  });
});

describe('the nginx baseline', () => {
  it('is a caching reverse proxy on loopback that serves stale on errors and timeouts, with tuned timeouts and max_fails', () => {
    const conf = nginxConfig({ port: 9000, originPort: 9001, mirrorDir: '/m', dir: '/d', deadlineMs: 800 });
    expect(conf).toContain('listen 127.0.0.1:9000;');
    expect(conf).toContain('server 127.0.0.1:9001 max_fails=1 fail_timeout=2s;');
    expect(conf).toContain('proxy_cache_use_stale error timeout updating http_500 http_502 http_503 http_504;');
    expect(conf).toContain('proxy_read_timeout 800ms;');
    expect(conf).toContain('proxy_pass http://origin/cdn/models/;');
    expect(conf).toContain('root /m;');
  });
});

describe('report.html', () => {
  it('is self-contained: the verdict, a chart per deployment, the tables, and escaped text', () => {
    const edge = reportTarget(hangRun(), scenariosFor('origin-hang'));
    const nginx = { ...reportTarget(hangRun({ target: 'nginx' }), scenariosFor('origin-hang')), config: '' };
    const html = renderReportHtml(buildDrillReport(edge, nginx, { note: '<script>alert(1)</script>' }));
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('FAIL: origin-hang: no lost or duplicated writes');
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain('nginx caching reverse proxy (baseline)');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toMatch(/<script|src="http|href="http/);
  });
});
