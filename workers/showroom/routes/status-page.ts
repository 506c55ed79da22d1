/**
 * The /status page: one small HTML document, readable on a phone, that
 * reloads itself every STATUS_REFRESH_S seconds. Every text from outside
 * (ops' messages, probe errors, URLs) is escaped. Pure: report in, HTML out.
 */
import { escapeHtml } from '../rewrite/escape-html.ts';
import type { ComponentState, ComponentStatus, StatusReport } from '../status-report.ts';

export const STATUS_REFRESH_S = 30;

const COMPONENT_NAMES: Record<keyof StatusReport['components'], string> = {
  origin: 'Store system (origin)',
  assetCdn: '3D asset CDN',
  pimSnapshot: 'Catalog snapshot (PIM)',
  outbox: 'Order and quote outbox',
  webhooks: 'Notifications (webhooks)',
};

const STATE_WORDS: Record<ComponentState, string> = {
  up: 'Operational',
  degraded: 'Degraded',
  down: 'Down',
  unknown: 'Unknown',
  unconfigured: 'Not configured',
};

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#f6f6f4}
main{max-width:46rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0}
.mode{padding:1rem;border-radius:.5rem;margin:1rem 0;font-weight:600}
.mode-live{background:#e3f4e6;color:#14532d}.mode-degraded{background:#fdecd3;color:#7a3b00}
.state{display:inline-block;padding:0 .5rem;border-radius:1rem;font-size:.875rem;font-weight:600}
.state-up{background:#e3f4e6;color:#14532d}.state-degraded,.state-unknown{background:#fdecd3;color:#7a3b00}
.state-down{background:#fde2e1;color:#8a1c17}.state-unconfigured{background:#ececec;color:#555}
ul{list-style:none;padding:0}li.component{background:#fff;border-radius:.5rem;padding:.75rem 1rem;margin:.5rem 0}
.component h3{margin:0;font-size:1rem;display:flex;justify-content:space-between;gap:.5rem;flex-wrap:wrap}
.muted{color:#666;font-size:.875rem}ol.timeline{padding-left:1.25rem}ol.timeline li{margin:.5rem 0}
section.incident{background:#fff;border-left:4px solid #c2410c;padding:.5rem 1rem;border-radius:.25rem}`;

export function renderStatusPage(report: StatusReport): string {
  const live = report.mode === 'live';
  const headline = live
    ? report.incident
      ? 'The store is open; part of it is degraded.'
      : 'All systems operational.'
    : 'The store is in read-only mode: browsing works, orders and quote requests are kept and sent on.';
  const override = report.override
    ? `<p class="muted">Mode set by our team: ${escapeHtml(report.override.reason)} (until ${time(report.override.expiresAt)}).</p>`
    : '';
  const components = (Object.keys(COMPONENT_NAMES) as (keyof StatusReport['components'])[])
    .map((key) => component(COMPONENT_NAMES[key], report.components[key]))
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${STATUS_REFRESH_S}"><title>Status${live ? '' : ': read-only mode'}</title><style>${STYLE}</style></head>
<body><main>
<h1>Store status</h1>
<p class="mode mode-${report.mode}" data-mode="${report.mode}">${headline}</p>
${override}${report.incident ? incident(report) : ''}
<h2>Components</h2>
<ul>${components}</ul>
${recent(report)}
<p class="muted">Updated ${time(report.generatedAt)}; this page refreshes every ${STATUS_REFRESH_S} s.${report.monitorReachable ? '' : ' The health monitor did not answer: showing the last known state.'} <a href="/status.json">JSON</a> · <a href="/">Back to the store</a></p>
</main></body></html>`;
}

function component(name: string, c: ComponentStatus): string {
  const probe = c.lastProbe ? ` · last check ${time(c.lastProbe.at)} (${c.lastProbe.latencyMs} ms)` : '';
  const since = c.since ? ` · since ${time(c.since)}` : '';
  return `<li class="component" data-component-state="${c.state}"><h3>${escapeHtml(name)} <span class="state state-${c.state}">${STATE_WORDS[c.state]}</span></h3>
<div>${escapeHtml(c.detail)}</div><div class="muted">${since}${probe}</div></li>`;
}

function incident(report: StatusReport): string {
  const inc = report.incident!;
  const updates = [...inc.updates]
    .reverse()
    .map(
      (u) =>
        `<li><time datetime="${escapeHtml(u.at)}">${time(u.at)}</time> · ${u.by === 'ops' ? 'Update' : 'Automatic'}: ${escapeHtml(u.message)}</li>`,
    )
    .join('');
  const next = report.nextUpdateAt ? `<p>Next update by ${time(report.nextUpdateAt)}.</p>` : '';
  return `<section class="incident" data-incident="${escapeHtml(inc.id)}"><h2>Current incident</h2>
<p>Started ${time(inc.openedAt)} · affects ${escapeHtml(inc.channels.join(', '))} · <span class="muted">${escapeHtml(inc.id)}</span></p>
${next}<ol class="timeline">${updates}</ol></section>`;
}

function recent(report: StatusReport): string {
  if (report.recentIncidents.length === 0) return '';
  const items = report.recentIncidents
    .slice(0, 5)
    .map(
      (i) =>
        `<li>${time(i.openedAt)}: ${escapeHtml(i.channels.join(', '))}, resolved after ${Math.max(1, Math.round((i.durationSeconds ?? 0) / 60))} min</li>`,
    )
    .join('');
  return `<h2>Recent incidents</h2><ul>${items}</ul>`;
}

/** `2026-11-22 15:30 UTC`: unambiguous for every reader, whatever their time zone. */
function time(isoText: string): string {
  const ms = Date.parse(isoText);
  return Number.isNaN(ms) ? '' : `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
