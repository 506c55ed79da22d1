/**
 * `npm run ops -- <command> [options]`: the showroom's ops API for people, against the local stack
 * (http://127.0.0.1:8787) or a deployed URL (`--url` or VITRINE_URL). The token comes from ADMIN_TOKEN,
 * else the ADMIN_TOKEN line of ./.dev.vars (what `npm start` writes); it is never printed.
 *
 *   state                                            mode, override, incident, components, outbox, webhooks
 *   mode <auto|live|degraded> --reason "…" [--expires 30m]
 *   update "<message>"                               post an update on the current incident
 *   flags [--viewer3d on|off] [--max-lod <n>|none]
 *   snapshot-refresh
 *   template <name> [--var key=value …] [--status active|resolved]
 *   outbox [pending|dead-letter] [--limit n]
 *   retry <receipt>  ·  discard <receipt> --reason "…"
 *
 * `--json` prints the API's answer as is. Exit codes: 0 done, 1 the server refused or could not be
 * reached, 2 a bad command line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseDevVars } from '../../examples/demo-stack/local-secrets.ts';

export const OPS_DEFAULT_URL = 'http://127.0.0.1:8787';
const TIMEOUT_MS = 10_000;

const USAGE = `usage: npm run ops -- <command> [options]   (--url <showroom>, default VITRINE_URL or ${OPS_DEFAULT_URL}; --json)
  state                                              what the showroom is doing now
  mode <auto|live|degraded> --reason "…" [--expires 30m]   force a mode (ends by itself), or auto
  update "<message>"                                 post an incident update (status page, banner, webhooks)
  flags [--viewer3d on|off] [--max-lod <n>|none]     3D viewer switch and LOD cap
  snapshot-refresh                                   pull the PIM export now
  template <name> [--var first_name=Ada] [--status active|resolved]   render a message template
  outbox [pending|dead-letter] [--limit n]           queued or dead-lettered writes
  retry <receipt>  |  discard <receipt> --reason "…" one write
examples:
  npm run ops -- mode degraded --reason "origin migration" --expires 45m
  npm run ops -- update "Payments are back; orders still queue for a few minutes."
  npm run ops -- template email --var first_name=Ada`;

class UsageError extends Error {}

/** `30m`, `2h`, `90s`, `1h30m` or plain seconds → seconds. */
export function parseDuration(text: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  if (!match || text === '') throw new UsageError(`--expires ${JSON.stringify(text)}: use e.g. 90s, 30m, 2h or 1h30m`);
  return Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
}

function token(): string {
  if (process.env.ADMIN_TOKEN) return process.env.ADMIN_TOKEN;
  const file = join(process.cwd(), '.dev.vars');
  try {
    const fromFile = parseDevVars(readFileSync(file, 'utf8')).ADMIN_TOKEN;
    if (fromFile) return fromFile;
  } catch {}
  throw new UsageError(`no admin token: set ADMIN_TOKEN, or run from the project (npm start writes it to ${file})`);
}

interface Request {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
}

