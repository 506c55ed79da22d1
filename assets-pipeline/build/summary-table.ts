/** The table `npm run assets -- build` prints at the end: one row per model, then failures and warnings. */
import type { BuildReport, ModelReport } from './build-report.ts';

const HEADER = [
  'model',
  'status',
  'levels',
  'bytes per level (full → first paint)',
  'triangles per level',
  'vs input (full / first)',
  'time',
];

/**
 * @example
 * console.log(summaryTable(report));
 * // model        status  levels  bytes per level (full → first paint)  …
 * // wickerchair  built   4       455 KB / 410 KB / 166 KB / 59.9 KB    …
 */
export function summaryTable(report: BuildReport): string {
  const rows = report.models.map(row);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const lines = [line(HEADER), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)];
  const failed = report.models.filter((m) => m.status === 'failed');
  if (failed.length > 0) lines.push('', `${failed.length} failed:`, ...failed.map((m) => `  ✗ ${m.error}`));
  const warned = report.models.filter((m) => m.warnings.length > 0);
  if (warned.length > 0) {
    lines.push('', 'warnings:');
    for (const m of warned) for (const w of m.warnings) lines.push(`  ${m.id}: ${w}`);
  }
  const built = report.models.filter((m) => m.status !== 'failed');
  const bytes = built.reduce((n, m) => n + m.levels.reduce((k, l) => k + l.bytes, 0) + (m.poster?.bytes ?? 0), 0);
  lines.push(
    '',
    `${report.models.length} model(s): ${count(report, 'built')} built, ${count(report, 'unchanged')} unchanged, ${failed.length} failed; ${formatBytes(bytes)} of outputs`,
  );
  return lines.join('\n');
}

function row(m: ModelReport): string[] {
  if (m.status === 'failed') return [m.id, 'FAILED', '–', '–', '–', '–', formatMs(m.ms)];
  const input = m.source?.bytes ?? 0;
  const first = m.levels.at(-1);
  const ratio = (bytes = 0) => (input > 0 ? `${((100 * bytes) / input).toFixed(1)}%` : '–');
  return [
    m.id,
    m.status,
    String(m.levels.length),
    m.levels.map((l) => formatBytes(l.bytes)).join(' / '),
    m.levels.map((l) => l.triangles.toLocaleString('en-US')).join(' → '),
    `${ratio(m.levels[0]?.bytes)} / ${ratio(first?.bytes)}`,
    formatMs(m.ms),
  ];
}

function count(report: BuildReport, status: ModelReport['status']): number {
  return report.models.filter((m) => m.status === status).length;
}

/** 1000-based, three significant digits: `455 KB`, `59.9 KB`, `1.43 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const [value, unit] = bytes < 1e6 ? [bytes / 1e3, 'KB'] : [bytes / 1e6, 'MB'];
  return `${Number(value.toPrecision(3))} ${unit}`;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
