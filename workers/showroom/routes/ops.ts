/**
 * Ops endpoints (bearer token, see ops-auth.ts):
 *
 *   GET  /ops/assets   asset delivery: primary CDN health, LOD cap, 3D on/off
 *   POST /ops/flags    set feature flags: `{ "viewer3d"?: true | false, "maxLod"?: 0-15 | null }`
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

const AssetFlagsSchema = z
  .object({
    maxLod: z.number().int().min(0).max(MAX_LOD_INDEX).nullable().optional(),
    viewer3d: z.boolean().optional(),
  })
  .strict()
  .refine((f) => f.maxLod !== undefined || f.viewer3d !== undefined, 'give maxLod and/or viewer3d');

/** Largest ops request body read. */
const MAX_BODY_BYTES = 4_096;

export const ops = new Hono<ShowroomEnv>();

ops.use('*', requireAdminToken());
ops.use('*', async (c, next) => {
  c.set('source', 'edge');
  await next();
  c.header('cache-control', 'no-store');
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
