import { basename } from 'node:path';
import type { Product, SummarySource } from '../../workers/shared/catalog/product-schema.ts';
import { catalogTimestamp } from '../importers/catalog-timestamp.ts';
import { importDummyJsonRecord } from '../importers/dummyjson.ts';
import type { ImportIssue } from '../importers/import-issue.ts';
import { isJsonArrayFile, jsonArrayElements, loadCatalogFile, loadDummyJsonArrayFile } from '../importers/load-catalog.ts';
import { readModelMap } from '../importers/models-map.ts';

/** A product as listings, search and the sitemap need it: no description, specs or variants, one image. */
export type ListedProduct = SummarySource & Pick<Product, 'tags' | 'updatedAt'>;

/**
 * The listing of a product. Values that repeat across a catalog (category,
 * brand, currency, availability, timestamps, tags) are shared rather than held
 * once per product, and the one image keeps its URL only (cards use the title
 * as alt text): at 100,000 products this is most of the build's memory.
 *
 * Every kept string is copied (`own`): the streaming JSON parser hands out
 * slices of its 64 KB input chunks, and one kept slice keeps its whole chunk
 * alive, which held the entire catalog text (111 MB at 100,000 products).
 */
export function toListed(p: Product): ListedProduct {
  const {
    description: _d,
    dimensions: _w,
    weight: _g,
    variants: _v,
    images,
    category,
    categoryName,
    brand,
    currency,
    availability,
    tags,
    updatedAt,
    ...rest
  } = p;
  const first = images[0];
  return {
    ...rest,
    sku: own(rest.sku),
    slug: own(rest.slug),
    title: own(rest.title),
    modelId: rest.modelId === undefined ? undefined : own(rest.modelId),
    category: shared(category),
    categoryName: shared(categoryName),
    brand: brand === undefined ? undefined : shared(brand),
    currency: shared(currency),
    availability,
    tags: tags.map(shared),
    images: first ? [{ url: own(first.url) }] : [],
    updatedAt: updatedAt === undefined ? undefined : shared(updatedAt),
  };
}

const SHARED_MAX = 100_000;
const sharedValues = new Map<string, string>();

function shared(value: string): string {
  const known = sharedValues.get(value);
  if (known !== undefined) return known;
  const copy = own(value);
  if (sharedValues.size < SHARED_MAX) sharedValues.set(copy, copy);
  return copy;
}

/**
 * A string that owns its characters: V8 may represent a substring as a slice
 * of its parent, or a concatenation as a tree of pieces, and either keeps more
 * alive than its length. A round trip through UTF-8 gives a flat copy.
 */
export function own(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

export interface CatalogSource {
  generatedAt: string;
  source: string;
  listed: ListedProduct[];
  products(): AsyncIterable<Product>;
  skipped: string[];
  issues: string[];
}

export interface CatalogSourceOptions {
  catalog: string;
  models?: string;
  skipInvalid: boolean;
  generatedAt?: string;
}

export async function openCatalogSource(options: CatalogSourceOptions): Promise<CatalogSource> {
  const meta = (listed: readonly ListedProduct[], skipped: string[], issues: ImportIssue[]) => ({
    generatedAt: catalogTimestamp(listed, options.generatedAt),
    source: basename(options.catalog),
    skipped,
    issues: issues.map((i) => `${i.record}: ${i.field}: ${i.message}`),
  });
  if (!(await isJsonArrayFile(options.catalog))) {
    const { products, skipped, issues } = await loadCatalogFile(options.catalog, {
      modelsPath: options.models,
      skipInvalid: options.skipInvalid,
    });
    const listed = products.map(toListed);
    return {
      ...meta(listed, skipped, issues),
      listed,
      products: async function* () {
        yield* products;
      },
    };
  }
  // A DummyJSON array: streamed, and only listings are kept (the full products are re-read for their pages).
  const models = options.models ? await readModelMap(options.models) : undefined;
  const result = await loadDummyJsonArrayFile(options.catalog, { models, skipInvalid: options.skipInvalid }, toListed);
  const slugBySku = new Map(result.products.map((p) => [p.sku, p.slug]));
  return {
    ...meta(result.products, result.skipped, result.issues),
    listed: result.products,
    products: () => rereadProducts(options.catalog, slugBySku, models),
  };
}

async function* rereadProducts(
  path: string,
  slugBySku: Map<string, string>,
  models: Record<string, string> | undefined,
): AsyncGenerator<Product> {
  const seen = new Set<string>();
  for await (const { key, value } of jsonArrayElements(path)) {
    const { product } = importDummyJsonRecord(value, key, { models });
    // Only what the first pass kept (valid, first of its sku), with the slug it was given there.
    const slug = product && slugBySku.get(product.sku);
    if (!product || !slug || seen.has(product.sku)) continue;
    seen.add(product.sku);
    yield { ...product, slug };
  }
}
