/**
 * Everything a mirror folder holds, as a stream of outputs: each HTML page in
 * two renderings of the same templates (relative file links for the folder,
 * site paths for the edge), then the files beside them. Nothing here writes;
 * build-mirror.ts does, one output at a time, so memory stays flat.
 */
import type { JSX } from 'hono/jsx/jsx-runtime';
import type { ProductSummary } from '../../workers/shared/catalog/product-schema.ts';
import { toSummary } from '../../workers/shared/catalog/product-schema.ts';
import type { CategoryInfo } from '../../workers/shared/snapshot/snapshot-layout.ts';
import { CATEGORY_PAGE_SIZE, CategoryPage } from '../../workers/shared/templates/category-page.tsx';
import { HomePage } from '../../workers/shared/templates/home-page.tsx';
import { NotFoundPage } from '../../workers/shared/templates/not-found-page.tsx';
import { PAGE_CONTEXT_DEFAULTS, type PageContext, paths } from '../../workers/shared/templates/page-context.ts';
import { ProductPage } from '../../workers/shared/templates/product-page.tsx';
import { QuotePage } from '../../workers/shared/templates/quote-page.tsx';
import { renderPage } from '../../workers/shared/templates/render-page.ts';
import { SearchPage } from '../../workers/shared/templates/search-page.tsx';
import { type CatalogSource, type ListedProduct, own } from './catalog-source.ts';
import { CLIENT_SCRIPTS } from './client-scripts.ts';
import { comparisonCsvHeader, comparisonCsvRow } from './comparison-csv.ts';
import { RowSpool } from './row-spool.ts';
import { buildSearchIndex, searchIndexScriptBytes } from './search-index.ts';
import { filePathFor, relativeHref } from './site-paths.ts';
import { SITEMAP_DEFAULTS, sitemapFiles } from './sitemap.ts';
import { renderSpecSheetPdf } from './spec-sheet-pdf.ts';

export const HOME_FEATURED = 12;
export const SEARCH_INDEX_PATH = '/assets/search-index.js';
/** The quote page suggests at most this many products (any SKU can still be typed). */
export const QUOTE_CHOICES_MAX = 500;

export interface MirrorOutputOptions {
  /** Canonical origin of the live showroom: sitemap, canonical links, PDF links. */
  baseUrl: string;
  /** Where the quote page posts (the edge's outbox-backed endpoint by default). */
  quoteEndpoint: string;
  /** The mailto: fallback when posting fails. */
  contactEmail: string;
  siteName: string;
  /** Spec-sheet PDFs are the slowest output; off for quick builds and benchmarks. */
  pdf: boolean;
}

export type MirrorOutput =
  | { kind: 'page'; sitePath: string; file: string; edge: string }
  | { kind: 'file'; sitePath: string; data: string | Uint8Array };

interface Catalog {
  source: CatalogSource;
  categories: CategoryInfo[];
  byCategory: Map<string, ListedProduct[]>;
}

