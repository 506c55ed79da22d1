/** Makes a product list safe to serve: one product per SKU, one product per slug. */
import { type Product, slugify } from '../../workers/shared/catalog/product-schema.ts';
import type { ImportIssue } from './import-issue.ts';
import type { ImportResult } from './types.ts';

/** A valid product (or a compact form of one) and the readable name of the record it came from. */
export interface ImportedRecord<P extends Pick<Product, 'sku' | 'slug'> = Product> {
  product: P;
  record: string;
}

const MAX_SLUG = 120;

/**
 * In input order: a product whose SKU was already used is an issue (on `skuField`) and is skipped; a product
 * whose slug is taken gets `-<slugify(sku)>` appended (then `-2`, `-3`, … should that be taken too), or, with
 * `slugs: 'reject'` (for sources whose slugs are authoritative), is an issue on `slug` and is skipped.
 *
 * @example
 * resolveDuplicates([{ product: a, record: 'products[0]' }, { product: b, record: 'products[1]' }], 'sku');
 * // b.slug 'rolex-cellini-moonphase' → 'rolex-cellini-moonphase-wom-rol-rol-191'
 */
export function resolveDuplicates<P extends Pick<Product, 'sku' | 'slug'> = Product>(
  records: readonly ImportedRecord<P>[],
  skuField: string,
  slugs: 'rename' | 'reject' = 'rename',
): ImportResult<P> {
  const skuOwners = new Map<string, string>();
  const slugOwners = new Map<string, string>();
  const products: P[] = [];
  const issues: ImportIssue[] = [];
  const skipped: string[] = [];
  for (const { product, record } of records) {
    const owner = skuOwners.get(product.sku);
    if (owner !== undefined) {
      issues.push({ record, field: skuField, message: `duplicate sku "${product.sku}", already used by ${owner}` });
      skipped.push(record);
      continue;
    }
    const slugOwner = slugOwners.get(product.slug);
    if (slugOwner !== undefined && slugs === 'reject') {
      issues.push({ record, field: 'slug', message: `duplicate slug "${product.slug}", already used by ${slugOwner}` });
      skipped.push(record);
      continue;
    }
    skuOwners.set(product.sku, record);
    const slug = freeSlug(product.slug, product.sku, slugOwners);
    slugOwners.set(slug, record);
    products.push(slug === product.slug ? product : { ...product, slug });
  }
  return { products, issues, skipped };
}

function freeSlug(slug: string, sku: string, taken: ReadonlyMap<string, string>): string {
  if (!taken.has(slug)) return slug;
  const withSku = withSuffix(slug, slugify(sku) || 'item');
  let candidate = withSku;
  for (let n = 2; taken.has(candidate); n++) candidate = withSuffix(withSku, String(n));
  return candidate;
}

function withSuffix(base: string, suffix: string): string {
  const room = MAX_SLUG - suffix.length - 1;
  return `${base.slice(0, room).replace(/-+$/, '')}-${suffix}`;
}
