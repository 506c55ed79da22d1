/**
 * GET /status.json   mode (and ops' override), each component with its state, last probe and since when,
 *                    the current incident with its timeline, the next update due, snapshot, transitions,
 *                    asset delivery, outbox counts, webhook delivery per URL.
 * GET /status        the same for people: an HTML page readable on a phone that refreshes itself.
 *
 * Both ask the monitor, KV and the outbox with short deadlines (status-report.ts) and answer with what
 * they have: the page is there when the origin, KV or the monitor are not. Never cached.
 */
import { Hono } from 'hono';
import type { ShowroomEnv } from '../app-types.ts';
import { readConfig } from '../config.ts';
import { contentSecurityPolicyFor } from '../content-security-policy.ts';
import { breakerState } from '../origin-client.ts';
import { statusReport } from '../status-report.ts';
import { renderStatusPage } from './status-page.ts';

export const status = new Hono<ShowroomEnv>();

status.get('/status.json', async (c) => {
  const report = await statusReport(c.env, c.var.mode.status);
  const { monitor, pointer } = { monitor: report.monitor, pointer: report.snapshot.pointer };
  const current = pointer?.versions[0];
  c.set('source', 'edge');
  c.header('cache-control', 'no-store');
  return c.json({
    mode: report.mode,
    since: report.since,
    monitorReachable: report.monitorReachable,
    auto: monitor?.auto ?? null,
    override: report.override,
    origin: {
      ...(monitor?.origin ?? { url: null, lastProbe: null }),
      state: monitor?.auto.mode === 'degraded' ? 'down' : monitor?.origin.lastProbe?.ok === false ? 'failing' : 'up',
      breaker: breakerState().status,
    },
    components: report.components,
    incident: report.incident,
    recentIncidents: report.recentIncidents,
    nextUpdateAt: report.nextUpdateAt,
    probeIntervalMs: monitor?.probeIntervalMs ?? null,
    /** The longest a request waits for the origin before a fallback answers. */
    originDeadlineMs: readConfig(c.env).originDeadlineMs,
    nextProbeAt: monitor?.nextProbeAt ?? null,
    snapshot: current
      ? {
          version: current.version,
          generatedAt: current.generatedAt,
          publishedAt: current.publishedAt,
          ageSeconds: Math.round((Date.now() - Date.parse(current.generatedAt)) / 1000),
          productCount: current.productCount,
          previousVersions: pointer.versions.slice(1).map((v) => v.version),
        }
      : null,
    transitions: monitor?.transitions ?? [],
    assets: monitor?.assets ?? null,
    outbox: report.outbox,
    webhooks: report.webhooks,
    configErrors: report.configErrors,
    generatedAt: report.generatedAt,
  });
});

status.get('/status', async (c) => {
  const html = renderStatusPage(await statusReport(c.env, c.var.mode.status));
  c.set('source', 'edge');
  return c.html(html, 200, {
    'cache-control': 'no-store',
    'content-security-policy': await contentSecurityPolicyFor(html),
  });
});