export function catalogOf(source: CatalogSource): Catalog {
  const byCategory = new Map<string, ListedProduct[]>();
  const names = new Map<string, string>();
  for (const p of source.listed) {
    const list = byCategory.get(p.category) ?? [];
    list.push(p);
    byCategory.set(p.category, list);
    names.set(p.category, p.categoryName);
  }
  const categories = [...byCategory.entries()]
    .map(([slug, list]) => ({ slug, name: names.get(slug) ?? slug, count: list.length, chunks: 0 }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.slug.localeCompare(b.slug));
  return { source, categories, byCategory };
}

/** How many outputs mirrorOutputs() yields, for the progress bar. */
export function countOutputs(catalog: Catalog, options: MirrorOutputOptions): number {
  const categoryPages = catalog.categories.reduce((n, c) => n + Math.max(1, Math.ceil(c.count / CATEGORY_PAGE_SIZE)), 0);
  const pages = 1 + categoryPages + catalog.source.listed.length + 3;
  const sitemapUrls = 1 + catalog.categories.length + catalog.source.listed.length;
  const sitemaps = sitemapUrls > SITEMAP_DEFAULTS.urlsPerFile ? 1 + Math.ceil(sitemapUrls / SITEMAP_DEFAULTS.urlsPerFile) : 1;
  const files =
    sitemaps + 1 + 1 + Object.keys(CLIENT_SCRIPTS).length + catalog.categories.length + (options.pdf ? catalog.source.listed.length : 0);
  return pages + files;
}

/**
 * The outputs, in a fixed order. Consumes the catalog: once the pages that
 * need the listings are out, the listings are released (`source.listed` is
 * emptied), so the product pages stream with only one product in memory.
 */
export async function* mirrorOutputs(catalog: Catalog, options: MirrorOutputOptions): AsyncGenerator<MirrorOutput> {
  const { source, categories, byCategory } = catalog;
  const base = {
    ...PAGE_CONTEXT_DEFAULTS,
    canonicalOrigin: options.baseUrl,
    snapshotGeneratedAt: source.generatedAt,
    siteName: options.siteName,
  };
  /** Both renderings of one page: the folder's (relative links, read-only) and the edge's. */
  const page = async (sitePath: string, render: (ctx: PageContext) => JSX.Element): Promise<MirrorOutput> => {
    const file = filePathFor(sitePath);
    const folderCtx: PageContext = { ...base, readOnly: true, mirrorExtras: true, link: (to) => relativeHref(file, to) };
    const edgeCtx: PageContext = { ...base, mirrorExtras: true };
    return { kind: 'page', sitePath, file: await renderPage(render(folderCtx)), edge: await renderPage(render(edgeCtx)) };
  };

  const featured: ProductSummary[] = source.listed.slice(0, HOME_FEATURED).map(toSummary);
  yield await page('/', (ctx) => <HomePage ctx={ctx} categories={categories} featured={featured} />);
  for (const category of categories) {
    const items = byCategory.get(category.slug) ?? [];
    const totalPages = Math.max(1, Math.ceil(items.length / CATEGORY_PAGE_SIZE));
    for (let n = 1; n <= totalPages; n++) {
      const slice = items.slice((n - 1) * CATEGORY_PAGE_SIZE, n * CATEGORY_PAGE_SIZE).map(toSummary);
      yield await page(paths.category(category.slug, n), (ctx) => (
        <CategoryPage ctx={ctx} category={category} items={slice} page={n} totalPages={totalPages} />
      ));
    }
  }
  yield await page(paths.notFound(), (ctx) => <NotFoundPage ctx={ctx} />);
  const searchFile = filePathFor(paths.search());
  yield await page(paths.search(), (ctx) => (
    <SearchPage ctx={ctx} scripts={{ index: ctx.link(SEARCH_INDEX_PATH), client: ctx.link(CLIENT_SCRIPTS.search.sitePath) }} />
  ));
  const choices = source.listed.slice(0, QUOTE_CHOICES_MAX).map((p) => ({ sku: p.sku, title: p.title }));
  yield await page(paths.quote(), (ctx) => (
    <QuotePage
      ctx={ctx}
      endpoint={options.quoteEndpoint}
      email={options.contactEmail}
      script={ctx.link(CLIENT_SCRIPTS.quote.sitePath)}
      products={choices}
    />
  ));
  // One index serves the folder (hrefs relative to search/index.html) and the edge (site paths).
  const index = buildSearchIndex(source.listed, { href: (to) => relativeHref(searchFile, to) });
  yield { kind: 'file', sitePath: SEARCH_INDEX_PATH, data: searchIndexScriptBytes(index) };
  for (const script of Object.values(CLIENT_SCRIPTS)) yield { kind: 'file', sitePath: script.sitePath, data: script.source() };
  for (const file of sitemapFiles(options.baseUrl, sitePathsOf(catalog), source.generatedAt.slice(0, 10))) yield { kind: 'file', ...file };
  yield { kind: 'file', sitePath: '/robots.txt', data: `User-agent: *\nAllow: /\nSitemap: ${options.baseUrl}/sitemap.xml\n` };

  // Nothing below needs the listings: release them before the product pages stream by.
  byCategory.clear();
  source.listed.length = 0;

  // Comparison CSV rows are grouped by category as full products stream by (spooled to disk, not held).
  const csvRows = await RowSpool.open();
  try {
    for await (const product of source.products()) {
      // A flat copy: csv-stringify builds a row from ~25 concatenated pieces, several times its length in memory.
      await csvRows.add(product.category, own(comparisonCsvRow(product, `${options.baseUrl}${paths.product(product)}`)));
      yield await page(paths.product(product), (ctx) => <ProductPage ctx={ctx} product={product} />);
      if (options.pdf) {
        const data = await renderSpecSheetPdf(product, {
          liveUrl: `${options.baseUrl}${paths.product(product)}`,
          snapshotGeneratedAt: source.generatedAt,
          siteName: options.siteName,
        });
        yield { kind: 'file', sitePath: paths.specSheet(product), data };
      }
    }
    for (const category of categories) {
      const rows = await csvRows.take(category.slug);
      yield { kind: 'file', sitePath: paths.comparisonCsv(category.slug), data: Buffer.concat([Buffer.from(comparisonCsvHeader()), rows]) };
    }
  } finally {
    await csvRows.dispose();
  }
}

/** Every page the sitemap lists: home, first category pages, products. */
function* sitePathsOf(catalog: Catalog): Generator<string> {
  yield paths.home();
  for (const c of catalog.categories) yield paths.category(c.slug);
  for (const p of catalog.source.listed) yield paths.product(p);
}
