/** DummyJSON-shaped products (https://dummyjson.com/products) → Vitrine products. */
import {
  AVAILABILITY,
  type Availability,
  availabilityFromStock,
  type Product,
  slugify,
} from '../../workers/shared/catalog/product-schema.ts';
import { type ImportedRecord, resolveDuplicates } from './dedupe.ts';
import { type ImportIssue, inSourceOrder, labelValue } from './import-issue.ts';
import { modelFor } from './models-map.ts';
import type { ImportOptions, ImportResult } from './types.ts';
import { formatPath, isObject, type Validated, validateProduct } from './validate-product.ts';

/** Product fields that are computed from a differently named source field. */
const SOURCE_FIELD: Record<string, string> = {
  slug: 'title',
  categoryName: 'category',
  compareAtPrice: 'discountPercentage',
  availability: 'availabilityStatus',
  updatedAt: 'meta.updatedAt',
  weight: 'weight',
};

/**
 * Imports DummyJSON products: the array itself or `{ products: [...] }`. Never throws; every invalid product is
 * left out and reported as issues on `products[<index>] (sku <sku>)`.
 *
 * @example
 * const { products, issues } = importDummyJson(JSON.parse(text), { currency: 'EUR', models: { 'FUR-KNO-KNO-014': 'wickerchair' } });
 */
export function importDummyJson(data: unknown, options: ImportOptions = {}): ImportResult {
  const list = Array.isArray(data) ? data : isObject(data) && Array.isArray(data.products) ? data.products : undefined;
  if (list === undefined) {
    const message = 'expected an array of products or an object { "products": [...] }';
    return { products: [], issues: [{ record: '(document)', field: 'products', message }], skipped: [] };
  }
  const collector = new DummyJsonCollector(options, (p: Product) => p);
  for (const [index, raw] of list.entries()) collector.add(raw, index);
  return collector.result();
}

/**
 * `importDummyJson` for a top-level array read element by element (e.g. with
 * `jsonArrayElements`), so a large export never sits in memory as raw JSON.
 *
 * @example
 * const result = await importDummyJsonStream(jsonArrayElements('products.json'));
 */
export async function importDummyJsonStream(
  items: AsyncIterable<{ key: number; value: unknown }>,
  options?: ImportOptions,
): Promise<ImportResult>;
/** …keeping only `keep(product)` of each valid product, so a large catalog is never held whole. */
export async function importDummyJsonStream<P extends Pick<Product, 'sku' | 'slug'>>(
  items: AsyncIterable<{ key: number; value: unknown }>,
  options: ImportOptions,
  keep: (product: Product) => P,
): Promise<ImportResult<P>>;
export async function importDummyJsonStream(
  items: AsyncIterable<{ key: number; value: unknown }>,
  options: ImportOptions = {},
  keep: (product: Product) => Pick<Product, 'sku' | 'slug'> = (p) => p,
): Promise<ImportResult<Pick<Product, 'sku' | 'slug'>>> {
  const collector = new DummyJsonCollector(options, keep);
  for await (const { key, value } of items) collector.add(value, key);
  return collector.result();
}

/** One element of a DummyJSON array, validated as the whole-file importer does (used to re-read a catalog). */
export function importDummyJsonRecord(raw: unknown, index: number, options: ImportOptions = {}): Validated & { record: string } {
  const record = `products[${index}]${isObject(raw) && typeof raw.sku === 'string' && raw.sku ? ` (sku ${labelValue(raw.sku)})` : ''}`;
  return { ...importProduct(raw, record, options), record };
}

class DummyJsonCollector<P extends Pick<Product, 'sku' | 'slug'> = Product> {
  readonly #valid: ImportedRecord<P>[] = [];
  readonly #issues: ImportIssue[] = [];
  readonly #skipped: string[] = [];
  readonly #options: ImportOptions;
  readonly #keep: (product: Product) => P;

  constructor(options: ImportOptions, keep: (product: Product) => P) {
    this.#options = options;
    this.#keep = keep;
  }

