/**
 * POST /api/orders       an order intent   `{ items: [{ sku, quantity }], contact: { name, email } }`
 * POST /api/leads        a lead            `{ kind: quote|demo|callback, contact: { name, email }, sku?, message? }`
 * POST /api/events       analytics events  `{ events: [{ type, ... }], batch? }` (any content type: `navigator.sendBeacon`)
 * GET  /api/receipts/:id where a queued write stands: pending, delivered or dead-letter
 *
 * Leads also come as plain form posts (the degraded pages' quote form, the
 * mirror's quote page without JavaScript): answered with a thank-you page.
 * A write is checked (size limit, JSON, schema) before anything is stored: a bad
 * one gets problem+json with the reason and field and changes nothing. A good one
 * carries an Idempotency-Key (the client's, or one assigned here and returned)
 * to its outbox shard, which commits it durably, then forwards it live or queues
 * it (see write-outbox.ts): forwarded only while live and this isolate's breaker
 * lets origin calls through, and the attempt's outcome counts for the breaker.
 * Answers: the origin's own (201) when delivered live;
 * 202 with a receipt when queued; the same receipt for a retry; 422 for a key
 * reused with another body; 409 while the key's first request is in flight;
 * the origin's own 4xx when it refuses a write live (nothing is kept).
 *
 * Abuse limits: each client (CF-Connecting-IP) has a budget per minute (the
 * WRITE_LIMITER and EVENT_LIMITER rate-limit bindings): over it, 429 with
 * Retry-After and nothing stored. A full outbox shard answers 503 with the
 * reason and Retry-After; nothing is ever dropped silently.
 *
 * sendBeacon cannot set headers, so an events batch may carry its key in the
 * body (`batch`): a batch re-sent from a page's offline queue is stored once.
 */
import { type Context, Hono } from 'hono';
import { HttpError } from '../../shared/http/http-error.ts';
import { logEvent } from '../../shared/observability/log-event.ts';
import { IDEMPOTENCY_KEY_RE, leadFromForm, WRITE_BODY_LIMITS, WRITE_SCHEMAS, type WriteKind } from '../../shared/writes/write-schemas.ts';
import type { ShowroomEnv } from '../app-types.ts';
import { originGate, recordOrigin } from '../origin-client.ts';
import { newReceipt, outboxStub, shardOf, shardOfReceipt } from '../outbox-shards.ts';
import { escapeHtml } from '../rewrite/escape-html.ts';

export const writes = new Hono<ShowroomEnv>();

for (const [kind, path] of [
  ['order', '/orders'],
  ['lead', '/leads'],
  ['event', '/events'],
] as const) {
  writes.post(path, (c) => acceptWrite(c.req.raw, kind, c));
}

writes.get('/receipts/:id', async (c) => {
  const id = c.req.param('id');
  const shard = shardOfReceipt(id);
  if (shard === undefined) throw new HttpError(400, 'not a receipt id (w<shard>-<uuid>)', { field: 'id' });
  const receipt = await outboxStub(c.env, shard).receipt(id);
  if (!receipt) throw new HttpError(404, `no receipt ${id}`);
  c.set('source', 'outbox');
  c.header('cache-control', 'no-store');
  return c.json(receipt);
});

type C = Context<ShowroomEnv>;

/** The period of both rate-limit bindings (wrangler.toml), in seconds; their windows follow the wall clock. */
export const RATE_LIMIT_PERIOD_S = 60;

