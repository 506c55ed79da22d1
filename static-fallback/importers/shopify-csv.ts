/** Shopify product CSV (Admin → Products → Export) → Vitrine products. */
import { availabilityFromStock, slugify } from '../../workers/shared/catalog/product-schema.ts';
import { cell } from './csv-records.ts';
import { type ImportedRecord, resolveDuplicates } from './dedupe.ts';
import { htmlToText } from './html-text.ts';
import { type ImportIssue, inSourceOrder } from './import-issue.ts';
import { modelFor } from './models-map.ts';
import { shopifyLocator } from './shopify-fields.ts';
import { readImages } from './shopify-images.ts';
import { type ProductRows, readShopifyRows } from './shopify-rows.ts';
import { productSku, readVariants, type VariantRow } from './shopify-variants.ts';
import type { ImportOptions, ImportResult } from './types.ts';
import { type Validated, validateProduct } from './validate-product.ts';

/**
 * Imports a Shopify product CSV. Never throws: malformed rows become issues naming the row and column, and
 * draft or archived products are left out (listed in `skipped`).
 *
 * @example
 * const { products, issues, skipped } = importShopifyCsv(await readFile('products_export.csv', 'utf8'));
 */
export function importShopifyCsv(text: string, options: ImportOptions = {}): ImportResult {
  const read = readShopifyRows(text);
  if (read.fatal) return { products: [], issues: read.issues, skipped: [] };
  const valid: ImportedRecord[] = [];
  const issues = [...read.issues];
  const skipped = [...read.skipped];
  for (const group of read.groups) {
    if (group.status === 'draft' || group.status === 'archived') {
      skipped.push(`${group.record} (status ${group.status})`);
      continue;
    }
    const { product, issues: found } = importProduct(group, options);
    if (product) valid.push({ product, record: group.record });
    else {
      issues.push(...found);
      skipped.push(group.record);
    }
  }
  const unique = resolveDuplicates(valid, 'Variant SKU');
  return { products: unique.products, issues: inSourceOrder([...issues, ...unique.issues]), skipped: [...skipped, ...unique.skipped] };
}

function importProduct(group: ProductRows, options: ImportOptions): Validated {
  const first = group.rows[0]!;
  const { record } = group;
  const prior: ImportIssue[] = [...group.issues];
  const title = cell(first, 'Title');
  const slug = slugify(group.handle);
  if (!slug) prior.push({ record, field: 'Handle', message: 'has no letters or digits to build a URL slug from' });
  const type = cell(first, 'Type');
  const taxonomy = cell(first, 'Product Category').split('>').at(-1)?.trim() ?? '';
  const category = slugify(type || taxonomy);
  const categoryColumn: 'Type' | 'Product Category' = type || !taxonomy ? 'Type' : 'Product Category';
  if (!category) prior.push({ record, field: categoryColumn, message: 'missing: needs a Type or a Product Category' });
  const variants = readVariants(group, title || group.handle, prior);
  if (variants.length === 0)
    prior.push({ record, field: 'Variant Price', message: 'no variant: no row has a Variant SKU or Variant Price' });
  const images = readImages(group, prior);
  const sku = productSku(group.handle, variants);
  const cheapest = variants.reduce<VariantRow | undefined>(
    (a, v) => (v.price !== undefined && (a?.price === undefined || v.price < a.price) ? v : a),
    undefined,
  );
  const stocks = variants.flatMap((v) => (v.stock === undefined ? [] : [v.stock]));
  const stock = stocks.length > 0 ? stocks.reduce((a, b) => a + b, 0) : undefined;
  const weighed = variants.find((v) => v.grams !== undefined);
  const candidate = {
    sku,
    slug,
    title,
    description: htmlToText(first.cells['Body (HTML)'] ?? ''),
    category,
    categoryName: taxonomy || type,
    brand: cell(first, 'Vendor') || undefined,
    price: cheapest?.price,
    currency: options.currency ?? 'USD',
    compareAtPrice: cheapest?.compareAtPrice,
    availability: availabilityFromStock(stock),
    stock,
    images: images.map((i) => i.image),
    weight: weighed ? { value: weighed.grams, unit: 'g' } : undefined,
    tags: [
      ...new Set(
        cell(first, 'Tags')
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
      ),
    ],
    variants: variants.length === 1 && variants[0]?.isDefault ? [] : variants.map((v, i) => toVariant(v, `${sku}-${i + 1}`)),
    modelId: [sku, ...variants.map((v) => v.sku)].map((s) => modelFor(options.models, s)).find(Boolean),
  };
  const locate = shopifyLocator({ record, firstRow: first.cells, images, variants, cheapest, weighed, categoryColumn, taxonomy });
  return validateProduct(candidate, locate, prior);
}

function toVariant(v: VariantRow, generatedSku: string) {
  const { title, options, price, compareAtPrice, stock } = v;
  return { sku: v.sku || generatedSku, title, options, price, compareAtPrice, stock, availability: availabilityFromStock(stock) };
}
