/**
 * The example origin's catalog: loaded once at start (from a catalog file through the shared importers,
 * or from products given directly), then listed, searched and exported read-only.
 */
import { buildSnapshot, loadCatalogFile } from '../../static-fallback/importers/load-catalog.ts';
import { type Product, ProductSchema, type Snapshot } from '../../workers/shared/catalog/product-schema.ts';

/** The `source` of the origin's `/pim/export` snapshot. */
export const SNAPSHOT_SOURCE = 'example-origin';

/** A loaded catalog. */
export interface OriginCatalog {
  /** Products in input order (the listing order). */
  products: readonly Product[];
  bySku: ReadonlyMap<string, Product>;
  /** The `/pim/export` document, built once: `generatedAt` is the moment the catalog was loaded. */
  snapshot: Snapshot;
}

/** Where the catalog comes from: `products` wins over `catalogPath`. */
export interface CatalogSource {
  products?: readonly Product[];
  catalogPath?: string;
  modelsPath?: string;
}

/**
 * Loads the catalog. Products given directly are validated with `ProductSchema` (defaults filled).
 * @throws when the file cannot be imported or a product is invalid, or when SKUs are duplicated.
 */
export async function loadOriginCatalog(source: CatalogSource, now: Date = new Date()): Promise<OriginCatalog> {
  let products: Product[];
  if (source.products !== undefined) {
    products = source.products.map((p, i) => {
      const parsed = ProductSchema.safeParse(p);
      if (!parsed.success) throw new Error(`products[${i}] is not a valid product: ${parsed.error.message}`);
      return parsed.data;
    });
  } else if (source.catalogPath !== undefined) {
    const options = source.modelsPath === undefined ? {} : { modelsPath: source.modelsPath };
    products = (await loadCatalogFile(source.catalogPath, options)).products;
  } else {
    throw new Error('loadOriginCatalog needs products or a catalogPath');
  }
  const bySku = new Map<string, Product>();
  for (const product of products) {
    if (bySku.has(product.sku)) throw new Error(`duplicate sku ${JSON.stringify(product.sku)} in the catalog`);
    bySku.set(product.sku, product);
  }
  const snapshot = buildSnapshot(products, { source: SNAPSHOT_SOURCE, generatedAt: now.toISOString() });
  return { products, bySku, snapshot };
}

/** A listing query, already validated. */
export interface ProductQuery {
  page: number;
  pageSize: number;
  category?: string;
  q?: string;
}

/** Products matching the category (exact slug) and text (title, brand, description, tags; case-insensitive), in input order. */
export function filterProducts(products: readonly Product[], query: Pick<ProductQuery, 'category' | 'q'>): Product[] {
  const needle = query.q?.trim().toLowerCase() ?? '';
  return products.filter((p) => {
    if (query.category !== undefined && p.category !== query.category) return false;
    if (needle === '') return true;
    const haystacks = [p.title, p.brand ?? '', p.description, ...p.tags];
    return haystacks.some((text) => text.toLowerCase().includes(needle));
  });
}

/** One page of `items`; `totalPages` is 0 when nothing matches. */
export function paginate<T>(items: readonly T[], page: number, pageSize: number): { items: T[]; total: number; totalPages: number } {
  const start = (page - 1) * pageSize;
  return { items: items.slice(start, start + pageSize), total: items.length, totalPages: Math.ceil(items.length / pageSize) };
}