  add(raw: unknown, index: number): void {
    const { product, issues: found, record } = importDummyJsonRecord(raw, index, this.#options);
    if (product) this.#valid.push({ product: this.#keep(product), record });
    else {
      this.#issues.push(...found);
      this.#skipped.push(record);
    }
  }

  result(): ImportResult<P> {
    const unique = resolveDuplicates(this.#valid, 'sku');
    return {
      products: unique.products,
      issues: inSourceOrder([...this.#issues, ...unique.issues]),
      skipped: [...this.#skipped, ...unique.skipped],
    };
  }
}

function importProduct(raw: unknown, record: string, options: ImportOptions): Validated {
  if (!isObject(raw)) return { product: undefined, issues: [{ record, field: '(record)', message: 'expected an object' }] };
  const prior: ImportIssue[] = [];
  const problem = (field: string, message: string) => prior.push({ record, field, message });
  const title = sluggableText(raw.title, 'title', problem);
  const category = sluggableText(raw.category, 'category', problem);
  const { price, discountPercentage: discount, stock, weight, images } = raw;
  if (discount != null && (typeof discount !== 'number' || !(discount >= 0 && discount < 100))) {
    problem('discountPercentage', `expected a number from 0 to below 100 (got ${JSON.stringify(discount)})`);
  }
  if (weight != null && typeof weight !== 'number') problem('weight', `expected a number of kg (got ${JSON.stringify(weight)})`);
  if (images != null && !Array.isArray(images)) problem('images', 'expected an array of image URLs');
  const sku = raw.sku;
  const candidate = {
    sku,
    slug: title === undefined ? undefined : slugify(title),
    title: raw.title,
    description: raw.description ?? undefined,
    category: category === undefined ? undefined : slugify(category),
    categoryName: category === undefined ? undefined : titleCase(category),
    brand: raw.brand ?? undefined,
    price,
    currency: options.currency ?? 'USD',
    compareAtPrice: compareAt(price, discount),
    availability: availabilityFrom(raw.availabilityStatus) ?? availabilityFromStock(typeof stock === 'number' ? stock : undefined),
    stock: stock ?? undefined,
    images: Array.isArray(images) ? images.map((url: unknown) => ({ url, alt: title })) : undefined,
    dimensions: isObject(raw.dimensions)
      ? { ...pick(raw.dimensions, ['width', 'height', 'depth']), unit: 'cm' }
      : (raw.dimensions ?? undefined),
    weight: typeof weight === 'number' ? { value: weight, unit: 'kg' } : undefined,
    tags: raw.tags ?? undefined,
    updatedAt: isObject(raw.meta) ? (raw.meta.updatedAt ?? undefined) : undefined,
    modelId: modelFor(options.models, sku),
  };
  return validateProduct(candidate, (path) => ({ record, field: sourceField(path) }), prior);
}

function sourceField(path: readonly PropertyKey[]): string {
  const [head, index, leaf] = path;
  if (head === 'images' && typeof index === 'number') return leaf === 'alt' ? 'title' : `images[${index}]`;
  if (head === 'modelId') return 'sku (models)';
  return (typeof head === 'string' ? SOURCE_FIELD[head] : undefined) ?? formatPath(path);
}

/** The text, if it can name and slug a product; otherwise reports why not. */
function sluggableText(value: unknown, field: string, problem: (field: string, message: string) => void): string | undefined {
  if (typeof value !== 'string' || !value.trim()) problem(field, value == null ? 'missing' : 'expected a non-empty string');
  else if (!slugify(value)) problem(field, `has no letters or digits to build a URL slug from (got ${JSON.stringify(value.slice(0, 60))})`);
  else return value;
  return undefined;
}

/** `"In Stock"`, `"low-stock"`, `"Out of Stock"`, `"Pre-order"` → the schema's enum; `undefined` when unrecognized. */
function availabilityFrom(status: unknown): Availability | undefined {
  if (typeof status !== 'string') return undefined;
  const key = status
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
  return AVAILABILITY.find((a) => a.replace(/_/g, '') === key);
}

/** `"mens-shoes"` → `"Mens Shoes"`. */
function titleCase(text: string): string {
  const words = text.split(/[\s_-]+/).filter(Boolean);
  return words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ') || text;
}

/** The price before the discount, to the cent; only for a sane price and a discount in (0, 100). */
function compareAt(price: unknown, discount: unknown): number | undefined {
  const sanePrice = typeof price === 'number' && Number.isFinite(price) && price >= 0;
  if (!sanePrice || typeof discount !== 'number' || !(discount > 0 && discount < 100)) return undefined;
  return Math.round((price / (1 - discount / 100)) * 100) / 100;
}

function pick(source: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, source[k]]));
}
