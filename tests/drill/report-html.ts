/**
 * `report.html`: one self-contained page (inline SVG and CSS, no scripts, no
 * network) with the pass/fail line against the targets, a timeline chart per
 * deployment (p50/p95/p99 latency and failures per second, fault phases
 * shaded, mode changes marked), and the per-scenario and per-phase tables.
 */
import type { DrillReport, ScenarioReport, TargetTimeline } from './drill-report.ts';

const esc = (value: unknown) =>
  String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const W = 1100;
const H = 300;
const PAD = { left: 56, right: 56, top: 28, bottom: 34 };
const LATENCY_TICKS = [1, 10, 100, 1_000, 10_000];
const COLORS = { p50: '#2563eb', p95: '#d97706', p99: '#7c3aed', failures: '#dc2626' };

/** One deployment's timeline as an SVG: log-scale latency on the left, failures per second (bars) on the right. */
export function timelineSvg(title: string, timeline: TargetTimeline, maxSeconds: number): string {
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (t: number) => PAD.left + (t / Math.max(1, maxSeconds)) * plotW;
  const y = (ms: number) => PAD.top + plotH - (Math.log10(Math.max(1, Math.min(ms, 10_000))) / 4) * plotH;
  const maxFailures = Math.max(1, ...timeline.points.map((p) => p.failures));
  const yf = (n: number) => PAD.top + plotH - (n / maxFailures) * plotH;
  const parts: string[] = [];
  for (const p of timeline.phases) {
    if (p.name === 'steady') continue;
    const fill = p.name === 'fault' ? '#fecaca' : '#dcfce7';
    parts.push(
      `<rect x="${x(p.start)}" y="${PAD.top}" width="${Math.max(1, x(p.end) - x(p.start))}" height="${plotH}" fill="${fill}" opacity="0.7"/>`,
    );
    if (p.name === 'fault') {
      parts.push(`<text x="${x(p.start) + 3}" y="${PAD.top + 12}" class="phase">${esc(p.scenario)}</text>`);
    }
  }
  for (const ms of LATENCY_TICKS) {
    parts.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(ms)}" y2="${y(ms)}" class="grid"/>`);
    parts.push(
      `<text x="${PAD.left - 6}" y="${y(ms) + 4}" text-anchor="end" class="axis">${ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`}</text>`,
    );
  }
  const step = maxSeconds > 120 ? 30 : maxSeconds > 60 ? 10 : 5;
  for (let t = 0; t <= maxSeconds; t += step) {
    parts.push(`<text x="${x(t)}" y="${H - PAD.bottom + 16}" text-anchor="middle" class="axis">${t} s</text>`);
  }
  parts.push(`<text x="${W - PAD.right + 6}" y="${yf(maxFailures) + 4}" class="axis fail">${maxFailures}</text>`);
  parts.push(`<text x="${W - PAD.right + 6}" y="${yf(0) + 4}" class="axis fail">0</text>`);
  const barW = Math.max(1, (timeline.bucketSeconds / Math.max(1, maxSeconds)) * plotW - 1);
  for (const p of timeline.points) {
    if (p.failures > 0) {
      parts.push(
        `<rect x="${x(p.t)}" y="${yf(p.failures)}" width="${barW}" height="${yf(0) - yf(p.failures)}" fill="${COLORS.failures}" opacity="0.8"/>`,
      );
    }
  }
  for (const key of ['p50Ms', 'p95Ms', 'p99Ms'] as const) {
    const color = COLORS[key.slice(0, 3) as 'p50' | 'p95' | 'p99'];
    const points = timeline.points
      .filter((p) => p[key] !== null)
      .map((p) => `${(x(p.t + timeline.bucketSeconds / 2)).toFixed(1)},${y(p[key]!).toFixed(1)}`);
    if (points.length) parts.push(`<polyline points="${points.join(' ')}" fill="none" stroke="${color}" stroke-width="1.6"/>`);
  }
  let lastOrigin: string | undefined;
  let lastAsset: string | undefined;
  for (const m of timeline.marks) {
    const previous = m.channel === 'origin' ? lastOrigin : lastAsset;
    if (m.channel === 'origin') lastOrigin = m.to;
    else lastAsset = m.to;
    if (previous === undefined) continue;
    const label = m.channel === 'origin' ? m.to : `assets: ${m.to}`;
    const color = m.to === 'live' || m.to === 'primary' ? '#15803d' : '#b91c1c';
    parts.push(`<line x1="${x(m.t)}" x2="${x(m.t)}" y1="${PAD.top}" y2="${PAD.top + plotH}" stroke="${color}" stroke-dasharray="4 3"/>`);
    // Asset marks are labelled at the top, the mode's at the bottom, so the two never overlap.
    const labelY = m.channel === 'origin' ? PAD.top + plotH - 4 : PAD.top + 26;
    parts.push(`<text x="${x(m.t) + 3}" y="${labelY}" class="mark" fill="${color}">${esc(label)}</text>`);
  }
  const legend = [
    ['p50', COLORS.p50],
    ['p95', COLORS.p95],
    ['p99', COLORS.p99],
    ['failures/s (right axis)', COLORS.failures],
  ]
    .map(
      ([name, color], i) =>
        `<rect x="${PAD.left + i * 120}" y="8" width="10" height="10" fill="${color}"/><text x="${PAD.left + i * 120 + 14}" y="17" class="axis">${name}</text>`,
    )
    .join('');
  return `<figure><figcaption>${esc(title)}</figcaption><svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${esc(title)}">
<rect x="${PAD.left}" y="${PAD.top}" width="${plotW}" height="${plotH}" fill="#fff" stroke="#cbd5e1"/>
${parts.join('\n')}
${legend}
</svg></figure>`;
}

const cell = (v: number | null, unit = '') => (v === null ? '—' : `${v}${unit}`);

function scenarioRows(rows: ScenarioReport[], label: string): string {
  return rows
    .map(
      (
        r,
      ) => `<tr class="${r.pass ? 'ok' : 'bad'}"><td>${esc(label)}</td><td>${esc(r.name)}</td><td>${r.requests}</td><td class="${r.failures ? 'num bad' : 'num'}">${r.failures}</td>
<td>${r.p50Ms}</td><td>${r.p95Ms}</td><td>${r.p99Ms}</td><td>${r.requestsPerSecond}</td><td>${cell(r.firstFallbackSeconds, ' s')}</td><td>${cell(r.flipSeconds, ' s')}</td><td>${cell(r.recoverSeconds, ' s')}</td>
<td>${r.writes.acked}/${r.writes.sent}</td><td class="${r.writes.lost ? 'bad' : ''}">${r.writes.lost}</td><td class="${r.writes.duplicated ? 'bad' : ''}">${r.writes.duplicated}</td><td>${r.writes.storedUnacked}</td></tr>`,
    )
    .join('\n');
}

function phaseRows(rows: ScenarioReport[], label: string): string {
  return rows
    .flatMap((r) =>
      r.phases.map(
        (p) =>
          `<tr><td>${esc(label)}</td><td>${esc(r.name)}</td><td>${esc(p.name)}</td><td>${p.seconds}</td><td>${p.requests}</td><td class="${p.failures ? 'bad' : ''}">${p.failures}</td><td>${p.p50Ms}</td><td>${p.p95Ms}</td><td>${p.p99Ms}</td><td>${cell(p.edgeP99Ms)}</td><td>${p.requestsPerSecond}</td></tr>`,
      ),
    )
    .join('\n');
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

export function renderReportHtml(report: DrillReport): string {
  const maxSeconds = Math.ceil(Math.max(report.durationSeconds, report.baseline?.durationSeconds ?? 0));
  const failed = report.scenarios.flatMap((s) => s.checks.filter((c) => !c.ok).map((c) => `${s.name}: ${c.name} (${c.detail})`));
  if (report.pendingAtEnd) failed.push(`${report.pendingAtEnd} writes still in the outbox when the drill stopped waiting`);
  const verdict = report.pass
    ? `<p class="verdict pass">PASS: every target met in ${report.scenarios.length} scenario(s): 0 shopper-visible failures, 0 lost and 0 duplicated writes, flips within ${report.targets.flipProbeIntervals} probe intervals, live within ${report.targets.recoverSeconds} s of recovery${report.scenarios.some((s) => s.name === 'origin-hang') ? ', p99 during the hang within the deadline + 50 ms' : ''}.</p>`
    : `<p class="verdict fail">FAIL: ${failed.map(esc).join('; ')}</p>`;
  const baselineLine = report.baseline
    ? `<p>nginx, same load and fault timeline: ${report.baseline.scenarios.reduce((n, s) => n + s.failures, 0)} shopper-visible failures of ${report.baseline.scenarios.reduce((n, s) => n + s.requests, 0)} requests, ${report.baseline.scenarios.reduce((n, s) => n + s.writes.lost, 0)} lost writes, ${report.baseline.scenarios.reduce((n, s) => n + s.writes.sent - s.writes.acked, 0)} writes refused.</p>`
    : '<p>nginx baseline not run.</p>';
  const sources = (rows: ScenarioReport[], label: string) => {
    const totals: Record<string, number> = {};
    for (const r of rows) for (const [k, v] of Object.entries(r.bytesBySource)) totals[k] = (totals[k] ?? 0) + v;
    return `<tr><td>${esc(label)}</td><td>${Object.entries(totals)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${esc(k)} ${kb(v)}`)
      .join(', ')}</td></tr>`;
  };
  const reasons = (rows: ScenarioReport[], label: string) =>
    rows
      .filter((r) => r.failures)
      .map(
        (r) =>
          `<tr><td>${esc(label)}</td><td>${esc(r.name)}</td><td>${Object.entries(r.failuresByReason)
            .map(([k, v]) => `${v}× ${esc(k)}`)
            .join(', ')}</td><td>${Object.entries(r.failuresByKind)
            .map(([k, v]) => `${v}× ${esc(k)}`)
            .join(', ')}</td></tr>`,
      )
      .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Vitrine failover drill: ${report.pass ? 'PASS' : 'FAIL'}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px; color: #0f172a; max-width: 1180px; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 24px 0 8px; }
.verdict { font-weight: 600; padding: 8px 12px; border-radius: 6px; } .pass { background: #dcfce7; color: #14532d; } .fail { background: #fee2e2; color: #7f1d1d; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; } th, td { border-bottom: 1px solid #e2e8f0; padding: 3px 6px; text-align: right; }
th:first-child, td:first-child, th:nth-child(2), td:nth-child(2) { text-align: left; } td.bad, tr.bad td:nth-child(2) { color: #b91c1c; font-weight: 600; }
figure { margin: 8px 0 16px; } figcaption { font-weight: 600; }
svg .grid { stroke: #e2e8f0; } svg .axis { font-size: 11px; fill: #475569; } svg .fail { fill: #dc2626; } svg .phase { font-size: 11px; fill: #7f1d1d; } svg .mark { font-size: 10px; }
.muted { color: #64748b; }
</style></head><body>
<h1>Vitrine failover drill</h1>
<p class="muted">${esc(report.generatedAt)} · ${esc(JSON.stringify(report.settings))}</p>
${verdict}
${baselineLine}
<h2>Timeline</h2>
<p class="muted">Shaded red: fault; green: recovery. Dashed lines: the edge's mode (or asset delivery) changing, as /status.json showed it. Latency on a log scale.</p>
${timelineSvg('Vitrine (showroom + asset worker on workerd)', report.timeline, maxSeconds)}
${report.baseline ? timelineSvg('nginx caching reverse proxy (baseline)', report.baseline.timeline, maxSeconds) : ''}
<h2>Scenarios</h2>
<table><thead><tr><th>deployment</th><th>scenario</th><th>requests</th><th>failures</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>req/s</th><th>first fallback</th><th>mode flip</th><th>back to live</th><th>writes acked</th><th>lost</th><th>dup</th><th>stored, not acked</th></tr></thead>
<tbody>${scenarioRows(report.scenarios, 'Vitrine')}
${report.baseline ? scenarioRows(report.baseline.scenarios, 'nginx') : ''}</tbody></table>
<h2>Checks</h2>
<table><thead><tr><th>scenario</th><th>check</th><th>result</th><th>detail</th></tr></thead><tbody>
${report.scenarios
  .flatMap((s) =>
    s.checks.map(
      (c) =>
        `<tr><td>${esc(s.name)}</td><td>${esc(c.name)}</td><td class="${c.ok ? '' : 'bad'}">${c.ok ? 'ok' : 'FAIL'}</td><td>${esc(c.detail)}</td></tr>`,
    ),
  )
  .join('\n')}
</tbody></table>
<h2>Mode changes, as the HealthMonitor recorded them</h2>
<table><thead><tr><th>at</th><th>from → to</th><th>reason</th></tr></thead><tbody>
${
  [...(report.transitions ?? [])]
    .sort((a, b) => a.at.localeCompare(b.at))
    .map((t) => `<tr><td>${esc(t.at)}</td><td>${esc(t.from)} → ${esc(t.to)}</td><td>${esc(t.reason)}</td></tr>`)
    .join('\n') || '<tr><td colspan="3">none</td></tr>'
}
</tbody></table>
<h2>Phases</h2>
<table><thead><tr><th>deployment</th><th>scenario</th><th>phase</th><th>seconds</th><th>requests</th><th>failures</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th title="Server-Timing total: the edge's own time, without the local network and proxy">p99 inside the edge</th><th>req/s</th></tr></thead>
<tbody>${phaseRows(report.scenarios, 'Vitrine')}
${report.baseline ? phaseRows(report.baseline.scenarios, 'nginx') : ''}</tbody></table>
<h2>Failures by reason</h2>
<table><thead><tr><th>deployment</th><th>scenario</th><th>reason</th><th>request kind</th></tr></thead><tbody>
${reasons(report.scenarios, 'Vitrine') || '<tr><td>Vitrine</td><td colspan="3">none</td></tr>'}
${report.baseline ? reasons(report.baseline.scenarios, 'nginx') : ''}
</tbody></table>
<h2>Bytes by source</h2>
<table><tbody>${sources(report.scenarios, 'Vitrine')}${report.baseline ? sources(report.baseline.scenarios, 'nginx') : ''}</tbody></table>
</body></html>
`;
}