function request(command: string, positionals: string[], values: Record<string, unknown>): Request {
  const need = (what: string, value: string | undefined) => {
    if (!value) throw new UsageError(`${command}: ${what} is required`);
    return value;
  };
  switch (command) {
    case 'state':
      return { method: 'GET', path: '/ops/state' };
    case 'mode': {
      const mode = need('a mode (auto, live or degraded)', positionals[0]);
      if (!['auto', 'live', 'degraded'].includes(mode)) throw new UsageError(`mode: ${JSON.stringify(mode)} is not auto, live or degraded`);
      const reason = values.reason as string | undefined;
      if (mode !== 'auto') need('--reason "…"', reason);
      const body: Record<string, unknown> = { mode, reason: reason ?? 'back to automatic' };
      if (values.expires) body.expiresInSeconds = parseDuration(values.expires as string);
      return { method: 'POST', path: '/ops/mode', body };
    }
    case 'update':
      return { method: 'POST', path: '/ops/incidents/current/updates', body: { message: need('a message', positionals.join(' ')) } };
    case 'flags': {
      const body: Record<string, unknown> = {};
      if (values.viewer3d !== undefined) {
        if (!['on', 'off'].includes(values.viewer3d as string)) throw new UsageError('flags: --viewer3d takes on or off');
        body.viewer3d = values.viewer3d === 'on';
      }
      if (values['max-lod'] !== undefined) {
        const v = values['max-lod'] as string;
        if (v !== 'none' && !/^\d{1,2}$/.test(v)) throw new UsageError('flags: --max-lod takes a level number or none');
        body.maxLod = v === 'none' ? null : Number(v);
      }
      if (Object.keys(body).length === 0) throw new UsageError('flags: give --viewer3d and/or --max-lod');
      return { method: 'POST', path: '/ops/flags', body };
    }
    case 'snapshot-refresh':
      return { method: 'POST', path: '/ops/snapshot/refresh' };
    case 'template': {
      const name = need('a template name', positionals[0]);
      const query = new URLSearchParams();
      for (const pair of (values.var as string[] | undefined) ?? []) {
        const eq = pair.indexOf('=');
        if (eq < 1) throw new UsageError(`template: --var ${JSON.stringify(pair)} is not key=value`);
        query.set(pair.slice(0, eq), pair.slice(eq + 1));
      }
      if (values.status) query.set('status', values.status as string);
      return { method: 'GET', path: `/ops/templates/${encodeURIComponent(name)}${query.size ? `?${query}` : ''}` };
    }
    case 'outbox':
      return { method: 'GET', path: `/ops/outbox?state=${positionals[0] ?? 'pending'}&limit=${values.limit ?? 20}` };
    case 'retry':
      return { method: 'POST', path: `/ops/outbox/${encodeURIComponent(need('a receipt', positionals[0]))}/retry` };
    case 'discard':
      return {
        method: 'POST',
        path: `/ops/outbox/${encodeURIComponent(need('a receipt', positionals[0]))}/discard`,
        body: { reason: need('--reason "…"', values.reason as string | undefined) },
      };
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}

type Json = Record<string, unknown>;
const line = (label: string, value: unknown) => console.log(`${label.padEnd(14)} ${value ?? '—'}`);

/** Readable output per command; anything not known is printed as indented JSON. */
function show(command: string, body: Json): void {
  if (command === 'state' || command === 'mode') {
    line('mode', `${body.mode}${body.since ? ` since ${body.since}` : ''}`);
    const override = body.override as Json | null;
    if (override) line('override', `${override.mode}: ${override.reason} (until ${override.expiresAt})`);
    const incident = body.incident as Json | null;
    if (incident) {
      line('incident', `${incident.id} (${(incident.channels as string[]).join(', ')}), next update by ${incident.nextUpdateAt}`);
      for (const u of incident.updates as Json[]) console.log(`${''.padEnd(15)}${u.at}  ${u.by}: ${u.message}`);
    }
    const components = (body.components ?? {}) as Record<string, Json>;
    for (const [name, c] of Object.entries(components)) line(name, `${String(c.state).padEnd(12)} ${c.detail}`);
    const outbox = body.outbox as Json | undefined;
    if (outbox) line('outbox', `${outbox.pending} pending, ${outbox.deadLetter} dead-lettered, ${outbox.delivered} delivered`);
    for (const w of (body.webhooks ?? []) as Json[])
      line(
        'webhook',
        `${w.url}: ${w.delivered} delivered, ${w.pending} pending, ${w.deadLetter} dead${w.lastError ? `; last error ${w.lastError}` : ''}`,
      );
    return;
  }
  if (command === 'template') {
    if (body.subject) line('subject', body.subject);
    console.log(`\n${body.text}`);
    return;
  }
  if (command === 'outbox') {
    const counts = body.counts as Json;
    line('counts', `${counts.pending} pending, ${counts.deadLetter} dead-lettered`);
    console.table(
      (body.items as Json[]).map((i) => ({
        receipt: i.receipt,
        kind: i.kind,
        state: i.state,
        attempts: i.attempts,
        lastError: i.lastError,
      })),
    );
    return;
  }
  console.log(JSON.stringify(body, null, 2));
}

export async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        json: { type: 'boolean' },
        reason: { type: 'string' },
        expires: { type: 'string' },
        viewer3d: { type: 'string' },
        'max-lod': { type: 'string' },
        var: { type: 'string', multiple: true },
        status: { type: 'string' },
        limit: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const [command, ...positionals] = parsed.positionals;
  if (!command || command === 'help' || parsed.values.help) {
    console.log(USAGE);
    return command || parsed.values.help ? 0 : 2;
  }
  let base: URL;
  let req: Request;
  let auth: string;
  try {
    base = new URL((parsed.values.url as string | undefined) ?? process.env.VITRINE_URL ?? OPS_DEFAULT_URL);
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new UsageError(`--url ${base.href} is not http(s)`);
    req = request(command, positionals, parsed.values);
    auth = token();
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : err}\n${USAGE}`);
    return 2;
  }
  const url = new URL(req.path, base);
  let res: Response;
  try {
    res = await fetch(url, {
      method: req.method,
      headers: { authorization: `Bearer ${auth}`, ...(req.body ? { 'content-type': 'application/json' } : {}) },
      ...(req.body ? { body: JSON.stringify(req.body) } : {}),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    console.error(`cannot reach ${base.origin} (${(err as Error).message}); is the stack running? (npm start)`);
    return 1;
  }
  const body = (await res.json().catch(() => ({}))) as Json;
  if (!res.ok) {
    console.error(`HTTP ${res.status}: ${body.detail ?? res.statusText}${body.field ? ` (field: ${body.field})` : ''}`);
    if (Array.isArray(body.missing)) console.error(`missing: ${body.missing.join(', ')}; pass them as --var name=value`);
    return 1;
  }
  if (parsed.values.json) console.log(JSON.stringify(body, null, 2));
  else show(command, body);
  return 0;
}

if (process.argv[1]?.endsWith('ops-cli.ts')) main(process.argv.slice(2)).then((code) => process.exit(code));
