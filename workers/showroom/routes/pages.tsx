/**
 * GET /               home: categories and featured products
 * GET /c/:category    category listing (?page=n)
 * GET /p/:slug        product page
 * GET /favicon.ico     204 (no icon; spares every page a 404)
 *
 * Edge-first, in every mode: a pre-rendered mirror page from KV when one is
 * published, otherwise the same templates rendered here from the snapshot
 * (cached per snapshot version under the canonical host). Then, per mode:
 *  - live: prices and stock patched from the origin within the deadline
 *    (silently keeping snapshot values when it fails);
 *  - degraded: banner, quote form instead of commerce controls, prices "as of".
 * A product page whose model is published gets the 3D viewer (poster first) in
 * both modes. Every page carries the Content-Security-Policy.
 */
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { ProductListSchema, ProductSchema, SLUG_RE } from '../../shared/catalog/product-schema.ts';
import { sitePathOfFolderPath } from '../../shared/mirror/folder-paths.ts';
import type { SnapshotMeta } from '../../shared/snapshot/snapshot-layout.ts';
import { CATEGORY_PAGE_SIZE, CategoryPage } from '../../shared/templates/category-page.tsx';
import { HomePage } from '../../shared/templates/home-page.tsx';
import { NotFoundPage } from '../../shared/templates/not-found-page.tsx';
import { PAGE_CONTEXT_DEFAULTS, type PageContext } from '../../shared/templates/page-context.ts';
import { ProductPage } from '../../shared/templates/product-page.tsx';
import { renderPage } from '../../shared/templates/render-page.ts';
import type { ShowroomEnv } from '../app-types.ts';
import { readConfig } from '../config.ts';
import { contentSecurityPolicyFor } from '../content-security-policy.ts';
import { mirrorFile, mirrorPage } from '../mirror-pages.ts';
import { publishedModel } from '../model-links.ts';
import { incidentValues } from '../ops/incident-values.ts';
import { renderTemplate } from '../ops/message-templates.ts';
import { originJson } from '../origin-client.ts';
import { degradedPage } from '../rewrite/degraded-page.ts';
import { withEventQueue } from '../rewrite/event-queue.ts';
import { type LiveValues, liveValues } from '../rewrite/live-values.ts';
import { modelViewer } from '../rewrite/model-viewer.ts';
import { snapshotReader } from '../snapshot-access.ts';

export const HOME_FEATURED = 12;
export const EDGE_RENDER_CACHE_SECONDS = 3_600;

type C = Context<ShowroomEnv>;

/** What a page is, independent of where its HTML comes from. */
type PageSpec =
  | { kind: 'home'; pagePath: string }
  | { kind: 'mirror-only'; pagePath: string }
  | { kind: 'category'; pagePath: string; slug: string; page: number }
  | { kind: 'product'; pagePath: string; slug: string };

export const pages = new Hono<ShowroomEnv>();

pages.get('/', (c) => servePage(c, { kind: 'home', pagePath: '/' }));

/** Browsers ask for it on every site; the showroom has none: an empty, cacheable answer instead of a 404. */
pages.get('/favicon.ico', (c) => {
  c.set('source', 'edge');
  return c.body(null, 204, { 'cache-control': 'public, max-age=86400' });
});

pages.get('/c/:category', (c) => {
  const slug = c.req.param('category');
  const page = z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .catch(0)
    .parse(c.req.query('page') ?? 1);
  if (!SLUG_RE.test(slug) || page < 1) return notFound(c);
  return servePage(c, { kind: 'category', slug, page, pagePath: page > 1 ? `/c/${slug}?page=${page}` : `/c/${slug}` });
});

pages.get('/p/:slug', (c) => {
  const slug = c.req.param('slug');
  if (!SLUG_RE.test(slug)) return notFound(c);
  return servePage(c, { kind: 'product', slug, pagePath: `/p/${slug}` });
});

/**
 * Everything else the mirror publishes: its other pages (/search, /quote, /404),
 * its files (spec sheets, comparison CSVs, scripts, sitemap, robots), and
 * folder-style links (`/p/x/index.html`) redirected to their site path.
 */
pages.get('*', async (c) => {
  const folderTarget = sitePathOfFolderPath(c.req.path);
  if (folderTarget) return c.redirect(folderTarget, 301);
  const mirrored = /^\/[a-z0-9-]+$/.test(c.req.path) ? await mirrorPage(c.env.CATALOG_KV, c.req.path) : null;
  if (mirrored) return servePage(c, { kind: 'mirror-only', pagePath: c.req.path }, mirrored);
  const file = await mirrorFile(c.env.CATALOG_KV, c.env.ASSETS_R2, c.req.path);
  if (!file) return notFound(c);
  c.set('source', 'mirror');
  c.header('x-vitrine-mirror-version', file.version);
  return c.body(file.body, 200, {
    'content-type': file.ref.type,
    'content-length': String(file.ref.bytes),
    etag: `"${file.ref.sha256}"`,
    'cache-control': 'public, max-age=300',
  });
});

