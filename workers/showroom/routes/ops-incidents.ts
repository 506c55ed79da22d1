/**
 * Ops endpoints for outages (bearer token; mounted under /ops by ops.ts):
 *
 *   GET  /ops/state                          mode, override, incident, components, outbox, webhooks
 *   POST /ops/mode                           `{ "mode": "auto"|"live"|"degraded", "reason", "expiresInSeconds"?, "channel"? }`
 *   POST /ops/incidents/current/updates      `{ "message" }`: shown on /status, in the banner, sent to webhooks
 *   POST /ops/snapshot/refresh               pull the PIM export from the origin now
 *   GET  /ops/templates/:name?status=active|resolved&first_name=…   a message template rendered for the incident
 *
 * A template whose placeholders cannot all be filled answers 422 with the
 * missing names: a message with a raw `{{placeholder}}` is never handed out.
 */
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { HttpError, problemJson } from '../../shared/http/http-error.ts';
import type { ShowroomEnv } from '../app-types.ts';
import { readConfig } from '../config.ts';
import type { MonitorStatus } from '../health-monitor.ts';
import { monitorStub } from '../mode-view.ts';
import { MAX_UPDATE_CHARS } from '../ops/incident-log.ts';
import { incidentValues } from '../ops/incident-values.ts';
import { isTemplateName, renderTemplate, TEMPLATE_NAMES } from '../ops/message-templates.ts';
import { MAX_OVERRIDE_SECONDS } from '../ops/mode-override.ts';
import { refreshSnapshot } from '../refresh-snapshot.ts';
import { statusReport } from '../status-report.ts';

/** Largest ops request body read. */
const MAX_BODY_BYTES = 4_096;

const ModeSchema = z
  .object({
    mode: z.enum(['auto', 'live', 'degraded']),
    reason: z.string().trim().min(1, 'say why (it is shown to ops and in the incident)').max(500),
    expiresInSeconds: z.number().int().min(60).max(MAX_OVERRIDE_SECONDS).optional(),
    channel: z.enum(['origin', 'asset-cdn', 'auth', 'third-party']).optional(),
  })
  .strict();

const UpdateSchema = z.object({ message: z.string().trim().min(1).max(MAX_UPDATE_CHARS) }).strict();

export const opsIncidents = new Hono<ShowroomEnv>();

opsIncidents.get('/state', async (c) => c.json(await opsState(c)));

opsIncidents.post('/mode', async (c) => {
  const request = parseBody(await c.req.text(), ModeSchema, '{ "mode": "auto"|"live"|"degraded", "reason": "…", "expiresInSeconds"?: n }');
  await monitorStub(c.env).setMode(request);
  return c.json(await opsState(c));
});

opsIncidents.post('/incidents/current/updates', async (c) => {
  const { message } = parseBody(await c.req.text(), UpdateSchema, '{ "message": "…" }');
  const incident = await monitorStub(c.env).postUpdate(message);
  if (!incident) throw new HttpError(404, 'there is no current incident to update (the showroom is healthy)');
  return c.json(incident, 201);
});

opsIncidents.post('/snapshot/refresh', async (c) => {
  const result = await refreshSnapshot(c.env);
  if (!result.ok) throw new HttpError(502, `the snapshot was not refreshed: ${result.reason}`);
  return c.json(result);
});

opsIncidents.get('/templates/:name', async (c) => {
  const name = c.req.param('name');
  if (!isTemplateName(name)) throw new HttpError(404, `no template ${JSON.stringify(name)}; known: ${TEMPLATE_NAMES.join(', ')}`);
  const query = c.req.query();
  const monitor = await monitorStub(c.env).status();
  const incident = monitor.incident ?? monitor.recentIncidents[0] ?? null;
  const status =
    query.status === 'resolved' || query.status === 'active' ? query.status : incident?.status === 'resolved' ? 'resolved' : 'active';
  const values = { ...incidentValues(readConfig(c.env), incident), ...recipientValues(query) };
  const rendered = renderTemplate(name, status, values, readConfig(c.env).templateOverrides);
  if (!rendered.ok) {
    const res = problemJson(422, `cannot fill ${rendered.missing.join(', ')}: pass them as query parameters (?first_name=…)`);
    const body = { ...(await res.json<Record<string, unknown>>()), missing: rendered.missing, placeholders: rendered.placeholders };
    return c.json(body, 422, { 'content-type': 'application/problem+json' });
  }
  return c.json({ ...rendered, incident: incident?.id ?? null });
});

/** Recipient-specific values (`first_name`, …) from the query: plain text, bounded. */
function recipientValues(query: Record<string, string>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) if (/^[a-z_]{1,40}$/.test(key) && key !== 'status') values[key] = value.slice(0, 200);
  return values;
}

async function opsState(c: Context<ShowroomEnv>) {
  const report = await statusReport(c.env, c.var.mode.status);
  const monitor: MonitorStatus | null = report.monitor;
  return {
    mode: report.mode,
    since: report.since,
    auto: monitor?.auto ?? null,
    override: report.override,
    incident: report.incident,
    recentIncidents: report.recentIncidents,
    nextUpdateAt: report.nextUpdateAt,
    components: report.components,
    outbox: report.outbox,
    webhooks: report.webhooks.targets,
    assets: monitor?.assets ?? null,
    transitions: monitor?.transitions ?? [],
    configErrors: report.configErrors,
  };
}

function parseBody<T>(text: string, schema: z.ZodType<T>, shape: string): T {
  if (text.length > MAX_BODY_BYTES) throw new HttpError(413, `the body is over ${MAX_BODY_BYTES} bytes`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, `the body must be JSON: ${shape}`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || undefined;
    throw new HttpError(400, `${field ? `${field}: ` : ''}${issue?.message ?? 'invalid body'}`, { field });
  }
  return parsed.data;
}
