/**
 * GET /api/products        page of summaries (page, pageSize, category, q)
 * GET /api/products/:sku   one product
 *
 * The origin answers first, within the deadline and behind the breaker; on any
 * failure (or while degraded) the latest snapshot answers, in the same shape.
 * Reads answer 5xx only when no snapshot has ever been published.
 * A product whose 3D model is published carries
 * `model: { id, manifest: "/models/<id>/manifest.json", poster: "/models/<id>/poster.webp" }`.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { ProductListSchema, ProductSchema, SKU_RE, SLUG_RE } from '../../shared/catalog/product-schema.ts';
import { HttpError } from '../../shared/http/http-error.ts';
import type { ShowroomEnv } from '../app-types.ts';
import { type ModelLinks, publishedModel } from '../model-links.ts';
import { originJson } from '../origin-client.ts';
import { snapshotReader } from '../snapshot-access.ts';

export const MAX_PAGE_SIZE = 100;

const ListQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(24),
  category: z.string().max(120).regex(SLUG_RE).optional(),
  q: z.string().trim().min(1).max(200).optional(),
});

export const productsApi = new Hono<ShowroomEnv>();

const noSnapshot = () =>
  new HttpError(503, 'The origin is unavailable and no catalog snapshot has been published yet', { headers: { 'retry-after': '30' } });

productsApi.get('/', async (c) => {
  const parsed = ListQuerySchema.safeParse(c.req.query());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HttpError(400, `${issue?.path.join('.')}: ${issue?.message}`, { field: issue?.path.join('.') });
  }
  const query = parsed.data;
  const qs = new URLSearchParams(Object.entries(query).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])));
  const live = await originJson(c.env, c.executionCtx, c.var.mode, `/api/products?${qs}`, ProductListSchema);
  if (live.kind === 'ok') {
    c.set('source', 'origin');
    return c.json({ ...live.value, items: await withModels(c.env, live.value.items) });
  }
  const hit = await snapshotReader(c.env).list(query);
  if (!hit) throw noSnapshot();
  c.set('source', 'snapshot');
  c.header('x-vitrine-snapshot-version', hit.version.version);
  if (live.kind !== 'not-found') c.header('x-vitrine-fallback-reason', live.reason);
  const { items, total } = hit.value;
  return c.json({
    items: await withModels(c.env, items),
    page: query.page,
    pageSize: query.pageSize,
    total,
    totalPages: Math.ceil(total / query.pageSize),
  });
});

productsApi.get('/:sku', async (c) => {
  const sku = c.req.param('sku');
  if (!SKU_RE.test(sku)) throw new HttpError(400, 'sku must be letters, digits, ".", "_" or "-", at most 64 characters', { field: 'sku' });
  const live = await originJson(c.env, c.executionCtx, c.var.mode, `/api/products/${encodeURIComponent(sku)}`, ProductSchema);
  if (live.kind === 'ok') {
    c.set('source', 'origin');
    return c.json(await withModel(c.env, live.value));
  }
  if (live.kind === 'not-found') {
    c.set('source', 'origin');
    throw new HttpError(404, `No product with sku "${sku}"`);
  }
  const hit = await snapshotReader(c.env).product(sku);
  if (!hit) throw noSnapshot();
  c.set('source', 'snapshot');
  c.header('x-vitrine-snapshot-version', hit.version.version);
  c.header('x-vitrine-fallback-reason', live.reason);
  if (!hit.value) throw new HttpError(404, `No product with sku "${sku}"`);
  return c.json(await withModel(c.env, hit.value));
});

/** The product with `model` links when its model is published. */
async function withModel<T extends { modelId?: string }>(env: Env, product: T): Promise<T & { model?: ModelLinks }> {
  const model = await publishedModel(env, product.modelId);
  return model ? { ...product, model } : product;
}

function withModels<T extends { modelId?: string }>(env: Env, items: T[]): Promise<(T & { model?: ModelLinks })[]> {
  return Promise.all(items.map((item) => withModel(env, item)));
}