async function servePage(c: C, spec: PageSpec, found?: Awaited<ReturnType<typeof mirrorPage>>): Promise<Response> {
  const meta = (await snapshotReader(c.env).meta())?.value ?? null;
  const mirrored = found ?? (await mirrorPage(c.env.CATALOG_KV, spec.pagePath));
  let html: string | null;
  const headers: Record<string, string> = {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'public, max-age=0, must-revalidate',
  };
  if (mirrored) {
    c.set('source', 'mirror');
    headers['x-vitrine-mirror-version'] = mirrored.version;
    html = mirrored.html;
  } else {
    if (!meta || spec.kind === 'mirror-only') return unavailable(c);
    c.set('source', 'edge-render');
    html = await edgeRender(c, spec, meta);
    if (html === null) return notFound(c, meta);
  }
  headers['content-security-policy'] = await contentSecurityPolicyFor(html);
  let response = withEventQueue(new Response(html, { headers }));
  if (spec.kind === 'product') response = await withModelViewer(c, spec.slug, response);
  if (c.var.mode.mode === 'degraded') {
    const bannerMessage = bannerFor(c);
    return degradedPage(response, { snapshotGeneratedAt: meta?.generatedAt ?? '', ...(bannerMessage ? { bannerMessage } : {}) });
  }
  const live = await liveValuesFor(c, spec);
  if (live.length) response = liveValues(response, live);
  return response;
}

/** The outage banner: the `banner` template rendered for the current incident (ops' latest update included); the default text if it cannot be filled. */
function bannerFor(c: C): string | undefined {
  const config = readConfig(c.env);
  const rendered = renderTemplate(
    'banner',
    'active',
    incidentValues(config, c.var.mode.status?.incident ?? null),
    config.templateOverrides,
  );
  return rendered.ok ? rendered.text : undefined;
}

/** The page with the 3D viewer when its product's model is published (live and degraded alike). */
async function withModelViewer(c: C, slug: string, response: Response): Promise<Response> {
  const product = (await snapshotReader(c.env).productBySlug(slug))?.value;
  const model = await publishedModel(c.env, product?.modelId);
  return model && product ? modelViewer(response, { model, title: product.title }) : response;
}

/** Renders from the snapshot; cached by canonical URL + snapshot version (never by Host). */
async function edgeRender(c: C, spec: Exclude<PageSpec, { kind: 'mirror-only' }>, meta: SnapshotMeta): Promise<string | null> {
  const { canonicalOrigin } = readConfig(c.env);
  const cacheKey = new Request(`${canonicalOrigin}/__edge-render/${meta.version}${spec.pagePath}`);
  const cache = await caches.open('vitrine-pages');
  const cached = await cache.match(cacheKey);
  if (cached) return cached.text();
  const ctx: PageContext = { ...PAGE_CONTEXT_DEFAULTS, canonicalOrigin, snapshotGeneratedAt: meta.generatedAt };
  const reader = snapshotReader(c.env);
  let html: string | null = null;
  if (spec.kind === 'home') {
    const featured = (await reader.list({ page: 1, pageSize: HOME_FEATURED }))?.value.items ?? [];
    html = await renderPage(<HomePage ctx={ctx} categories={meta.categories} featured={featured} />);
  } else if (spec.kind === 'category') {
    const category = meta.categories.find((cat) => cat.slug === spec.slug);
    const totalPages = category ? Math.ceil(category.count / CATEGORY_PAGE_SIZE) : 0;
    if (!category || spec.page > totalPages) return null;
    const items = (await reader.list({ category: spec.slug, page: spec.page, pageSize: CATEGORY_PAGE_SIZE }))?.value.items ?? [];
    html = await renderPage(<CategoryPage ctx={ctx} category={category} items={items} page={spec.page} totalPages={totalPages} />);
  } else {
    const product = (await reader.productBySlug(spec.slug))?.value;
    if (!product) return null;
    html = await renderPage(<ProductPage ctx={ctx} product={product} />);
  }
  c.executionCtx.waitUntil(
    cache.put(
      cacheKey,
      new Response(html, {
        headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': `max-age=${EDGE_RENDER_CACHE_SECONDS}` },
      }),
    ),
  );
  return html;
}

/** Live price/stock for the SKUs on this page, or nothing when the origin cannot answer in time. */
async function liveValuesFor(c: C, spec: PageSpec): Promise<LiveValues[]> {
  if (spec.kind === 'mirror-only') return [];
  if (spec.kind === 'product') {
    const sku = (await snapshotReader(c.env).productBySlug(spec.slug))?.value?.sku;
    if (!sku) return [];
    const live = await originJson(c.env, c.executionCtx, c.var.mode, `/api/products/${encodeURIComponent(sku)}`, ProductSchema);
    return live.kind === 'ok' ? [live.value] : [];
  }
  const qs =
    spec.kind === 'home' ? `page=1&pageSize=${HOME_FEATURED}` : `category=${spec.slug}&page=${spec.page}&pageSize=${CATEGORY_PAGE_SIZE}`;
  const live = await originJson(c.env, c.executionCtx, c.var.mode, `/api/products?${qs}`, ProductListSchema);
  return live.kind === 'ok' ? live.value.items : [];
}

export async function notFound(c: C, meta?: SnapshotMeta | null): Promise<Response> {
  const ctx: PageContext = {
    ...PAGE_CONTEXT_DEFAULTS,
    canonicalOrigin: readConfig(c.env).canonicalOrigin,
    snapshotGeneratedAt: (meta ?? (await snapshotReader(c.env).meta())?.value)?.generatedAt ?? new Date(0).toISOString(),
  };
  return c.html(await renderPage(<NotFoundPage ctx={ctx} />), 404);
}

async function unavailable(c: C): Promise<Response> {
  const ctx: PageContext = {
    ...PAGE_CONTEXT_DEFAULTS,
    canonicalOrigin: readConfig(c.env).canonicalOrigin,
    snapshotGeneratedAt: new Date(0).toISOString(),
  };
  const page = (
    <NotFoundPage
      ctx={ctx}
      title="The showroom is being prepared"
      message="The catalog has not been published yet. Please try again in a minute."
    />
  );
  return c.html(await renderPage(page), 503, { 'retry-after': '30' });
}
