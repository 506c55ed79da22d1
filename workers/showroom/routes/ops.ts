/**
 * Ops endpoints (bearer token, see ops-auth.ts):
 *
 *   GET  /ops/assets   asset delivery: primary CDN health, LOD cap, 3D on/off
 *   POST /ops/flags    set feature flags: `{ "viewer3d"?: true | false, "maxLod"?: 0-15 | null }`
 *   GET  /ops/outbox?state=pending|dead-letter&limit=n   the oldest queued or dead-lettered writes, and counts
 *   POST /ops/outbox/:receipt/retry                      a dead-lettered write back into the queue
 *   POST /ops/outbox/:receipt/discard `{ "reason" }`     drop a queued or dead-lettered write for good
 *   … and the outage endpoints of ops-incidents.ts: /ops/state, /ops/mode, /ops/incidents/current/updates,
 *   /ops/snapshot/refresh, /ops/templates/:name
 *
 * Flags go to the HealthMonitor, which publishes the asset policy the asset
 * worker obeys within a few seconds. Answers are never cached.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { MAX_LOD_INDEX } from '../../shared/assets/asset-policy.ts';
import { HttpError } from '../../shared/http/http-error.ts';
import type { ShowroomEnv } from '../app-types.ts';
import { monitorStub } from '../mode-view.ts';
import { requireAdminToken } from '../ops-auth.ts';
import { outboxStub, shardOfReceipt } from '../outbox-shards.ts';
import { outboxCounts, outboxList } from '../outbox-status.ts';
import { opsIncidents } from './ops-incidents.ts';

const AssetFlagsSchema = z
  .object({
    maxLod: z.number().int().min(0).max(MAX_LOD_INDEX).nullable().optional(),
    viewer3d: z.boolean().optional(),
  })
  .strict()
  .refine((f) => f.maxLod !== undefined || f.viewer3d !== undefined, 'give maxLod and/or viewer3d');

const OutboxQuerySchema = z.object({
  state: z.enum(['pending', 'dead-letter']).default('dead-letter'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** Largest ops request body read. */
const MAX_BODY_BYTES = 4_096;

export const ops = new Hono<ShowroomEnv>();

ops.use('*', requireAdminToken());
ops.use('*', async (c, next) => {
  c.set('source', 'edge');
  await next();
  c.header('cache-control', 'no-store');
});

ops.route('/', opsIncidents);

ops.get('/outbox', async (c) => {
  const parsed = OutboxQuerySchema.safeParse(c.req.query());
  if (!parsed.success) throw new HttpError(400, `${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
  const { state, limit } = parsed.data;
  const [counts, items] = await Promise.all([outboxCounts(c.env), outboxList(c.env, state, limit)]);
  return c.json({ counts, state, items });
});

ops.post('/outbox/:receipt/:action{retry|discard}', async (c) => {
  const id = c.req.param('receipt');
  const shard = shardOfReceipt(id);
  if (shard === undefined) throw new HttpError(400, 'not a receipt id (w<shard>-<uuid>)', { field: 'receipt' });
  const stub = outboxStub(c.env, shard);
  if (c.req.param('action') === 'retry') {
    if (!(await stub.retry(id))) throw new HttpError(409, `${id} is not dead-lettered (nothing to retry)`);
  } else {
    const body = (await c.req.json().catch(() => null)) as { reason?: unknown } | null;
    const reason = typeof body?.reason === 'string' ? body.reason.trim().slice(0, 500) : '';
    if (!reason) throw new HttpError(400, 'give a reason: { "reason": "…" }', { field: 'reason' });
    if (!(await stub.discard(id, reason))) throw new HttpError(409, `${id} is neither queued nor dead-lettered`);
  }
  return c.json(await stub.receipt(id));
});

ops.get('/assets', async (c) => c.json((await monitorStub(c.env).status()).assets));

ops.post('/flags', async (c) => {
  const text = await c.req.text();
  if (text.length > MAX_BODY_BYTES) throw new HttpError(413, `the body is over ${MAX_BODY_BYTES} bytes`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'the body must be JSON: { "viewer3d"?: true | false, "maxLod"?: 0-15 | null }');
  }
  const parsed = AssetFlagsSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || undefined;
    throw new HttpError(400, `${field ? `${field}: ` : ''}${issue?.message ?? 'invalid flags'}`, { field });
  }
  return c.json(await monitorStub(c.env).setAssetFlags(parsed.data));
});
