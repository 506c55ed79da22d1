/**
 * The shopper-facing routes of the example origin (a stand-in for a merchant's commerce platform + PIM):
 * catalog listing, product detail, PIM export, orders, leads and analytics events. Writes are checked
 * against the same schemas as the edge's (workers/shared/writes/write-schemas.ts). Faults are injected in front of it
 * (fault-injector.ts), never inside.
 */
import type { HttpBindings } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { toSummary } from '../../workers/shared/catalog/product-schema.ts';
import { WRITE_SCHEMAS } from '../../workers/shared/writes/write-schemas.ts';
import { createAssetCdnApp } from './asset-cdn.ts';
import { createCrmApp } from './crm-webhooks.ts';
import { filterProducts, type OriginCatalog, paginate } from './origin-catalog.ts';
import { problemResponse } from './problem.ts';
import { IDEMPOTENCY_KEY_RE, type JsonValue, type WriteKind, type WriteStore } from './write-store.ts';

/** Default `pageSize` of `/api/products`. */
export const DEFAULT_PAGE_SIZE = 24;
/** Largest `pageSize` of `/api/products`. */
export const MAX_PAGE_SIZE = 100;
/** Largest accepted write body, in bytes. */
export const MAX_WRITE_BODY_BYTES = 1_000_000;

/** What the app serves from. */
export interface OriginAppDeps {
  catalog: OriginCatalog;
  store: WriteStore;
  /** Built models (`npm run assets -- build --out <dir>`) served under `/cdn` as the primary asset CDN. */
  assetsDir?: string;
  /** The secret the CRM stand-in under `/crm` checks incident webhooks with (Vitrine's WEBHOOK_SECRET). */
  webhookSecret?: string;
}

/** Hono environment: @hono/node-server's raw objects are in `c.env`. */
export type OriginEnv = { Bindings: HttpBindings };

const POSITIVE_INT_RE = /^[1-9]\d{0,8}$/;

/** Builds the shopper-facing Hono app. */
export function createOriginApp(deps: OriginAppDeps): Hono<OriginEnv> {
  const { catalog, store } = deps;
  const app = new Hono<OriginEnv>();

  app.get('/healthz', (c) => c.json({ ok: true, products: catalog.products.length }));
  app.route('/cdn', createAssetCdnApp(deps.assetsDir));
  app.route('/crm', createCrmApp(deps.webhookSecret));

  app.get('/api/products', (c) => {
    const page = c.req.query('page') ?? '1';
    const pageSize = c.req.query('pageSize') ?? String(DEFAULT_PAGE_SIZE);
    if (!POSITIVE_INT_RE.test(page)) return problemResponse(c, 400, `page must be a whole number >= 1, got ${JSON.stringify(page)}`);
    if (!POSITIVE_INT_RE.test(pageSize) || Number(pageSize) > MAX_PAGE_SIZE) {
      return problemResponse(c, 400, `pageSize must be a whole number between 1 and ${MAX_PAGE_SIZE}, got ${JSON.stringify(pageSize)}`);
    }
    const category = c.req.query('category');
    const q = c.req.query('q');
    const matches = filterProducts(catalog.products, {
      ...(category === undefined || category === '' ? {} : { category }),
      ...(q === undefined ? {} : { q }),
    });
    const result = paginate(matches, Number(page), Number(pageSize));
    return c.json({
      items: result.items.map(toSummary),
      page: Number(page),
      pageSize: Number(pageSize),
      total: result.total,
      totalPages: result.totalPages,
    });
  });

  app.get('/api/products/:sku', (c) => {
    const sku = c.req.param('sku');
    const product = catalog.bySku.get(sku);
    if (product === undefined) return problemResponse(c, 404, `No product with sku ${JSON.stringify(sku)}.`);
    return c.json(product);
  });

  app.get('/pim/export', (c) => c.json(catalog.snapshot));

  for (const [kind, path] of [
    ['order', '/api/orders'],
    ['lead', '/api/leads'],
    ['event', '/api/events'],
  ] as const) {
    app.post(path, (c) => submit(c, store, kind));
    app.get(path, (c) => {
      const items = store.list(kind);
      return c.json({ items, total: items.length });
    });
  }

  app.notFound((c) => problemResponse(c, 404, `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`));
  app.onError((error, c) => {
    console.error('[origin] unhandled error:', error);
    return problemResponse(c, 500, 'Unexpected error in the example origin.');
  });
  return app;
}

async function submit(c: Context<OriginEnv>, store: WriteStore, kind: WriteKind): Promise<Response> {
  const key = c.req.header('Idempotency-Key');
  if (key === undefined) return problemResponse(c, 400, 'The Idempotency-Key header is required.');
  if (!IDEMPOTENCY_KEY_RE.test(key)) {
    return problemResponse(c, 400, 'The Idempotency-Key header must be 1 to 255 visible ASCII characters.');
  }
  const raw = await c.req.text();
  if (Buffer.byteLength(raw) > MAX_WRITE_BODY_BYTES) {
    return problemResponse(c, 413, `The body must be at most ${MAX_WRITE_BODY_BYTES} bytes.`);
  }
  let body: JsonValue;
  try {
    body = JSON.parse(raw) as JsonValue;
  } catch {
    return problemResponse(c, 400, 'The body is not valid JSON.');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return problemResponse(c, 400, 'The body must be a JSON object.');
  }
  const checked = WRITE_SCHEMAS[kind].safeParse(body);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const field = issue?.path.join('.');
    return problemResponse(c, 422, `${field ? `${field}: ` : ''}${issue?.message ?? 'invalid body'}`);
  }

  const result = store.submit(kind, key, body);
  switch (result.outcome) {
    case 'created':
      return c.body(result.responseBody, 201, { 'Content-Type': 'application/json' });
    case 'replayed':
      return new Response(result.responseBody, {
        status: result.status,
        headers: { 'Content-Type': 'application/json', 'Idempotent-Replayed': 'true' },
      });
    case 'conflict':
      return problemResponse(c, 422, `Idempotency-Key ${JSON.stringify(key)} was already used with a different body.`);
  }
}