async function acceptWrite(request: Request, kind: WriteKind, c: C): Promise<Response> {
  const client = request.headers.get('cf-connecting-ip') ?? 'unknown';
  const limiter = kind === 'event' ? c.env.EVENT_LIMITER : c.env.WRITE_LIMITER;
  if (!(await limiter.limit({ key: client })).success) {
    const retryAfter = Math.max(1, Math.ceil(RATE_LIMIT_PERIOD_S - ((Date.now() / 1000) % RATE_LIMIT_PERIOD_S)));
    logEvent({ event: 'write-rate-limited', kind, client });
    throw new HttpError(429, `too many ${kind === 'event' ? 'event batches' : 'writes'} from this client; retry in ${retryAfter} s`, {
      headers: { 'retry-after': String(retryAfter) },
    });
  }
  const text = await readLimited(request, WRITE_BODY_LIMITS[kind]);
  const fromForm = kind === 'lead' && /^application\/x-www-form-urlencoded\b/i.test(request.headers.get('content-type') ?? '');
  let json: unknown;
  if (fromForm) json = leadFromForm(new URLSearchParams(text));
  else {
    try {
      json = JSON.parse(text);
    } catch {
      throw new HttpError(400, 'the body is not valid JSON');
    }
  }
  const parsed = WRITE_SCHEMAS[kind].safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || undefined;
    throw new HttpError(400, `${field ? `${field}: ` : ''}${issue?.message ?? 'invalid body'}`, { field });
  }
  const given = request.headers.get('idempotency-key');
  if (given !== null && !IDEMPOTENCY_KEY_RE.test(given))
    throw new HttpError(400, 'Idempotency-Key must be 1 to 255 visible ASCII characters', { field: 'Idempotency-Key' });
  const batch = kind === 'event' ? (parsed.data as { batch?: unknown }).batch : undefined;
  if (batch !== undefined && (typeof batch !== 'string' || !IDEMPOTENCY_KEY_RE.test(batch)))
    throw new HttpError(400, 'batch must be 1 to 255 visible ASCII characters', { field: 'batch' });
  const key = given ?? batch ?? crypto.randomUUID();
  const body = JSON.stringify(parsed.data);
  const shard = shardOf(key);
  // Forwarded now only while live and this isolate's breaker is closed: a shopper does not wait out the
  // deadline on an origin this isolate already knows is failing. The attempt's outcome feeds the breaker.
  const live = originGate(c.var.mode).allowed;
  const result = await outboxStub(c.env, shard).accept({ kind, key, body, hash: await sha256Hex(body), live, receipt: newReceipt(shard) });
  if (live && (result.outcome === 'delivered' || result.outcome === 'refused')) recordOrigin(c.env, c.executionCtx, true);
  if (live && result.outcome === 'queued') recordOrigin(c.env, c.executionCtx, false, `${kind}: ${result.reason}`);
  c.header('idempotency-key', key);
  c.header('cache-control', 'no-store');
  switch (result.outcome) {
    case 'delivered':
      c.set('source', 'origin');
      c.header('x-vitrine-receipt', result.receipt);
      if (fromForm) return c.html(thankYouPage(result.receipt), 201);
      return c.body(result.body, result.status as 201, { 'content-type': 'application/json' });
    case 'queued':
    case 'seen': {
      c.set('source', 'outbox');
      const state = result.outcome === 'queued' ? 'pending' : result.state;
      c.header('x-vitrine-receipt', result.receipt);
      if (fromForm) return c.html(thankYouPage(result.receipt), 202);
      return c.json({ receipt: result.receipt, state, status: `/api/receipts/${result.receipt}` }, state === 'delivered' ? 200 : 202);
    }
    case 'refused':
      c.set('source', 'origin');
      return c.body(result.body, result.status as 400, { 'content-type': 'application/problem+json' });
    case 'full':
      throw new HttpError(503, 'the outbox is full: the origin has been unreachable for a long time; please try again later', {
        headers: { 'retry-after': '60' },
      });
    case 'conflict':
      throw new HttpError(422, 'this Idempotency-Key was already used with a different body', { field: 'Idempotency-Key' });
    case 'in-flight':
      throw new HttpError(409, 'a request with this Idempotency-Key is still being processed; retry in a moment', {
        headers: { 'retry-after': '1' },
      });
  }
}

/** The body as text, refusing more than `limit` bytes whether a Content-Length says so or a chunked stream runs over. */
export async function readLimited(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) throw new HttpError(413, `the body is over ${limit} bytes`);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new HttpError(413, `the body is over ${limit} bytes`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/** What a browser shows after posting the plain quote form. */
function thankYouPage(receipt: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Request received</title></head>
<body><main><h1>Thank you: we have your request</h1><p>We will answer by email. Your receipt: <code>${escapeHtml(receipt)}</code>.</p>
<p><a href="/">Back to the showroom</a></p></main></body></html>`;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
